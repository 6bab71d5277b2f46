import type { ColumnMap } from '../../core/ingest/format';
import type { Progress } from '../../core/progress';
import type { DendrogramTop } from '../../core/discover/dendrogram';
import type { EvidenceEdge } from '../../core/policy/policy-model';
import type { RejectedLine } from '../../core/report/reject-samples';
import type { AnalysisSummary } from '../../core/report/summary';
import type { DriftCheck } from '../../core/workbench/drift-check';
import type { HostFact } from '../../core/workbench/host-facts';
import type { TrafficPage, TrafficQuery } from '../../core/workbench/traffic-table';
import type { ExportReport } from '../../core/export/export-policy';
import type { ExportTargetName } from '../../core/export/export-types';
import type { ExportFile } from '../../core/workbench/workbench-exports';
import type { WorkbenchStep, WorkbenchView } from '../../core/workbench/workbench';
import type { WorkbenchEdit } from '../../core/workbench/workbench-state';
import type { PromotionView } from '../../core/workbench/promotion-order';
import type { SerializedError } from './errors';
import type { MeasureChart } from '../../core/measures/measure-charts';
import type { Measures } from '../../core/measures/measures-model';

export type { ExportFile, HostFact };

/**
 * Messages between the page and the engine worker. Every request carries an
 * id chosen by the page; every response names the request it belongs to.
 * For one analysis the worker sends progress first, then exactly one result
 * or error.
 */

/** A file to analyse and the path to show for it (relative inside a dropped folder). */
export interface EngineInputFile {
  readonly file: File;
  readonly path: string;
}

export interface AnalyzeRequest {
  readonly id: number;
  readonly kind: 'analyze';
  readonly files: readonly EngineInputFile[];
  /** Learn from flows before this time (epoch ms) and replay the later ones (a hold-out); absent: learn from all. */
  readonly trainUntilMs?: number;
  /** Which column of a generic CSV holds which field (as the CLI's --map); absent: the engine's own guess. */
  readonly csvMap?: ColumnMap;
}

/** Opens a saved workspace instead of analysing: answered like an analysis (progress, then one result or error). */
export interface OpenWorkspaceRequest {
  readonly id: number;
  readonly kind: 'open-workspace';
  readonly file: File;
}

/** The workspace file of the current work, with the page's own state in it. */
export interface SaveWorkspaceRequest {
  readonly id: number;
  readonly kind: 'save-workspace';
  readonly page: unknown;
}

/** Cancels the analysis whose request had this id; it then ends with an AbortError. */
export interface CancelRequest {
  readonly id: number;
  readonly kind: 'cancel';
}

/** An edit of the last analysis's workbench (regrouping, a rule or anomaly decision), or undo and redo of the last one. */
export interface EditRequest {
  readonly id: number;
  readonly kind: 'edit';
  /** 'drop-redo': forget the edits undone (a map move on the page ended the redo chain). */
  readonly edit: WorkbenchEdit | 'undo' | 'redo' | 'drop-redo';
}

/** The workbench's files as its state now is (policy.json, rules.csv, …), for the page to save. */
export interface ExportRequest {
  readonly id: number;
  readonly kind: 'export';
}

/** The current policy compiled for enforcement points, as one zip (the Export view's rule sets). */
export interface RuleSetsRequest {
  readonly id: number;
  readonly kind: 'rule-sets';
  readonly targets: readonly ExportTargetName[];
  readonly logDrops: boolean;
}

/** The edges one rule of the current state was learned from (the view carries only their count). */
export interface EvidenceRequest {
  readonly id: number;
  readonly kind: 'evidence';
  readonly rule: string;
}

/** A page of the replayed edges, filtered and sorted in DuckDB (the Traffic view). */
export interface TrafficRequest {
  readonly id: number;
  readonly kind: 'traffic';
  readonly query: TrafficQuery;
}

/** Newer exports replayed against the current work's policy (the Drift view); progress, then one drift or error. */
export interface DriftRequest {
  readonly id: number;
  readonly kind: 'drift';
  readonly files: readonly EngineInputFile[];
}

/** The top of discovery's tree for drawing (its last `leaves − 1` merges). */
export interface TreeRequest {
  readonly id: number;
  readonly kind: 'tree';
  readonly leaves: number;
}

/** The promotion gate over the replay, in the analyst's order (the Promotion view). */
export interface PromotionRequest {
  readonly id: number;
  readonly kind: 'promotion';
}

/** The measures of success of the work as it now is, with a chart of each (the Measures view). */
export interface MeasuresRequest {
  readonly id: number;
  readonly kind: 'measures';
}

export type EngineRequest = AnalyzeRequest | OpenWorkspaceRequest | CancelRequest | EditRequest | ExportRequest | RuleSetsRequest | SaveWorkspaceRequest | EvidenceRequest | TrafficRequest | DriftRequest | TreeRequest | PromotionRequest | MeasuresRequest;

export interface ProgressResponse {
  readonly id: number;
  readonly type: 'progress';
  /** Overall fraction 0..1, throttled by the worker. */
  readonly progress: Progress;
}

/** What a completed analysis hands the page: the figures, the workbench's first view (policy, replay, exposure) and the internal hosts. */
export interface AnalysisResult {
  readonly summary: AnalysisSummary;
  readonly view: WorkbenchView;
  readonly hosts: readonly HostFact[];
  /** The first rejected lines of each input file, by path. */
  readonly rejects: Readonly<Record<string, readonly RejectedLine[]>>;
  /** Set when the result comes from a workspace file: the page state it held and the labels of its undo and redo history. */
  readonly restored: RestoredWork | null;
}

export interface RestoredWork {
  readonly page: unknown;
  readonly undo: readonly string[];
  readonly redo: readonly string[];
}

/** The workbench after an edit: what changed (null when there was nothing to undo or redo) and the new view. */
export interface EditResult {
  readonly step: WorkbenchStep | null;
  readonly view: WorkbenchView;
}

export interface ResultResponse extends AnalysisResult {
  readonly id: number;
  readonly type: 'result';
}

export interface ErrorResponse {
  readonly id: number;
  readonly type: 'error';
  readonly error: SerializedError;
}

export interface StepResponse extends EditResult {
  readonly id: number;
  readonly type: 'step';
}

export interface ExportResponse {
  readonly id: number;
  readonly type: 'exports';
  readonly files: readonly ExportFile[];
}

export interface RuleSetsResponse {
  readonly id: number;
  readonly type: 'rule-sets';
  readonly bytes: Uint8Array;
  readonly report: ExportReport;
}

export interface WorkspaceResponse {
  readonly id: number;
  readonly type: 'workspace';
  readonly bytes: Uint8Array;
}

export interface EvidenceResponse {
  readonly id: number;
  readonly type: 'evidence';
  /** Null when the rule no longer exists (an edit since removed it). */
  readonly edges: readonly EvidenceEdge[] | null;
}

export interface TrafficResponse {
  readonly id: number;
  readonly type: 'traffic';
  readonly page: TrafficPage;
}

export interface DriftResponse {
  readonly id: number;
  readonly type: 'drift';
  readonly drift: DriftCheck;
}

export interface TreeResponse {
  readonly id: number;
  readonly type: 'tree';
  readonly tree: DendrogramTop;
}

export interface PromotionResponse {
  readonly id: number;
  readonly type: 'promotion';
  readonly promotion: PromotionView;
}

export interface MeasuresResponse extends MeasuresOfWork {
  readonly id: number;
  readonly type: 'measures';
}

/** What the Measures view shows: the figures, and the charts as SVG text drawn in the worker (measure-charts.ts). */
export interface MeasuresOfWork {
  readonly measures: Measures;
  readonly charts: readonly MeasureChart[];
}

export type EngineResponse = ProgressResponse | ResultResponse | StepResponse | ExportResponse | RuleSetsResponse | WorkspaceResponse | EvidenceResponse | TrafficResponse | DriftResponse | TreeResponse | PromotionResponse | MeasuresResponse | ErrorResponse;
