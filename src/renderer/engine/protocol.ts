import type { Progress } from '../../core/progress';
import type { Policy } from '../../core/policy/policy-model';
import type { AnalysisSummary } from '../../core/report/summary';
import type { SerializedError } from './errors';

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
}

/** Cancels the analysis whose request had this id; it then ends with an AbortError. */
export interface CancelRequest {
  readonly id: number;
  readonly kind: 'cancel';
}

export type EngineRequest = AnalyzeRequest | CancelRequest;

export interface ProgressResponse {
  readonly id: number;
  readonly type: 'progress';
  /** Overall fraction 0..1, throttled by the worker. */
  readonly progress: Progress;
}

/** What a completed analysis hands the page: the figures, and the policy with its groups and rules for the workbench's views. */
export interface AnalysisResult {
  readonly summary: AnalysisSummary;
  readonly policy: Policy;
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

export type EngineResponse = ProgressResponse | ResultResponse | ErrorResponse;
