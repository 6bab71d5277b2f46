// The policy measured on the ingest benchmark's synthetic enterprise with its
// ground truth, in its own process: learn on the first 20 days, replay the
// last 10. Prints one JSON line; used by policy.bench.ts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { fileDigest } from '../../src/core/node/file-digest';
import { expandInputPaths, fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import { workerParsePool } from '../../src/core/node/worker-parse-pool';
import { loadPolicyEdges, loadPolicyHosts } from '../../src/core/policy/load-policy-input';
import { policyEdgeKey } from '../../src/core/policy/policy-input';
import { trainSplitHour } from '../../src/core/policy/policy-stage';
import { simulate } from '../../src/core/policy/simulate';
import type { SynthHost } from '../../src/core/synth/enterprise';
import { truthEdgeKeys } from '../../src/core/synth/ground-truth';
import { inventoryCsv } from '../../src/core/synth/inventory-writer';
import { INGEST_SETTINGS, ingestDataset } from './ingest-dataset';

const TRAIN_DAYS = 20;
const { directory, dataset } = await ingestDataset();
const { enterprise } = dataset;
const inventoryPath = join(directory, '..', `inventory-${directory.split('/').pop()}.csv`);
await writeFile(inventoryPath, inventoryCsv(enterprise));
const files = await Promise.all((await expandInputPaths([directory])).map((path) => fileInput(path)));
const db = await openNodeDuckDb();
const pool = workerParsePool({ script: new URL('../../dist/cli/parse-worker.mjs', import.meta.url) });
const trainUntilMs = INGEST_SETTINGS.startMs + TRAIN_DAYS * 86_400_000;
const started = Date.now();
const analysis = await analyze({ db, host: nodeIngestHost }, { inputs: files, inventories: [await fileInput(inventoryPath)] }, { pool, digest: fileDigest, policy: { trainUntilMs } });
const analyzeMs = Date.now() - started;
const { policy, exposure, holdout } = analysis.policy;

// Ground truth: legitimate edges are the enterprise's service uses (planted incidents are not).
const legitimate = truthEdgeKeys({ ...enterprise, incidents: [] });
const truthGroup = (host: SynthHost): string =>
  host.kind === 'server' ? `${host.env}|${host.app}|${host.tier}` : host.kind === 'shared' ? `shared|${host.service}` : host.kind === 'workstation' ? `dept|${host.dept}` : 'external';
const hostByIp = new Map(enterprise.hosts.map((host) => [host.ip, host]));

// The replay: legitimate edges of services seen in training, and how many the policy would block.
const hosts = await loadPolicyHosts(db);
const split = trainSplitHour(trainUntilMs);
const trainEdges = await loadPolicyEdges(db, { from: null, to: split });
const knownServices = new Set(trainEdges.filter((edge) => edge.action !== 2).map((edge) => `${edge.server}|${edge.proto}|${edge.port}`));
const verdicts = simulate(policy, await loadPolicyEdges(db, { from: split, to: null }), hosts);
let legitReplayed = 0;
let legitEscaped = 0;
let legitJit = 0;
let attackEdges = 0;
let attackBlocked = 0;
const seen = new Set<string>();
for (const verdict of verdicts) {
  if (verdict.verdict === 'rejected') continue;
  const key = policyEdgeKey(verdict.edge);
  if (!legitimate.has(key)) {
    attackEdges++;
    if (verdict.verdict === 'escaped') attackBlocked++;
    continue;
  }
  if (!knownServices.has(`${verdict.edge.server}|${verdict.edge.proto}|${verdict.edge.port}`) || seen.has(key)) continue;
  seen.add(key);
  legitReplayed++;
  if (verdict.cause === 'just-in-time') legitJit++;
  else if (verdict.verdict === 'escaped') legitEscaped++;
}

// The ideal group-level policy: truth group A may reach truth group B when a legitimate edge joins them,
// counted over the same internal hosts as the policy's exposure (those on training edges).
const internal = [...new Set(trainEdges.flatMap((edge) => [edge.client, edge.server]))].filter((ip) => hosts.get(ip)?.scope === 'internal');
const size = new Map<string, number>();
for (const ip of internal) {
  const group = truthGroup(hostByIp.get(ip)!);
  size.set(group, (size.get(group) ?? 0) + 1);
}
const truthPairs = new Set<string>();
for (const edge of trainEdges) {
  if (edge.action === 2 || !legitimate.has(policyEdgeKey(edge))) continue;
  const client = hostByIp.get(edge.client);
  const server = hostByIp.get(edge.server);
  if (client === undefined || server === undefined || client.kind === 'external' || server.kind === 'external') continue;
  truthPairs.add(`${truthGroup(client)}\t${truthGroup(server)}`);
}
let idealPairs = 0;
for (const pair of truthPairs) {
  const [a, b] = pair.split('\t') as [string, string];
  idealPairs += a === b ? size.get(a)! * (size.get(a)! - 1) : size.get(a)! * size.get(b)!;
}
const policyGroupPairs = new Set(policy.rules.map((rule) => `${rule.from}\t${rule.to}`)).size;
const records = analysis.summary.inputs.reduce((sum, input) => sum + input.read, 0);
console.log(
  JSON.stringify({
    records,
    trainDays: TRAIN_DAYS,
    replayDays: INGEST_SETTINGS.days - TRAIN_DAYS,
    groups: analysis.discovery.groups.length,
    rules: policy.rules.length,
    jitRules: policy.rules.filter((rule) => rule.jit !== null).length,
    liftedRules: policy.rules.filter((rule) => rule.from === 'internal').length,
    rangeRules: policy.rules.filter((rule) => rule.ports !== null && rule.ports.from !== rule.ports.to).length,
    windowRules: policy.rules.filter((rule) => rule.window !== null).length,
    truthGroupPairs: truthPairs.size,
    policyGroupPairs,
    legitReplayed,
    legitEscaped,
    legitJit,
    attackEdges,
    attackBlocked,
    holdout,
    flatPairs: exposure.flatPairs,
    policyPairs: exposure.policyPairs,
    idealPairs,
    reduction: exposure.reduction,
    adminPaths: exposure.adminPaths,
    timingsMs: { ...analysis.summary.timingsMs, analyze: analyzeMs },
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
process.exit(0);
