// A small interpreter of Google Cloud VPC firewall rules, written from the
// product's documentation and independent of the gcp target's code: it
// decides whether a connection from a client to a server gets through,
// given the rules (as gcp-read.ts reads them back from the exported
// Terraform) and the network tags each instance carries.
//
// What it models (firewall/docs/firewalls, compute/docs/reference/rest/v1/firewalls):
// - an ingress rule applies to the instances carrying one of its target
//   tags, or to every instance in the network when it has none; it matches a
//   packet whose source address is in its source ranges OR whose source is
//   an instance carrying one of its source tags;
// - an egress rule applies to its target instances and matches destinations
//   in its destination ranges;
// - protocols by name (tcp, udp, icmp, esp, ah, sctp, ipip), by number, or
//   "all"; ports ("443", "7000-7010") only narrow TCP, UDP and SCTP;
// - the matching rule with the lowest priority number decides, and a deny
//   wins over an allow of the same priority; with no match the implied rules
//   decide (deny ingress, allow egress, both at 65535);
// - rules are stateful: a connection needs only its first packet allowed
//   (egress at the client if it is an instance, ingress at the server if it
//   is one); the replies follow the connection.
import ipaddr from 'ipaddr.js';

export interface GcpEvalMatch {
  /** A protocol number, or 'all'. */
  readonly protocol: number | 'all';
  /** Inclusive port ranges; empty: every port. */
  readonly ports: readonly (readonly [number, number])[];
}

export interface GcpEvalRule {
  readonly name: string;
  readonly direction: 'INGRESS' | 'EGRESS';
  readonly priority: number;
  readonly action: 'allow' | 'deny';
  readonly matches: readonly GcpEvalMatch[];
  readonly sourceRanges: readonly string[];
  readonly sourceTags: readonly string[];
  readonly destinationRanges: readonly string[];
  readonly targetTags: readonly string[];
  readonly disabled: boolean;
  /** log_config present: Firewall Rules Logging records the connections this rule decides. */
  readonly logged: boolean;
}

/** The network tags of an instance of the VPC network, or null for an address that is no instance of it. */
export type InstanceTags = (address: string) => readonly string[] | null;

export interface GcpDecision {
  readonly allowed: boolean;
  /** The rule that decided, or the implied rule. */
  readonly by: string;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { icmp: 1, ipip: 4, tcp: 6, udp: 17, esp: 50, ah: 51, sctp: 132 };
const PORT_PROTOCOLS = new Set([6, 17, 132]);

export function protocolNumber(text: string): number | 'all' {
  const lower = text.toLowerCase();
  if (lower === 'all') return 'all';
  const named = PROTOCOL_NUMBERS[lower];
  if (named !== undefined) return named;
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return Number(lower);
  throw new Error(`unknown protocol ${text}`);
}

export class GcpFirewallEvaluator {
  constructor(
    private readonly rules: readonly GcpEvalRule[],
    private readonly tagsOf: InstanceTags,
  ) {}

  /** Whether a new connection from client to server (protocol number, port or -1) gets through. */
  connects(client: string, server: string, proto: number, port: number): GcpDecision {
    const clientTags = this.tagsOf(client);
    const serverTags = this.tagsOf(server);
    if (clientTags !== null) {
      const egress = this.decide('EGRESS', clientTags, (rule) => inRanges(server, rule.destinationRanges), proto, port);
      if (!egress.allowed) return egress;
    }
    if (serverTags === null) return { allowed: true, by: clientTags === null ? 'not in the network' : 'egress to outside the network' };
    return this.decide('INGRESS', serverTags, (rule) => inRanges(client, rule.sourceRanges) || (clientTags !== null && rule.sourceTags.some((tag) => clientTags.includes(tag))), proto, port);
  }

  private decide(direction: GcpEvalRule['direction'], targetTags: readonly string[], peerMatches: (rule: GcpEvalRule) => boolean, proto: number, port: number): GcpDecision {
    let best: GcpEvalRule | null = null;
    for (const rule of this.rules) {
      if (rule.disabled || rule.direction !== direction) continue;
      if (rule.targetTags.length > 0 && !rule.targetTags.some((tag) => targetTags.includes(tag))) continue;
      if (!peerMatches(rule) || !rule.matches.some((match) => protocolMatches(match, proto, port))) continue;
      if (best === null || rule.priority < best.priority || (rule.priority === best.priority && rule.action === 'deny' && best.action === 'allow')) best = rule;
    }
    if (best === null) return direction === 'INGRESS' ? { allowed: false, by: 'implied deny ingress (65535)' } : { allowed: true, by: 'implied allow egress (65535)' };
    return { allowed: best.action === 'allow', by: `${best.action} ${best.name} (${best.priority})` };
  }
}

function protocolMatches(match: GcpEvalMatch, proto: number, port: number): boolean {
  if (match.protocol !== 'all' && match.protocol !== proto) return false;
  if (match.ports.length === 0) return true;
  if (!PORT_PROTOCOLS.has(proto) || port < 0) return false;
  return match.ports.some(([from, to]) => port >= from && port <= to);
}

function inRanges(address: string, ranges: readonly string[]): boolean {
  if (ranges.length === 0 || !ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return ranges.some((range) => {
    const [network, bits] = ipaddr.parseCIDR(range);
    return network.kind() === parsed.kind() && parsed.match(network, bits);
  });
}
