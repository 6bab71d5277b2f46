import type { PolicyPod } from './policy/policy-model';
import { AddressScopes, parseCidr, type Cidr } from './enrich/address-scope';
import { classifyInput } from './enrich/classify-input';
import type { EnrichmentFormatId } from './enrich/enrichment-file';
import { profileHosts, summariseLogons } from './enrich/host-profiles';
import { knownPods } from './enrich/known-pods';
import { observedHostLabels, observedHostNames, withObservedPods } from './enrich/named-by-flows';
import { serviceOfPorts } from './ingest/observed-services';
import { duplicateFiles } from './ingest/duplicate-files';
import { newFileReport } from './ingest/file-report';
import { sha256OfStream } from './policy/canonical-json';
import { unplacedLogonsWarning } from './enrich/unplaced-logons';
import { loadEnrichment, type EnrichmentInput } from './enrich/load-enrichment';
import type { AnomalyOptions } from './discover/anomalies';
import type { DiscoveryOptions } from './discover/discover-groups';
import type { FileReport } from './ingest/file-report';
import type { ReadLimits } from './ingest/file-reader';
import type { ParseOptions } from './ingest/format';
import { loadEdgeFiles } from './ingest/formats/flowfence-edges-store';
import { ingestFlows } from './ingest/ingest';
import type { ParsePool } from './ingest/parse-pool';
import { FLOW_FORMATS } from './ingest/registry';
import type { IngestHost, InputFile } from './ingest/source';
import { buildEdges } from './model/build-edges';
import type { ServerPortPin } from './model/orient-conversations';
import type { PolicyStageOptions } from './policy/policy-stage';
import { progressSlice, type ProgressListener } from './progress';
import { storeEnrichment } from './store/enrichment-tables';
import type { SqlPort } from './store/sql-port';
import { directedBroadcasts } from './enrich/directed-broadcasts';
import { inputFilesIpc, rejectsIpc } from './store/tables';
import { mapConcurrent } from './util/map-concurrent';

/** Inputs classified at once: enough to keep reading and decompression busy, few open files. */
const CLASSIFY_CONCURRENCY = 4;

export interface AnalyzeRequest {
  /** Files without a declared role: flows, unless their content says inventory, pod list or logons. */
  readonly inputs: readonly InputFile[];
  readonly inventories?: readonly InputFile[];
  readonly pods?: readonly InputFile[];
  readonly logons?: readonly InputFile[];
}

export interface AnalyzeOptions {
  readonly parse?: ParseOptions;
  readonly serverPorts?: readonly ServerPortPin[];
  /** CIDRs to treat as internal besides the private ranges. */
  readonly internalCidrs?: readonly string[];
  readonly limits?: ReadLimits;
  readonly doorCapacity?: number;
  /** Where flow files are parsed (worker threads in the CLI); the calling thread by default. */
  readonly pool?: ParsePool;
  /** A moved dendrogram cut and the groups an analyst approved earlier. */
  readonly discovery?: DiscoveryOptions;
  /** Anomaly thresholds other than ANOMALY_DEFAULTS. */
  readonly anomalies?: Partial<AnomalyOptions>;
  /** Rule generation settings and a train/replay split (discovery then learns from the training window only). */
  readonly policy?: PolicyStageOptions;
  /** SHA-256 of an input file (the CLI hashes natively); by default the engine hashes the bytes itself. */
  readonly digest?: (file: InputFile) => Promise<{ sha256: string; bytes: number }>;
}

export interface AnalyzeEnvironment {
  readonly db: SqlPort;
  readonly host: IngestHost;
}

export interface AnalyzeControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export interface LoadedFlows {
  /** Flow files first, then enrichment files: each file's id in the store is its index here. */
  readonly files: readonly InputFile[];
  readonly reports: readonly FileReport[];
  readonly timingsMs: { readonly ingest: number; readonly edges: number; readonly enrich: number };
  /** The pods the pod lists and the flow records named, for the policy (knownPods). */
  readonly pods: readonly PolicyPod[];
}

/**
 * The first stage every command shares: classify inputs, ingest flows into
 * DuckDB, decide client/server and build edges, enrich the hosts.
 */
export async function loadFlows(
  env: AnalyzeEnvironment,
  request: AnalyzeRequest,
  options: AnalyzeOptions = {},
  control: AnalyzeControl = {},
): Promise<LoadedFlows> {
  const progress = control.onProgress ?? (() => {});
  const internalCidrs = parseInternalCidrs(options.internalCidrs ?? []);

  progress({ stage: 'classify', fraction: 0 });
  const flows: InputFile[] = [];
  const enrichment: { file: InputFile; format: EnrichmentFormatId }[] = [];
  // A few files at a time: each is opened and its start decompressed and sniffed.
  const roles = await mapConcurrent(request.inputs, CLASSIFY_CONCURRENCY, (file) => {
    control.signal?.throwIfAborted();
    return classifyInput(file, env.host, FLOW_FORMATS, options.parse);
  });
  // Hourly edges a warehouse computed (flowfence pushdown) are added after the flows' own, never parsed as records.
  const edgeInputs = new Set<InputFile>();
  request.inputs.forEach((file, index) => {
    const role = roles[index]!;
    if (role.kind === 'enrichment') enrichment.push({ file, format: role.format });
    else {
      flows.push(file);
      if (role.edges) edgeInputs.add(file);
    }
  });
  for (const file of request.inventories ?? []) enrichment.push({ file, format: 'inventory' });
  for (const file of request.pods ?? []) enrichment.push({ file, format: 'k8s-pods' });
  for (const file of request.logons ?? []) enrichment.push({ file, format: 'windows-logons' });
  // A copy of a flow file (same bytes, another name) is read once, and its report says so.
  const digest = options.digest ?? ((file: InputFile) => sha256OfStream(file.open()));
  const copies = await duplicateFiles(flows, digest, control.signal);
  const copyReports = [...copies].map(([copy, original]) => {
    const report = newFileReport(flows[copy]!.path);
    report.warnings.push(`the same content as ${flows[original]!.path}: read once, under that name`);
    return { file: flows[copy]!, original: flows[original]!, report };
  });
  const distinct = flows.filter((_, index) => !copies.has(index));
  const unique = distinct.filter((file) => !edgeInputs.has(file));
  const edgeFiles = distinct.filter((file) => edgeInputs.has(file));
  flows.splice(0, flows.length, ...unique, ...edgeFiles, ...copyReports.map((entry) => entry.file));
  const files = [...flows, ...enrichment.map((entry) => entry.file)];

  const ingestStarted = Date.now();
  const ingested = await ingestFlows(
    env.db,
    env.host,
    unique,
    { parse: options.parse, limits: options.limits, doorCapacity: options.doorCapacity, pool: options.pool },
    { signal: control.signal, onProgress: progressSlice(progress, 0.02, 0.9) },
  );
  const ingestMs = Date.now() - ingestStarted;

  progress({ stage: 'edges', fraction: 0.9 });
  const edgesStarted = Date.now();
  await buildEdges(env.db, ingested.conversations, options.serverPorts ?? [], control.signal);
  const edgeReports = await loadEdgeFiles(env.db, env.host, edgeFiles.map((file, index) => ({ file, fileIndex: unique.length + index })), control.signal);
  const edgesMs = Date.now() - edgesStarted;

  progress({ stage: 'enrich', fraction: 0.97 });
  const enrichStarted = Date.now();
  const enrichmentInputs: EnrichmentInput[] = enrichment.map((entry, index) => ({ ...entry, fileIndex: flows.length + index }));
  const rejected: { fileId: number; line: number; reason: string }[] = [];
  const loaded = await loadEnrichment(enrichmentInputs, env.host, internalCidrs, (fileId, line, reason) => rejected.push({ fileId, line, reason }), control.signal);
  if (rejected.length > 0) {
    await env.db.insertArrow(
      'rejects',
      rejectsIpc(Uint32Array.from(rejected, (r) => r.fileId), Uint32Array.from(rejected, (r) => r.line), rejected.map((r) => r.reason)),
    );
  }
  const ips = (await env.db.all<{ ip: string }>(
    `SELECT ip FROM hosts WHERE host_id IN (SELECT client FROM edges UNION SELECT server FROM edges)`,
  )).map((row) => row.ip);
  const observedLabels = observedHostLabels(ingested.inputs);
  const scopes = new AddressScopes(internalCidrs);
  const profiles = profileHosts(ips, {
    ...loaded.data,
    pods: withObservedPods(loaded.data.pods, ingested.inputs),
    observedNames: observedHostNames(ingested.inputs, observedLabels, (ip) => scopes.scope(ip) === 'internal'),
    observedLabels,
    directedBroadcasts: await directedBroadcasts(env.db),
  });
  const logons = summariseLogons(loaded.data.logons, profiles, loaded.data.inventory);
  const unplaced = unplacedLogonsWarning(logons);
  // Said once, on the first logon file: the count is over all of them.
  if (unplaced !== null) loaded.reports.find((report) => report.format === 'windows-logons')?.warnings.push(unplaced);
  await storeEnrichment(env.db, profiles, logons, serviceOfPorts(ingested.inputs.flatMap((report) => report.observedServices ?? [])));
  await storeFileNames(env.db, files);
  const enrichMs = Date.now() - enrichStarted;
  const flowReports = [...ingested.inputs, ...edgeReports];
  for (const entry of copyReports) entry.report.format = flowReports[flows.indexOf(entry.original)]?.format ?? null;
  return {
    files,
    reports: [...flowReports, ...copyReports.map((entry) => entry.report), ...loaded.reports],
    timingsMs: { ingest: ingestMs, edges: edgesMs, enrich: enrichMs },
    pods: knownPods(loaded.data.pods, ingested.inputs),
  };
}

function parseInternalCidrs(texts: readonly string[]): Cidr[] {
  return texts.map((text) => {
    const cidr = parseCidr(text);
    if (cidr === null) throw new Error(`--internal: "${text}" is not a CIDR (e.g. 203.0.113.0/24)`);
    return cidr;
  });
}

async function storeFileNames(db: SqlPort, files: readonly InputFile[]): Promise<void> {
  if (files.length > 0) await db.insertArrow('input_files', inputFilesIpc(files.map((file) => file.path)));
}
