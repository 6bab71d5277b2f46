import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MeasureTrend } from '../../src/core/measures/measure-trend';
import { policyJson } from '../../src/core/policy/build-policy';
import type { PolicyEdge } from '../../src/core/policy/policy-input';
import { Workbench } from '../../src/core/workbench/workbench';
import { readWorkspace, writeWorkspace } from '../../src/core/workspace/workspace-file';
import { cli } from '../helpers/cli';

// flowfence measures on two workspaces a week apart (the demo fixture, and
// the same traffic a week later with one more anomaly accepted) and on a
// policy.json alone: the trend, the figures a policy alone cannot give, and
// the page of charts.

const FIXTURE = fileURLToPath(new URL('../fixtures/workspace/demo.v1.flowfence', import.meta.url));
const WEEK = 7 * 24 * 3_600_000;
const later = (edge: PolicyEdge): PolicyEdge => ({ ...edge, firstMs: edge.firstMs === null ? null : edge.firstMs + WEEK, lastMs: edge.lastMs === null ? null : edge.lastMs + WEEK });

let dir: string;
let week1: string;
let week2: string;
let policyPath: string;
let anomalies: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowfence-measures-cli-'));
  const bytes = new Uint8Array(await readFile(FIXTURE));
  const content = readWorkspace(bytes);
  anomalies = content.material.anomalies.length;
  week1 = join(dir, 'week1.flowfence');
  await writeFile(week1, bytes);
  const material = { ...content.material, policy: { ...content.material.policy, edges: content.material.policy.edges.map(later), replay: content.material.policy.replay.map(later) } };
  const bench = Workbench.restore(material, content.log);
  bench.edit({ kind: 'anomaly', anomaly: 1, accepted: true, reason: 'the backup job' });
  week2 = join(dir, 'week2.flowfence');
  await writeFile(week2, writeWorkspace({ summary: content.summary, material, log: bench.log(), page: content.page }));
  policyPath = join(dir, 'policy.json');
  await writeFile(policyPath, policyJson(bench.policy()));
}, 120_000);

describe('flowfence measures', () => {
  it('orders two workspaces by their data, whatever order they are given in, and reports what changed', async () => {
    const json = join(dir, 'trend.json');
    const run = await cli(['measures', week2, week1, '--json', json]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const trend = JSON.parse(await readFile(json, 'utf8')) as MeasureTrend;
    expect(trend.snapshots.map((m) => m.snapshot.name)).toEqual([week1, week2]);
    // The fixture accepted anomaly 0; week 2 also accepts anomaly 1.
    expect(trend.snapshots.map((m) => m.anomalies)).toEqual([
      { found: anomalies, open: anomalies - 1 },
      { found: anomalies, open: anomalies - 2 },
    ]);
    const [step] = trend.steps;
    expect(step!.change.anomaliesOpen).toBe(-1);
    // The same traffic a week later: no new edge in the week between them.
    expect(step!.newEdges).toEqual({ count: 0, weeks: 1, perWeek: 0 });
    expect(run.stdout).toContain(`${week1} → ${week2}`);
    expect(run.stdout).toContain('Anomalies still open: -1');

    const again = join(dir, 'again.json');
    await cli(['measures', week1, week2, '--json', again]);
    expect(await readFile(again, 'utf8')).toBe(await readFile(json, 'utf8'));
  });

  it('a policy.json alone: the measures that need flows are unavailable, never 0, and the page of charts is well-formed', async () => {
    const html = join(dir, 'measures.html');
    const run = await cli(['measures', policyPath, week1, '--html', html]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Host pairs reachable \(current stages\): unavailable/);
    expect(run.stdout).toMatch(/unavailable: needs flows/);
    expect(run.stdout).toMatch(/unavailable: needs a workspace/);
    const page = await readFile(html, 'utf8');
    expect(page).not.toMatch(/<script/i);
    const svgs = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((match) => match[0]);
    expect(svgs).toHaveLength(7);
    for (const svg of svgs) expect(XMLValidator.validate(svg)).toBe(true);
  });

  it('refuses what is not a snapshot with exit 2', async () => {
    const junk = join(dir, 'junk.flowfence');
    await writeFile(junk, 'not a zip');
    expect((await cli(['measures', junk])).code).toBe(2);
    expect((await cli(['measures'])).code).toBe(2);
    expect((await cli(['measures', week1, week1])).code).toBe(2);
  });
});
