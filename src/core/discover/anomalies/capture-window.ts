import { isPlausibleTime, latestPlausibleMs } from '../../flow/plausible-time';
import type { AnomalyEdge } from './types';

/**
 * The capture's time span and its baseline: the first part of the window,
 * in which every host's routine is seen for the first time. Nothing first
 * seen during the baseline can be called new (lateral movement,
 * new-external), because for a capture that starts in the middle of a
 * host's life everything is "first seen" at the start.
 */
export const CAPTURE_DEFAULTS = {
  /**
   * The baseline is this share of the window: a fifth leaves most of any
   * capture to judge while covering the first day of a five-day capture
   * (every daily routine seen once) and the small hours of a one-day capture.
   */
  baselineShare: 0.2,
} as const;

export type CaptureOptions = { readonly [K in keyof typeof CAPTURE_DEFAULTS]: number };

export interface CaptureWindow {
  readonly startMs: number;
  readonly endMs: number;
  /** Each host's first time on any edge, as client or server. */
  readonly activeSince: ReadonlyMap<string, number>;
}

/**
 * The span of the edges' times, and when each host was first seen; null
 * without a span. Times that cannot be right (flow/plausible-time.ts) are
 * left out when any edge has a plausible time: a few rows stamped 1970
 * among a week of 2026 would put the whole week after the baseline.
 */
export function captureWindow(edges: readonly AnomalyEdge[], nowMs: number = Date.now()): CaptureWindow | null {
  let startMs = Infinity;
  let endMs = -Infinity;
  const activeSince = new Map<string, number>();
  const seen = (host: string, ms: number): void => {
    const known = activeSince.get(host);
    if (known === undefined || ms < known) activeSince.set(host, ms);
  };
  const latest = latestPlausibleMs(nowMs);
  const plausible = (edge: AnomalyEdge): boolean => (edge.firstMs === null || isPlausibleTime(edge.firstMs, latest)) && (edge.lastMs === null || isPlausibleTime(edge.lastMs, latest));
  const someTimesPlausible = edges.some((edge) => edge.firstMs !== null && plausible(edge));
  for (const edge of edges) {
    if (someTimesPlausible && !plausible(edge)) continue;
    if (edge.firstMs !== null) {
      if (edge.firstMs < startMs) startMs = edge.firstMs;
      seen(edge.client, edge.firstMs);
      seen(edge.server, edge.firstMs);
    }
    if (edge.lastMs !== null && edge.lastMs > endMs) endMs = edge.lastMs;
  }
  if (!Number.isFinite(startMs) || !(endMs > startMs)) return null;
  return { startMs, endMs, activeSince };
}

/** The end of the baseline, `share` of the way through the window, at most `capMs` after its start. */
export const baselineEnd = (window: CaptureWindow, share: number, capMs = Infinity): number =>
  window.startMs + Math.min(share * (window.endMs - window.startMs), capMs);
