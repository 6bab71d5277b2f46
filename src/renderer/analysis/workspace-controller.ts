import type { StoreApi } from 'zustand';
import type { FlowfenceDesktopApi, RecoveredWork } from '../../shared/ipc';
import type { SaveOutcome } from '../platform/save-text';
import type { AppState } from '../store/app-store';
import type { WorkbenchController } from './workbench-controller';

/** Quiet time after the last change before the work is autosaved: edits in a burst make one write. */
export const AUTOSAVE_DELAY_MS = 1500;

/**
 * Saving the work: on request to a file the analyst chooses, and in the
 * desktop app automatically to its data folder after every change (the
 * main process writes atomically), so a crash loses nothing. At start the
 * page asks the shell for work autosaved before a crash and offers it back.
 */
export class WorkspaceController {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly workbench: Pick<WorkbenchController, 'workspaceBytes'>,
    private readonly store: StoreApi<AppState>,
    private readonly save: (name: string, bytes: Uint8Array) => Promise<SaveOutcome>,
    private readonly desktop: Pick<FlowfenceDesktopApi, 'autosave' | 'recoverAutosave' | 'discardAutosave'> | undefined,
  ) {}

  async saveAs(): Promise<void> {
    const bytes = await this.workbench.workspaceBytes();
    if (bytes === null) return;
    try {
      const outcome = await this.save(suggestedName(this.store.getState()), bytes);
      if (outcome.saved) {
        this.store.getState().noticeShown({ tone: 'info', text: `Saved the workspace as ${outcome.fileName}` });
        // Saved: nothing is left to recover (the next change autosaves again).
        await this.desktop?.discardAutosave();
      }
    } catch (error) {
      this.store.getState().noticeShown({ tone: 'error', text: `Could not save the workspace: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** After a change: autosave once the analyst pauses (desktop only; a browser page has no data folder of its own). */
  changed(): void {
    if (this.desktop === undefined) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.autosave();
    }, AUTOSAVE_DELAY_MS);
  }

  recover(): Promise<RecoveredWork | null> {
    return this.desktop?.recoverAutosave() ?? Promise.resolve(null);
  }

  discardRecovered(): Promise<void> {
    return this.desktop?.discardAutosave() ?? Promise.resolve();
  }

  private async autosave(): Promise<void> {
    const bytes = await this.workbench.workspaceBytes();
    if (bytes === null || this.desktop === undefined) return;
    try {
      await this.desktop.autosave(bytes);
    } catch (error) {
      this.store.getState().noticeShown({ tone: 'error', text: `Autosave failed (your work is still open; save it): ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}

/** "flowfence-2026-01-05.flowfence": the day the analysed traffic starts, so saves of different data differ. */
function suggestedName(state: AppState): string {
  const day = state.summary?.window.from?.slice(0, 10);
  return `flowfence${day === undefined ? '' : `-${day}`}.flowfence`;
}
