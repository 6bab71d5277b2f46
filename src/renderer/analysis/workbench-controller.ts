import type { StoreApi } from 'zustand';
import type { EvidenceEdge } from '../../core/policy/policy-model';
import type { DendrogramTop } from '../../core/discover/dendrogram';
import type { Progress } from '../../core/progress';
import type { DriftCheck } from '../../core/workbench/drift-check';
import type { TrafficPage, TrafficQuery } from '../../core/workbench/traffic-table';
import type { WorkbenchEdit } from '../../core/workbench/workbench-state';
import type { ExportTargetName } from '../../core/export/export-types';
import type { RuleSetBundle } from '../../core/workbench/rule-set-bundle';
import type { PromotionView } from '../../core/workbench/promotion-order';
import type { EngineClient } from '../engine/engine-client';
import type { EngineInputFile, ExportFile, MeasuresOfWork } from '../engine/protocol';
import type { AppState } from '../store/app-store';
import { pageState } from '../model/page-state';
import type { Point } from '../store/workbench-slice';

/**
 * The analyst's edits of the current analysis. Edits of the analysis go to
 * the engine worker (which regroups, replays and measures again) and come
 * back as the new view and what changed; map layout moves stay on the page.
 * Both share one undo history. Edits run one after another in the order
 * they were made, so the history always matches the engine's.
 */
export class WorkbenchController {
  private chain: Promise<void> = Promise.resolve();

  /** Called after every change the history records (an autosave listens). */
  onChanged: () => void = () => undefined;

  constructor(
    private readonly engine: Pick<EngineClient, 'edit' | 'exports' | 'ruleSets' | 'saveWorkspace' | 'evidence' | 'traffic' | 'drift' | 'tree' | 'promotion' | 'measures'>,
    private readonly store: StoreApi<AppState>,
  ) {}

  /** Resolves true once applied, false when the engine refused it (the reason is shown as a notice). */
  edit(edit: WorkbenchEdit): Promise<boolean> {
    return this.enqueue(async () => {
      const result = await this.send(edit);
      if (result === null) return false;
      this.store.getState().historyPushed({ kind: 'engine', label: result.step?.description ?? '' });
      this.onChanged();
      return true;
    });
  }

  /** A map node the analyst dragged: kept where it was put, and undoable like any edit. */
  moveNode(node: string, label: string, to: Point): void {
    void this.enqueue(async () => {
      // A new entry ends the redo chain here, so the engine forgets the edits it could have redone: both histories stay one.
      if (this.store.getState().redoStack.some((entry) => entry.kind === 'engine') && (await this.send('drop-redo')) === null) return false;
      const state = this.store.getState();
      state.historyPushed({ kind: 'layout', label, node, from: state.positions[node] ?? null, to });
      state.positionSet(node, to);
      this.onChanged();
      return true;
    });
  }

  /** The files to export, once the edits made before are applied (null when the engine failed: the reason is a notice). */
  exports(): Promise<readonly ExportFile[] | null> {
    let files: readonly ExportFile[] | null = null;
    return this.enqueue(async () => {
      try {
        files = await this.engine.exports();
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not export: ${error instanceof Error ? error.message : String(error)}` });
      }
      return files !== null;
    }).then(() => files);
  }

  /** The policy compiled for enforcement points once the edits made before are applied (null when the engine refused: the reason is a notice). */
  ruleSets(targets: readonly ExportTargetName[], logDrops: boolean): Promise<RuleSetBundle | null> {
    let bundle: RuleSetBundle | null = null;
    return this.enqueue(async () => {
      try {
        bundle = await this.engine.ruleSets(targets, logDrops);
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not export rule sets: ${error instanceof Error ? error.message : String(error)}` });
      }
      return bundle !== null;
    }).then(() => bundle);
  }

  /**
   * The workspace file of the work as it is once the edits made before are
   * applied, with the page's state read at that moment (null when there is
   * no work, or the engine failed: the reason is then a notice).
   */
  workspaceBytes(): Promise<Uint8Array | null> {
    let bytes: Uint8Array | null = null;
    return this.enqueue(async () => {
      const state = this.store.getState();
      if (state.view === null) return false;
      try {
        bytes = await this.engine.saveWorkspace(pageState(state));
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not save the workspace: ${error instanceof Error ? error.message : String(error)}` });
      }
      return bytes !== null;
    }).then(() => bytes);
  }

  /** A rule's evidence edges once the edits made before are applied (null: the rule is gone, or the engine failed). */
  evidence(rule: string): Promise<readonly EvidenceEdge[] | null> {
    let edges: readonly EvidenceEdge[] | null = null;
    return this.enqueue(async () => {
      try {
        edges = await this.engine.evidence(rule);
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not read the evidence of ${rule}: ${error instanceof Error ? error.message : String(error)}` });
      }
      return edges !== null;
    }).then(() => edges);
  }

  /** A page of the Traffic view once the edits made before are applied (null when the engine failed: the reason is a notice). */
  traffic(query: TrafficQuery): Promise<TrafficPage | null> {
    let page: TrafficPage | null = null;
    return this.enqueue(async () => {
      try {
        page = await this.engine.traffic(query);
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not read the traffic: ${error instanceof Error ? error.message : String(error)}` });
      }
      return page !== null;
    }).then(() => page);
  }

  /** Newer exports against the policy as the work now has it (the engine runs it after the edits already sent). */
  drift(files: readonly EngineInputFile[], onProgress: (progress: Progress) => void): { readonly result: Promise<DriftCheck>; cancel(): void } {
    return this.engine.drift(files, onProgress);
  }

  /** The top of discovery's tree for the Tree view (null when the engine failed: the reason is a notice). */
  tree(leaves: number): Promise<DendrogramTop | null> {
    let tree: DendrogramTop | null = null;
    return this.enqueue(async () => {
      try {
        tree = await this.engine.tree(leaves);
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not draw the tree: ${error instanceof Error ? error.message : String(error)}` });
      }
      return tree !== null;
    }).then(() => tree);
  }

  /** The promotion gate in the analyst's order for the Promotion view (null when the engine failed: the reason is a notice). */
  promotion(): Promise<PromotionView | null> {
    let promotion: PromotionView | null = null;
    return this.enqueue(async () => {
      try {
        promotion = await this.engine.promotion();
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not read the promotion order: ${error instanceof Error ? error.message : String(error)}` });
      }
      return promotion !== null;
    }).then(() => promotion);
  }

  /** The measures of success of the work after the edits already sent (null when the engine failed: the reason is a notice). */
  measures(): Promise<MeasuresOfWork | null> {
    let measures: MeasuresOfWork | null = null;
    return this.enqueue(async () => {
      try {
        measures = await this.engine.measures();
      } catch (error) {
        this.store.getState().noticeShown({ tone: 'error', text: `Could not measure the work: ${error instanceof Error ? error.message : String(error)}` });
      }
      return measures !== null;
    }).then(() => measures);
  }

  undo(): Promise<boolean> {
    return this.shift('undo');
  }

  redo(): Promise<boolean> {
    return this.shift('redo');
  }

  private shift(direction: 'undo' | 'redo'): Promise<boolean> {
    return this.enqueue(async () => {
      const state = this.store.getState();
      const stack = direction === 'undo' ? state.undoStack : state.redoStack;
      const entry = stack[stack.length - 1];
      if (entry === undefined) return false;
      if (entry.kind === 'layout') state.positionSet(entry.node, direction === 'undo' ? entry.from : entry.to);
      else if ((await this.send(direction)) === null) return false;
      this.store.getState().historyShifted(direction);
      this.onChanged();
      return true;
    });
  }

  private async send(edit: WorkbenchEdit | 'undo' | 'redo' | 'drop-redo') {
    const state = this.store.getState();
    state.editStarted();
    try {
      const result = await this.engine.edit(edit);
      const now = this.store.getState();
      // A new analysis started meanwhile: this answer is about one the page no longer shows.
      if (now.view === null) return null;
      now.viewReceived(result.view);
      // Forgetting the redo chain changes nothing on screen: the last change stays shown.
      if (edit !== 'drop-redo') now.stepReceived(result.step);
      return result;
    } catch (error) {
      this.store.getState().noticeShown({ tone: 'error', text: error instanceof Error ? error.message : String(error) });
      return null;
    } finally {
      this.store.getState().editEnded();
    }
  }

  /**
   * Runs `task` after every task queued before it, and only if the work it
   * was asked for is still the one shown: an edit queued behind a slow one
   * while a new analysis started must not reach the new analysis's
   * workbench (the worker would apply it there, after the analysis).
   */
  private enqueue(task: () => Promise<boolean>): Promise<boolean> {
    const work = this.store.getState().summary;
    const run = this.chain.then(() => {
      const now = this.store.getState();
      if (work === null || now.summary !== work) return false;
      // While files are analysed or a workspace opens, the worker's work is about to change: nothing is sent to it.
      if (now.run.status !== 'idle') {
        now.noticeShown({ tone: 'error', text: 'Wait until the analysis or the opening ends: the work is about to change.' });
        return false;
      }
      return task();
    });
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
