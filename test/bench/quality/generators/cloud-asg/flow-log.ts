// VPC Flow Logs, version 5 custom format as delivered to S3 (a header line
// naming the fields). Every ENI logs what crosses it, so a connection
// between two ENIs of the estate is four records: each side's egress and
// ingress. A connection through a NAT gateway adds the gateway's ENI: the
// instance's packets arrive there (pkt-srcaddr the instance) and leave
// with the gateway's own address. A security group that drops a connection
// leaves the initiator's egress record ACCEPT and the target's ingress
// record REJECT, and no answer. One-way capture keeps the records that
// travel in the originator's direction only.
import type { Node } from './estate';

export const FLOW_LOG_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction';

export interface Connection {
  readonly client: Node;
  readonly server: Node;
  readonly clientPort: number;
  readonly port: number;
  readonly startSec: number;
  readonly endSec: number;
  readonly request: number;
  readonly response: number;
  /** Dropped by the target's security group. */
  readonly rejected: boolean;
  /** The NAT gateway the client's packets leave through (server outside). */
  readonly nat: Node | null;
}

const packetsOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1200)) + 1;

/** Fields of one record as seen on `eni`'s interface. */
function record(on: Node, src: string, dst: string, srcPort: number, dstPort: number, bytes: number, c: Connection, action: string, flags: number, pktSrc: string, pktDst: string, direction: 'ingress' | 'egress'): string {
  const packets = bytes === 0 ? 1 : packetsOf(bytes);
  return ['5', on.account, on.eni, src, dst, srcPort, dstPort, 6, packets, bytes === 0 ? 60 : bytes, c.startSec, c.endSec, action, 'OK', on.vpc, on.subnet, on.instanceId ?? '-', flags, 'IPv4', pktSrc, pktDst, direction].join(' ');
}

/** The records of one connection, on every ENI of the estate it crosses. */
export function connectionRecords(c: Connection, oneWay: boolean): string[] {
  const out: string[] = [];
  const inside = (node: Node): boolean => node.eni !== '';
  const [a, b] = [c.client.ip, c.server.ip];
  if (c.rejected) {
    if (inside(c.client)) out.push(record(c.client, a, b, c.clientPort, c.port, 0, c, 'ACCEPT', 2, a, b, 'egress'));
    if (inside(c.server)) out.push(record(c.server, a, b, c.clientPort, c.port, 0, c, 'REJECT', 2, a, b, 'ingress'));
    return out;
  }
  if (inside(c.client)) {
    out.push(record(c.client, a, b, c.clientPort, c.port, c.request, c, 'ACCEPT', 3, a, b, 'egress'));
    if (!oneWay) out.push(record(c.client, b, a, c.port, c.clientPort, c.response, c, 'ACCEPT', 19, b, a, 'ingress'));
  }
  if (c.nat !== null) {
    const n = c.nat.ip;
    out.push(record(c.nat, a, b, c.clientPort, c.port, c.request, c, 'ACCEPT', 3, a, b, 'ingress'));
    out.push(record(c.nat, n, b, c.clientPort, c.port, c.request, c, 'ACCEPT', 3, n, b, 'egress'));
    if (!oneWay) {
      out.push(record(c.nat, b, n, c.port, c.clientPort, c.response, c, 'ACCEPT', 19, b, n, 'ingress'));
      out.push(record(c.nat, b, a, c.port, c.clientPort, c.response, c, 'ACCEPT', 19, b, a, 'egress'));
    }
  }
  if (inside(c.server)) {
    out.push(record(c.server, a, b, c.clientPort, c.port, c.request, c, 'ACCEPT', 3, a, b, 'ingress'));
    if (!oneWay) out.push(record(c.server, b, a, c.port, c.clientPort, c.response, c, 'ACCEPT', 19, b, a, 'egress'));
  }
  return out;
}
