import type { InputFile } from '../../core/ingest/source';

/**
 * An InputFile over a browser File: streamed with file.stream() (the file is
 * never loaded whole) and read by range with file.slice() (Parquet keeps its
 * index at the end). `path` is what the user sees in every message.
 */
export function inputFileFromFile(file: Blob, path: string): InputFile {
  return {
    path,
    size: file.size,
    open: () => streamChunks(file.stream()),
    async read(start, end) {
      return new Uint8Array(await file.slice(start, end).arrayBuffer());
    },
  };
}

/** A ReadableStream as an async iterable that cancels the stream when the consumer stops early. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
