import type { AddressFamily, Transport } from './host-firewall-plan';

/**
 * A typed nftables ruleset: what the nftables target builds from the policy
 * and nftables-print.ts prints. Nothing in it is free text but comments,
 * which the printer makes safe.
 */

export interface NftSet {
  readonly name: string;
  readonly family: AddressFamily;
  /** Addresses and CIDRs of that family. */
  readonly elements: readonly string[];
}

export type NftTransport = Transport;

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
  /**
   * A staged group's enforced service (selective): dropped where its default
   * drop would be, logged first when drops are logged. `to` and `family`
   * match the group's addresses in the ruleset for every host.
   */
  | { readonly kind: 'stage-drop'; readonly family: AddressFamily | null; readonly to: string | null; readonly transport: NftTransport; readonly logPrefix: string | null; readonly comment: string }
  /** A staged group's would-be drop: counted, logged with the group's prefix, accepted. */
  | { readonly kind: 'stage-log-accept'; readonly family: AddressFamily | null; readonly to: string | null; readonly prefix: string; readonly comment: string }
  /** A line of explanation inside the chain (a just-in-time rule left closed). */
  | { readonly kind: 'remark'; readonly text: string };

export interface NftRuleset {
  /** Lines of the file's header comment. */
  readonly header: readonly string[];
  readonly table: string;
  readonly sets: readonly NftSet[];
  readonly input: readonly NftStatement[];
}
