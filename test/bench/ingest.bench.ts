// npm run bench:ingest — the synthetic enterprise (30 days, AWS VPC flow logs
// from every interface, responses included, at least 5 million records) read
// by the default engine (duckdb-wasm, TypeScript parsers on worker threads)
// and, in the same run, by native DuckDB doing the same aggregation from the
// same gzip files with its own CSV reader.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ingestDataset } from './ingest-dataset';

const { directory } = await ingestDataset();

interface Run {
  engine: string;
  rows: number;
  edges: number;
  ms: number;
  maxRssMb: number;
  ingestMs?: number;
  edgesMs?: number;
}

function run(engine: 'wasm' | 'native'): Run {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', 'ingest-engines.ts'), engine, directory], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as Run;
}

// Builds (or refreshes) the CLI bundle, whose parse worker the engine run uses.
execFileSync(process.execPath, [join(ROOT, 'src', 'cli', 'flowfence.mjs'), '--help'], { cwd: ROOT, stdio: 'ignore' });
const files = readdirSync(directory).filter((name) => name.endsWith('.gz')).length;
console.log(`cores: ${(await import('node:os')).availableParallelism()}, node ${process.version}, ${files} files`);
const wasm = run('wasm');
const native = run('native');
if (wasm.edges !== native.edges) throw new Error(`engines disagree: ${wasm.edges} edges (wasm) vs ${native.edges} (native)`);

const rate = (r: Run): number => Math.round(r.rows / (r.ms / 1000));
const row = (label: string, r: Run): string =>
  `| ${label} | ${r.rows.toLocaleString('en')} | ${(r.ms / 1000).toFixed(1)} s | ${rate(r).toLocaleString('en')} | ${Math.round(r.maxRssMb).toLocaleString('en')} MB |`;
const ratio = wasm.ms / native.ms;
console.log('');
console.log('| engine | records | time | records/s | peak memory |');
console.log('|---|---|---|---|---|');
console.log(row('Flowfence (duckdb-wasm, parsers on worker threads)', wasm));
console.log(row('native DuckDB (@duckdb/node-api, read_csv)', native));
console.log('');
console.log(`time ratio Flowfence / native: ${ratio.toFixed(2)}× (ingest ${((wasm.ingestMs ?? 0) / 1000).toFixed(1)} s, edges ${((wasm.edgesMs ?? 0) / 1000).toFixed(1)} s); both found ${wasm.edges} edges`);
const checks = [
  [`≥ 500,000 records/s with duckdb-wasm`, rate(wasm) >= 500_000],
  ['≤ 2× native DuckDB time', ratio <= 2],
  ['≤ 2 GB peak memory', wasm.maxRssMb <= 2048],
] as const;
for (const [target, met] of checks) console.log(`${met ? 'met    ' : 'MISSED '} ${target}`);
