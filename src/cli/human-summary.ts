import type { AnalysisSummary } from '../core/report/summary';
import { formatCount, formatShare } from './number-format';
import { compareText } from '../core/util/compare';
import { terminalText } from './terminal-text';

/** Reject reasons shown per file; the rest are counted in one line. */
const SHOWN_REASONS = 5;

/** The analysis for a person at a terminal: one line per input, then the totals. Values from the data are printed escaped (terminal-text.ts). */
export function humanSummary(summary: AnalysisSummary, written: readonly string[]): string {
  const lines: string[] = [];
  const width = Math.min(60, Math.max(...summary.inputs.map((input) => input.path.length), 4));
  for (const input of summary.inputs) {
    const counts = `${input.read} read, ${input.accepted} accepted, ${input.rejected} rejected`;
    lines.push(`${input.path.padEnd(width)}  ${(input.format ?? '?').padEnd(14)} ${counts}`);
    if (input.error !== undefined) lines.push(`  error: ${input.error}`);
    if (input.skipped !== undefined) lines.push(`  ${input.skipped}`);
    if (input.pushdown !== undefined) lines.push(`  edges computed in the warehouse by pushdown query ${input.pushdown.querySha256.slice(0, 16)}… over ${input.pushdown.source}`);
    for (const warning of input.warnings ?? []) lines.push(`  note: ${warning}`);
    const reasons = Object.entries(input.rejectReasons).sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
    for (const [reason, count] of reasons.slice(0, SHOWN_REASONS)) lines.push(`  rejected ${count}× ${reason}`);
    if (reasons.length > SHOWN_REASONS) {
      const more = reasons.slice(SHOWN_REASONS).reduce((sum, [, count]) => sum + count, 0);
      lines.push(`  … ${reasons.length - SHOWN_REASONS} more reason${reasons.length - SHOWN_REASONS === 1 ? '' : 's'} (${more} row${more === 1 ? '' : 's'}): --json counts every reason, rejects.csv (--out) lists every row`);
    }
  }
  lines.push('');
  for (const warning of summary.warnings ?? []) lines.push(`warning: ${warning}`);
  lines.push(`${summary.hosts} hosts, ${summary.edges} edges, window ${summary.window.from ?? '?'} → ${summary.window.to ?? '?'}`);
  const e = summary.enrichment;
  lines.push(`${e.internalHosts} internal, ${e.externalHosts} external, ${e.namedHosts} named, ${e.labelledHosts} labelled; ${e.logons} logons`);
  lines.push(`${summary.groups.length} groups from ${summary.clustering.profiles} distinct host profiles (mean silhouette ${summary.clustering.silhouette.toFixed(2)})`);
  for (const group of summary.groups.slice(0, 12)) {
    lines.push(`  ${group.id.padEnd(5)} ${group.name} (${group.tier}, ${group.members.length} host${group.members.length === 1 ? '' : 's'}, confidence ${group.confidence.toFixed(2)})`);
  }
  if (summary.groups.length > 12) lines.push(`  … ${summary.groups.length - 12} more in groups.csv or --json`);
  const reach = summary.graph.topReach.slice(0, 3).map((entry) => `${entry.ip} (${entry.reaches})`);
  lines.push(`${summary.graph.communities} communities (modularity ${summary.graph.modularity}); reaching most hosts if compromised: ${reach.join(', ') || 'none'}`);
  lines.push(`${summary.anomalies.length} anomalies left out of discovery and policy until accepted`);
  for (const anomaly of summary.anomalies.slice(0, 8)) lines.push(`  ${anomaly.kind.padEnd(18)} ${anomaly.src} → ${anomaly.dst}: ${anomaly.reason}`);
  if (summary.anomalies.length > 8) lines.push(`  … ${summary.anomalies.length - 8} more in anomalies.csv or --json`);
  const { simulation, exposure, holdout } = summary;
  lines.push(`${summary.rules} rules; replayed: ${formatCount(simulation.permitted)} flows permitted, ${formatCount(simulation.escaped)} escaped, coverage ${formatShare(simulation.coverage)}`);
  lines.push(`exposure: ${formatCount(exposure.policyPairs)} of ${formatCount(exposure.flatPairs)} internal host pairs reachable (${formatShare(exposure.reduction)} fewer than flat), ${formatCount(exposure.adminPaths)} through admin services`);
  if (holdout !== undefined) {
    lines.push(`hold-out: ${holdout.escapedEdges} of ${holdout.replayedEdges} known-service edges would break (${formatShare(holdout.wouldBreakRate)}); ${holdout.newServices} new services (drift)`);
  }
  lines.push(`ingest ${summary.timingsMs.ingest} ms, discover ${summary.timingsMs.discover} ms, policy ${summary.timingsMs.policy} ms, total ${summary.timingsMs.total} ms`);
  if (written.length > 0) lines.push(`wrote ${written.join(', ')}`);
  return `${lines.map(terminalText).join('\n')}\n`;
}
