// npm run bench:discovery — discovery measured: its scaling on 2,000 and
// 10,000 distinct host profiles (time and peak memory, each in its own
// process), its accuracy against ground truth on the real application
// topologies in ../shared/data/topologies deployed as pods, and on the
// ingest benchmark's synthetic enterprise, with the time of each stage.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { adjustedRandIndex } from '../../src/core/discover/adjusted-rand';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { memoryInputFile } from '../../src/core/ingest/source';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import { awsDatasetOf } from '../../src/core/synth/aws-dataset';
import { deployTopology, parseTopology } from '../../src/core/synth/topology-enterprise';
import { ROOT } from './ingest-dataset';

const TOPOLOGIES = join(ROOT, '..', 'shared', 'data', 'topologies');
const checks: [string, boolean][] = [];
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const child = (script: string, ...args: string[]): Record<string, unknown> =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', script), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 }).trim().split('\n').pop()!);

console.log(`cores: ${availableParallelism()}, node ${process.version}`);
console.log('\n### Scale: distinct host profiles\n');
console.log('| hosts | profiles | groups | profiles+distances | clustering | cut | explanations | total | peak memory |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [hosts, limitMs] of [[2_000, 1_000], [10_000, 20_000]] as const) {
  const run = child('discovery-scale.ts', String(hosts)) as { profiles: number; groups: number; ms: number; stages: Record<string, number>; maxRssMb: number };
  const stage = (name: string): number => run.stages[name] ?? 0;
  console.log(
    `| ${hosts.toLocaleString('en')} | ${run.profiles.toLocaleString('en')} | ${run.groups} | ${seconds(stage('profiles') + stage('distances between host profiles'))} | ${seconds(stage('hierarchical clustering'))} | ${seconds(stage('choosing the cut'))} | ${seconds(stage('explaining groups'))} | ${seconds(run.ms)} | ${Math.round(run.maxRssMb)} MB |`,
  );
  checks.push([`${hosts.toLocaleString('en')} profiles in ≤ ${limitMs / 1000} s`, run.ms <= limitMs]);
  if (hosts === 10_000) checks.push(['10,000 profiles in ≤ 1.5 GB', run.maxRssMb <= 1536]);
}

let topologyFiles: string[] = [];
try {
  topologyFiles = readdirSync(TOPOLOGIES).filter((name) => name.endsWith('.json')).sort();
} catch {
  console.log(`\n${TOPOLOGIES} is absent: the topology accuracy table is skipped.`);
}
if (topologyFiles.length > 0) {
  console.log('\n### Accuracy: real application topologies (1 day, pods with replicas, kube-dns, Prometheus, pod list)\n');
  console.log('| application | services | pods | records | groups | ARI vs services | discover |');
  console.log('|---|---|---|---|---|---|---|');
  for (const file of topologyFiles) {
    const deployment = deployTopology(parseTopology(readFileSync(join(TOPOLOGIES, file), 'utf8')), 1);
    const dataset = awsDatasetOf(deployment.enterprise, { seed: 1, startMs: Date.UTC(2026, 0, 5), days: 1, intensity: 0.2 });
    const text = [...dataset.days()].map((day) => [...day.chunks()].flat().join('\n')).join('\n');
    const db = await openNodeDuckDb();
    const encoder = new TextEncoder();
    const { summary } = await analyze(
      { db, host: nodeIngestHost },
      { inputs: [memoryInputFile(`${file}.log`, encoder.encode(`${text}\n`))], pods: [memoryInputFile('pods.json', encoder.encode(deployment.podList))] },
    );
    await db.close();
    const pods = deployment.servicePods;
    const ari = adjustedRandIndex(pods.map((pod) => summary.assignments[pod.ip] ?? 'unassigned'), pods.map((pod) => pod.service!));
    const services = new Set(pods.map((pod) => pod.service)).size;
    console.log(`| ${file.replace(/\.json$/, '')} | ${services} | ${pods.length} | ${summary.inputs.find((input) => input.path.endsWith('.log'))!.read.toLocaleString('en')} | ${summary.groups.length} | ${ari.toFixed(3)} | ${seconds(summary.timingsMs.discover)} |`);
    checks.push([`${file}: ARI ≥ 0.95`, ari >= 0.95]);
  }
}

// Builds (or refreshes) the CLI bundle, whose parse worker the enterprise run uses.
execFileSync(process.execPath, [join(ROOT, 'src', 'cli', 'flowfence.mjs'), '--help'], { cwd: ROOT, stdio: 'ignore' });
const enterprise = child('discovery-enterprise.ts') as { anomalies: { expected: number; found: number; recall: number; falseFlags: number; missed: string[]; false: string[] }; records: number; internalHosts: number; servers: number; groups: number; ari: number; timingsMs: Record<string, number>; maxRssMb: number };
console.log('\n### Accuracy: the synthetic enterprise of the ingest benchmark (30 days, with its CMDB inventory)\n');
console.log('| records | internal hosts | servers | groups | ARI over servers | anomalies found / expected | false flags | ingest | edges | enrich | discover | total | peak memory |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const t = enterprise.timingsMs;
console.log(
  `| ${enterprise.records.toLocaleString('en')} | ${enterprise.internalHosts} | ${enterprise.servers} | ${enterprise.groups} | ${enterprise.ari.toFixed(3)} | ${enterprise.anomalies.found} / ${enterprise.anomalies.expected} | ${enterprise.anomalies.falseFlags} | ${seconds(t.ingest!)} | ${seconds(t.edges!)} | ${seconds(t.enrich!)} | ${seconds(t.discover!)} | ${seconds(t.total!)} | ${Math.round(enterprise.maxRssMb)} MB |`,
);
checks.push(['synthetic enterprise: ARI over servers ≥ 0.9', enterprise.ari >= 0.9]);
checks.push(['synthetic enterprise: anomaly recall ≥ 0.9', enterprise.anomalies.recall >= 0.9]);
checks.push(['synthetic enterprise: ≤ 5 false anomaly flags', enterprise.anomalies.falseFlags <= 5]);
for (const missed of enterprise.anomalies.missed) console.log(`missed: ${missed}`);
for (const flag of enterprise.anomalies.false) console.log(`false flag: ${flag}`);
console.log('');
for (const [target, met] of checks) console.log(`${met ? 'met    ' : 'MISSED '} ${target}`);
