import type { Progress } from '../../core/progress';
import { abortError, rebuildError } from './errors';
import type { DendrogramTop } from '../../core/discover/dendrogram';
import type { EvidenceEdge } from '../../core/policy/policy-model';
import type { DriftCheck } from '../../core/workbench/drift-check';
import type { TrafficPage, TrafficQuery } from '../../core/workbench/traffic-table';
import type { WorkbenchEdit } from '../../core/workbench/workbench-state';
import type { ExportTargetName } from '../../core/export/export-types';
import type { RuleSetBundle } from '../../core/workbench/rule-set-bundle';
import type { PromotionView } from '../../core/workbench/promotion-order';
import type { AnalysisResult, AnalyzeRequest, EditResult, EngineInputFile, EngineRequest, EngineResponse, ExportFile, MeasuresOfWork } from './protocol';

/** How an analysis runs besides its files: a hold-out split, a column mapping for generic CSV. */
export type RunOptions = Pick<AnalyzeRequest, 'trainUntilMs' | 'csvMap'>;

export interface AnalysisHandle {
  readonly id: number;
  readonly result: Promise<AnalysisResult>;
  /** Asks the worker to stop; `result` then rejects with an AbortError. */
  cancel(): void;
}

interface PendingAnalysis {
  readonly kind: 'analysis';
  readonly onProgress: (progress: Progress) => void;
  readonly resolve: (result: AnalysisResult) => void;
  readonly reject: (error: Error) => void;
  cancelTimer?: ReturnType<typeof setTimeout>;
}

interface PendingEdit {
  readonly kind: 'edit';
  readonly resolve: (result: EditResult) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingExport {
  readonly kind: 'export';
  readonly resolve: (files: readonly ExportFile[]) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingRuleSets {
  readonly kind: 'rule-sets';
  readonly resolve: (bundle: RuleSetBundle) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingWorkspace {
  readonly kind: 'workspace';
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingEvidence {
  readonly kind: 'evidence';
  readonly resolve: (edges: readonly EvidenceEdge[] | null) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingTraffic {
  readonly kind: 'traffic';
  readonly resolve: (page: TrafficPage) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingDrift {
  readonly kind: 'drift';
  readonly onProgress: (progress: Progress) => void;
  readonly resolve: (drift: DriftCheck) => void;
  readonly reject: (error: Error) => void;
  cancelTimer?: ReturnType<typeof setTimeout>;
}

interface PendingTree {
  readonly kind: 'tree';
  readonly resolve: (tree: DendrogramTop) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingPromotion {
  readonly kind: 'promotion';
  readonly resolve: (promotion: PromotionView) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

interface PendingMeasures {
  readonly kind: 'measures';
  readonly resolve: (measures: MeasuresOfWork) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer?: undefined;
}

type Pending = PendingAnalysis | PendingEdit | PendingExport | PendingRuleSets | PendingWorkspace | PendingEvidence | PendingTraffic | PendingDrift | PendingTree | PendingPromotion | PendingMeasures;

/**
 * If the worker has not confirmed a cancellation by then (it is inside one
 * long synchronous DuckDB statement), it is terminated and replaced: Cancel
 * always returns the page to idle.
 */
export const CANCEL_GRACE_MS = 4000;

/**
 * The page's side of the engine worker: starts analyses, routes the worker's
 * responses to the request they answer, rebuilds errors, and recovers from a
 * worker that crashed or had to be stopped.
 */
export class EngineClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Called when the worker had to be replaced (it crashed, or did not stop in time): the work it held is gone. */
  onRestart: (reason: Error) => void = () => undefined;

  constructor(private readonly createWorker: () => Worker = spawnEngineWorker) {}

  /** Starts the worker early so DuckDB compiles while the user picks files. */
  warmUp(): void {
    this.live();
  }

  analyze(files: readonly EngineInputFile[], onProgress: (progress: Progress) => void, options: RunOptions = {}): AnalysisHandle {
    return this.startRun((id) => ({ id, kind: 'analyze', files, ...options }), onProgress);
  }

  /** Opens a saved workspace; it runs, reports and cancels like an analysis. */
  openWorkspace(file: File, onProgress: (progress: Progress) => void): AnalysisHandle {
    return this.startRun((id) => ({ id, kind: 'open-workspace', file }), onProgress);
  }

  /** The evidence edges of one rule of the current state (null: no such rule now). */
  evidence(rule: string): Promise<readonly EvidenceEdge[] | null> {
    const id = this.nextId++;
    const result = new Promise<readonly EvidenceEdge[] | null>((resolve, reject) => this.pending.set(id, { kind: 'evidence', resolve, reject }));
    this.post({ id, kind: 'evidence', rule });
    return result;
  }

  /** Newer exports against the current work's policy; cancelled like an analysis. */
  drift(files: readonly EngineInputFile[], onProgress: (progress: Progress) => void): { readonly result: Promise<DriftCheck>; cancel(): void } {
    const id = this.nextId++;
    const result = new Promise<DriftCheck>((resolve, reject) => this.pending.set(id, { kind: 'drift', onProgress, resolve, reject }));
    this.post({ id, kind: 'drift', files });
    return { result, cancel: () => this.cancel(id) };
  }

  /** The top of discovery's tree, `leaves` clusters at its bottom. */
  tree(leaves: number): Promise<DendrogramTop> {
    const id = this.nextId++;
    const result = new Promise<DendrogramTop>((resolve, reject) => this.pending.set(id, { kind: 'tree', resolve, reject }));
    this.post({ id, kind: 'tree', leaves });
    return result;
  }

  /** The promotion gate in the analyst's order, once the edits sent before are applied. */
  promotion(): Promise<PromotionView> {
    const id = this.nextId++;
    const result = new Promise<PromotionView>((resolve, reject) => this.pending.set(id, { kind: 'promotion', resolve, reject }));
    this.post({ id, kind: 'promotion' });
    return result;
  }

  /** The measures of success of the current work, with their charts. */
  measures(): Promise<MeasuresOfWork> {
    const id = this.nextId++;
    const result = new Promise<MeasuresOfWork>((resolve, reject) => this.pending.set(id, { kind: 'measures', resolve, reject }));
    this.post({ id, kind: 'measures' });
    return result;
  }

  /** A page of the replayed edges under the current work. */
  traffic(query: TrafficQuery): Promise<TrafficPage> {
    const id = this.nextId++;
    const result = new Promise<TrafficPage>((resolve, reject) => this.pending.set(id, { kind: 'traffic', resolve, reject }));
    this.post({ id, kind: 'traffic', query });
    return result;
  }

  /** The current work as a workspace file, the page's state included. */
  saveWorkspace(page: unknown): Promise<Uint8Array> {
    const id = this.nextId++;
    const result = new Promise<Uint8Array>((resolve, reject) => this.pending.set(id, { kind: 'workspace', resolve, reject }));
    this.post({ id, kind: 'save-workspace', page });
    return result;
  }

  private startRun(request: (id: number) => EngineRequest, onProgress: (progress: Progress) => void): AnalysisHandle {
    const id = this.nextId++;
    const result = new Promise<AnalysisResult>((resolve, reject) => this.pending.set(id, { kind: 'analysis', onProgress, resolve, reject }));
    this.post(request(id));
    return { id, result, cancel: () => this.cancel(id) };
  }

  /** Edits the last analysis's workbench; edits are applied in the order they were sent. */
  edit(edit: WorkbenchEdit | 'undo' | 'redo' | 'drop-redo'): Promise<EditResult> {
    const id = this.nextId++;
    const result = new Promise<EditResult>((resolve, reject) => this.pending.set(id, { kind: 'edit', resolve, reject }));
    this.post({ id, kind: 'edit', edit });
    return result;
  }

  /** The workbench's files as its state is once the edits sent before are applied. */
  exports(): Promise<readonly ExportFile[]> {
    const id = this.nextId++;
    const result = new Promise<readonly ExportFile[]>((resolve, reject) => this.pending.set(id, { kind: 'export', resolve, reject }));
    this.post({ id, kind: 'export' });
    return result;
  }

  /** The policy as the edits sent before left it, compiled for the chosen targets into one zip. */
  ruleSets(targets: readonly ExportTargetName[], logDrops: boolean): Promise<RuleSetBundle> {
    const id = this.nextId++;
    const result = new Promise<RuleSetBundle>((resolve, reject) => this.pending.set(id, { kind: 'rule-sets', resolve, reject }));
    this.post({ id, kind: 'rule-sets', targets, logDrops });
    return result;
  }

  private cancel(id: number): void {
    const pending = this.pending.get(id);
    if ((pending?.kind !== 'analysis' && pending?.kind !== 'drift') || pending.cancelTimer !== undefined) return;
    this.post({ id, kind: 'cancel' });
    pending.cancelTimer = setTimeout(() => this.restart(abortError()), CANCEL_GRACE_MS);
  }

  private post(request: EngineRequest): void {
    this.live().postMessage(request);
  }

  private live(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<EngineResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.restart(new Error(`The engine stopped unexpectedly: ${event.message || 'unknown error'}`));
    };
    worker.onmessageerror = () => this.restart(new Error('The engine sent a message the page could not read'));
    this.worker = worker;
    return worker;
  }

  private receive(response: EngineResponse): void {
    const pending = this.pending.get(response.id);
    if (pending === undefined) return;
    switch (response.type) {
      case 'progress':
        if (pending.kind === 'analysis' || pending.kind === 'drift') pending.onProgress(response.progress);
        return;
      case 'result':
        this.settle(response.id);
        if (pending.kind === 'analysis') pending.resolve({ summary: response.summary, view: response.view, hosts: response.hosts, rejects: response.rejects, restored: response.restored });
        return;
      case 'step':
        this.settle(response.id);
        if (pending.kind === 'edit') pending.resolve({ step: response.step, view: response.view });
        return;
      case 'exports':
        this.settle(response.id);
        if (pending.kind === 'export') pending.resolve(response.files);
        return;
      case 'rule-sets':
        this.settle(response.id);
        if (pending.kind === 'rule-sets') pending.resolve({ bytes: response.bytes, report: response.report });
        return;
      case 'workspace':
        this.settle(response.id);
        if (pending.kind === 'workspace') pending.resolve(response.bytes);
        return;
      case 'evidence':
        this.settle(response.id);
        if (pending.kind === 'evidence') pending.resolve(response.edges);
        return;
      case 'traffic':
        this.settle(response.id);
        if (pending.kind === 'traffic') pending.resolve(response.page);
        return;
      case 'drift':
        this.settle(response.id);
        if (pending.kind === 'drift') pending.resolve(response.drift);
        return;
      case 'tree':
        this.settle(response.id);
        if (pending.kind === 'tree') pending.resolve(response.tree);
        return;
      case 'promotion':
        this.settle(response.id);
        if (pending.kind === 'promotion') pending.resolve(response.promotion);
        return;
      case 'measures':
        this.settle(response.id);
        if (pending.kind === 'measures') pending.resolve({ measures: response.measures, charts: response.charts });
        return;
      case 'error':
        this.settle(response.id);
        pending.reject(rebuildError(response.error));
        return;
    }
  }

  private settle(id: number): void {
    const pending = this.pending.get(id);
    if (pending?.cancelTimer !== undefined) clearTimeout(pending.cancelTimer);
    this.pending.delete(id);
  }

  /** Stops the worker and fails everything it was doing; the next request starts a new one. */
  private restart(reason: Error): void {
    const hadWorker = this.worker !== null;
    this.worker?.terminate();
    this.worker = null;
    if (hadWorker) this.onRestart(reason);
    for (const [id, pending] of [...this.pending]) {
      this.settle(id);
      pending.reject(reason);
    }
  }
}

function spawnEngineWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'flowfence-engine' });
}
