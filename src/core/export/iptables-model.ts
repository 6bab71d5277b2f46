import type { Transport } from './host-firewall-plan';

/**
 * A typed iptables-restore file for one address family: what the iptables
 * target builds and iptables-print.ts prints. Only comments hold free
 * text, and the printer makes them safe.
 */

export type IptFamily = 'ipv4' | 'ipv6';

/** What a rule matches; every part optional. */
export interface IptMatch {
  readonly source?: string;
  readonly destination?: string | undefined;
  readonly inInterface?: string;
  readonly transport?: Transport;
  /** conntrack states, upper case ("ESTABLISHED,RELATED"). */
  readonly ctstate?: string;
  /** An ICMPv6 type by name (neighbour discovery). */
  readonly icmpv6Type?: string;
  readonly comment?: string;
}

export type IptVerdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'log'; readonly prefix: string };

export type IptLine =
  | { readonly kind: 'rule'; readonly chain: string; readonly match: IptMatch; readonly verdict: IptVerdict }
  /** A line of explanation (a just-in-time rule left closed). */
  | { readonly kind: 'remark'; readonly text: string };

export interface IptRuleset {
  readonly header: readonly string[];
  readonly family: IptFamily;
  /** User chains, declared before any rule. */
  readonly chains: readonly string[];
  readonly lines: readonly IptLine[];
}
