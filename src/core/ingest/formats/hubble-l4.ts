import { applyIcmpType } from '../../flow/direction-hints';
import type { FlowRecord } from '../../flow/record';
import { PROTO_ICMP, PROTO_ICMP6, PROTO_SCTP, PROTO_TCP, PROTO_UDP } from '../../flow/protocols';
import { RowError } from '../row-error';
import { port } from '../values';
import { isObject, textOf } from './json-fields';

/**
 * Hubble's `l4` layer. Hubble writes protobuf JSON, which omits zero values:
 * a missing port is port 0, `"ICMPv4":{}` is type 0 (echo reply), and a flag
 * that is not set is absent from the flags object.
 */

const FLAG_BITS: readonly (readonly [string, number])[] = [
  ['FIN', 1],
  ['SYN', 2],
  ['RST', 4],
  ['PSH', 8],
  ['ACK', 16],
  ['URG', 32],
  ['ECE', 64],
  ['CWR', 128],
];

function portOf(layer: Record<string, unknown>, name: string, key: string): number {
  const value = layer[key];
  return value === undefined ? 0 : port(textOf(value) ?? JSON.stringify(value), `l4.${name}.${key}`);
}

function icmpTypeOf(layer: Record<string, unknown>, field: string): number {
  const value = layer['type'];
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
    throw new RowError(`l4.${field}.type`, 'not an ICMP type (0-255)', JSON.stringify(value));
  }
  return value;
}

/** Bitmask of a per-packet flags object ({"SYN":true,"ACK":true}), -1 when absent. */
export function tcpFlagsOf(flags: unknown): number {
  if (!isObject(flags)) return -1;
  let bits = 0;
  for (const [name, bit] of FLAG_BITS) if (flags[name] === true) bits |= bit;
  return bits;
}

/** Fills protocol, ports and TCP flags from `l4`; ICMP types become ports and hints. */
export function readL4(l4: unknown, record: FlowRecord): void {
  if (!isObject(l4)) throw new RowError('l4', l4 === undefined ? 'missing' : 'expected an object');
  const tcp = l4['TCP'];
  if (isObject(tcp)) {
    record.proto = PROTO_TCP;
    record.srcPort = portOf(tcp, 'TCP', 'source_port');
    record.dstPort = portOf(tcp, 'TCP', 'destination_port');
    record.tcpFlags = tcpFlagsOf(tcp['flags']);
    return;
  }
  const udp = l4['UDP'];
  if (isObject(udp)) {
    record.proto = PROTO_UDP;
    record.srcPort = portOf(udp, 'UDP', 'source_port');
    record.dstPort = portOf(udp, 'UDP', 'destination_port');
    return;
  }
  const sctp = l4['SCTP'];
  if (isObject(sctp)) {
    record.proto = PROTO_SCTP;
    record.srcPort = portOf(sctp, 'SCTP', 'source_port');
    record.dstPort = portOf(sctp, 'SCTP', 'destination_port');
    return;
  }
  const icmp4 = l4['ICMPv4'];
  if (isObject(icmp4)) {
    record.proto = PROTO_ICMP;
    applyIcmpType(record, icmpTypeOf(icmp4, 'ICMPv4'));
    return;
  }
  const icmp6 = l4['ICMPv6'];
  if (isObject(icmp6)) {
    record.proto = PROTO_ICMP6;
    applyIcmpType(record, icmpTypeOf(icmp6, 'ICMPv6'));
    return;
  }
  throw new RowError('l4', 'no TCP, UDP, SCTP, ICMPv4 or ICMPv6 layer', Object.keys(l4).join(','));
}
