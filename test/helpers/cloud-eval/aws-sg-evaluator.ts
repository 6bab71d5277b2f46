// An independent evaluator of AWS VPC security groups, written from EC2's
// documented semantics alone (it never imports from src/): security groups
// are stateful allow lists; a connection is allowed when an egress rule of
// a security group on the client's interface allows it to the server and an
// ingress rule of a security group on the server's interface allows it from
// the client (the replies follow by connection tracking). A rule's peer is a
// CIDR (addresses in it) or a security group (the addresses of the
// interfaces that carry it). An address whose interface carries no group of
// the network is not filtered by it on its own side.
import ipaddr from 'ipaddr.js';

export type AwsPeer = { readonly kind: 'group'; readonly group: string } | { readonly kind: 'cidr'; readonly cidr: string };

export interface AwsRule {
  /** "-1" (all), "tcp", "udp", "icmp", "icmpv6" or a protocol number. */
  readonly protocol: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  readonly peer: AwsPeer;
}

export interface AwsSecurityGroup {
  /** The EC2 group name: what both readers key groups by, so their networks compare. */
  readonly name: string;
  readonly ingress: readonly AwsRule[];
  readonly egress: readonly AwsRule[];
}

export interface AwsNetwork {
  readonly groups: ReadonlyMap<string, AwsSecurityGroup>;
  /** Address → names of the security groups on its interface. */
  readonly attachments: ReadonlyMap<string, readonly string[]>;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };

export class AwsSecurityGroupEvaluator {
  constructor(private readonly network: AwsNetwork) {}

  groupsOf(address: string): readonly string[] {
    return this.network.attachments.get(address) ?? [];
  }

  /** Whether security groups of the network decide the connection at all: one end carries one. */
  governs(client: string, server: string): boolean {
    return this.groupsOf(client).length > 0 || this.groupsOf(server).length > 0;
  }

  /** Whether a connection from client to server on proto and port (ICMP: its type; -1 for none) gets through. */
  allows(client: string, server: string, proto: number, port: number): boolean {
    const passes = (own: string, other: string, direction: 'ingress' | 'egress'): boolean => {
      const groups = this.groupsOf(own);
      if (groups.length === 0) return true;
      return groups.some((name) => {
        const group = this.network.groups.get(name);
        if (group === undefined) throw new Error(`${own} carries security group ${name}, which the network does not define`);
        return group[direction].some((rule) => this.peerMatches(rule.peer, other) && protocolMatches(rule, proto, port, isIpv6(other)));
      });
    };
    return passes(client, server, 'egress') && passes(server, client, 'ingress');
  }

  private peerMatches(peer: AwsPeer, address: string): boolean {
    if (peer.kind === 'group') return this.groupsOf(address).includes(peer.group);
    const [network, bits] = ipaddr.parseCIDR(peer.cidr);
    const parsed = ipaddr.parse(address);
    return parsed.kind() === network.kind() && parsed.match(network, bits);
  }
}

function protocolMatches(rule: AwsRule, proto: number, port: number, ipv6: boolean): boolean {
  if (rule.protocol === '-1') return true;
  const number = PROTOCOL_NUMBERS[rule.protocol] ?? Number(rule.protocol);
  if (number !== proto) return false;
  if (proto === 6 || proto === 17) return rule.fromPort !== null && rule.toPort !== null && port >= rule.fromPort && port <= rule.toPort;
  // ICMP rules: fromPort is the type (-1: every type); ICMP exists over IPv4 only, ICMPv6 over IPv6 only.
  if (proto === 1 || proto === 58) return (proto === 58) === ipv6 && (rule.fromPort === -1 || rule.fromPort === port);
  return true;
}

const isIpv6 = (address: string): boolean => ipaddr.parse(address).kind() === 'ipv6';
