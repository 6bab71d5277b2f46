import { createGunzip, type Gunzip } from 'node:zlib';
import type { IngestHost } from '../ingest/source';

/**
 * zlib's gunzip: decompression runs on libuv's thread pool, in parallel with
 * parsing on the main thread. It reads every member of a multi-member file
 * and fails with "unexpected end of file" on a truncated one.
 */
export const nodeIngestHost: IngestHost = {
  gunzip: (input) => gunzipKeepingOutput(input),
};

/**
 * How much decoded output may wait for the parser before the feeder stops
 * writing: enough to keep zlib's thread busy while the parser works, small
 * beside any memory budget.
 */
const MAX_WAITING_BYTES = 8 << 20;

/**
 * A failing Node stream discards the output still in its buffer, so a slow
 * reader of a truncated file would get fewer rows than a fast one. Here the
 * gunzip stream never holds output: every chunk goes to our own queue the
 * moment zlib produces it, and the error is delivered after all of it. A
 * truncated file then always yields every byte zlib decoded, whatever the
 * timing (pieces or whole, busy machine or not). Backpressure is applied on
 * the input side instead: nothing more is written while the queue is full.
 */
export async function* gunzipKeepingOutput(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  const queue = new OutputQueue();
  gunzip.on('data', (chunk: Buffer) => queue.put(chunk));
  gunzip.once('end', () => queue.finish(null));
  gunzip.once('error', (error) => queue.finish(error));
  const feeding = feed(input, gunzip, queue);
  try {
    for (;;) {
      const chunk = await queue.take();
      if (chunk === null) return;
      yield chunk;
    }
  } finally {
    // Stopped early (or done): stop feeding and free zlib's handle.
    queue.close();
    gunzip.destroy();
    await feeding;
  }
}

async function feed(input: AsyncIterable<Uint8Array>, gunzip: Gunzip, queue: OutputQueue): Promise<void> {
  try {
    for await (const chunk of input) {
      if (queue.closed || gunzip.destroyed) return;
      if (!gunzip.write(chunk)) await drained(gunzip);
      await queue.room();
    }
    if (!gunzip.destroyed) gunzip.end();
  } catch (error) {
    // Reading the file failed: the reader of the output must see that error.
    gunzip.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

function drained(gunzip: Gunzip): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      gunzip.off('drain', done);
      gunzip.off('close', done);
      resolve();
    };
    gunzip.on('drain', done);
    gunzip.on('close', done);
  });
}

/** Decoded chunks waiting for the parser, then the end or the error. */
class OutputQueue {
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  private outcome: { readonly error: unknown } | null = null;
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;
  closed = false;

  put(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    this.wake('reader');
  }

  finish(error: unknown): void {
    this.outcome ??= { error };
    this.wake('reader');
    this.wake('writer');
  }

  close(): void {
    this.closed = true;
    this.wake('writer');
  }

  /** The next chunk; null at the end; throws the stream's error once every chunk before it was taken. */
  async take(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.bytes -= chunk.byteLength;
        if (this.bytes <= MAX_WAITING_BYTES) this.wake('writer');
        return chunk;
      }
      if (this.outcome !== null) {
        if (this.outcome.error !== null) throw this.outcome.error;
        return null;
      }
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }

  /** Resolves once the parser has caught up (or nobody reads any more). */
  async room(): Promise<void> {
    while (this.bytes > MAX_WAITING_BYTES && !this.closed && this.outcome === null) {
      await new Promise<void>((resolve) => (this.wakeWriter = resolve));
    }
  }

  private wake(who: 'reader' | 'writer'): void {
    const wake = who === 'reader' ? this.wakeReader : this.wakeWriter;
    if (who === 'reader') this.wakeReader = null;
    else this.wakeWriter = null;
    wake?.();
  }
}
