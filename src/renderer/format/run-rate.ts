import type { Progress } from '../../core/progress';
import { formatCount, formatDuration } from './numbers';

/**
 * The progress line's figures: rows read and their rate while flows are
 * read, and the time left for the whole analysis, estimated from the share
 * done so far (shown once there is enough behind it to mean something).
 */
export const ESTIMATE_AFTER = { fraction: 0.05, ms: 1500 } as const;

export function runRate(progress: Progress | null, elapsedMs: number): string {
  if (progress === null || elapsedMs <= 0) return '';
  const parts: string[] = [];
  if (progress.rows !== undefined && progress.rows > 0) {
    parts.push(`${formatCount(progress.rows)} rows`, `${formatCount(Math.round(progress.rows / (elapsedMs / 1000)))} rows/s`);
  }
  const { fraction } = progress;
  if (fraction >= ESTIMATE_AFTER.fraction && fraction < 1 && elapsedMs >= ESTIMATE_AFTER.ms) {
    // Whole seconds: an estimate shown to the millisecond would claim a precision it does not have.
    parts.push(`about ${formatDuration(Math.ceil((elapsedMs * (1 - fraction)) / fraction / 1000) * 1000)} left`);
  }
  return parts.join(' · ');
}
