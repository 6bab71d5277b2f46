// One engine run for the ingest benchmark, in its own process so that its
// peak memory (maxRSS) is its alone. Prints one JSON line.
import { loadFlows } from '../../src/core/load-flows';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { expandInputPaths, fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import { workerParsePool } from '../../src/core/node/worker-parse-pool';
import { runNativePipeline } from './native-duckdb-pipeline';

const [engine, directory] = process.argv.slice(2);
if (directory === undefined || (engine !== 'wasm' && engine !== 'native')) {
  throw new Error('usage: ingest-engines.ts wasm|native <directory>');
}
const paths = await expandInputPaths([directory]);

if (engine === 'native') {
  const run = await runNativePipeline(paths);
  console.log(JSON.stringify({ engine, rows: run.rows, edges: run.edges, ms: run.ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  const db = await openNodeDuckDb();
  const files = await Promise.all(paths.map((path) => fileInput(path)));
  // The bundled worker the CLI ships (the parent bench script builds it first), not TypeScript under a loader.
  const pool = workerParsePool({ script: new URL('../../dist/cli/parse-worker.mjs', import.meta.url) });
  const started = performance.now();
  // The engine's ingest stages (classify, parse, edges, enrichment); discovery and policy have their own benchmarks.
  const loaded = await loadFlows({ db, host: nodeIngestHost }, { inputs: files }, { pool });
  const ms = performance.now() - started;
  const rows = loaded.reports.reduce((sum, report) => sum + report.read, 0);
  const [{ edges }] = (await db.all<{ edges: number }>('SELECT count(*) AS edges FROM edges')) as [{ edges: number }];
  console.log(JSON.stringify({ engine, rows, edges, ms, ingestMs: loaded.timingsMs.ingest, edgesMs: loaded.timingsMs.edges, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}
