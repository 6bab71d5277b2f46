// One engine run for the ingest benchmark, in its own process so that its
// peak memory (maxRSS) is its alone. Prints one JSON line.
import { analyze } from '../../src/core/analyze';
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
  const { summary } = await analyze({ db, host: nodeIngestHost }, { inputs: files }, { pool });
  // The engine's ingest stages (parse, edges, enrichment); discovery has its own benchmark.
  const ms = performance.now() - started - summary.timingsMs.discover;
  const rows = summary.inputs.reduce((sum, input) => sum + input.read, 0);
  console.log(JSON.stringify({ engine, rows, edges: summary.edges, ms, ingestMs: summary.timingsMs.ingest, edgesMs: summary.timingsMs.edges, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}
