import type { PolicyEdge, PolicyHost } from '../policy/policy-input';
import type { EnforcementStage, Policy } from '../policy/policy-model';

/**
 * The measures of success issue #13 asks every report to carry: what a
 * segmentation programme has achieved at one snapshot (a policy and the
 * traffic it stands on), and how that moved between snapshots.
 */

/** What a snapshot is made of: a policy, and the flows when there are any (a policy.json alone has none). */
export interface MeasureSnapshot {
  /** How reports name it: the file it came from. */
  readonly name: string;
  readonly policy: Policy;
  readonly flows: SnapshotFlows | null;
  /** Anomalies found and accepted (workbench decisions); null when the source does not keep them (a policy.json). */
  readonly anomalies: { readonly found: number; readonly accepted: number } | null;
}

export interface SnapshotFlows {
  /** The edges the policy was learned from (PolicyMaterial.edges): the internal hosts measured are theirs, as exposure.ts's are. */
  readonly edges: readonly PolicyEdge[];
  /** The edges replayed against the policy (PolicyMaterial.replay: the same edges without a hold-out). */
  readonly replay: readonly PolicyEdge[];
  readonly hosts: ReadonlyMap<string, PolicyHost>;
  /** The analysis' flagged edges ("client|server|proto|port"): hosts seen only on them are not measured (internalHostsOf). */
  readonly flagged?: ReadonlySet<string>;
}

/** A measure the snapshot cannot give, and why (never reported as 0). */
export interface Unavailable {
  readonly unavailable: string;
}

export type Measure<T> = T | Unavailable;

export const isAvailable = <T extends object>(measure: Measure<T>): measure is T => !('unavailable' in measure);

/** The same count in the flat network, with the groups' stages as they are, and with every group enforced. */
export interface BeforeAfter {
  readonly flat: number;
  readonly currentStage: number;
  readonly fullEnforcement: number;
}

export interface BlastRadiusFigures {
  readonly hops: number;
  readonly mean: BeforeAfter;
  readonly max: BeforeAfter;
}

export interface HostsPerStage {
  /** flows: the internal hosts on the edges, placed in their groups; policy-members: the groups' listed members (no flows). */
  readonly source: 'flows' | 'policy-members';
  readonly hosts: number;
  /** Hosts per stage of their group; ungrouped hosts are in no group (the default deny applies to them). */
  readonly count: Readonly<Record<EnforcementStage | 'ungrouped', number>>;
  /** count / hosts (0 when there are no hosts). */
  readonly share: Readonly<Record<EnforcementStage | 'ungrouped', number>>;
}

export interface Certifications {
  /** Rules an owner certified (approved with a decision). */
  readonly certified: number;
  /** Certified rules whose certification lapsed before the snapshot's date (RuleDecision.expires). */
  readonly expired: number;
  /** Certified rules whose decision has no expiry: they never lapse, which a reviewer may want to see. */
  readonly withoutExpiry: number;
  /** Rules an owner decertified. */
  readonly decertified: number;
  /** Rules no owner decided on yet. */
  readonly undecided: number;
  /** The instant expiry is judged at: the end of the snapshot's data window. */
  readonly asOf: string | null;
}

export interface DriftRate {
  /** Distinct replayed edges (client, server, protocol, port) the fully enforced policy would block. */
  readonly newEdges: number;
  /** Length of the replayed window in weeks. */
  readonly weeks: number;
  /** newEdges / weeks; null for a window of no length. */
  readonly perWeek: number | null;
}

export interface UnusedRules {
  /** Rules not rejected that no replayed edge with traffic in the last `days` days of the data matched. */
  readonly count: number;
  readonly days: number;
  /** Days of data there are: when fewer than `days`, the count covers only these. */
  readonly windowDays: number;
  readonly rules: readonly string[];
}

export interface AnomalyFigures {
  readonly found: number;
  /** Found and not accepted as legitimate by the analyst. */
  readonly open: number;
}

export interface Measures {
  readonly snapshot: { readonly name: string; readonly at: string | null; readonly window: { readonly from: string | null; readonly to: string | null }; readonly policySha256: string };
  readonly reachablePairs: Measure<BeforeAfter>;
  readonly adminPaths: Measure<BeforeAfter>;
  readonly blastRadius: Measure<BlastRadiusFigures>;
  readonly hostsPerStage: HostsPerStage;
  readonly certifications: Certifications;
  readonly drift: Measure<DriftRate>;
  readonly unusedRules: Measure<UnusedRules>;
  readonly anomalies: Measure<AnomalyFigures>;
}

export interface MeasureSettings {
  /** A rule is unused when no traffic matched it in this many days before the end of the data. */
  readonly unusedDays: number;
}

export const MEASURE_DEFAULTS: MeasureSettings = {
  // The "rules unused for 30 days": a month covers monthly jobs
  // (patching, billing runs), so a rule unused that long is a removal
  // candidate rather than a rule whose traffic has not come round yet.
  unusedDays: 30,
};
