import { readFile } from 'node:fs/promises';
import { measuresHtml } from '../core/measures/measures-html';
import { formatHeadline, HEADLINE_LABELS, headlineOf, measureTrend, type HeadlineFigures, type MeasureTrend } from '../core/measures/measure-trend';
import { snapshotOfPolicy, snapshotOfWorkspace } from '../core/measures/measure-snapshot';
import type { MeasureSnapshot } from '../core/measures/measures-model';
import { NEEDS_FLOWS, NEEDS_WORKSPACE } from '../core/measures/measures-of';
import { writeFileAtomic } from '../core/node/atomic-write';
import { readWorkspace } from '../core/workspace/workspace-file';
import { WORKSPACE_EXTENSION, WorkspaceError } from '../core/workspace/workspace-model';
import type { CommandIo } from './analyze-command';
import { parseCommandLine, UsageError } from './args';
import { EXIT } from './exit-codes';
import { readPolicy } from './replay-flows';
import { terminalText } from './terminal-text';

export const MEASURES_USAGE = `Usage: flowfence measures <workspace.flowfence | policy.json>… [--json FILE] [--html FILE]

The measures of success of each snapshot, and what changed between
consecutive snapshots (ordered by the end of their data, whatever order
they are given in): host pairs reachable, admin paths and the blast radius
in the flat network, at the groups' current stages and at full
enforcement; the share of hosts per stage; rules certified and expired;
drift (new edges per week against the policy, rules unused for 30 days);
anomalies found and still open.

A workspace (.flowfence, saved by the workbench) gives every measure. A
policy.json alone has no flows: reachability, admin paths, blast radius,
drift and unused rules are then unavailable (never 0), and anomalies need a
workspace; stages and certifications are given.

Options:
  --json FILE          write the measures and the changes as JSON
  --html FILE          write a page with a chart of each measure (no script, offline)
  -h, --help           show this help

Exit codes: 0 measured; 2 unreadable snapshot or bad arguments; 1 unexpected failure.`;

export async function measuresCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    json: { type: 'string' },
    html: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help === true) {
    io.stdout.write(`${MEASURES_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('give at least one workspace (.flowfence) or policy.json');
  if (new Set(positionals).size !== positionals.length) throw new UsageError('a snapshot is given twice');
  const snapshots = await Promise.all(positionals.map(readSnapshot));
  const trend = measureTrend(snapshots);
  if (values.json !== undefined) await writeFileAtomic(values.json, [`${JSON.stringify(trend, null, 2)}\n`]);
  if (values.html !== undefined) await writeFileAtomic(values.html, [measuresHtml(trend)]);
  io.stdout.write(`${measuresText(trend).map(terminalText).join('\n')}\n`);
  return EXIT.ok;
}

async function readSnapshot(path: string): Promise<MeasureSnapshot> {
  if (!path.endsWith(WORKSPACE_EXTENSION)) return snapshotOfPolicy(path, (await readPolicy(path)).policy);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return snapshotOfWorkspace(path, readWorkspace(bytes, path));
  } catch (error) {
    if (error instanceof WorkspaceError) throw new UsageError(error.message);
    throw error;
  }
}

const figure = formatHeadline;
const change = (key: keyof HeadlineFigures, value: number | null): string => {
  if (value === null) return 'n/a';
  const text = key === 'shareEnforced' ? `${(value * 100).toFixed(1)} points` : Number.isInteger(value) ? String(value) : value.toFixed(2);
  return value > 0 ? `+${text}` : text;
};

/** The terminal report: per snapshot its figures, then per consecutive pair the changes. */
export function measuresText(trend: MeasureTrend): string[] {
  const keys = Object.keys(HEADLINE_LABELS) as (keyof HeadlineFigures)[];
  const lines: string[] = [];
  for (const measures of trend.snapshots) {
    const headline = headlineOf(measures);
    lines.push(`${measures.snapshot.name} (data to ${measures.snapshot.at ?? 'unknown'})`);
    for (const key of keys) lines.push(`  ${HEADLINE_LABELS[key]}: ${figure(key, headline[key])}`);
    if ('fullEnforcement' in measures.reachablePairs) {
      const { flat, currentStage, fullEnforcement } = measures.reachablePairs;
      lines.push(`  Host pairs: flat ${flat} → current stages ${currentStage} → full enforcement ${fullEnforcement}`);
    }
    if ('newEdges' in measures.drift) lines.push(`  Drift: ${measures.drift.newEdges} edge(s) the enforced policy would block in ${(measures.drift.weeks * 7).toFixed(1)} day(s) of data`);
    if ('windowDays' in measures.unusedRules && measures.unusedRules.windowDays < measures.unusedRules.days) {
      lines.push(`  Unused rules: only ${measures.unusedRules.windowDays.toFixed(1)} day(s) of data, fewer than the ${measures.unusedRules.days} the measure asks for`);
    }
  }
  const reasons = new Set(trend.snapshots.flatMap((m) => [m.reachablePairs, m.anomalies].flatMap((measure) => ('unavailable' in measure ? [measure.unavailable] : []))));
  for (const reason of [NEEDS_FLOWS, NEEDS_WORKSPACE]) if (reasons.has(reason)) lines.push(`unavailable: ${reason}`);
  for (const step of trend.steps) {
    lines.push(`${step.from} → ${step.to}`);
    for (const key of keys) lines.push(`  ${HEADLINE_LABELS[key]}: ${change(key, step.change[key])}`);
    lines.push(
      step.newEdges === null
        ? '  New edges between them: n/a (both need flows)'
        : `  New edges between them: ${step.newEdges.count} in ${step.newEdges.weeks.toFixed(2)} weeks${step.newEdges.perWeek === null ? '' : ` (${step.newEdges.perWeek.toFixed(2)} per week)`}`,
    );
  }
  return lines;
}
