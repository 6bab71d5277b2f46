import { protocolName } from '../flow/protocols';
import type { PolicyGroup, PolicyRule } from '../policy/policy-model';
import { compareText } from '../util/compare';

/**
 * Pairs of groups joined by hundreds of single-port rules: no application
 * talks to another over that many distinct ports, so such a pair is
 * peer-to-peer traffic, a sweep anomaly detection did not flag, or hosts
 * that are not one group. Emitting the rules silently would make the
 * policy look precise where it is not; the run says so instead, once per
 * pair, with the ports' span.
 */
export const RULE_EXPLOSION_DEFAULTS = {
  /**
   * Single-port rules of one protocol from one group to another. An
   * application pair uses a handful of ports (a Windows client and its
   * domain controllers about a dozen, their dynamic RPC ports already merged
   * into a range when dense, port-ranges.ts): fifty is beyond any service
   * set, and well below what a sweep or a peer-to-peer client leaves.
   */
  minRules: 50,
  /** Pairs listed at most; the rest are counted. */
  maxListed: 5,
} as const;

interface Explosion {
  readonly from: string;
  readonly to: string;
  readonly proto: number;
  readonly rules: number;
  readonly low: number;
  readonly high: number;
}

/** One warning naming the pairs of groups with more single-port rules than any application uses; null when there are none. */
export function ruleExplosionWarning(policy: {
  readonly rules: readonly Pick<PolicyRule, 'from' | 'to' | 'proto' | 'ports'>[];
  readonly groups: readonly Pick<PolicyGroup, 'id' | 'name'>[];
}): string | null {
  const pairs = new Map<string, { from: string; to: string; proto: number; ports: number[] }>();
  for (const rule of policy.rules) {
    if (rule.ports === null || rule.ports.from !== rule.ports.to) continue;
    const key = `${rule.from}\u0000${rule.to}\u0000${rule.proto}`;
    let pair = pairs.get(key);
    if (pair === undefined) pairs.set(key, (pair = { from: rule.from, to: rule.to, proto: rule.proto, ports: [] }));
    pair.ports.push(rule.ports.from);
  }
  const explosions: Explosion[] = [...pairs.values()]
    .filter((pair) => pair.ports.length >= RULE_EXPLOSION_DEFAULTS.minRules)
    .map((pair) => ({ from: pair.from, to: pair.to, proto: pair.proto, rules: pair.ports.length, low: pair.ports.reduce((a, b) => Math.min(a, b)), high: pair.ports.reduce((a, b) => Math.max(a, b)) }))
    .sort((a, b) => b.rules - a.rules || compareText(a.from, b.from) || compareText(a.to, b.to) || a.proto - b.proto);
  if (explosions.length === 0) return null;
  const names = new Map(policy.groups.map((group) => [group.id, group.name]));
  const named = (id: string): string => (names.has(id) ? `${id} (${names.get(id)})` : id);
  const listed = explosions.slice(0, RULE_EXPLOSION_DEFAULTS.maxListed).map((e) => `${named(e.from)} → ${named(e.to)}: ${e.rules} ${protocolName(e.proto)} ports from ${e.low} to ${e.high}`);
  const more = explosions.length - listed.length;
  return (
    `${explosions.length === 1 ? 'a pair of groups is' : `${explosions.length} pairs of groups are`} joined by at least ${RULE_EXPLOSION_DEFAULTS.minRules} single-port rules, more ports than any application uses ` +
    `(peer-to-peer traffic, a sweep not flagged, or hosts that are not one group): ${listed.join('; ')}${more > 0 ? `; and ${more} more pairs` : ''}. ` +
    'Decide these pairs by hand before enforcing the policy; rules.csv lists every rule.'
  );
}
