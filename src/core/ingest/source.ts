/**
 * An input file as the engine sees it, whatever hosts it: a path on disk in
 * the CLI, a dropped File in the browser worker, an in-memory buffer in tests.
 */
export interface InputFile {
  /** As the user named it; used in every message about the file. */
  readonly path: string;
  /** Size in bytes on disk, for progress (0 when unknown). */
  readonly size: number;
  /** Where the host can reopen it (a path on disk), letting worker threads read it themselves. */
  readonly location?: string;
  /** A fresh stream of the raw bytes from the start. */
  open(): AsyncIterable<Uint8Array>;
  /** Random access to the raw bytes (Parquet keeps its index at the end). */
  read(start: number, end: number): Promise<Uint8Array>;
  /**
   * Found by walking a folder the user named, rather than named itself: a
   * document there that no format recognises (a README) is skipped, not an
   * error (document-name.ts).
   */
  readonly foundInFolder?: boolean;
}

/** What the engine needs from its host platform to read files. */
export interface IngestHost {
  /**
   * Decompresses a gzip stream (all members of a multi-member file). Must
   * throw when the input is truncated or corrupt rather than end quietly.
   */
  gunzip(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}

/** An InputFile over bytes already in memory (tests, decompressed Parquet). */
export function memoryInputFile(path: string, bytes: Uint8Array, chunkSize = 1 << 16): InputFile {
  return {
    path,
    size: bytes.byteLength,
    async *open() {
      for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
        yield bytes.subarray(offset, Math.min(bytes.byteLength, offset + chunkSize));
      }
    },
    read(start, end) {
      return Promise.resolve(bytes.slice(start, end));
    },
  };
}
