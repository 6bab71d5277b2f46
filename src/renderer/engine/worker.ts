import { analyze } from '../../core/analyze';
import { throttleProgress, type Progress } from '../../core/progress';
import { BrowserDuckDb } from './browser-duckdb';
import { browserIngestHost } from './browser-gunzip';
import { serializeError } from './errors';
import { inputFileFromFile } from './file-input';
import type { AnalyzeRequest, EngineRequest, EngineResponse } from './protocol';

/**
 * The engine worker: runs analyses one at a time against duckdb-wasm, reports
 * progress, and cancels through one AbortController per request.
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

scope.onmessage = (event) => {
  const request = event.data;
  if (request.kind === 'cancel') {
    controllers.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(request.id, controller);
  queue = queue.then(() => runAnalysis(request, controller.signal)).finally(() => controllers.delete(request.id));
};

async function runAnalysis(request: AnalyzeRequest, signal: AbortSignal): Promise<void> {
  const post = (response: EngineResponse) => scope.postMessage(response);
  const progress = throttleProgress((update: Progress) => post({ id: request.id, type: 'progress', progress: update }));
  try {
    progress({ stage: 'engine', fraction: 0 });
    const db = await (await loadedEngine()).openFreshDatabase();
    signal.throwIfAborted();
    const inputs = request.files.map(({ file, path }) => inputFileFromFile(file, path));
    const { summary, policy } = await analyze({ db, host: browserIngestHost }, { inputs }, {}, { signal, onProgress: progress });
    post({ id: request.id, type: 'result', summary, policy: policy.policy });
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
