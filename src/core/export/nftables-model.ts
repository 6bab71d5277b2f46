import type { PortRange } from '../policy/policy-model';

/**
 * A typed nftables ruleset: what the nftables target builds from the policy
 * and nftables-print.ts prints. Nothing in it is free text but comments,
 * which the printer makes safe.
 */

export type AddressFamily = 'ip' | 'ip6';

export interface NftSet {
  readonly name: string;
  readonly family: AddressFamily;
  /** Addresses and CIDRs of that family. */
  readonly elements: readonly string[];
}

/** Layer 4 of an accept rule: a port-carrying protocol with its ports (null: any port), or another protocol by number. */
export type NftTransport =
  | { readonly kind: 'ports'; readonly proto: 'tcp' | 'udp' | 'sctp' | 'dccp'; readonly ports: PortRange | null }
  | { readonly kind: 'protocol'; readonly number: number };

export type NftStatement =
  | { readonly kind: 'established' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'loopback' }
  /** ICMPv6 neighbour discovery: without it an IPv6 host cannot reach its neighbours at all. */
  | { readonly kind: 'neighbour-discovery' }
  | {
      readonly kind: 'accept';
      readonly family: AddressFamily;
      /** Source set name. */
      readonly from: string;
      /** Destination set name (the one-file-for-all ruleset); null on a host's own ruleset. */
      readonly to: string | null;
      readonly transport: NftTransport;
      readonly comment: string;
    }
  | { readonly kind: 'log-drops'; readonly prefix: string }
  /** A line of explanation inside the chain (a just-in-time rule left closed). */
  | { readonly kind: 'remark'; readonly text: string };

export interface NftRuleset {
  /** Lines of the file's header comment. */
  readonly header: readonly string[];
  readonly table: string;
  readonly sets: readonly NftSet[];
  readonly input: readonly NftStatement[];
}
