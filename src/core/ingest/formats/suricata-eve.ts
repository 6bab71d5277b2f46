import { applyCumulativeFlagsHint, applyIcmpType } from '../../flow/direction-hints';
import { Action, DirectionReason, Hint, NO_PORT, type ActionCode, type FlowRecord } from '../../flow/record';
import { PROTO_TCP, hasPorts, isIcmp } from '../../flow/protocols';
import { ACK, SYN } from '../../flow/tcp-flags';
import type { LineFormat, LineParser, SniffSample } from '../format';
import { RowError } from '../row-error';
import { checkTimeOrder, decimalInteger, ip, isoTime, numericCounter, port, protocol, hexInteger } from '../values';
import { isObject, parseJsonLine, textOf } from './json-fields';
import { actionOfTcpSides, combineActions } from './tcp-answer';

/**
 * Suricata eve.json: one JSON event per line, of which only event_type
 * "flow" describes a whole bidirectional flow (alerts, dns, http… are
 * rejected with their type). Suricata orients a flow from client (src) to
 * server (dest), swapping it when it sees the answer first; TCP flags per
 * side confirm or overturn that, and a flow picked up midstream has no
 * evidence either way.
 */

/** Suricata writes TCP flags as two hex digits ("1b"). */
function hexFlags(value: unknown, field: string): number {
  if (value === undefined || value === null) return -1;
  const text = textOf(value);
  const flags = text === undefined || text.length > 2 ? null : hexInteger(text);
  if (flags === null) throw new RowError(field, 'not a hex flag byte', text ?? String(value));
  return flags;
}

function optionalText(value: unknown): string | undefined {
  const text = textOf(value);
  return text === undefined || text === '' ? undefined : text;
}

function readPort(value: unknown, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 65535) throw new RowError(field, 'not a port (0-65535)', String(value));
    return value;
  }
  return port(textOf(value), field);
}

/**
 * Direction from the TCP flags per side, and what they say about the answer
 * (see tcp-answer.ts); returns that action. Suricata's own flow.state says
 * little here: a refused connection is "closed" like a finished one.
 */
function readTcp(record: FlowRecord, tcp: unknown, bypassed: boolean): ActionCode {
  if (!isObject(tcp)) return Action.unknown;
  const toServer = hexFlags(tcp.tcp_flags_ts, 'tcp.tcp_flags_ts');
  const toClient = hexFlags(tcp.tcp_flags_tc, 'tcp.tcp_flags_tc');
  const both = hexFlags(tcp.tcp_flags, 'tcp.tcp_flags');
  if (toServer >= 0) record.tcpFlags = toServer;
  if (toServer < 0 || toClient < 0) {
    if (both >= 0 && (both & SYN) === 0) record.setHint(Hint.none, DirectionReason.none);
    return Action.unknown;
  }
  // A bypassed flow's counters stop at the bypass: zero packets back proves nothing.
  const silentToClient = !bypassed && toClient === 0 && record.revPackets === 0;
  if ((toServer & SYN) !== 0) {
    // A bare SYN from src is stronger evidence than Suricata's orientation.
    applyCumulativeFlagsHint(record, toServer);
    return actionOfTcpSides(toServer, toClient, silentToClient);
  }
  if ((toClient & SYN) === 0) {
    record.setHint(Hint.none, DirectionReason.none);
    return actionOfTcpSides(toServer, toClient, false);
  }
  // Only dest sent a SYN: a bare one means dest opened the connection (and
  // src answered or refused it); a SYN-ACK answers a SYN from src that the
  // sensor missed.
  if ((toClient & ACK) === 0) {
    record.setHint(Hint.srcIsServer, DirectionReason.tcpFlags);
    return actionOfTcpSides(toClient, toServer, !bypassed && toServer === 0 && record.packets === 0);
  }
  return Action.allow;
}

/** Sensor name and capture interface, when Suricata logs them. */
function observerOf(event: Record<string, unknown>): string {
  const host = optionalText(event.host);
  const iface = optionalText(event.in_iface);
  if (iface === undefined) return host ?? '';
  return host === undefined ? iface : `${host}/${iface}`;
}

function readFlowEvent(event: Record<string, unknown>, record: FlowRecord): void {
  const flow = event.flow;
  if (!isObject(flow)) throw new RowError('flow', 'missing flow object');
  record.src = ip(optionalText(event.src_ip), 'src_ip');
  record.dst = ip(optionalText(event.dest_ip), 'dest_ip');
  record.proto = protocol(optionalText(event.proto), 'proto');
  record.setHint(Hint.srcIsClient, DirectionReason.initiator);
  if (hasPorts(record.proto)) {
    record.srcPort = readPort(event.src_port, 'src_port');
    record.dstPort = readPort(event.dest_port, 'dest_port');
  } else if (isIcmp(record.proto)) {
    record.srcPort = NO_PORT;
    record.dstPort = NO_PORT;
    const typeText = optionalText(event.icmp_type);
    if (typeText !== undefined) {
      const type = decimalInteger(typeText);
      if (type === null || type > 255) throw new RowError('icmp_type', 'not an ICMP type (0-255)', typeText);
      applyIcmpType(record, type);
    }
  }
  record.packets = numericCounter(flow.pkts_toserver, 'flow.pkts_toserver');
  record.bytes = numericCounter(flow.bytes_toserver, 'flow.bytes_toserver');
  record.revPackets = numericCounter(flow.pkts_toclient, 'flow.pkts_toclient');
  record.revBytes = numericCounter(flow.bytes_toclient, 'flow.bytes_toclient');
  // The event timestamp is when the flow was logged (or the last packet
  // read when replaying a pcap): flow.start/end are the flow's own times.
  const start = optionalText(flow.start);
  record.startMs = start !== undefined ? isoTime(start, 'flow.start') : isoTime(optionalText(event.timestamp), 'timestamp');
  const end = optionalText(flow.end);
  record.endMs = end !== undefined ? isoTime(end, 'flow.end') : record.startMs;
  checkTimeOrder(record.startMs, record.endMs, 'flow.end');
  const bypassed = flow.state === 'bypassed';
  let answer: ActionCode = Action.unknown;
  if (record.proto === PROTO_TCP) answer = readTcp(record, event.tcp, bypassed);
  else if (record.revPackets > 0) answer = Action.allow;
  // flow.action is the IPS's verdict: a drop stays a drop, but a connection it
  // passed can still have been refused by the host.
  const action = flow.action;
  const declared = action === 'drop' ? Action.deny : action === 'pass' || action === 'accept' ? Action.allow : Action.unknown;
  record.action = combineActions(declared, answer);
  record.observer = observerOf(event);
}

class EveLineParser implements LineParser {
  parseLine(line: string, _lineNo: number, record: FlowRecord): boolean {
    if (line.trim().length === 0) return false;
    const event = parseJsonLine(line);
    if (!isObject(event)) throw new RowError('', 'not a JSON object');
    const type = event.event_type;
    if (type === undefined) throw new RowError('event_type', 'missing');
    if (type !== 'flow') {
      throw new RowError('event_type', 'not a flow event', typeof type === 'string' ? type : JSON.stringify(type));
    }
    readFlowEvent(event, record);
    return true;
  }
}

/** Every eve event has a timestamp and an event_type; flows and alerts also the tuple. */
function sniffEve(sample: SniffSample): number {
  let checked = 0;
  for (const raw of sample.lines) {
    const line = raw.trim();
    if (!line.startsWith('{')) return 0;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      // A line cut by the sample's end is not evidence against eve.
      if (checked > 0) break;
      return 0;
    }
    if (!isObject(event) || typeof event.event_type !== 'string' || typeof event.timestamp !== 'string') return 0;
    if (event.src_ip !== undefined && event.dest_ip !== undefined) return 1;
    if (++checked >= 16) break;
  }
  return checked > 0 ? 0.9 : 0;
}

export const suricataEveFormat: LineFormat = {
  id: 'suricata-eve',
  kind: 'lines',
  description: 'Suricata eve.json flow events',
  sniff: sniffEve,
  split: { context: 'none' },
  createParser: () => new EveLineParser(),
};
