// npm run bench:scale — a 90-day window of a 5,000-host enterprise (≥ 50
// million AWS flow records, generated; not in CI), read by the engine at
// 12.5, 25 and 50 million records so that the growth is visible: records/s,
// peak memory, hourly edges and the time of each stage. `--upto N` stops
// after the case of N million records (the 50M case takes long); `--sizes
// 3,6,12` reads other sizes (millions of records), to see the growth quickly.
import { execFileSync } from 'node:child_process';
import { engineEnv } from '../../src/cli/huge-pages.mjs';
import { join } from 'node:path';
import { ROOT } from './ingest-dataset';
import { daysFor, scaleDataset } from './scale-dataset';

const argument = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const upto = argument('--upto') === undefined ? Number.POSITIVE_INFINITY : Number(argument('--upto')) * 1e6;
const sizes = (argument('--sizes')?.split(',').map((millions) => Number(millions) * 1e6) ?? [12_500_000, 25_000_000, 50_000_000]).filter((n) => n <= upto);
const { days, hosts } = await scaleDataset();
// Builds (or refreshes) the CLI bundle, whose parse worker the runs use.
execFileSync(process.execPath, [join(ROOT, 'src', 'cli', 'flowfence.mjs'), '--help'], { cwd: ROOT, stdio: 'ignore' });
const os = await import('node:os');
console.log(`cores: ${os.availableParallelism()}, node ${process.version}, ${hosts.toLocaleString('en')} hosts, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);

interface ScaleRun {
  records: number;
  ms: number;
  timingsMs: { ingest: number; edges: number; enrich: number };
  hourlyEdges: number;
  edges: number;
  cpuS: number;
  maxRssMb: number;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
console.log('');
console.log('| records | days | time | records/s | CPU s | peak memory | hourly edges | edges | ingest | edges stage | enrich | load average |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
let last: ScaleRun | null = null;
for (const target of sizes) {
  const chosen = daysFor(days, target);
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', 'scale-run.ts'), ...chosen.map((day) => day.path)], {
    cwd: ROOT,
    // The environment the flowfence launcher gives the engine (huge pages on Linux, src/cli/huge-pages.mjs).
    env: engineEnv(process.env, process.platform),
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  const run = JSON.parse(output.trim().split('\n').pop()!) as ScaleRun;
  const rate = Math.round(run.records / (run.ms / 1000));
  console.log(
    `| ${run.records.toLocaleString('en')} | ${chosen.length} | ${s(run.ms)} | ${rate.toLocaleString('en')} | ${run.cpuS.toFixed(0)} | ${Math.round(run.maxRssMb).toLocaleString('en')} MB | ${run.hourlyEdges.toLocaleString('en')} | ${run.edges.toLocaleString('en')} | ${s(run.timingsMs.ingest)} | ${s(run.timingsMs.edges)} | ${s(run.timingsMs.enrich)} | ${os.loadavg()[0]!.toFixed(1)} |`,
  );
  last = run;
}
if (last !== null && last.records >= 50_000_000) {
  const rate = last.records / (last.ms / 1000);
  console.log('');
  console.log(`${rate >= 500_000 ? 'met    ' : 'MISSED '} ≥ 500,000 records/s at 50M records`);
  console.log(`${last.maxRssMb <= 3 * 1024 ? 'met    ' : 'MISSED '} ≤ 3 GB peak memory at 50M records`);
}
