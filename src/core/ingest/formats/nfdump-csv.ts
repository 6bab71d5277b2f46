import { DirectionReason, Hint, type FlowRecord } from '../../flow/record';
import { applyIcmpType, flagsFromLetters } from '../../flow/direction-hints';
import { PROTO_TCP, hasPorts, isIcmp } from '../../flow/protocols';
import { RowError } from '../row-error';
import { checkTimeOrder, counter, decimalInteger, epochMillis, epochSeconds, ip, optionalPort, port, protocol } from '../values';
import { ColumnIndex, actionOfForwardingStatus, applyRecordFlagsHint, cell, durationMs, isUnspecifiedAddress, naiveDateTime } from './delimited';
import { actionOfTcpRecord, combineActions } from './tcp-answer';

/**
 * nfdump's CSV rows, by header name, for both layouts:
 * - ≤ 1.7.4: the fixed 48-column `ts,te,td,sa,da,…` table (protocol names,
 *   whole-second local times, ICMP as type×256+code in `dp`);
 * - ≥ 1.7.5: named fields from the `csv:` format tokens (`firstSeen,…`;
 *   protocol numbers, millisecond times, ICMP as "type.code" in `dstPort`),
 *   `csv-fast` (epoch milliseconds, ICMP as type×256+code) and custom
 *   `csv:%ts,%te,…` formats.
 * The same reader serves Parquet copies of these tables.
 */

export const LEGACY_COLUMNS = (
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,' +
  'ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr'
).split(',');

/** The default `-o csv` of nfdump ≥ 1.7.5, for files written with -q (no header). */
export const DEFAULT_COLUMNS = 'firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows'.split(',');

export interface NfdumpColumns {
  /** Header names, so that errors name the column as the file does. */
  readonly names: readonly string[];
  readonly count: number;
  readonly start: number;
  readonly end: number;
  readonly duration: number;
  readonly src: number;
  readonly dst: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly proto: number;
  readonly flags: number;
  readonly fwd: number;
  readonly packets: number;
  readonly bytes: number;
  readonly revPackets: number;
  readonly revBytes: number;
  readonly icmpType: number;
  readonly biDirection: number;
  readonly router: number;
  readonly exporter: number;
}

/** Column positions when `names` are an nfdump CSV header, else null. */
export function nfdumpColumns(names: readonly string[]): NfdumpColumns | null {
  const index = new ColumnIndex(names);
  const src = index.find('sa', 'srcAddr');
  const dst = index.find('da', 'dstAddr');
  const proto = index.find('pr', 'proto');
  if (src < 0 || dst < 0 || proto < 0) return null;
  return {
    names,
    count: names.length,
    start: index.find('ts', 'firstSeen'),
    end: index.find('te', 'lastSeen'),
    duration: index.find('td', 'duration'),
    src,
    dst,
    srcPort: index.find('sp', 'srcPort'),
    dstPort: index.find('dp', 'dstPort'),
    proto,
    flags: index.find('flg', 'flags'),
    fwd: index.find('fwd', 'fwdStatus'),
    packets: index.find('ipkt', 'inPackets', 'packets', 'pkt'),
    bytes: index.find('ibyt', 'inBytes', 'bytes', 'byt'),
    revPackets: index.find('opkt', 'outPackets'),
    revBytes: index.find('obyt', 'outBytes'),
    icmpType: index.find('icmpTYpe', 'icmpType'),
    biDirection: index.find('biDirection'),
    router: index.find('ra', 'routerIP'),
    exporter: index.find('exid', 'exporterID'),
  };
}

/**
 * nfdump writes times as local dates ("2011-03-18 19:06:08[.853]"), as
 * "seconds.millis" (%tsr) or, in csv-fast, as integer epoch milliseconds.
 */
export function nfdumpTime(text: string, field: string): number {
  // ≥ 1.7.5 prints a zero time as this placeholder instead of 1970-01-01.
  if (text.startsWith('0000-00-00')) throw new RowError(field, 'missing timestamp', text);
  const fourth = text.charCodeAt(4);
  if (fourth === 45 /* - */ || fourth === 47 /* / */) return naiveDateTime(text, field);
  return text.includes('.') ? epochSeconds(text, field) : epochMillis(text, field);
}

/**
 * The ICMP type in a destination port: ≥ 1.7.5 writes "type.code", the
 * legacy table and csv-fast write type×256+code as NetFlow carries it.
 */
export function icmpTypeOfPort(text: string, field: string): number {
  const dot = text.indexOf('.');
  if (dot >= 0) {
    const type = decimalInteger(text.slice(0, dot));
    if (type === null || type > 255) throw new RowError(field, 'not an ICMP type.code', text);
    return type;
  }
  return port(text, field) >> 8;
}

/** IPFIX biflowDirection: 1 = the source initiated, 2 = the destination did. */
export function applyBiflowDirection(record: FlowRecord, value: number): void {
  if (value === 1) record.setHint(Hint.srcIsClient, DirectionReason.replyField);
  else if (value === 2) record.setHint(Hint.srcIsServer, DirectionReason.replyField);
}

/** The column's name in this file, for errors. */
const n = (c: NfdumpColumns, index: number): string => c.names[index] ?? '';

export function readNfdumpRow(values: readonly string[], c: NfdumpColumns, record: FlowRecord): void {
  const startText = cell(values, c.start);
  if (startText !== undefined) {
    record.startMs = nfdumpTime(startText, n(c, c.start));
    const endText = cell(values, c.end);
    if (endText !== undefined) {
      record.endMs = nfdumpTime(endText, n(c, c.end));
      checkTimeOrder(record.startMs, record.endMs, n(c, c.end));
    } else {
      const duration = cell(values, c.duration);
      record.endMs = duration === undefined ? record.startMs : record.startMs + durationMs(duration, n(c, c.duration));
    }
  }
  record.src = ip(cell(values, c.src), n(c, c.src));
  record.dst = ip(cell(values, c.dst), n(c, c.dst));
  record.proto = protocol(cell(values, c.proto), n(c, c.proto));
  record.packets = counter(cell(values, c.packets), n(c, c.packets));
  record.bytes = counter(cell(values, c.bytes), n(c, c.bytes));
  record.revPackets = counter(cell(values, c.revPackets), n(c, c.revPackets));
  record.revBytes = counter(cell(values, c.revBytes), n(c, c.revBytes));

  const fwd = cell(values, c.fwd);
  if (fwd !== undefined) {
    const status = decimalInteger(fwd);
    if (status === null || status > 255) throw new RowError(n(c, c.fwd), 'not a forwarding status (0-255)', fwd);
    record.action = actionOfForwardingStatus(status);
  }
  const biDirection = cell(values, c.biDirection);
  if (biDirection !== undefined) applyBiflowDirection(record, decimalInteger(biDirection) ?? 0);

  if (hasPorts(record.proto)) {
    record.srcPort = optionalPort(cell(values, c.srcPort), n(c, c.srcPort));
    record.dstPort = optionalPort(cell(values, c.dstPort), n(c, c.dstPort));
    if (record.proto === PROTO_TCP) {
      const flags = cell(values, c.flags);
      if (flags !== undefined) {
        record.tcpFlags = flagsFromLetters(flags);
        // Aggregated (-b/-B) rows OR the flags of both directions and may
        // put either side first: their flags say nothing about who opened,
        // nor whether a SYN-ACK or an RST answered.
        if (record.revPackets === 0 && record.revBytes === 0) {
          applyRecordFlagsHint(record, record.tcpFlags, record.packets);
          record.action = combineActions(record.action, actionOfTcpRecord(record.tcpFlags));
        }
      }
    }
  } else if (isIcmp(record.proto)) {
    const typeText = cell(values, c.icmpType);
    const dstPort = cell(values, c.dstPort);
    if (typeText !== undefined) {
      const type = decimalInteger(typeText);
      if (type === null || type > 255) throw new RowError(n(c, c.icmpType), 'not an ICMP type', typeText);
      applyIcmpType(record, type);
    } else if (dstPort !== undefined) {
      applyIcmpType(record, icmpTypeOfPort(dstPort, n(c, c.dstPort)));
    }
  }
  record.observer = observerOf(cell(values, c.router), cell(values, c.exporter), n(c, c.router));
}

/**
 * The router that exported the flow; nfcapd's own exporter id only when no
 * router address was kept (pcap-made files have neither: 0.0.0.0 and 0).
 */
export function observerOf(router: string | undefined, exporter: string | undefined, field: string): string {
  if (router !== undefined) {
    const address = ip(router, field);
    if (!isUnspecifiedAddress(address)) return address;
  }
  if (exporter !== undefined && exporter !== '0') return `exporter ${exporter}`;
  return '';
}
