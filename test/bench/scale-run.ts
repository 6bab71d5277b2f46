// One scale run in its own process (its peak memory is its own): the files
// named on the command line through the engine's load stage (classify,
// parse on worker threads, edges, enrichment). Prints one JSON line.
import { loadFlows } from '../../src/core/load-flows';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import { workerParsePool } from '../../src/core/node/worker-parse-pool';

const paths = process.argv.slice(2);
const db = await openNodeDuckDb();
const files = await Promise.all(paths.map((path) => fileInput(path)));
const pool = workerParsePool({ script: new URL('../../dist/cli/parse-worker.mjs', import.meta.url) });
const started = performance.now();
const loaded = await loadFlows({ db, host: nodeIngestHost }, { inputs: files }, { pool });
const ms = performance.now() - started;
const count = async (sql: string): Promise<number> => Number((await db.all<{ n: number | bigint }>(sql))[0]!.n);
const records = loaded.reports.reduce((sum, report) => sum + report.read, 0);
// CPU seconds of the process and its parse threads: unlike the time, barely moved by other work on the machine.
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    records,
    ms,
    timingsMs: loaded.timingsMs,
    hourlyEdges: await count('SELECT count(*) AS n FROM edges_hourly'),
    edges: await count('SELECT count(*) AS n FROM edges'),
    cpuS: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
process.exit(0);
