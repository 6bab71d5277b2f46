import type { Progress } from '../../core/progress';
import { WORKSPACE_EXTENSION } from '../../core/workspace/workspace-model';
import type { AnalysisHandle, EngineClient } from '../engine/engine-client';
import { restorePageState } from '../model/page-state';
import { isAbortError } from '../engine/errors';
import type { EngineInputFile } from '../engine/protocol';
import type { AppState } from '../store/app-store';
import type { StoreApi } from 'zustand';

/**
 * Connects the engine client to the store: one analysis at a time (or one
 * workspace file being opened, which runs the same way), its progress into
 * the run slice, its result into the result slice, and every ending
 * (completed, cancelled, failed) back to idle.
 */
export class AnalysisController {
  private current: AnalysisHandle | null = null;
  /** The flow files of the last analysis (not of a workspace: it keeps no files), for analysing them again with a hold-out. */
  private lastFiles: readonly EngineInputFile[] | null = null;

  constructor(
    private readonly engine: EngineClient,
    private readonly store: StoreApi<AppState>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether the current work can be analysed again (it came from files, not from a workspace). */
  get canReanalyse(): boolean {
    return this.lastFiles !== null;
  }

  /** The same files again, learning from flows before `trainUntilMs` and replaying the rest (null: learn from all). */
  reanalyse(trainUntilMs: number | null): void {
    if (this.lastFiles !== null) this.start(this.lastFiles, trainUntilMs ?? undefined);
  }

  start(files: readonly EngineInputFile[], trainUntilMs?: number): void {
    if (files.length === 0 || this.current !== null) return;
    const workspace = files.find((entry) => isWorkspaceFile(entry.file.name));
    if (workspace !== undefined && files.length > 1) {
      this.store.getState().noticeShown({ tone: 'error', text: `${workspace.path} is a workspace: open it alone, not with flow exports` });
      return;
    }
    const state = this.store.getState();
    state.resultCleared();
    state.workbenchCleared();
    state.noticeDismissed();
    const startedAt = this.now();
    state.runStarted(files.length, startedAt);
    const onProgress = (progress: Progress) => {
      if (this.current === handle) this.store.getState().runProgressed(progress);
    };
    const handle = workspace === undefined ? this.engine.analyze(files, onProgress, trainUntilMs) : this.engine.openWorkspace(workspace.file, onProgress);
    this.lastFiles = workspace === undefined ? files : null;
    this.current = handle;
    handle.result.then(
      (result) => {
        if (this.current !== handle) return;
        this.current = null;
        this.store.getState().resultReceived(result);
        if (result.restored !== null) this.store.getState().workRestored(restorePageState(result.restored.page, result.restored));
        this.store.getState().runEnded({ kind: 'completed', elapsedMs: this.now() - startedAt });
      },
      (error: unknown) => {
        if (this.current !== handle) return;
        this.current = null;
        this.store
          .getState()
          .runEnded(isAbortError(error) ? { kind: 'cancelled' } : { kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  cancel(): void {
    if (this.current === null) return;
    this.store.getState().runCancelling();
    this.current.cancel();
  }
}

export const isWorkspaceFile = (name: string): boolean => name.toLowerCase().endsWith(WORKSPACE_EXTENSION);
