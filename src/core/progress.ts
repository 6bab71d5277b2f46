/** Progress of a long operation: overall fraction 0..1 plus what is happening now. */
export interface Progress {
  readonly stage: string;
  readonly fraction: number;
  readonly detail?: string;
  /** Input rows read so far (ingest only), for a rate and the time left. */
  readonly rows?: number;
}

export type ProgressListener = (progress: Progress) => void;

/**
 * Forwards at most one update per `intervalMs` (a UI cannot show more and a
 * worker should not flood its channel), but always the first update of each
 * stage and the final 1.0.
 */
export function throttleProgress(listener: ProgressListener | undefined, intervalMs = 100): ProgressListener {
  if (listener === undefined) return () => undefined;
  let last = 0;
  let lastStage = '';
  return (progress) => {
    const now = Date.now();
    if (progress.stage !== lastStage || progress.fraction >= 1 || now - last >= intervalMs) {
      last = now;
      lastStage = progress.stage;
      listener({ ...progress, fraction: Math.min(1, Math.max(0, progress.fraction)) });
    }
  };
}

/** Maps a sub-task's 0..1 onto a slice [from, to] of the overall fraction. */
export function progressSlice(listener: ProgressListener, from: number, to: number): ProgressListener {
  return (progress) => listener({ ...progress, fraction: from + (to - from) * progress.fraction });
}
