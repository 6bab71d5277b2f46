import type { Progress } from '../../core/progress';
import { WORKSPACE_EXTENSION } from '../../core/workspace/workspace-model';
import type { ColumnMap } from '../../core/ingest/format';
import type { AnalysisHandle, EngineClient, RunOptions } from '../engine/engine-client';
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
  /** The flow files of the last analysis (not of a workspace: it keeps no files) and its options, for analysing them again. */
  private lastFiles: readonly EngineInputFile[] | null = null;
  private lastOptions: RunOptions = {};

  constructor(
    private readonly engine: EngineClient,
    private readonly store: StoreApi<AppState>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether the current work can be analysed again (it came from files, not from a workspace). */
  get canReanalyse(): boolean {
    return this.lastFiles !== null;
  }

  /** The options the current work was analysed with. */
  get options(): RunOptions {
    return this.lastOptions;
  }

  /** One of the last analysis's files, by the path the page shows (for the column-mapping preview). */
  fileAt(path: string): File | null {
    return this.lastFiles?.find((entry) => entry.path === path)?.file ?? null;
  }

  /**
   * The same files again with changed options (a hold-out split, a column
   * mapping); the other options stay as they were. null clears an option.
   */
  reanalyse(change: { readonly trainUntilMs?: number | null; readonly csvMap?: ColumnMap | null }): void {
    if (this.lastFiles === null) return;
    const options: { trainUntilMs?: number; csvMap?: ColumnMap } = { ...this.lastOptions };
    if (change.trainUntilMs === null) delete options.trainUntilMs;
    else if (change.trainUntilMs !== undefined) options.trainUntilMs = change.trainUntilMs;
    if (change.csvMap === null) delete options.csvMap;
    else if (change.csvMap !== undefined) options.csvMap = change.csvMap;
    this.start(this.lastFiles, options);
  }

  start(files: readonly EngineInputFile[], options: RunOptions = {}): void {
    if (files.length === 0 || this.current !== null) return;
    const workspace = files.find((entry) => isWorkspaceFile(entry.file.name));
    if (workspace !== undefined && files.length > 1) {
      this.store.getState().noticeShown({ tone: 'error', text: `${workspace.path} is a workspace: open it alone, not with flow exports` });
      return;
    }
    const state = this.store.getState();
    // A new analysis clears the page at once (nothing stale is shown); a workspace replaces the work only once it
    // has opened, so a damaged file costs nothing on screen.
    if (workspace === undefined) {
      state.resultCleared();
      state.workbenchCleared();
    }
    state.noticeDismissed();
    const startedAt = this.now();
    state.runStarted(files.length, startedAt);
    const onProgress = (progress: Progress) => {
      if (this.current === handle) this.store.getState().runProgressed(progress);
    };
    const handle = workspace === undefined ? this.engine.analyze(files, onProgress, options) : this.engine.openWorkspace(workspace.file, onProgress);
    if (workspace === undefined) {
      this.lastFiles = files;
      this.lastOptions = options;
    }
    this.current = handle;
    handle.result.then(
      (result) => {
        if (this.current !== handle) return;
        this.current = null;
        if (workspace !== undefined) {
          this.lastFiles = null;
          this.lastOptions = {};
          this.store.getState().resultCleared();
          this.store.getState().workbenchCleared();
        }
        this.store.getState().resultReceived(result);
        if (result.restored !== null) this.store.getState().workRestored(restorePageState(result.restored.page, result.restored));
        this.store.getState().runEnded({ kind: 'completed', elapsedMs: this.now() - startedAt, ...(workspace === undefined ? {} : { workspace: workspace.path }) });
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
