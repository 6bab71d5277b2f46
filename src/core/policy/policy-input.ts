import type { AnomalyEdge } from '../discover/anomalies';
import type { AddressScope } from '../enrich/address-scope';

/**
 * What policy generation, simulation and drift read: client→server edges
 * over a window with when their flows happened, and what enrichment says
 * about each address.
 */

/** An edge as anomaly detection sees it (port −1 for protocols without ports), plus when its flows happened. */
export interface PolicyEdge extends AnomalyEdge {
  /** Distinct hours with traffic. */
  readonly hours: number;
  /** Flows per hour of the week (0 = Sunday 00:00 UTC … 167), sparse: parallel arrays in hour order. */
  readonly weekHours: readonly number[];
  readonly weekFlows: readonly number[];
}

export interface PolicyHost {
  readonly ip: string;
  /** Canonical address order (IPv4 before IPv6, numeric). */
  readonly sortKey: string;
  readonly scope: AddressScope;
  readonly name: string | null;
  readonly labels: readonly { readonly key: string; readonly value: string }[];
}

/** A logon seen in Windows events, for just-in-time requesters. */
export interface PolicyLogon {
  readonly user: string;
  readonly sourceIp: string | null;
  readonly targetIp: string | null;
  readonly count: number;
}

/** The same service between the same hosts (one edge per action row in the store); flagged_edges uses the same key. */
export { edgeKey as policyEdgeKey } from '../discover/anomalies';

export const HOURS_PER_WEEK = 168;
