import { Action, type FlowRecord } from '../../flow/record';
import { applyIcmpType, flagsFromLetters } from '../../flow/direction-hints';
import { PROTO_TCP, hasPorts, isIcmp } from '../../flow/protocols';
import { RowError } from '../row-error';
import { checkTimeOrder, decimalInteger, ip, isoTime, numericCounter, optionalPort, protocol } from '../values';
import { actionOfForwardingStatus, applyRecordFlagsHint } from './delimited';
import { isObject, requireText, textOf } from './json-fields';
import { observerOf } from './nfdump-csv';
import { actionOfTcpRecord, combineActions } from './tcp-answer';

/**
 * One nfdump JSON record: `-o ndjson` (≥ 1.7.5, one object per line) and
 * `-o json` (an array of pretty-printed objects). Times are local without a
 * zone ("2011-03-18T19:06:08.853") and read as UTC; ICMP records carry
 * icmp_type/icmp_code instead of ports.
 */

/** NSEL firewall event "flow denied". */
const NSEL_DENIED = 3;

function address(record: Record<string, unknown>, v4: string, v6: string): string {
  const text = textOf(record[v4]) ?? textOf(record[v6]);
  return ip(text, record[v6] !== undefined ? v6 : v4);
}

function smallInteger(value: unknown, field: string, max: number): number {
  const text = requireText(value, field);
  const number = decimalInteger(text);
  if (number === null || number > max) throw new RowError(field, `not an integer (0-${max})`, text);
  return number;
}

export function readNfdumpJson(value: unknown, record: FlowRecord): void {
  if (!isObject(value)) throw new RowError('', 'expected a JSON object');
  const type = value.type;
  // EVENT records are NSEL/NAT connection events: still one connection each.
  if (type !== undefined && type !== 'FLOW' && type !== 'EVENT') {
    throw new RowError('type', 'not a flow record', textOf(type) ?? JSON.stringify(type));
  }
  record.startMs = isoTime(requireText(value.first, 'first'), 'first');
  const last = textOf(value.last);
  record.endMs = last === undefined ? record.startMs : isoTime(last, 'last');
  checkTimeOrder(record.startMs, record.endMs, 'last');
  record.src = address(value, 'src4_addr', 'src6_addr');
  record.dst = address(value, 'dst4_addr', 'dst6_addr');
  record.proto = protocol(requireText(value.proto, 'proto'), 'proto');
  record.packets = numericCounter(value.in_packets, 'in_packets');
  record.bytes = numericCounter(value.in_bytes, 'in_bytes');
  record.revPackets = numericCounter(value.out_packets, 'out_packets');
  record.revBytes = numericCounter(value.out_bytes, 'out_bytes');
  if (value.fwd_status !== undefined) record.action = actionOfForwardingStatus(smallInteger(value.fwd_status, 'fwd_status', 255));
  if (value.event_id !== undefined && smallInteger(value.event_id, 'event_id', 255) === NSEL_DENIED) record.action = Action.deny;

  if (hasPorts(record.proto)) {
    record.srcPort = optionalPort(textOf(value.src_port), 'src_port');
    record.dstPort = optionalPort(textOf(value.dst_port), 'dst_port');
    const flags = textOf(value.tcp_flags);
    if (record.proto === PROTO_TCP && flags !== undefined) {
      record.tcpFlags = flagsFromLetters(flags);
      // Aggregated rows OR both directions' flags: no evidence of who opened, nor of the answer.
      if (record.revPackets === 0 && record.revBytes === 0) {
        applyRecordFlagsHint(record, record.tcpFlags, record.packets);
        record.action = combineActions(record.action, actionOfTcpRecord(record.tcpFlags));
      }
    }
  } else if (isIcmp(record.proto) && value.icmp_type !== undefined) {
    applyIcmpType(record, smallInteger(value.icmp_type, 'icmp_type', 255));
  }
  const router = textOf(value.ip4_router) ?? textOf(value.ip6_router);
  record.observer = observerOf(router, textOf(value.export_sysid), value.ip4_router !== undefined ? 'ip4_router' : 'ip6_router');
}
