// Discovery on the ingest benchmark's synthetic enterprise, with its CMDB
// inventory, in its own process: prints one JSON line with the adjusted Rand
// index over servers (application × tier × environment; one group per
// shared service), anomaly recall and false flags against the planted
// incidents, and the time of each stage. Used by discovery.bench.ts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { adjustedRandIndex } from '../../src/core/discover/adjusted-rand';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { expandInputPaths, fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import { workerParsePool } from '../../src/core/node/worker-parse-pool';
import type { SynthHost } from '../../src/core/synth/enterprise';
import { expectedAnomalies, scoreAnomalies } from '../../src/core/synth/incidents';
import { inventoryCsv } from '../../src/core/synth/inventory-writer';
import { ingestDataset } from './ingest-dataset';

const { directory, dataset } = await ingestDataset();
const inventoryPath = join(directory, '..', `inventory-${directory.split('/').pop()}.csv`);
await writeFile(inventoryPath, inventoryCsv(dataset.enterprise));
const files = await Promise.all((await expandInputPaths([directory])).map((path) => fileInput(path)));
const db = await openNodeDuckDb();
const pool = workerParsePool({ script: new URL('../../dist/cli/parse-worker.mjs', import.meta.url) });
const { summary } = await analyze({ db, host: nodeIngestHost }, { inputs: files, inventories: [await fileInput(inventoryPath)] }, { pool });
const truth = (host: SynthHost): string => (host.kind === 'server' ? `${host.env}|${host.app}|${host.tier}` : `shared|${host.service}`);
const servers = dataset.enterprise.hosts.filter((host) => host.kind === 'server' || host.kind === 'shared');
const ari = adjustedRandIndex(servers.map((host) => summary.assignments[host.ip] ?? 'unassigned'), servers.map(truth));
const observed = new Set(
  (await db.all<{ pair: string }>(`SELECT DISTINCT c.ip || '|' || s.ip AS pair FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`)).map((row) => row.pair),
);
const anomalies = scoreAnomalies(expectedAnomalies(dataset.enterprise.incidents ?? [], dataset.enterprise.uses), summary.anomalies, observed);
console.log(JSON.stringify({ anomalies, records: summary.inputs.reduce((sum, input) => sum + input.read, 0), internalHosts: summary.enrichment.internalHosts, servers: servers.length, groups: summary.groups.length, ari, timingsMs: summary.timingsMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
process.exit(0);
