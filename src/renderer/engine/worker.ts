import { analyze } from '../../core/analyze';
import { throttleProgress, type Progress } from '../../core/progress';
import { BrowserDuckDb } from './browser-duckdb';
import { browserIngestHost } from './browser-gunzip';
import { serializeError } from './errors';
import { inputFileFromFile } from './file-input';
import type { AnalyzeRequest, EditRequest, EngineRequest, EngineResponse, DriftRequest, EvidenceRequest, ExportRequest, RuleSetsRequest, OpenWorkspaceRequest, SaveWorkspaceRequest, TrafficRequest, TreeRequest, PromotionRequest, MeasuresRequest } from './protocol';
import type { SqlPort } from '../../core/store/sql-port';
import { rejectSamples, type RejectedLine } from '../../core/report/reject-samples';
import { TrafficTable } from '../../core/workbench/traffic-table';
import { driftCheck } from '../../core/workbench/drift-check';
import type { AnalysisSummary } from '../../core/report/summary';
import { readWorkspace, writeWorkspace } from '../../core/workspace/workspace-file';
import { hostFacts } from '../../core/workbench/host-facts';
import { Workbench } from '../../core/workbench/workbench';
import { measureCharts } from '../../core/measures/measure-charts';
import { measuresOf } from '../../core/measures/measures-of';
import { snapshotOfWorkbench } from '../../core/measures/measure-snapshot';

/**
 * The engine worker: runs analyses one at a time against duckdb-wasm, reports
 * progress, and cancels through one AbortController per request. The last
 * analysis (or opened workspace) stays here as a workbench, which the page
 * edits (regrouping, decisions, undo and redo), exports and saves without
 * ever computing anything itself.
 */

/** The parts of the dedicated worker scope used here (the DOM and WebWorker libs cannot both be loaded). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
  postMessage(message: EngineResponse, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

/** Compiling DuckDB starts now, while the user is still choosing files. */
let engine: Promise<BrowserDuckDb> = loadEngine();
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();
/**
 * The last analysis or opened workspace, which edits, exports and saves act
 * on; `version` counts its edits, so the Traffic table rewrites its groups
 * and verdicts only when the work changed. The traffic table is built on
 * the first Traffic query, in the analysis's database (or a fresh one for
 * an opened workspace, which has none).
 */
interface CurrentWork {
  readonly workbench: Workbench;
  readonly summary: AnalysisSummary;
  readonly rejects: Readonly<Record<string, readonly RejectedLine[]>>;
  readonly db: SqlPort | null;
  version: number;
  traffic: TrafficTable | null;
}
let current: CurrentWork | null = null;

scope.onmessage = (event) => {
  const request = event.data;
  if (request.kind === 'cancel') {
    controllers.get(request.id)?.abort();
    return;
  }
  if (request.kind === 'edit' || request.kind === 'export' || request.kind === 'rule-sets' || request.kind === 'save-workspace' || request.kind === 'evidence' || request.kind === 'tree' || request.kind === 'promotion' || request.kind === 'measures') {
    queue = queue.then(() => runOnWorkbench(request));
    return;
  }
  if (request.kind === 'traffic') {
    queue = queue.then(() => runTraffic(request));
    return;
  }
  const controller = new AbortController();
  controllers.set(request.id, controller);
  const run = () => (request.kind === 'analyze' ? runAnalysis(request, controller.signal) : request.kind === 'drift' ? runDrift(request, controller.signal) : openWorkspace(request, controller.signal));
  queue = queue.then(run).finally(() => controllers.delete(request.id));
};

function runOnWorkbench(request: EditRequest | ExportRequest | RuleSetsRequest | SaveWorkspaceRequest | EvidenceRequest | TreeRequest | PromotionRequest | MeasuresRequest): void {
  try {
    if (current === null) throw new Error('there is no analysis to work on: analyse files or open a workspace first');
    const { workbench, summary } = current;
    if (request.kind === 'export') {
      scope.postMessage({ id: request.id, type: 'exports', files: workbench.exports() });
      return;
    }
    if (request.kind === 'rule-sets') {
      const { bytes, report } = workbench.ruleSets(request.targets, request.logDrops);
      scope.postMessage({ id: request.id, type: 'rule-sets', bytes, report }, [bytes.buffer]);
      return;
    }
    if (request.kind === 'tree') {
      scope.postMessage({ id: request.id, type: 'tree', tree: workbench.dendrogram().top(request.leaves) });
      return;
    }
    if (request.kind === 'promotion') {
      scope.postMessage({ id: request.id, type: 'promotion', promotion: workbench.promotion() });
      return;
    }
    if (request.kind === 'measures') {
      // The work as it now is, one snapshot: a trend across snapshots is the CLI's (flowfence measures on saved workspaces).
      const measures = measuresOf(snapshotOfWorkbench('this work', workbench));
      scope.postMessage({ id: request.id, type: 'measures', measures, charts: measureCharts([measures], 'workbench-measures') });
      return;
    }
    if (request.kind === 'evidence') {
      scope.postMessage({ id: request.id, type: 'evidence', edges: workbench.evidence(request.rule) });
      return;
    }
    if (request.kind === 'save-workspace') {
      const bytes = writeWorkspace({ summary, material: workbench.material, log: workbench.log(), page: request.page, rejects: current.rejects });
      scope.postMessage({ id: request.id, type: 'workspace', bytes }, [bytes.buffer]);
      return;
    }
    if (request.edit === 'drop-redo') {
      workbench.dropRedo();
      scope.postMessage({ id: request.id, type: 'step', step: null, view: workbench.view() });
      return;
    }
    const step = request.edit === 'undo' ? workbench.undo() : request.edit === 'redo' ? workbench.redo() : workbench.edit(request.edit);
    current.version++;
    scope.postMessage({ id: request.id, type: 'step', step, view: workbench.view() });
  } catch (error) {
    scope.postMessage({ id: request.id, type: 'error', error: serializeError(error) });
  }
}

async function runTraffic(request: TrafficRequest): Promise<void> {
  try {
    const work = current;
    if (work === null) throw new Error('there is no analysis to show the traffic of: analyse files or open a workspace first');
    if (work.traffic === null) {
      const db = work.db ?? (await (await loadedEngine()).openFreshDatabase());
      const traffic = new TrafficTable(db);
      const hosts = work.workbench.material.policy.hosts;
      await traffic.load(work.workbench.replay, (ip) => hosts.get(ip)?.sortKey ?? ip);
      work.traffic = traffic;
    }
    await work.traffic.refresh(work.version, () => work.workbench.trafficState());
    scope.postMessage({ id: request.id, type: 'traffic', page: await work.traffic.page(request.query) });
  } catch (error) {
    scope.postMessage({ id: request.id, type: 'error', error: serializeError(error) });
  }
}

/**
 * Newer exports against the current policy. They need a database of their
 * own, which replaces the analysis's: the Traffic table is built again on
 * its next query (from the workbench, which holds the edges).
 */
async function runDrift(request: DriftRequest, signal: AbortSignal): Promise<void> {
  const post = (response: EngineResponse) => scope.postMessage(response);
  const progress = throttleProgress((update: Progress) => post({ id: request.id, type: 'progress', progress: update }));
  try {
    const work = current;
    if (work === null) throw new Error('there is no policy to check: analyse files or open a workspace first');
    progress({ stage: 'engine', fraction: 0 });
    const db = await (await loadedEngine()).openFreshDatabase();
    current = { ...work, db: null, traffic: null };
    const inputs = request.files.map(({ file, path }) => inputFileFromFile(file, path));
    const drift = await driftCheck({ db, host: browserIngestHost }, work.workbench.policy(), inputs, { signal, onProgress: progress });
    post({ id: request.id, type: 'drift', drift });
  } catch (error) {
    post({ id: request.id, type: 'error', error: serializeError(signal.aborted ? signal.reason : error) });
  }
}

/** A saved workspace instead of an analysis: the stored analysis and edits, made again (no DuckDB needed). */
async function openWorkspace(request: OpenWorkspaceRequest, signal: AbortSignal): Promise<void> {
  const post = (response: EngineResponse) => scope.postMessage(response);
  try {
    // The current work stays until the file has opened: a damaged file must not cost the work on screen.
    post({ id: request.id, type: 'progress', progress: { stage: 'workspace', fraction: 0, detail: request.file.name } });
    const bytes = new Uint8Array(await request.file.arrayBuffer());
    signal.throwIfAborted();
    const content = readWorkspace(bytes, request.file.name);
    post({ id: request.id, type: 'progress', progress: { stage: 'workspace', fraction: 0.5, detail: request.file.name } });
    const workbench = Workbench.restore(content.material, content.log);
    signal.throwIfAborted();
    const rejects = content.rejects ?? {};
    current = { workbench, summary: content.summary, rejects, db: null, version: 0, traffic: null };
    const history = workbench.historyLabels();
    post({
      id: request.id,
      type: 'result',
      summary: content.summary,
      view: workbench.view(),
      hosts: hostFacts(content.material.assignments, content.material.policy.hosts),
      rejects,
      restored: { page: content.page, undo: history.undo, redo: history.redo },
    });
  } catch (error) {
    post({ id: request.id, type: 'error', error: serializeError(signal.aborted ? signal.reason : error) });
  }
}

async function runAnalysis(request: AnalyzeRequest, signal: AbortSignal): Promise<void> {
  const post = (response: EngineResponse) => scope.postMessage(response);
  const progress = throttleProgress((update: Progress) => post({ id: request.id, type: 'progress', progress: update }));
  try {
    // A new analysis replaces the last one's workbench; until it completes there is none to edit.
    current = null;
    progress({ stage: 'engine', fraction: 0 });
    const db = await (await loadedEngine()).openFreshDatabase();
    signal.throwIfAborted();
    const inputs = request.files.map(({ file, path }) => inputFileFromFile(file, path));
    const options = {
      ...(request.trainUntilMs === undefined ? {} : { policy: { trainUntilMs: request.trainUntilMs } }),
      ...(request.csvMap === undefined ? {} : { parse: { csvMap: request.csvMap } }),
    };
    const analysis = await analyze({ db, host: browserIngestHost }, { inputs }, options, { signal, onProgress: progress });
    const workbench = Workbench.of(analysis);
    const rejects = await rejectSamples(db);
    current = { workbench, summary: analysis.summary, rejects, db, version: 0, traffic: null };
    post({ id: request.id, type: 'result', summary: analysis.summary, view: workbench.view(), hosts: hostFacts(analysis.discovery.assignments, analysis.policy.material.hosts), rejects, restored: null });
  } catch (error) {
    post({ id: request.id, type: 'error', error: serializeError(signal.aborted ? signal.reason : error) });
  }
}

function loadEngine(): Promise<BrowserDuckDb> {
  const loading = BrowserDuckDb.load();
  // A failure is reported to the analysis that awaits the engine, not as an unhandled rejection.
  loading.catch(() => undefined);
  return loading;
}

/** The engine, loading it again if an earlier attempt failed (the next analysis retries). */
async function loadedEngine(): Promise<BrowserDuckDb> {
  try {
    return await engine;
  } catch (error) {
    engine = loadEngine();
    throw error;
  }
}
