import { compareText } from '../util/compare';
import type { NsgEndpoint } from './azure-nsg-model';

/**
 * Azure's limits on one network security group ("Azure subscription and
 * service limits", Networking limits – Azure Resource Manager): 1,000 NSG
 * rules per NSG; 4,000 IP addresses and ranges specified for source or
 * destination in a security group (counted apart for source and
 * destination); 10 application security groups referenced as source or
 * destination per rule; 100 application security groups within all the
 * rules of an NSG. A policy that needs more on one NSG loses its last
 * rules there (by id) until the NSG fits, and each such rule is closed and
 * noted by the caller: never a template Azure would refuse, never a rule
 * dropped in silence.
 */
export const NSG_LIMITS = { rules: 1000, prefixesPerSide: 4000, asgsPerRule: 10, asgsPerNsg: 100 } as const;

export interface PlannedRule {
  readonly ruleId: string;
  readonly source: NsgEndpoint;
  readonly destination: NsgEndpoint;
}

export interface PlannedNsg {
  readonly name: string;
  readonly rules: readonly PlannedRule[];
}

export interface Overflow {
  readonly nsg: string;
  /** The first limit broken, with the count the policy needed ("1204 rules, above Azure's limit of 1000 rules per network security group"). */
  readonly limit: string;
  /** Policy rules left out to make the NSG fit, by id. */
  readonly dropped: readonly string[];
}

const prefixCount = (endpoint: NsgEndpoint): number => (endpoint.kind === 'prefixes' ? endpoint.prefixes.length : 0);
const asgNames = (endpoint: NsgEndpoint): readonly string[] => (endpoint.kind === 'asg' ? endpoint.names : []);

/** The first limit `rules` break on one NSG that also holds `fixedRules` rules of its own (the deny-all rules); null when it fits. */
export function brokenLimit(rules: readonly PlannedRule[], fixedRules: number): string | null {
  const total = rules.length + fixedRules;
  if (total > NSG_LIMITS.rules) return `${total} rules, above Azure's limit of ${NSG_LIMITS.rules} rules per network security group`;
  for (const side of ['source', 'destination'] as const) {
    const prefixes = rules.reduce((sum, rule) => sum + prefixCount(rule[side]), 0);
    if (prefixes > NSG_LIMITS.prefixesPerSide) return `${prefixes} ${side} addresses and ranges, above Azure's limit of ${NSG_LIMITS.prefixesPerSide} per network security group`;
  }
  const asgs = new Set(rules.flatMap((rule) => [...asgNames(rule.source), ...asgNames(rule.destination)]));
  if (asgs.size > NSG_LIMITS.asgsPerNsg) return `${asgs.size} application security groups named, above Azure's limit of ${NSG_LIMITS.asgsPerNsg} per network security group`;
  return null;
}

/**
 * The policy rules to leave out so that every NSG fits, NSGs taken in the
 * order given and their rules by id (the last go first). A rule left out of
 * one NSG is left out of all: traffic needs the rule on both NSGs it
 * crosses, so half of it would only mislead.
 */
export function fitToLimits(nsgs: readonly PlannedNsg[], fixedRules: number): { dropped: ReadonlySet<string>; overflows: Overflow[] } {
  const dropped = new Set<string>();
  const overflows: Overflow[] = [];
  for (const nsg of nsgs) {
    const live = (): PlannedRule[] => nsg.rules.filter((rule) => !dropped.has(rule.ruleId));
    const limit = brokenLimit(live(), fixedRules);
    if (limit === null) continue;
    const ids = [...new Set(live().map((rule) => rule.ruleId))].sort(compareText);
    const here: string[] = [];
    while (ids.length > 0 && brokenLimit(live(), fixedRules) !== null) {
      const id = ids.pop()!;
      dropped.add(id);
      here.unshift(id);
    }
    overflows.push({ nsg: nsg.name, limit, dropped: here });
  }
  return { dropped, overflows };
}
