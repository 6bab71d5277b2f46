import { analyze } from '../../core/analyze';
import { throttleProgress, type Progress } from '../../core/progress';
import { BrowserDuckDb } from './browser-duckdb';
import { browserIngestHost } from './browser-gunzip';
import { serializeError } from './errors';
import { inputFileFromFile } from './file-input';
import type { AnalyzeRequest, EditRequest, EngineRequest, EngineResponse, ExportRequest } from './protocol';
import { hostFacts } from '../../core/workbench/host-facts';
import { Workbench } from '../../core/workbench/workbench';

/**
 * The engine worker: runs analyses one at a time against duckdb-wasm, reports
 * progress, and cancels through one AbortController per request. The last
 * analysis stays here as a workbench, which the page edits (regrouping,
 * decisions, undo and redo) without ever computing anything itself.
 */

/** The parts of the dedicated worker scope used here (the DOM and WebWorker libs cannot both be loaded). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
  postMessage(message: EngineResponse): void;
}
const scope = self as unknown as WorkerScope;

/** Compiling DuckDB starts now, while the user is still choosing files. */
let engine: Promise<BrowserDuckDb> = loadEngine();
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();
let workbench: Workbench | null = null;

scope.onmessage = (event) => {
  const request = event.data;
  if (request.kind === 'cancel') {
    controllers.get(request.id)?.abort();
    return;
  }
  if (request.kind === 'edit' || request.kind === 'export') {
    queue = queue.then(() => runOnWorkbench(request));
    return;
  }
  const controller = new AbortController();
  controllers.set(request.id, controller);
  queue = queue.then(() => runAnalysis(request, controller.signal)).finally(() => controllers.delete(request.id));
};

function runOnWorkbench(request: EditRequest | ExportRequest): void {
  try {
    if (workbench === null) throw new Error('there is no analysis to work on: analyse files first');
    if (request.kind === 'export') {
      scope.postMessage({ id: request.id, type: 'exports', files: workbench.exports() });
      return;
    }
    const step = request.edit === 'undo' ? workbench.undo() : request.edit === 'redo' ? workbench.redo() : workbench.edit(request.edit);
    scope.postMessage({ id: request.id, type: 'step', step, view: workbench.view() });
  } catch (error) {
    scope.postMessage({ id: request.id, type: 'error', error: serializeError(error) });
  }
}

async function runAnalysis(request: AnalyzeRequest, signal: AbortSignal): Promise<void> {
  const post = (response: EngineResponse) => scope.postMessage(response);
  const progress = throttleProgress((update: Progress) => post({ id: request.id, type: 'progress', progress: update }));
  try {
    // A new analysis replaces the last one's workbench; until it completes there is none to edit.
    workbench = null;
    progress({ stage: 'engine', fraction: 0 });
    const db = await (await loadedEngine()).openFreshDatabase();
    signal.throwIfAborted();
    const inputs = request.files.map(({ file, path }) => inputFileFromFile(file, path));
    const analysis = await analyze({ db, host: browserIngestHost }, { inputs }, {}, { signal, onProgress: progress });
    const bench = Workbench.of(analysis);
    workbench = bench;
    post({ id: request.id, type: 'result', summary: analysis.summary, view: bench.view(), hosts: hostFacts(analysis.discovery.assignments, analysis.policy.material.hosts) });
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
