import { applyIcmpType } from '../../flow/direction-hints';
import { Action, DirectionReason, Hint, NO_PORT, type ActionCode, type FlowRecord } from '../../flow/record';
import { PROTO_ICMP, PROTO_ICMP6, PROTO_TCP, PROTO_UDP, hasPorts, isIcmp, protocolNumber } from '../../flow/protocols';
import { isIpv6 } from '../../net/ip';
import { RowError } from '../row-error';
import { counter, decimalInteger, flexibleTime, ip, plausibleTime, port } from '../values';

/**
 * The columns of a Zeek conn record that matter here, and the one reader that
 * turns them into a flow whatever carried them: TSV under a #fields header,
 * JSON lines, or a Parquet table with the same columns.
 */

/** Values of one conn record as text; undefined when unset or absent. */
export class ConnValues {
  ts: string | undefined;
  origH: string | undefined;
  origP: string | undefined;
  respH: string | undefined;
  respP: string | undefined;
  proto: string | undefined;
  ipProto: string | undefined;
  duration: string | undefined;
  origPkts: string | undefined;
  origBytes: string | undefined;
  origIpBytes: string | undefined;
  respPkts: string | undefined;
  respBytes: string | undefined;
  respIpBytes: string | undefined;
  history: string | undefined;
  connState: string | undefined;
  /** The protocol Zeek's dynamic protocol detection found ("http"), when it found one. */
  service: string | undefined;
  observer: string | undefined;
}

export type ConnField = Exclude<keyof ConnValues, 'observer'>;

/**
 * Accepted names per field, canonical first. Zeek's Log::field_name_map and
 * data-lake exports rename the id.* columns (src/src_port, id_orig_h).
 */
export const CONN_ALIASES: Readonly<Record<ConnField, readonly string[]>> = {
  ts: ['ts'],
  origH: ['id.orig_h', 'id_orig_h', 'orig_h', 'src', 'src_ip'],
  origP: ['id.orig_p', 'id_orig_p', 'orig_p', 'src_port'],
  respH: ['id.resp_h', 'id_resp_h', 'resp_h', 'dst', 'dst_ip'],
  respP: ['id.resp_p', 'id_resp_p', 'resp_p', 'dst_port'],
  proto: ['proto'],
  ipProto: ['ip_proto'],
  duration: ['duration'],
  origPkts: ['orig_pkts'],
  origBytes: ['orig_bytes'],
  origIpBytes: ['orig_ip_bytes'],
  respPkts: ['resp_pkts'],
  respBytes: ['resp_bytes'],
  respIpBytes: ['resp_ip_bytes'],
  history: ['history'],
  connState: ['conn_state'],
  service: ['service'],
};

export const CONN_FIELDS = Object.keys(CONN_ALIASES) as ConnField[];

/**
 * Columns naming the sensor that wrote the record (Corelight's _system_name,
 * the add-node-names and add-interfaces packages), in order of preference.
 */
export const OBSERVER_COLUMNS = ['_system_name', '_node_name'] as const;
export const INTERFACE_COLUMN = '_interface';

/** Columns only a conn log has: they tell conn records from other logs and generic tables. */
export const CONN_ONLY_COLUMNS: ReadonlySet<string> = new Set([
  'conn_state',
  'orig_pkts',
  'resp_pkts',
  'orig_ip_bytes',
  'resp_ip_bytes',
  'missed_bytes',
]);

/** The name each field goes by in this file, for error messages. */
export type ConnNames = Readonly<Record<ConnField, string>>;

export const CANONICAL_NAMES: ConnNames = Object.fromEntries(
  CONN_FIELDS.map((field) => [field, CONN_ALIASES[field][0]!]),
) as unknown as ConnNames;

/** Column positions of the conn fields in one header (-1 when absent). */
export interface ConnColumns {
  readonly index: Readonly<Record<ConnField, number>>;
  readonly names: ConnNames;
  readonly observer: readonly number[];
  readonly iface: number;
  readonly count: number;
  /** Why no row under this header can be read, or null. */
  readonly unusable: RowError | null;
}

export function connColumns(fields: readonly string[]): ConnColumns {
  const lower = fields.map((name) => name.trim().toLowerCase());
  const index = {} as Record<ConnField, number>;
  const names = {} as Record<ConnField, string>;
  for (const field of CONN_FIELDS) {
    let found = -1;
    for (const alias of CONN_ALIASES[field]) {
      found = lower.indexOf(alias);
      if (found >= 0) break;
    }
    index[field] = found;
    names[field] = found >= 0 ? fields[found]!.trim() : CANONICAL_NAMES[field];
  }
  const observer = OBSERVER_COLUMNS.map((name) => lower.indexOf(name)).filter((at) => at >= 0);
  return {
    index,
    names,
    observer,
    iface: lower.indexOf(INTERFACE_COLUMN),
    count: fields.length,
    unusable: missingColumns(index),
  };
}

function missingColumns(index: Readonly<Record<ConnField, number>>): RowError | null {
  const missing = (['origH', 'respH', 'proto'] as const).filter((field) => index[field] < 0);
  if (missing.length === 0) return null;
  const list = missing.map((field) => CONN_ALIASES[field].join('/')).join(', ');
  return new RowError('#fields', `header lacks the ${list} column${missing.length > 1 ? 's' : ''}`);
}

/** Whether a table's columns are a conn log's (and not another format's src/dst table). */
export function looksLikeConnTable(columns: ConnColumns, fields: readonly string[]): boolean {
  if (columns.unusable !== null) return false;
  const lower = fields.map((name) => name.trim().toLowerCase());
  return lower.some((name) => CONN_ONLY_COLUMNS.has(name));
}

function cell(row: readonly string[], at: number, unset: string, empty: string): string | undefined {
  if (at < 0) return undefined;
  const text = row[at];
  return text === undefined || text === unset || text === '' || text === empty ? undefined : text;
}

/** Fills `values` from one delimited row; `unset` and `empty` are the file's #unset_field and #empty_field. */
export function valuesFromRow(row: readonly string[], c: ConnColumns, unset: string, empty: string, values: ConnValues): void {
  const i = c.index;
  values.ts = cell(row, i.ts, unset, empty);
  values.origH = cell(row, i.origH, unset, empty);
  values.origP = cell(row, i.origP, unset, empty);
  values.respH = cell(row, i.respH, unset, empty);
  values.respP = cell(row, i.respP, unset, empty);
  values.proto = cell(row, i.proto, unset, empty);
  values.ipProto = cell(row, i.ipProto, unset, empty);
  values.duration = cell(row, i.duration, unset, empty);
  values.origPkts = cell(row, i.origPkts, unset, empty);
  values.origBytes = cell(row, i.origBytes, unset, empty);
  values.origIpBytes = cell(row, i.origIpBytes, unset, empty);
  values.respPkts = cell(row, i.respPkts, unset, empty);
  values.respBytes = cell(row, i.respBytes, unset, empty);
  values.respIpBytes = cell(row, i.respIpBytes, unset, empty);
  values.history = cell(row, i.history, unset, empty);
  values.connState = cell(row, i.connState, unset, empty);
  values.service = cell(row, i.service, unset, empty);
  let observer: string | undefined;
  for (const at of c.observer) {
    observer = cell(row, at, unset, empty);
    if (observer !== undefined) break;
  }
  const iface = cell(row, c.iface, unset, empty);
  values.observer = joinObserver(observer, iface);
}

/** Sensor and interface as one observer id ("sensor-1/eth0"). */
export function joinObserver(sensor: string | undefined, iface: string | undefined): string | undefined {
  if (iface === undefined) return sensor;
  return sensor === undefined ? iface : `${sensor}/${iface}`;
}

/** Fills `record` from one conn record, or throws RowError naming the column. */
export function readConn(v: ConnValues, names: ConnNames, record: FlowRecord): void {
  if (v.ts === undefined) throw new RowError(names.ts, 'missing timestamp');
  record.startMs = flexibleTime(v.ts, names.ts);
  record.endMs = v.duration === undefined ? record.startMs : endOf(record.startMs, v.duration, names.duration);
  record.src = ip(v.origH, names.origH);
  record.dst = ip(v.respH, names.respH);
  record.proto = protoOf(v, names, record);
  // Zeek records who sent the first packet as the originator; TCP's
  // handshake letters in history can confirm or overturn that below.
  record.setHint(Hint.srcIsClient, DirectionReason.initiator);
  // unknown_transport rows carry 0/0: Zeek did not parse that transport's header.
  if (hasPorts(record.proto) && v.proto !== 'unknown_transport') {
    record.srcPort = port(v.origP, names.origP);
    record.dstPort = port(v.respP, names.respP);
    if (record.proto === PROTO_TCP) {
      applyHistoryHint(record, v.history);
      record.action = tcpAction(v.connState, v.history);
    } else {
      if (v.history !== undefined && v.history.charCodeAt(0) === 94 /* ^ */) clearHint(record);
      // Both sides sent datagrams: something answered. UDP that went one way
      // only (S0) stays unknown: syslog, SNMP traps and NetFlow export never
      // get an answer, and a closed UDP port answers in a separate ICMP record.
      if (record.proto === PROTO_UDP && v.connState === 'SF') record.action = Action.allow;
    }
  } else if (isIcmp(record.proto)) {
    // orig_p carries the ICMP type; resp_p the counterpart type or the code.
    const type = v.origP === undefined ? null : decimalInteger(v.origP);
    if (type === null || type > 255) throw new RowError(names.origP, 'not an ICMP type (0-255)', v.origP ?? '-');
    applyIcmpType(record, type);
  } else {
    record.srcPort = NO_PORT;
    record.dstPort = NO_PORT;
  }
  record.packets = counter(v.origPkts, names.origPkts);
  record.revPackets = counter(v.respPkts, names.respPkts);
  // IP-level bytes are what NetFlow, VPC and the other formats count;
  // orig_bytes is TCP/UDP payload and is unset for unanswered connections.
  record.bytes = v.origIpBytes !== undefined ? counter(v.origIpBytes, names.origIpBytes) : counter(v.origBytes, names.origBytes);
  record.revBytes = v.respIpBytes !== undefined ? counter(v.respIpBytes, names.respIpBytes) : counter(v.respBytes, names.respBytes);
  if (v.observer !== undefined) record.observer = v.observer;
}

function endOf(startMs: number, text: string, field: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || text.trim() === '') {
    throw new RowError(field, 'not a duration in seconds', text);
  }
  return plausibleTime(startMs + seconds * 1000, field, text);
}

function protoOf(v: ConnValues, names: ConnNames, record: FlowRecord): number {
  let ipProto = -1;
  if (v.ipProto !== undefined) {
    const value = decimalInteger(v.ipProto);
    if (value === null || value > 255) throw new RowError(names.ipProto, 'not a protocol number (0-255)', v.ipProto);
    ipProto = value;
  }
  const name = v.proto;
  if (name === 'tcp') return PROTO_TCP;
  if (name === 'udp') return PROTO_UDP;
  if (name === undefined || name === 'unknown_transport') {
    if (ipProto >= 0) return ipProto;
    throw new RowError(names.proto, name === undefined ? 'missing protocol' : 'unknown_transport without ip_proto');
  }
  const number = name === 'icmp' ? PROTO_ICMP : protocolNumber(name);
  if (number === PROTO_ICMP) {
    // Zeek writes "icmp" for ICMPv6 too; ip_proto (Zeek 7.1+) or the address family tells them apart.
    if (ipProto === PROTO_ICMP || ipProto === PROTO_ICMP6) return ipProto;
    return isIpv6(record.src) || isIpv6(record.dst) ? PROTO_ICMP6 : PROTO_ICMP;
  }
  if (number >= 0) return number;
  if (ipProto >= 0) return ipProto;
  throw new RowError(names.proto, 'unknown protocol', name);
}

function clearHint(record: FlowRecord): void {
  record.setHint(Hint.none, DirectionReason.none);
}

/**
 * Zeek history letters: upper case from the originator, lower case from the
 * responder; S is a SYN without ACK, H a SYN-ACK. Without any of them Zeek
 * picked the connection up midstream and its originator is only whoever sent
 * the first packet it saw, which is no evidence at all.
 */
function applyHistoryHint(record: FlowRecord, history: string | undefined): void {
  if (history === undefined) return;
  let origSyn = false;
  let origSynAck = false;
  let respSyn = false;
  let respSynAck = false;
  for (let i = 0; i < history.length; i++) {
    switch (history.charCodeAt(i)) {
      case 83: // S
        origSyn = true;
        break;
      case 72: // H
        origSynAck = true;
        break;
      case 115: // s
        respSyn = true;
        break;
      case 104: // h
        respSynAck = true;
        break;
      default:
        break;
    }
  }
  if (origSyn || respSynAck) return;
  if (respSyn || origSynAck) record.setHint(Hint.srcIsServer, DirectionReason.tcpFlags);
  else clearHint(record);
}

/** History letters of one side as bits: S, H, A, D, F, R and any other letter. */
const H_SYN = 1;
const H_SYNACK = 2;
const H_ACK = 4;
const H_DATA = 8;
const H_FIN = 16;
const H_RST = 32;
const H_OTHER = 64;

function historyBit(upper: number): number {
  switch (upper) {
    case 83: // S
      return H_SYN;
    case 72: // H
      return H_SYNACK;
    case 65: // A
      return H_ACK;
    case 68: // D
      return H_DATA;
    case 70: // F
      return H_FIN;
    case 82: // R
      return H_RST;
    default:
      return H_OTHER;
  }
}

/** The letters of each side: upper case the originator's, lower case the responder's; '^' (flipped) is neither. */
function historySides(history: string | undefined): { orig: number; resp: number } {
  let orig = 0;
  let resp = 0;
  if (history === undefined) return { orig, resp };
  for (let i = 0; i < history.length; i++) {
    const code = history.charCodeAt(i);
    if (code >= 65 && code <= 90) orig |= historyBit(code);
    else if (code >= 97 && code <= 122) resp |= historyBit(code - 32);
  }
  return { orig, resp };
}

/**
 * Whether a TCP connection was answered, from Zeek's conn_state (see
 * base/protocols/conn/main.zeek), with the history letters to catch what a
 * state name hides, and in its place when a log has no conn_state:
 * - S0 (SYN, no reply), SH (SYN then FIN, no SYN-ACK), RSTOS0 (SYN then the
 *   originator's own RST, no SYN-ACK): unanswered, so deny; unless the
 *   originator acknowledged or sent data, which it only does after an answer
 *   the sensor missed (a one-sided capture): unknown.
 * - REJ (an RST answered the SYN): refused, deny; unless the responder's
 *   SYN-ACK is in the history (Zeek also says REJ when both sides reset a
 *   handshake that carried no data): allow.
 * - S1, SF, S2, S3, RSTO, RSTR: established, allow. RSTO and RSTR carry no
 *   data when a client or server resets right after the handshake (nmap's
 *   connect scan of an open port is "ShAR", RSTO), but the SYN-ACK came, so
 *   a listener answered; RSTR is only given once the originator got past its
 *   SYN (a responder resetting a bare SYN is REJ).
 * - RSTRH, SHR: the responder's SYN-ACK without the originator's SYN
 *   (backscatter of a spoofed SYN, or a capture that missed it): no request
 *   was seen, unknown.
 * - OTH (picked up midstream), and no conn_state at all: the history decides,
 *   as tcp-answer.ts reads per-side flags (a SYN-ACK, data or, midstream, an
 *   ACK from the responder answered; a SYN met by silence or a lone reset did
 *   not).
 */
function tcpAction(state: string | undefined, history: string | undefined): ActionCode {
  const { orig, resp } = historySides(history);
  switch (state) {
    case 'S0':
    case 'SH':
    case 'RSTOS0':
      return (orig & (H_ACK | H_DATA)) !== 0 ? Action.unknown : Action.deny;
    case 'REJ':
      return (resp & H_SYNACK) !== 0 ? Action.allow : Action.deny;
    case 'S1':
    case 'SF':
    case 'S2':
    case 'S3':
    case 'RSTO':
    case 'RSTR':
      return Action.allow;
    case 'OTH':
    case undefined:
      return historyAction(orig, resp);
    default:
      return Action.unknown;
  }
}

/** The decision from the history letters alone (none: unknown). */
function historyAction(orig: number, resp: number): ActionCode {
  if ((resp & (H_SYNACK | H_DATA)) !== 0) return Action.allow;
  if ((orig & H_SYN) !== 0 && (orig & (H_ACK | H_DATA)) === 0) {
    // Nothing back (S0, SH, RSTOS0), or nothing but an RST (REJ).
    return (resp & ~H_RST) === 0 ? Action.deny : Action.unknown;
  }
  // Midstream: the responder acknowledging what it got answered; a lone reset says nothing.
  return (resp & H_ACK) !== 0 && (resp & H_RST) === 0 ? Action.allow : Action.unknown;
}
