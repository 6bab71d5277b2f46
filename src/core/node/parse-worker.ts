import { parentPort } from 'node:worker_threads';
import { DoorAggregator, type DoorBatch } from '../ingest/door';
import { FoldScratch, foldDay } from '../ingest/obs-spill';
import { parseFileIntoDoor } from '../ingest/parse-file';
import { FLOW_FORMATS, TABULAR_FORMATS } from '../ingest/registry';
import { PieceParsers, parsePieceIntoDoor } from '../ingest/split/parse-piece';
import { parseRowGroupsIntoDoor } from '../ingest/split/parse-row-groups';
import { fileInput } from './fs-input';
import { nodeIngestHost } from './gunzip';
import type { FromParseWorker, ToParseWorker } from './parse-worker-protocol';

/**
 * A parse worker thread: reads the files it is given with the same engine
 * code as the in-process pool and posts door batches back, transferring
 * their buffers rather than copying them. One door lives as long as the
 * thread: addresses are named once per thread, and at the end the thread
 * folds observers itself for the hours no other thread saw.
 */
const port = parentPort;
if (port === null) throw new Error('parse-worker must run as a worker thread');

let door: DoorAggregator | null = null;
/** Kept across the days this thread folds (see FoldScratch). */
const foldScratch = new FoldScratch();
const parsers = new PieceParsers();
const post = (message: FromParseWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

const postBatch = (batch: DoorBatch): void => {
  const buffers = batch.obs.map((part) => part.data.buffer as ArrayBuffer);
  if (batch.folded !== undefined) buffers.push(batch.folded.buffer);
  post({ type: 'batch', batch }, buffers);
};

// Cancelling terminates the thread (see worker-parse-pool.ts): no message is needed.
port.on('message', (message: ToParseWorker) => {
  if (message.type === 'hours') {
    post({ type: 'hours', hours: door?.hours() ?? [] });
    return;
  }
  if (message.type === 'flush') {
    // This thread folds the hours only it saw: that work runs in parallel.
    if (door !== null) postBatch(door.drainFinal(new Set(message.sharedHours)));
    post({ type: 'flushed' });
    return;
  }
  if (message.type === 'fold-day') {
    const rows = foldDay(message.chunks, foldScratch);
    post({ type: 'folded-day', day: message.day, rows }, [rows.buffer]);
    return;
  }
  if (message.type === 'piece') {
    void parsePiece(message);
    return;
  }
  void parse(message);
});

async function parsePiece(job: Extract<ToParseWorker, { type: 'piece' }>): Promise<void> {
  door ??= new DoorAggregator(job.doorCapacity, job.doorCapacityOnceFull);
  try {
    const format = FLOW_FORMATS.find((each) => each.id === job.format);
    if (format?.kind !== 'lines') throw new Error(`no line format ${job.format}`);
    const result =
      job.piece.content.kind === 'row-groups'
        ? await parseRowGroupsIntoDoor({ ...job, format }, await fileInput(job.location), TABULAR_FORMATS, door, postBatch)
        : await parsePieceIntoDoor({ ...job, format }, door, postBatch, parsers);
    post({ type: 'piece-done', fileIndex: job.fileIndex, result });
  } catch (error) {
    post({ type: 'failed', fileIndex: job.fileIndex, message: error instanceof Error ? error.message : String(error) });
  }
}

async function parse(job: Extract<ToParseWorker, { type: 'parse' }>): Promise<void> {
  door ??= new DoorAggregator(job.settings.doorCapacity, job.settings.doorCapacityOnceFull);
  let lastProgress = 0;
  try {
    const file = { ...(await fileInput(job.location)), path: job.path, foundInFolder: job.foundInFolder };
    const report = await parseFileIntoDoor(
      { fileIndex: job.fileIndex, file },
      door,
      0,
      nodeIngestHost,
      job.settings,
      {
        onBatch: (_source, batch) => postBatch(batch),
        onRejects: (fileIndex, lines, reasons) => post({ type: 'rejects', fileIndex, lines, reasons }),
        onProgress: (fileIndex, bytes, rows) => {
          const now = Date.now();
          if (now - lastProgress < 100) return;
          lastProgress = now;
          post({ type: 'progress', fileIndex, bytes, rows });
        },
      },
    );
    post({ type: 'done', fileIndex: job.fileIndex, report });
  } catch (error) {
    post({ type: 'failed', fileIndex: job.fileIndex, message: error instanceof Error ? error.message : String(error) });
  }
}
