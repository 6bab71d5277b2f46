import type { MeasureTrend } from '../measures/measure-trend';
import type { PolicyGroup, PolicyRule } from '../policy/policy-model';

/**
 * What one owner's attestation pack holds, before it is printed as HTML and
 * CSV: everything an application owner needs to certify or decertify the
 * rules that touch their groups, and nothing they would have to look up.
 */

export interface PackMember {
  readonly ip: string;
  readonly group: string;
  /** Why discovery put the host in its group (groups.csv), or null when that file was not found. */
  readonly reason: string | null;
}

export interface PackRule {
  readonly rule: PolicyRule;
  /** The owner's side of it: their group serves, uses, or both. */
  readonly side: 'serves' | 'uses' | 'both';
  readonly fromName: string;
  readonly toName: string;
  /** SHA-256 of what the rule allows and why (rule-digest.ts): a decision is refused when it changed since the pack. */
  readonly evidenceSha256: string;
}

export interface PackAnomaly {
  readonly kind: string;
  readonly src: string;
  readonly dst: string;
  readonly reason: string;
}

/** How the policy fared on replayed flows, for the owner's groups, and how much it closes. */
export interface PackReplay {
  readonly permittedEdges: number;
  readonly escapedEdges: number;
  readonly permittedFlows: number;
  readonly escapedFlows: number;
  /** The escaped edges touching the owner's hosts, most flows first (at most 50). */
  readonly escaped: readonly { readonly client: string; readonly server: string; readonly service: string; readonly flows: number; readonly reason: string }[];
  /** Ordered pairs of internal hosts, one end the owner's, that may connect: with no policy, and with this one. */
  readonly exposureBefore: number;
  readonly exposureAfter: number;
}

export interface PackCoverage {
  readonly from: string | null;
  readonly to: string | null;
  readonly daysObserved: number;
  readonly hoursObserved: number;
  readonly sources: readonly { readonly name: string; readonly format: string; readonly accepted: number; readonly rejected: number }[];
  /** Stretches of at least GAP_HOURS without a single flow, between the first and the last. */
  readonly gaps: readonly { readonly from: string; readonly to: string; readonly hours: number }[];
}

export interface PackChanges {
  readonly previousSha256: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Rules whose evidence or conditions changed (same id, another digest). */
  readonly changed: readonly string[];
}

export interface PackContent {
  readonly owner: string | null;
  /** The folder the pack is written to (safe as a file name on every system). */
  readonly slug: string;
  readonly ownerLabel: string;
  readonly policySha256: string;
  readonly generatedAt: string;
  readonly groups: readonly PolicyGroup[];
  readonly members: readonly PackMember[];
  readonly rules: readonly PackRule[];
  readonly anomalies: readonly PackAnomaly[] | null;
  readonly replay: PackReplay | null;
  readonly coverage: PackCoverage | null;
  readonly changes: PackChanges | null;
  /** The measures of success of the whole estate, charted in the report; null when attest was not given them. */
  readonly measures: MeasureTrend | null;
}
