/**
 * What every export target produces: files (paths relative to the export
 * folder) and notes, one per rule and thing the target cannot express,
 * saying what was done instead. The notes make the export report: a rule
 * that was left open or closed is never silent.
 */

export type ExportTargetName = 'aws-sg' | 'azure-nsg' | 'cilium' | 'csv' | 'gcp' | 'iptables' | 'k8s' | 'nftables' | 'windows';

export const EXPORT_TARGETS: readonly ExportTargetName[] = ['aws-sg', 'azure-nsg', 'cilium', 'csv', 'gcp', 'iptables', 'k8s', 'nftables', 'windows'];

/** The targets that select pods by their labels: they need pods (policy.pods, or pod lists given to export). */
export const POD_TARGETS: readonly ExportTargetName[] = ['cilium', 'k8s'];

export interface ExportFile {
  /** Relative path with '/' separators ("nftables/10.0.0.5.nft"). */
  readonly path: string;
  readonly content: string;
}

/** What a target did with a part of a rule it cannot express. */
export type NoteAction = 'left-open' | 'left-closed' | 'narrowed' | 'widened' | 'skipped';

export interface ExportNote {
  readonly target: ExportTargetName;
  /** The policy rule id, or null for a note about a group or the export as a whole. */
  readonly rule: string | null;
  /** What cannot be expressed ("time window Mon–Fri 08–18 UTC"). */
  readonly what: string;
  readonly action: NoteAction;
  /** What was done instead, in a sentence. */
  readonly instead: string;
}

/**
 * How a target expressed the groups' enforcement stages: which groups it
 * enforces, which it observes or enforces selectively and how, which it
 * left open (no isolation at all) and why. Written into export-report.json
 * only when some group is staged, so an all-enforced policy's report is
 * what it was before stages.
 */
export interface StageCoverage {
  /** Internal groups with a stage (application, infrastructure, clients kinds) enforced, by id. */
  readonly enforced: readonly string[];
  readonly observed: readonly { readonly group: string; readonly logId: string; readonly how: string }[];
  readonly selective: readonly { readonly group: string; readonly services: readonly string[]; readonly logId: string; readonly how: string }[];
  readonly leftOpen: readonly { readonly group: string; readonly stage: 'observe' | 'selective'; readonly why: string }[];
}

export interface TargetOutput {
  readonly files: readonly ExportFile[];
  readonly notes: readonly ExportNote[];
  /** How the target expressed staged groups; absent from targets that express none (csv). */
  readonly stages?: StageCoverage;
  /** Rules the target carries (open or closed), and rules it left out entirely. */
  readonly rulesExported: number;
  readonly rulesSkipped: number;
}
