import { compareText } from '../util/compare';
import { edgeKeysOf, measuresOf, MS_PER_WEEK } from './measures-of';
import { isAvailable, MEASURE_DEFAULTS, type Measure, type MeasureSettings, type MeasureSnapshot, type Measures } from './measures-model';

/**
 * Measures across snapshots, so a consultant can show the trend across
 * weeks: each snapshot's measures in the order of their data (the end of
 * each one's window; the name breaks ties, so the order never depends on
 * the order the files were given in), and for each consecutive pair what
 * changed.
 */

/** The figures a chart or a change is drawn from: one number per measure, null when the snapshot cannot give it. */
export interface HeadlineFigures {
  readonly reachablePairsCurrent: number | null;
  readonly reachablePairsFull: number | null;
  readonly adminPathsCurrent: number | null;
  readonly blastRadiusMeanCurrent: number | null;
  readonly shareEnforced: number;
  readonly certified: number;
  readonly expired: number;
  readonly driftPerWeek: number | null;
  readonly unusedRules: number | null;
  readonly anomaliesOpen: number | null;
}

/** A headline figure as every report writes it: the share enforced as a percentage, counts whole, rates to two places. */
export function formatHeadline(key: keyof HeadlineFigures, value: number | null): string {
  if (value === null) return 'unavailable';
  if (key === 'shareEnforced') return `${(value * 100).toFixed(1)}%`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export const HEADLINE_LABELS: Readonly<Record<keyof HeadlineFigures, string>> = {
  reachablePairsCurrent: 'Host pairs reachable (current stages)',
  reachablePairsFull: 'Host pairs reachable (full enforcement)',
  adminPathsCurrent: 'Admin paths (current stages)',
  blastRadiusMeanCurrent: 'Mean blast radius, hosts (current stages)',
  shareEnforced: 'Share of hosts enforced',
  certified: 'Rules certified',
  expired: 'Certifications expired',
  driftPerWeek: 'New edges per week against the policy',
  unusedRules: 'Rules unused in the last days of data',
  anomaliesOpen: 'Anomalies still open',
};

export interface TrendStep {
  readonly from: string;
  readonly to: string;
  /** later − earlier per headline figure; null when either snapshot cannot give it. */
  readonly change: Readonly<Record<keyof HeadlineFigures, number | null>>;
  /**
   * Edges (client, server, protocol, port) in the later snapshot's flows and
   * in neither of the earlier one's, per week between the two snapshots'
   * dates; null without flows on both sides or without time between them.
   */
  readonly newEdges: { readonly count: number; readonly weeks: number; readonly perWeek: number | null } | null;
}

export interface MeasureTrend {
  readonly settings: MeasureSettings;
  readonly snapshots: readonly Measures[];
  readonly steps: readonly TrendStep[];
}

const value = <T extends object>(measure: Measure<T>, pick: (figures: T) => number | null): number | null => (isAvailable(measure) ? pick(measure) : null);

export function headlineOf(measures: Measures): HeadlineFigures {
  return {
    reachablePairsCurrent: value(measures.reachablePairs, (m) => m.currentStage),
    reachablePairsFull: value(measures.reachablePairs, (m) => m.fullEnforcement),
    adminPathsCurrent: value(measures.adminPaths, (m) => m.currentStage),
    blastRadiusMeanCurrent: value(measures.blastRadius, (m) => m.mean.currentStage),
    shareEnforced: measures.hostsPerStage.share.enforce,
    certified: measures.certifications.certified,
    expired: measures.certifications.expired,
    driftPerWeek: value(measures.drift, (m) => m.perWeek),
    unusedRules: value(measures.unusedRules, (m) => m.count),
    anomaliesOpen: value(measures.anomalies, (m) => m.open),
  };
}


export function measureTrend(snapshots: readonly MeasureSnapshot[], settings: MeasureSettings = MEASURE_DEFAULTS): MeasureTrend {
  const measured = snapshots.map((snapshot) => ({ snapshot, measures: measuresOf(snapshot, settings) }));
  // By the instant their data ends (a workspace writes it with milliseconds, a policy.json as its window gave it, so
  // the text would misorder them); snapshots without a readable date come first; the name breaks ties.
  const instant = (at: string | null): number => { const ms = at === null ? Number.NaN : Date.parse(at); return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms; };
  measured.sort((a, b) => instant(a.measures.snapshot.at) - instant(b.measures.snapshot.at) || compareText(a.snapshot.name, b.snapshot.name));
  const steps: TrendStep[] = [];
  for (let index = 1; index < measured.length; index++) {
    const earlier = measured[index - 1]!;
    const later = measured[index]!;
    const before = headlineOf(earlier.measures);
    const after = headlineOf(later.measures);
    const change = Object.fromEntries(
      (Object.keys(HEADLINE_LABELS) as (keyof HeadlineFigures)[]).map((key) => {
        const a = before[key];
        const b = after[key];
        return [key, a === null || b === null ? null : b - a];
      }),
    ) as Record<keyof HeadlineFigures, number | null>;
    steps.push({ from: earlier.snapshot.name, to: later.snapshot.name, change, newEdges: newEdgesBetween(earlier, later) });
  }
  return { settings, snapshots: measured.map((entry) => entry.measures), steps };
}

function newEdgesBetween(earlier: { snapshot: MeasureSnapshot; measures: Measures }, later: { snapshot: MeasureSnapshot; measures: Measures }): TrendStep['newEdges'] {
  if (earlier.snapshot.flows === null || later.snapshot.flows === null) return null;
  const known = edgeKeysOf(earlier.snapshot.flows);
  let count = 0;
  for (const key of edgeKeysOf(later.snapshot.flows)) if (!known.has(key)) count++;
  const from = earlier.measures.snapshot.at;
  const to = later.measures.snapshot.at;
  const weeks = from === null || to === null ? 0 : (Date.parse(to) - Date.parse(from)) / MS_PER_WEEK;
  return { count, weeks, perWeek: weeks > 0 ? count / weeks : null };
}
