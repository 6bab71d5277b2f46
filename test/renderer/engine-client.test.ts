import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Policy } from '../../src/core/policy/policy-model';
import type { WorkbenchView } from '../../src/core/workbench/workbench';
import type { AnalysisSummary } from '../../src/core/report/summary';
import { CANCEL_GRACE_MS, EngineClient } from '../../src/renderer/engine/engine-client';
import { isAbortError } from '../../src/renderer/engine/errors';
import type { EngineRequest, EngineResponse } from '../../src/renderer/engine/protocol';

/**
 * The browser's Worker is the boundary here (Node has none): this stand-in
 * records what the client posts and lets the test answer as the engine
 * worker would. The real worker is exercised end to end in Chromium.
 */
class WorkerStandIn {
  onmessage: ((event: MessageEvent<EngineResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  readonly posted: EngineRequest[] = [];
  terminated = false;
  postMessage(request: EngineRequest): void {
    this.posted.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(response: EngineResponse): void {
    this.onmessage?.({ data: response } as MessageEvent<EngineResponse>);
  }
}

const summary = { inputs: [], hosts: 0, edges: 0 } as unknown as AnalysisSummary;
const view = { policy: { rules: [], groups: [] } as unknown as Policy } as unknown as WorkbenchView;
const files = [{ file: new File(['x'], 'a.log'), path: 'a.log' }];

function clientWithWorkers() {
  const workers: WorkerStandIn[] = [];
  const client = new EngineClient(() => {
    const worker = new WorkerStandIn();
    workers.push(worker);
    return worker as unknown as Worker;
  });
  return { client, workers };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('EngineClient', () => {
  it('routes progress and the result to the request they answer', async () => {
    const { client, workers } = clientWithWorkers();
    const progress: number[] = [];
    const first = client.analyze(files, (update) => progress.push(update.fraction));
    const second = client.analyze(files, () => undefined);
    const worker = workers[0]!;
    expect(worker.posted.map((request) => [request.id, request.kind])).toEqual([
      [first.id, 'analyze'],
      [second.id, 'analyze'],
    ]);
    worker.reply({ id: first.id, type: 'progress', progress: { stage: 'ingest', fraction: 0.25 } });
    worker.reply({ id: second.id, type: 'error', error: { name: 'RangeError', message: 'bad' } });
    worker.reply({ id: first.id, type: 'result', summary, view, hosts: [], rejects: {}, restored: null });
    await expect(first.result).resolves.toEqual({ summary, view, hosts: [], rejects: {}, restored: null });
    await expect(second.result).rejects.toMatchObject({ name: 'RangeError', message: 'bad' });
    expect(progress).toEqual([0.25]);
  });

  it('cancels through the worker when it answers in time', async () => {
    const { client, workers } = clientWithWorkers();
    const handle = client.analyze(files, () => undefined);
    handle.cancel();
    const worker = workers[0]!;
    expect(worker.posted.at(-1)).toEqual({ id: handle.id, kind: 'cancel' });
    worker.reply({ id: handle.id, type: 'error', error: { name: 'AbortError', message: 'aborted' } });
    const error = await handle.result.catch((reason: unknown) => reason);
    expect(isAbortError(error)).toBe(true);
    expect(worker.terminated).toBe(false);
  });

  it('terminates and replaces a worker that does not stop within the grace period', async () => {
    vi.useFakeTimers();
    const { client, workers } = clientWithWorkers();
    const handle = client.analyze(files, () => undefined);
    handle.cancel();
    vi.advanceTimersByTime(CANCEL_GRACE_MS);
    const error = await handle.result.catch((reason: unknown) => reason);
    expect(isAbortError(error)).toBe(true);
    expect(workers[0]!.terminated).toBe(true);
    client.analyze(files, () => undefined);
    expect(workers).toHaveLength(2);
  });

  it('fails every pending analysis when the worker crashes, then starts afresh', async () => {
    const { client, workers } = clientWithWorkers();
    const restarts: string[] = [];
    client.onRestart = (reason) => restarts.push(reason.message);
    const handle = client.analyze(files, () => undefined);
    workers[0]!.onerror?.({ message: 'out of memory', preventDefault: () => undefined } as ErrorEvent);
    await expect(handle.result).rejects.toThrow(/engine stopped unexpectedly: out of memory/);
    // The page is told, so it stops showing work the new worker does not hold.
    expect(restarts).toEqual(['The engine stopped unexpectedly: out of memory']);
    client.analyze(files, () => undefined);
    expect(workers).toHaveLength(2);
  });

  it('routes edits and exports to their answers, in the order they were sent', async () => {
    const { client, workers } = clientWithWorkers();
    const move = client.edit({ kind: 'group', op: { op: 'move', ip: '10.0.0.1', to: 'g2' } });
    const undo = client.edit('undo');
    const files = client.exports();
    const worker = workers[0]!;
    expect(worker.posted.map((request) => request.kind)).toEqual(['edit', 'edit', 'export']);
    const [moveId, undoId, exportId] = worker.posted.map((request) => request.id);
    worker.reply({ id: undoId!, type: 'step', step: null, view });
    worker.reply({ id: moveId!, type: 'error', error: { name: 'GroupingError', message: 'no group g2' } });
    worker.reply({ id: exportId!, type: 'exports', files: [{ name: 'rules.csv', mimeType: 'text/csv', text: 'id\n' }] });
    await expect(move).rejects.toThrow('no group g2');
    await expect(undo).resolves.toEqual({ step: null, view });
    await expect(files).resolves.toEqual([{ name: 'rules.csv', mimeType: 'text/csv', text: 'id\n' }]);
  });
});
