import { Action, type FlowRecord } from '../../flow/record';
import { applyIcmpType } from '../../flow/direction-hints';
import { PROTO_TCP, hasPorts, isIcmp } from '../../flow/protocols';
import { FormatError, RowError } from '../row-error';
import { checkTimeOrder, counter, decimalInteger, epochSeconds, ip, optionalPort, protocol } from '../values';
import { ColumnIndex, actionOfForwardingStatus, applyRecordFlagsHint, cell, isUnspecifiedAddress, naiveDateTime } from './delimited';
import { actionOfTcpRecord, combineActions } from './tcp-answer';

/**
 * pmacct's print/kafka output, by primitive: the CSV header names them in
 * upper case (SRC_IP, PROTOCOL…), the JSON keys differently (ip_src,
 * ip_proto…). Any subset and order of primitives is read by name.
 */

export interface PmacctColumns {
  readonly names: readonly string[];
  readonly count: number;
  readonly src: number;
  readonly dst: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly proto: number;
  readonly flags: number;
  readonly fwd: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly arrival: number;
  readonly min: number;
  readonly max: number;
  readonly inserted: number;
  readonly peer: number;
}

/**
 * Column positions when `names` are pmacct primitives, else null. Names are
 * matched as pmacct spells them (CSV upper case, JSON lower case): a generic
 * table with src_ip/dst_ip columns is not pmacct's.
 */
export function pmacctColumns(names: readonly string[]): PmacctColumns | null {
  const index = new ColumnIndex(names);
  const src = index.find('SRC_IP', 'ip_src');
  const dst = index.find('DST_IP', 'ip_dst');
  if (src < 0 || dst < 0) return null;
  return {
    names,
    count: names.length,
    src,
    dst,
    srcPort: index.find('SRC_PORT', 'port_src'),
    dstPort: index.find('DST_PORT', 'port_dst'),
    proto: index.find('PROTOCOL', 'ip_proto'),
    flags: index.find('TCP_FLAGS', 'tcp_flags'),
    fwd: index.find('fwd_status'),
    packets: index.find('PACKETS', 'packets'),
    bytes: index.find('BYTES', 'bytes'),
    start: index.find('TIMESTAMP_START', 'timestamp_start'),
    end: index.find('TIMESTAMP_END', 'timestamp_end'),
    arrival: index.find('TIMESTAMP_ARRIVAL', 'timestamp_arrival'),
    min: index.find('TIMESTAMP_MIN', 'timestamp_min'),
    max: index.find('TIMESTAMP_MAX', 'timestamp_max'),
    inserted: index.find('STAMP_INSERTED', 'stamp_inserted'),
    peer: index.find('PEER_SRC_IP', 'peer_ip_src'),
  };
}

/** The JSON keys read, in a fixed order, so JSON records go through the same reader as CSV rows. */
export const JSON_KEYS = [
  'ip_src',
  'ip_dst',
  'port_src',
  'port_dst',
  'ip_proto',
  'tcp_flags',
  'fwd_status',
  'packets',
  'bytes',
  'timestamp_start',
  'timestamp_end',
  'timestamp_arrival',
  'timestamp_min',
  'timestamp_max',
  'stamp_inserted',
  'peer_ip_src',
] as const;

/** "Not set" as pmacct prints it for a timestamp primitive it has no value for. */
const NO_TIME = '0000-00-00';

/**
 * A pmacct time, or NaN when absent. Times are "YYYY-MM-DD HH:MM:SS[.usec]"
 * (UTC with timestamps_utc, else local time, which is unknowable here and
 * read as UTC) or epoch seconds with timestamps_since_epoch.
 */
function pmacctTime(text: string | undefined, field: string): number {
  if (text === undefined || text.startsWith(NO_TIME)) return NaN;
  return text.charCodeAt(4) === 45 /* - */ ? naiveDateTime(text, field) : epochSeconds(text, field);
}

const n = (c: PmacctColumns, index: number): string => c.names[index] ?? '';

export function readPmacctRow(values: readonly string[], c: PmacctColumns, record: FlowRecord): void {
  record.src = ip(cell(values, c.src), n(c, c.src));
  record.dst = ip(cell(values, c.dst), n(c, c.dst));
  if (c.proto < 0) throw new FormatError('this pmacct aggregation has no protocol primitive, so no row can become a flow');
  record.proto = protocol(cell(values, c.proto), n(c, c.proto));
  record.packets = counter(cell(values, c.packets), n(c, c.packets));
  record.bytes = counter(cell(values, c.bytes), n(c, c.bytes));
  if (hasPorts(record.proto)) {
    record.srcPort = optionalPort(cell(values, c.srcPort), n(c, c.srcPort));
    record.dstPort = optionalPort(cell(values, c.dstPort), n(c, c.dstPort));
  } else if (isIcmp(record.proto)) {
    // nfacctd copies a NetFlow record's destination port whatever the protocol (its v5 handler names ICMP
    // outright), and exporters put an ICMP record's type×256+code there: 2048 is an echo request. pmacctd
    // leaves ICMP ports at 0, which says nothing (an echo reply's 0/0 looks the same): no type, no hint.
    const typeCode = optionalPort(cell(values, c.dstPort), n(c, c.dstPort));
    if (typeCode > 0) applyIcmpType(record, typeCode >> 8);
  }
  const flags = cell(values, c.flags);
  if (flags !== undefined && record.proto === PROTO_TCP) {
    const bits = decimalInteger(flags);
    if (bits === null || bits > 255) throw new RowError(n(c, c.flags), 'not a flag bitmask', flags);
    record.tcpFlags = bits;
    applyRecordFlagsHint(record, bits, record.packets);
  }
  const fwd = cell(values, c.fwd);
  if (fwd !== undefined) {
    const status = decimalInteger(fwd);
    if (status === null || status > 255) throw new RowError(n(c, c.fwd), 'not a forwarding status (0-255)', fwd);
    record.action = actionOfForwardingStatus(status);
  }
  const ended = readTimes(values, c, record);
  // A pmacct record is one direction's packets with their flags OR-ed (nfacctd relays the exporter's
  // record; pmacctd aggregates as nfdump does): a bare SYN went unanswered, an RST-ACK refused one.
  // A record of one packet stamped with its arrival and no end (pmacctd keyed per packet) shows an answer
  // (a SYN-ACK) but never its absence: the connection's SYN has a record of its own whatever answered it.
  if (record.tcpFlags >= 0 && record.proto === PROTO_TCP) {
    const observed = actionOfTcpRecord(record.tcpFlags);
    const onePacket = record.packets === 1 && Number.isFinite(record.startMs) && !ended;
    if (!(onePacket && observed === Action.deny)) record.action = combineActions(record.action, observed);
  }
  const peer = cell(values, c.peer);
  if (peer !== undefined) {
    const address = ip(peer, n(c, c.peer));
    if (!isUnspecifiedAddress(address)) record.observer = address;
  }
}

/**
 * Per-flow times when aggregated on (timestamp_start/end, or arrival, or the
 * stitching min/max); otherwise the start of the time bin (stamp_inserted).
 * stamp_updated is when the cache was written out, not traffic time: it is
 * never used. Returns whether the row carried an end time of its own.
 */
function readTimes(values: readonly string[], c: PmacctColumns, record: FlowRecord): boolean {
  let start = pmacctTime(cell(values, c.start), n(c, c.start));
  if (Number.isNaN(start)) start = pmacctTime(cell(values, c.arrival), n(c, c.arrival));
  if (Number.isNaN(start)) start = pmacctTime(cell(values, c.min), n(c, c.min));
  if (Number.isNaN(start)) start = pmacctTime(cell(values, c.inserted), n(c, c.inserted));
  if (Number.isNaN(start)) return false;
  let end = pmacctTime(cell(values, c.end), n(c, c.end));
  if (Number.isNaN(end)) end = pmacctTime(cell(values, c.max), n(c, c.max));
  const ended = !Number.isNaN(end);
  if (!ended) end = start;
  else checkTimeOrder(start, end, n(c, c.end >= 0 ? c.end : c.max));
  record.startMs = start;
  record.endMs = end;
  return ended;
}
