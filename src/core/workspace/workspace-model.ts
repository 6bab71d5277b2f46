import type { RejectedLine } from '../report/reject-samples';
import type { AnalysisSummary } from '../report/summary';
import type { WorkbenchLog, WorkbenchMaterial } from '../workbench/workbench';

/**
 * A workspace file (`.flowfence`): one zip holding everything needed to
 * bring an analyst's work back exactly as it was, without the input files
 * and without analysing again (a newer Flowfence would group differently,
 * and the groups an owner signed must not move):
 *
 * - manifest.json: format, version, the input files' digests, and every
 *   entry's size and SHA-256 (a damaged file is refused, not half-read);
 * - summary.json: the analysis's figures;
 * - policy-edges.arrow, replay-edges.arrow (only with a hold-out),
 *   discovery-edges.arrow, hosts.arrow: the edges and hosts (Arrow IPC);
 * - analysis.json: groups, assignments with reasons, anomalies, flagged
 *   edges, logons, settings and the hosts discovery profiled;
 * - edits.json: the analyst's edits as a log (grouping operations,
 *   decisions with their reasons) and how many are in effect;
 * - page.json: what only the page holds (map layout, undo history of map moves);
 * - rejects.json (when an input had rejected lines): the first of them per file.
 */
export const WORKSPACE_FORMAT = 'flowfence-workspace';
export const WORKSPACE_VERSION = 1;
export const WORKSPACE_EXTENSION = '.flowfence';

export interface WorkspaceManifest {
  readonly format: typeof WORKSPACE_FORMAT;
  readonly version: number;
  readonly inputs: readonly { readonly name: string; readonly bytes: number; readonly sha256: string }[];
  readonly entries: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
}

export interface WorkspaceContent {
  readonly summary: AnalysisSummary;
  readonly material: WorkbenchMaterial;
  readonly log: WorkbenchLog;
  /** The first rejected lines of each input file (reject-samples.ts); kept in rejects.json when there are any. */
  readonly rejects?: Readonly<Record<string, readonly RejectedLine[]>>;
  /** The page's own state, opaque to the engine (the page checks it when it reads it back). */
  readonly page: unknown;
}

export class WorkspaceError extends Error {}
