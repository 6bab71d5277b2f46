import { discoverGroups, type Discovery, type DiscoveryInput } from './discover/discover-groups';
import { analysisSettings } from './discover/discovery-settings';
import { loadAnomalyInput, loadDiscoveryInput, loadTransferPeaks } from './discover/load-discovery-input';
import { ANOMALY_DEFAULTS, findAnomalies, type Anomaly } from './discover/anomalies';
import { HOUR_UNKNOWN } from './ingest/door';
import type { InputFile } from './ingest/source';
import { loadFlows, type AnalyzeControl, type AnalyzeEnvironment, type AnalyzeOptions, type AnalyzeRequest } from './load-flows';
import { sha256OfStream } from './policy/canonical-json';
import { DEFAULT_POLICY_SETTINGS, type PolicyInputFile } from './policy/policy-model';
import { parseCidr } from './enrich/address-scope';
import { policyStage, trainSplitHour, type PolicyStage } from './policy/policy-stage';
import { progressSlice, throttleProgress } from './progress';
import { summarise, type AnalysisSummary } from './report/summary';
import { flaggedEdgesIpc } from './store/tables';
import type { SqlPort } from './store/sql-port';

export type { AnalyzeControl, AnalyzeEnvironment, AnalyzeOptions, AnalyzeRequest };

export interface Analysis {
  readonly summary: AnalysisSummary;
  /** Every file by its id in the store (rejects refer to it). */
  readonly files: readonly InputFile[];
  /** Application groups of the internal hosts, each explained. */
  readonly discovery: Discovery;
  /** Traffic left out of discovery and policy until an analyst accepts it. */
  readonly anomalies: readonly Anomaly[];
  /** The generated policy, replayed, with its exposure. */
  readonly policy: PolicyStage;
  /** The hosts and edges discovery profiled: the workbench rebuilds discovery's tree from them to move the cut. */
  readonly discoveryInput: DiscoveryInput;
}

/**
 * The analyze pipeline: load the flows (load-flows.ts), flag anomalies,
 * discover groups, then generate the policy and replay it. The store keeps
 * every table for the writers and later stages.
 */
export async function analyze(
  env: AnalyzeEnvironment,
  request: AnalyzeRequest,
  options: AnalyzeOptions = {},
  control: AnalyzeControl = {},
): Promise<Analysis> {
  const started = Date.now();
  const progress = throttleProgress(control.onProgress);
  const loaded = await loadFlows(env, request, options, { signal: control.signal, onProgress: progressSlice(progress, 0, 0.88) });

  const discoverStarted = Date.now();
  const trainUntil = options.policy?.trainUntilMs;
  if (trainUntil !== undefined) await env.db.run(trainingEdgesSql(trainSplitHour(trainUntil)));
  // Anomalies over the whole window, replayed part included: an attack after
  // the split is still an attack the analyst must see, and flagging it keeps
  // it out of anything learned later. Discovery and rules learn from the
  // training window only.
  const anomalyInput = await loadAnomalyInput(env.db, 'edges');
  const transfer = { ...ANOMALY_DEFAULTS, ...options.anomalies };
  const peaks = await loadTransferPeaks(env.db, transfer.externalTransferBytes, transfer.transferWindowHours);
  const anomalies = findAnomalies(anomalyInput.edges, anomalyInput.hosts, options.anomalies, peaks);
  const flagged = new Set(anomalies.flatMap((anomaly) => anomaly.edges));
  await storeFlaggedEdges(env.db, anomalies);
  control.signal?.throwIfAborted();
  const learningEdges = trainUntil === undefined ? anomalyInput.edges : (await loadAnomalyInput(env.db, 'edges_train')).edges;
  const discoveryInput = await loadDiscoveryInput(env.db, learningEdges, flagged, trainUntil === undefined ? null : trainSplitHour(trainUntil));
  const discovery = discoverGroups(discoveryInput, {
    signal: control.signal,
    onProgress: (fraction, detail) => progress({ stage: 'discover', fraction: 0.88 + 0.08 * fraction, detail }),
  }, options.discovery);
  const discoverMs = Date.now() - discoverStarted;

  progress({ stage: 'policy', fraction: 0.96 });
  const policyStarted = Date.now();
  const digest = options.digest ?? ((file: InputFile) => sha256OfStream(file.open()));
  const inputs: PolicyInputFile[] = [];
  for (const [index, file] of loaded.files.entries()) {
    control.signal?.throwIfAborted();
    // A warehouse's edges name the query that made them and what it read: the policy keeps that, as it keeps each file's digest.
    const pushdown = loaded.reports[index]?.pushdown;
    inputs.push({ name: baseName(file.path), ...(await digest(file)), ...(pushdown === undefined ? {} : { pushdown: { querySha256: pushdown.querySha256, source: pushdown.source } }) });
  }
  // The policy records the ranges this analysis treated as internal, so replays place hosts alike.
  const settings = { ...(options.policy?.settings ?? DEFAULT_POLICY_SETTINGS), internalCidrs: canonicalCidrs(options.internalCidrs ?? []) };
  // And the discovery and anomaly thresholds its groups and flags came from.
  const analysis = analysisSettings({ discovery: options.discovery, anomalies: options.anomalies });
  const policy = await policyStage(env.db, discovery, inputs, { ...options.policy, settings, analysis, pods: loaded.pods });
  const policyMs = Date.now() - policyStarted;

  const summary = await summarise(env.db, loaded.reports, {
    ...loaded.timingsMs,
    discover: discoverMs,
    policy: policyMs,
    total: Date.now() - started,
  }, discovery, anomalies, policy);
  progress({ stage: 'done', fraction: 1 });
  return { summary, files: loaded.files, discovery, anomalies, policy, discoveryInput };
}

function canonicalCidrs(texts: readonly string[]): string[] {
  return [...new Set(texts.map((text) => parseCidr(text)?.text ?? text))].sort();
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** Edges over the training window only, for discovery and anomaly detection under a hold-out. */
function trainingEdgesSql(splitHour: number): string {
  return `CREATE OR REPLACE TABLE edges_train AS
     SELECT client, server, proto, port, action, sum(flows) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,
            min(first_ms) AS first_ms, max(last_ms) AS last_ms, min(reason) AS reason, count(DISTINCT hour) AS hours
     FROM edges_hourly WHERE hour < ${splitHour} AND hour <> ${HOUR_UNKNOWN}
     GROUP BY client, server, proto, port, action`;
}



/** Flagged edges, for policy to leave out until an analyst accepts them. */
async function storeFlaggedEdges(db: SqlPort, anomalies: readonly Anomaly[]): Promise<void> {
  await db.run('CREATE TABLE flagged_edges (client VARCHAR, server VARCHAR, proto UTINYINT, port INTEGER, kind VARCHAR)');
  const rows = anomalies.flatMap((anomaly) =>
    anomaly.edges.map((key) => {
      const [client, server, proto, port] = key.split('|');
      return { client: client!, server: server!, proto: Number(proto), port: Number(port), kind: anomaly.kind };
    }),
  );
  if (rows.length > 0) await db.insertArrow('flagged_edges', flaggedEdgesIpc(rows));
}
