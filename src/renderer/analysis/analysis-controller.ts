import type { AnalysisHandle, EngineClient } from '../engine/engine-client';
import { isAbortError } from '../engine/errors';
import type { EngineInputFile } from '../engine/protocol';
import type { AppState } from '../store/app-store';
import type { StoreApi } from 'zustand';

/**
 * Connects the engine client to the store: one analysis at a time, its
 * progress into the run slice, its summary into the result slice, and every
 * ending (completed, cancelled, failed) back to idle.
 */
export class AnalysisController {
  private current: AnalysisHandle | null = null;

  constructor(
    private readonly engine: EngineClient,
    private readonly store: StoreApi<AppState>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(files: readonly EngineInputFile[]): void {
    if (files.length === 0 || this.current !== null) return;
    const state = this.store.getState();
    state.resultCleared();
    state.workbenchCleared();
    state.noticeDismissed();
    const startedAt = this.now();
    state.runStarted(files.length, startedAt);
    const handle = this.engine.analyze(files, (progress) => {
      if (this.current === handle) this.store.getState().runProgressed(progress);
    });
    this.current = handle;
    handle.result.then(
      (result) => {
        if (this.current !== handle) return;
        this.current = null;
        this.store.getState().resultReceived(result);
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
