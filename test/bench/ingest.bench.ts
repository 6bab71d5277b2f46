// npm run bench:ingest — the synthetic enterprise (30 days, AWS VPC flow logs
// from every interface, responses included, at least 5 million records) read
// by the default engine (duckdb-wasm, TypeScript parsers on worker threads)
// and, in the same run, by native DuckDB doing the same aggregation from the
// same gzip files with its own CSV reader. Two cases: the 30 daily files, and
// the same enterprise as ONE gzip file of ≥ 6.4 million records (which the
// engine cuts into pieces parsed on every thread).
import { execFileSync } from 'node:child_process';
import { engineEnv } from '../../src/cli/huge-pages.mjs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ingestDataset } from './ingest-dataset';
import { singleFileDataset } from './ingest-single-file';

const { directory } = await ingestDataset();
const single = await singleFileDataset();

interface Run {
  engine: string;
  rows: number;
  edges: number;
  ms: number;
  maxRssMb: number;
  ingestMs?: number;
  edgesMs?: number;
}

function run(engine: 'wasm' | 'native', input: string): Run {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', 'ingest-engines.ts'), engine, input], {
    cwd: ROOT,
    // The environment the flowfence launcher gives the engine (huge pages on Linux, src/cli/huge-pages.mjs).
    env: engineEnv(process.env, process.platform),
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as Run;
}

// Builds (or refreshes) the CLI bundle, whose parse worker the engine run uses.
execFileSync(process.execPath, [join(ROOT, 'src', 'cli', 'flowfence.mjs'), '--help'], { cwd: ROOT, stdio: 'ignore' });
const files = readdirSync(directory).filter((name) => name.endsWith('.gz')).length;
console.log(`cores: ${(await import('node:os')).availableParallelism()}, node ${process.version}`);

const rate = (r: Run): number => Math.round(r.rows / (r.ms / 1000));
const row = (label: string, r: Run): string =>
  `| ${label} | ${r.rows.toLocaleString('en')} | ${(r.ms / 1000).toFixed(1)} s | ${rate(r).toLocaleString('en')} | ${Math.round(r.maxRssMb).toLocaleString('en')} MB |`;

/** Runs one case on both engines (the engine first, then native DuckDB) and prints its table and its targets. */
function benchCase(title: string, input: string, targets: (wasm: Run, ratio: number) => (readonly [string, boolean])[]): void {
  const wasm = run('wasm', input);
  const native = run('native', input);
  if (wasm.edges !== native.edges) throw new Error(`${title}: engines disagree: ${wasm.edges} edges (wasm) vs ${native.edges} (native)`);
  const ratio = wasm.ms / native.ms;
  console.log('');
  console.log(`### ${title}`);
  console.log('| engine | records | time | records/s | peak memory |');
  console.log('|---|---|---|---|---|');
  console.log(row('Flowfence (duckdb-wasm, parsers on worker threads)', wasm));
  console.log(row('native DuckDB (@duckdb/node-api, read_csv)', native));
  console.log('');
  console.log(`time ratio Flowfence / native: ${ratio.toFixed(2)}× (ingest ${((wasm.ingestMs ?? 0) / 1000).toFixed(1)} s, edges ${((wasm.edgesMs ?? 0) / 1000).toFixed(1)} s); both found ${wasm.edges} edges`);
  for (const [target, met] of targets(wasm, ratio)) console.log(`${met ? 'met    ' : 'MISSED '} ${target}`);
}

benchCase(`${files} daily gzip files`, directory, (wasm, ratio) => [
  [`≥ 500,000 records/s with duckdb-wasm`, rate(wasm) >= 500_000],
  ['≤ 1.0× native DuckDB time', ratio <= 1.0],
  ['≤ 2 GB peak memory', wasm.maxRssMb <= 2048],
]);
benchCase('one gzip file', single.path, (wasm, ratio) => [
  ['≤ 1.5× native DuckDB time', ratio <= 1.5],
  ['≤ 1.6 GB peak memory', wasm.maxRssMb <= 1.6 * 1024],
]);
