import { Action, DirectionReason, Hint, type ActionCode, type FlowRecord } from '../../flow/record';
import { applyCumulativeFlagsHint, applyIcmpType, flagsFromLetters } from '../../flow/direction-hints';
import { PROTO_TCP, hasPorts, isIcmp, protocolNumber } from '../../flow/protocols';
import { RowError } from '../row-error';
import { checkTimeOrder, counter, epochSeconds, ip, port, hexInteger } from '../values';
import { ColumnIndex, cell, durationMs, naiveDateTime } from './delimited';
import { actionOfTcpSides } from './tcp-answer';

/**
 * One Argus record as printed by `ra -c , -s …` (CTU-13's .binetflow),
 * read by column name. Argus records are bidirectional: Src* counters are
 * src→dst, Tot* both directions, Dst* dst→src.
 */

export interface ArgusColumns {
  readonly names: readonly string[];
  readonly count: number;
  readonly start: number;
  readonly last: number;
  readonly duration: number;
  readonly proto: number;
  readonly src: number;
  readonly srcPort: number;
  readonly dir: number;
  readonly dst: number;
  readonly dstPort: number;
  readonly state: number;
  readonly totPkts: number;
  readonly totBytes: number;
  readonly srcPkts: number;
  readonly dstPkts: number;
  readonly srcBytes: number;
  readonly dstBytes: number;
  readonly srcId: number;
  /** The free-text label, when it is the last column (its text may contain the separator). */
  readonly trailingLabel: boolean;
}

/** Column positions when `names` are an Argus header (names as ra prints them), else null. */
export function argusColumns(names: readonly string[]): ArgusColumns | null {
  const index = new ColumnIndex(names);
  const src = index.find('SrcAddr');
  const dst = index.find('DstAddr');
  const proto = index.find('Proto');
  const start = index.find('StartTime', 'stime');
  if (src < 0 || dst < 0 || proto < 0 || start < 0) return null;
  const label = index.find('Label');
  return {
    names,
    count: names.length,
    start,
    last: index.find('LastTime', 'ltime'),
    duration: index.find('Dur'),
    proto,
    src,
    srcPort: index.find('Sport'),
    dir: index.find('Dir'),
    dst,
    dstPort: index.find('Dport'),
    state: index.find('State'),
    totPkts: index.find('TotPkts'),
    totBytes: index.find('TotBytes'),
    srcPkts: index.find('SrcPkts'),
    dstPkts: index.find('DstPkts'),
    srcBytes: index.find('SrcBytes'),
    dstBytes: index.find('DstBytes'),
    srcId: index.find('SrcId'),
    trailingLabel: label >= 0 && label === names.length - 1,
  };
}

/** Argus protocol names that protocols.ts does not know: RTP/RTCP/UDT are Argus' labels for UDP flows. */
const ARGUS_PROTOCOLS: ReadonlyMap<string, number> = new Map([
  ['rtp', 17],
  ['rtcp', 17],
  ['udt', 17],
  ['ipnip', 4],
]);
/** Link-layer records Argus also prints: not IP flows. */
const NON_IP = new Set(['arp', 'rarp', 'llc', 'ipx/spx', 'stp', 'lldp', 'cdp', 'ether', 'ipx', 'spx', 'esis', 'isis']);

function argusProtocol(text: string | undefined, field: string): number {
  if (text === undefined) throw new RowError(field, 'missing protocol');
  const name = text.trim().toLowerCase();
  const number = ARGUS_PROTOCOLS.get(name) ?? protocolNumber(name);
  if (number >= 0) return number;
  if (name === 'man') throw new RowError(field, 'Argus management record, not a flow', text);
  if (NON_IP.has(name)) throw new RowError(field, 'not an IP flow', text);
  throw new RowError(field, 'unknown protocol', text);
}

/** ra prints ICMP "ports" in hex (0x0008) and others in decimal. */
function argusNumber(text: string, field: string): number {
  if (text.length < 3 || text.charCodeAt(0) !== 48 || (text.charCodeAt(1) | 32) !== 120 /* 0x */) return port(text, field);
  const value = hexInteger(text);
  if (value === null || value > 0xffff) throw new RowError(field, 'not a port (0-65535)', text);
  return value;
}

function argusTime(text: string, field: string): number {
  const fourth = text.charCodeAt(4);
  return fourth === 47 /* / */ || fourth === 45 /* - */ ? naiveDateTime(text, field) : epochSeconds(text, field);
}

/**
 * Dir is right-aligned ("   ->", "  <->"); a stray word before the arrow
 * has been seen in real files, so the arrow is its last token.
 * '->' and '<->': SrcAddr sent first and initiated; '<-': DstAddr did.
 * '<?>', '?>', '<?' (Argus unsure) and ARP's 'who' say nothing.
 */
function applyDirection(record: FlowRecord, text: string | undefined): void {
  if (text === undefined) return;
  const trimmed = text.trim();
  const space = trimmed.lastIndexOf(' ');
  const arrow = space < 0 ? trimmed : trimmed.slice(space + 1);
  if (arrow === '->' || arrow === '<->') record.setHint(Hint.srcIsClient, DirectionReason.initiator);
  else if (arrow === '<-') record.setHint(Hint.srcIsServer, DirectionReason.initiator);
}

const n = (c: ArgusColumns, index: number): string => c.names[index] ?? '';

/** The src→dst part of Argus' TCP state when printed as flags ("S_RA", "FSPA_FSPA"); -1 for named states. */
function sourceFlags(state: string | undefined): number {
  if (state === undefined) return -1;
  const underscore = state.indexOf('_');
  return underscore < 0 ? -1 : flagsFromLetters(state.slice(0, underscore));
}

/**
 * Whether a TCP connection was answered, from Argus' State column
 * (ArgusGetTCPStatus in argus-clients' argus_util.c):
 * - `ra -Z b` flags per side ("S_RA", "S_", "FSPA_FSPA"): as tcp-answer.ts
 *   reads them; an empty half is a side that sent nothing (Argus moves the
 *   flags to the side that counted the packets).
 * - named states, which Argus picks in the order RST, FIN, CLO, TIM, CON,
 *   ACC, REQ: REQ (a SYN, nothing else) is unanswered; ACC (the SYN-ACK seen)
 *   and CON (established, or both sides sent packets) answered. RST, FIN,
 *   CLO and TIM hide whether the handshake completed before the connection
 *   ended (a refused SYN and a long session reset at its end are both RST),
 *   so they stay unknown; so does INT (one side only).
 */
function tcpAction(state: string | undefined, srcIsInitiator: boolean): ActionCode {
  if (state === undefined) return Action.unknown;
  const underscore = state.indexOf('_');
  if (underscore >= 0) {
    const src = flagsFromLetters(state.slice(0, underscore));
    const dst = flagsFromLetters(state.slice(underscore + 1));
    const client = srcIsInitiator ? src : dst;
    const server = srcIsInitiator ? dst : src;
    const serverText = srcIsInitiator ? state.slice(underscore + 1) : state.slice(0, underscore);
    return actionOfTcpSides(client, server, serverText.trim().length === 0);
  }
  switch (state.trim()) {
    case 'REQ':
      return Action.deny;
    case 'ACC':
    case 'CON':
      return Action.allow;
    default:
      return Action.unknown;
  }
}

/** UDP and other IP: CON means both sides sent packets. One-way traffic (INT, REQ) is normal for UDP: unknown. */
function ipAction(state: string | undefined): ActionCode {
  return state !== undefined && state.trim() === 'CON' ? Action.allow : Action.unknown;
}

export function readArgusRow(values: readonly string[], c: ArgusColumns, record: FlowRecord): void {
  record.proto = argusProtocol(cell(values, c.proto), n(c, c.proto));
  record.startMs = argusTime(cell(values, c.start) ?? '', n(c, c.start));
  const last = cell(values, c.last);
  if (last !== undefined) {
    record.endMs = argusTime(last, n(c, c.last));
    checkTimeOrder(record.startMs, record.endMs, n(c, c.last));
  } else {
    const duration = cell(values, c.duration);
    record.endMs = duration === undefined ? record.startMs : record.startMs + durationMs(duration, n(c, c.duration));
  }
  record.src = ip(cell(values, c.src), n(c, c.src));
  record.dst = ip(cell(values, c.dst), n(c, c.dst));
  readCounters(values, c, record);
  applyDirection(record, cell(values, c.dir));

  const srcPort = cell(values, c.srcPort);
  if (hasPorts(record.proto)) {
    record.srcPort = srcPort === undefined ? -1 : argusNumber(srcPort, n(c, c.srcPort));
    const dstPort = cell(values, c.dstPort);
    record.dstPort = dstPort === undefined ? -1 : argusNumber(dstPort, n(c, c.dstPort));
    const state = cell(values, c.state);
    if (record.proto === PROTO_TCP) {
      const flags = sourceFlags(state);
      if (flags >= 0) {
        record.tcpFlags = flags;
        // Argus accumulates these over the whole connection, not this record
        // ("SRPA_" on a one-packet record): only a bare SYN is evidence.
        applyCumulativeFlagsHint(record, flags);
      }
      record.action = tcpAction(state, record.hint !== Hint.srcIsServer);
    } else {
      record.action = ipAction(state);
    }
  } else if (isIcmp(record.proto) && srcPort !== undefined) {
    // Sport holds code<<8 | type (0x0303: type 3 code 3; 0x0008: echo); Dport is the ICMP id.
    // A reply type overrides Dir (Argus saw the replier first); when both
    // agree, the initiator reason is the stronger one to keep.
    const { hint, hintReason } = record;
    applyIcmpType(record, argusNumber(srcPort, n(c, c.srcPort)) & 0xff);
    if (record.hint === hint && hintReason !== DirectionReason.none) record.hintReason = hintReason;
  }
  const srcId = cell(values, c.srcId);
  if (srcId !== undefined) record.observer = srcId.trim();
}

/**
 * bytes = SrcBytes and revBytes = TotBytes − SrcBytes (or DstBytes). Packets
 * likewise from SrcPkts/DstPkts; files without either (CTU-13 test4 style)
 * only give TotPkts, which then goes whole into `packets` because the split
 * is unknown.
 */
function readCounters(values: readonly string[], c: ArgusColumns, record: FlowRecord): void {
  const totBytes = counter(cell(values, c.totBytes), n(c, c.totBytes));
  const totPkts = counter(cell(values, c.totPkts), n(c, c.totPkts));
  const srcBytes = cell(values, c.srcBytes);
  const dstBytes = cell(values, c.dstBytes);
  if (srcBytes !== undefined) {
    record.bytes = counter(srcBytes, n(c, c.srcBytes));
    record.revBytes = dstBytes !== undefined ? counter(dstBytes, n(c, c.dstBytes)) : remainder(totBytes, record.bytes, n(c, c.srcBytes));
  } else if (dstBytes !== undefined) {
    record.revBytes = counter(dstBytes, n(c, c.dstBytes));
    record.bytes = remainder(totBytes, record.revBytes, n(c, c.dstBytes));
  } else {
    record.bytes = totBytes;
  }
  const srcPkts = cell(values, c.srcPkts);
  const dstPkts = cell(values, c.dstPkts);
  if (srcPkts !== undefined) {
    record.packets = counter(srcPkts, n(c, c.srcPkts));
    record.revPackets = dstPkts !== undefined ? counter(dstPkts, n(c, c.dstPkts)) : remainder(totPkts, record.packets, n(c, c.srcPkts));
  } else if (dstPkts !== undefined) {
    record.revPackets = counter(dstPkts, n(c, c.dstPkts));
    record.packets = remainder(totPkts, record.revPackets, n(c, c.dstPkts));
  } else {
    record.packets = totPkts;
  }
}

function remainder(total: number, part: number, field: string): number {
  if (part > total) throw new RowError(field, 'larger than the total', String(part));
  return total - part;
}
