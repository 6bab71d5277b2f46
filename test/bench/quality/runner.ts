// Runs one scenario through the engine in-process, the way
// test/bench/policy-enterprise.ts does (analyze with the hold-out, DuckDB
// through duckdb-wasm, parsers on worker threads), then scores the result
// against the scenario's ground truth with metrics.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, type Analysis } from '../../../src/core/analyze';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import type { WasmSqlPort } from '../../../src/core/store/duckdb-wasm';
import { fileDigest } from '../../../src/core/node/file-digest';
import { fileInput } from '../../../src/core/node/fs-input';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { workerParsePool } from '../../../src/core/node/worker-parse-pool';
import { loadFlaggedEdges, loadPolicyEdges, loadPolicyHosts } from '../../../src/core/policy/load-policy-input';
import { policyEdgeKey } from '../../../src/core/policy/policy-input';
import { internalHostsOf, trainSplitHour } from '../../../src/core/policy/policy-stage';
import { simulate } from '../../../src/core/policy/simulate';
import { adjustedRandIndex, idealGroupPairs, overPermission, scoreAnomalies, structuralCeiling, wouldBreak, type AnomalyScore, type WouldBreak } from './metrics';
import type { Scenario } from './scenario';
import { writeScenarioFiles } from './scenario-files';

export interface ScenarioResult {
  readonly id: string;
  readonly generator: string;
  readonly seed: number;
  readonly labelCoverage: number;
  readonly wrongLabelRate: number;
  readonly oneWay: boolean;
  readonly records: number;
  readonly rejectedRecords: number;
  readonly internalHosts: number;
  readonly servers: number;
  readonly truthGroups: number;
  readonly groups: number;
  /** ARI over truth.servers; over every host with a truth group. */
  readonly ariServers: number;
  readonly ariAll: number;
  /** The ARI over the servers of the true grouping with hosts of identical behaviour put together (metrics.ts, structuralCeiling). */
  readonly ariCeiling: number;
  /** Per truth group of the servers: the engine's groups its members landed in, with counts. */
  readonly confusion: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly policyPairs: number;
  readonly idealPairs: number;
  readonly flatPairs: number;
  readonly overPermission: number;
  readonly rules: number;
  readonly wouldBreak: WouldBreak;
  /** Legitimate edges the engine saw oriented the other way round (client and server swapped). */
  readonly misoriented: number;
  readonly anomalies: AnomalyScore;
  /** The engine's own hold-out figures, for comparison. */
  readonly engineHoldout: unknown;
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly maxRssMb: number;
}

/** Writes `scenario`'s files into `dir` and analyzes them as the harness does (internal ranges, train/test split). */
export async function analyzeScenario(scenario: Scenario, dir: string): Promise<{ analysis: Analysis; db: WasmSqlPort }> {
  const inputs = await Promise.all((await writeScenarioFiles(dir, 'flows', scenario.flows)).map((path) => fileInput(path)));
  const inventories = await Promise.all((await writeScenarioFiles(dir, 'inventory', scenario.inventories)).map((path) => fileInput(path)));
  const pods = await Promise.all((await writeScenarioFiles(dir, 'pods', scenario.pods)).map((path) => fileInput(path)));
  const logons = await Promise.all((await writeScenarioFiles(dir, 'logons', scenario.logons)).map((path) => fileInput(path)));
  const db = await openNodeDuckDb();
  const pool = workerParsePool({ script: new URL('../../../dist/cli/parse-worker.mjs', import.meta.url) });
  const analysis = await analyze(
    { db, host: nodeIngestHost },
    { inputs, inventories, pods, logons },
    { pool, digest: fileDigest, internalCidrs: [...scenario.internalCidrs], policy: { trainUntilMs: scenario.trainUntilMs } },
  );
  return { analysis, db };
}

/**
 * `scenario` analyzed in a temporary folder (analyzeScenario), then `work` on the result; the database is closed
 * and the folder removed whatever `work` does. The developer scripts (stage-trace.ts, profile-inspect.ts,
 * cut-sweep.ts) and runScenario share it.
 */
export async function withAnalyzedScenario<T>(scenario: Scenario, work: (analysis: Analysis, db: WasmSqlPort) => Promise<T> | T): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'flowfence-quality-'));
  try {
    const { analysis, db } = await analyzeScenario(scenario, dir);
    try {
      return await work(analysis, db);
    } finally {
      await db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runScenario(generator: string, scenario: Scenario): Promise<ScenarioResult> {
  const started = Date.now();
  return withAnalyzedScenario(scenario, async (analysis, db) => {
    const { truth } = scenario;
    const { summary } = analysis;
    const { policy, exposure } = analysis.policy;

    // Groups: ARI over the servers, and over every host with a truth group. A host
    // the engine put in no group is a group of its own.
    const predicted = (ip: string): string => summary.assignments[ip] ?? `unassigned:${ip}`;
    const servers = [...truth.servers].sort();
    const ariServers = adjustedRandIndex(servers.map(predicted), servers.map((ip) => truth.groupOfHost.get(ip) ?? `none:${ip}`));
    const confusion: Record<string, Record<string, number>> = {};
    for (const ip of servers) {
      const row = (confusion[truth.groupOfHost.get(ip) ?? `none:${ip}`] ??= {});
      const group = predicted(ip);
      row[group] = (row[group] ?? 0) + 1;
    }
    const everyone = [...truth.groupOfHost.keys()].sort();
    const ariAll = adjustedRandIndex(everyone.map(predicted), everyone.map((ip) => truth.groupOfHost.get(ip)!));

    // Over-permission: the generated policy's exposure (the engine's computeExposure over the
    // internal hosts of the training window) against the ideal group-level policy over the same hosts.
    const hosts = await loadPolicyHosts(db);
    const split = trainSplitHour(scenario.trainUntilMs);
    const trainEdges = await loadPolicyEdges(db, { from: null, to: split });
    const internal = internalHostsOf(trainEdges, hosts, await loadFlaggedEdges(db)).map((host) => host.ip);
    if (internal.length * (internal.length - 1) !== exposure.flatPairs) throw new Error(`exposure counted ${exposure.flatPairs} flat pairs, the harness ${internal.length} hosts`);
    const legitTrainEdges = trainEdges.filter((edge) => edge.action !== 2 && truth.legitimateEdges.has(policyEdgeKey(edge)));
    const ideal = idealGroupPairs(internal, truth.groupOfHost, legitTrainEdges.map((edge) => [edge.client, edge.server] as const));
    const ariCeiling = structuralCeiling(servers, truth.groupOfHost, legitTrainEdges.map((edge) => [edge.client, edge.server, edge.proto, edge.port] as const));

    // Would-break: the generated policy replayed on the edges after the split.
    const knownServices = new Set(trainEdges.filter((edge) => edge.action !== 2).map((edge) => `${edge.server}|${edge.proto}|${edge.port}`));
    const replayEdges = await loadPolicyEdges(db, { from: split, to: null });
    const verdicts = simulate(policy, replayEdges, hosts).map((verdict) => ({ key: policyEdgeKey(verdict.edge), verdict: verdict.verdict, cause: verdict.cause }));
    const breaks = wouldBreak(verdicts, truth.legitimateEdges, truth.adminEdges, knownServices);

    // Orientation: legitimate client→server pairs the engine saw only the other way round.
    const seenPairs = new Set([...trainEdges, ...replayEdges].map((edge) => `${edge.client}|${edge.server}|${edge.proto}`));
    const legitPairs = new Set([...truth.legitimateEdges].map((key) => key.split('|').slice(0, 3).join('|')));
    let misoriented = 0;
    for (const pair of legitPairs) {
      const [client, server, proto] = pair.split('|');
      if (!seenPairs.has(pair) && seenPairs.has(`${server}|${client}|${proto}`)) misoriented++;
    }

    // A planted attack counts only when its traffic is in the data at all: a
    // generator may plan one that its sampled window never produced.
    const observedPairs = new Set(
      (await db.all<{ pair: string }>(`SELECT DISTINCT c.ip || '|' || s.ip AS pair FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`)).map((row) => row.pair),
    );
    const observedSources = new Set([...observedPairs].map((pair) => pair.slice(0, pair.indexOf('|'))));
    const observable = truth.attacks.filter((attack) => (attack.dsts.length === 0 ? observedSources.has(attack.src) : attack.dsts.some((dst) => observedPairs.has(`${attack.src}|${dst}`))));
    const anomalies = scoreAnomalies(observable, analysis.anomalies);
    const result: ScenarioResult = {
      id: scenario.id,
      generator,
      seed: scenario.params.seed,
      labelCoverage: scenario.params.labelCoverage,
      wrongLabelRate: scenario.params.wrongLabelRate,
      oneWay: scenario.params.oneWay,
      records: summary.inputs.reduce((sum, input) => sum + input.read, 0),
      rejectedRecords: summary.inputs.reduce((sum, input) => sum + input.rejected, 0),
      internalHosts: summary.enrichment.internalHosts,
      servers: servers.length,
      truthGroups: new Set(truth.groupOfHost.values()).size,
      groups: summary.groups.length,
      ariServers,
      ariAll,
      ariCeiling,
      confusion,
      policyPairs: exposure.policyPairs,
      idealPairs: ideal.pairs,
      flatPairs: exposure.flatPairs,
      overPermission: overPermission(exposure.policyPairs, ideal.pairs),
      rules: policy.rules.length,
      wouldBreak: breaks,
      misoriented,
      anomalies,
      engineHoldout: summary.holdout ?? null,
      timingsMs: { ...summary.timingsMs },
      seconds: (Date.now() - started) / 1000,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    return result;
  });
}
