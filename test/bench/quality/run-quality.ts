// The validation harness (npm run bench:quality): every scenario generator ×
// seeds × label variants (+ one one-way capture per generator), each
// scenario analysed in its own process, scored against its ground truth, and
// printed as one row per scenario, the worst case per generator and the worst
// case over all runs against each target.
//
//   npm run bench:quality -- [--quick] [--only SUBSTRING] [--json FILE] [--jobs N] [--seeds 1,2,3]
//
// --quick: one seed, labels 50% and 0% plus the one-way run. --only: runs
// whose id contains SUBSTRING. --json: every result in full. --jobs: scenarios
// run at once (default 2; each is one Node process with its own duckdb-wasm).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allGenerators } from './generators';
import { planRuns, type PlannedRun } from './matrix';
import { generatorTable, listedPodsLine, scenarioTable, shortfallLine, targetTable, targetLines, type RunOutcome } from './report';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./run-scenario.ts', import.meta.url));

function option(name: string): string | null {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? null) : null;
}

const quick = process.argv.includes('--quick');
const only = option('--only');
const jsonPath = option('--json');
const jobs = Math.max(1, Number(option('--jobs') ?? 2));
const seedsOption = option('--seeds');
const seeds = seedsOption === null ? undefined : seedsOption.split(',').map(Number);

const { generators, notes } = await allGenerators();
for (const note of notes) console.error(note);
const runs = planRuns(generators, { quick, seeds, only });
if (runs.length === 0) {
  console.error('no scenario matches');
  process.exit(2);
}

// The parse workers run the bundled dist/cli/parse-worker.mjs: the launcher rebuilds it when sources changed.
const build = spawnSync(process.execPath, [join(ROOT, 'src/cli/flowfence.mjs'), '--help'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
if (build.error !== undefined) throw build.error;

const scratch = await mkdtemp(join(tmpdir(), 'flowfence-quality-results-'));
const started = Date.now();
let finished = 0;

function runOne(run: PlannedRun, index: number): Promise<RunOutcome> {
  const out = join(scratch, `${index}.json`);
  const args = ['--import', 'tsx', CHILD, run.generator, String(run.params.seed), String(run.params.labelCoverage), String(run.params.wrongLabelRate), run.params.oneWay ? '1' : '0', run.params.listUnlabelled === true ? '1' : '0', out];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => {});
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', async (code) => {
      finished++;
      const elapsed = ((Date.now() - started) / 1000).toFixed(0);
      try {
        if (code !== 0) throw new Error(`exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
        const result = JSON.parse(await readFile(out, 'utf8')) as Omit<Extract<RunOutcome, { error?: undefined }>, 'runId'>;
        console.error(`[${finished}/${runs.length}, ${elapsed} s] ${run.id}: ARI ${result.ariServers.toFixed(3)}, over-permission ${(result.overPermission * 100).toFixed(1)}%, would-break ${(result.wouldBreak.rate * 100).toFixed(2)}%, attacks ${result.anomalies.found}/${result.anomalies.planted}, false flags ${result.anomalies.falseFlags} (${result.seconds.toFixed(1)} s)`);
        resolve({ ...result, runId: run.id });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`[${finished}/${runs.length}, ${elapsed} s] ${run.id}: FAILED ${message}`);
        resolve({ runId: run.id, generator: run.generator, labelCoverage: run.params.labelCoverage, error: message });
      }
    });
  });
}

console.error(`${runs.length} scenarios from ${generators.length} generators, ${jobs} at a time`);
const results: RunOutcome[] = new Array(runs.length);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, runs.length) }, async () => {
    while (next < runs.length) {
      const index = next++;
      results[index] = await runOne(runs[index]!, index);
    }
  }),
);
await rm(scratch, { recursive: true, force: true });
const totalSeconds = (Date.now() - started) / 1000;

console.log(`## Scenarios\n\n${scenarioTable(results)}\n`);
console.log(`## Worst case per generator\n\n${generatorTable(results)}\n`);
console.log(`## Worst case over all runs\n\n${targetTable(results)}\n`);
console.log(`${shortfallLine(results)}\n`);
const listedPods = listedPodsLine(results);
if (listedPods !== '') console.log(`${listedPods}\n`);
const lines = targetLines(results);
console.log(`${lines.filter((line) => line.pass === true).length} of ${lines.filter((line) => line.pass !== null).length} targets met; ${runs.length} scenarios in ${(totalSeconds / 60).toFixed(1)} min.`);
for (const note of notes) console.log(`Note: ${note}`);
if (jsonPath !== null) {
  await writeFile(jsonPath, `${JSON.stringify({ quick, only, seeds: seeds ?? null, totalSeconds, notes, targets: lines, runs: results }, null, 2)}\n`);
  console.error(`results written to ${jsonPath}`);
}
process.exit(0);
