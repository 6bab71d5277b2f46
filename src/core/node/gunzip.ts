import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { IngestHost } from '../ingest/source';

/**
 * zlib's gunzip: decompression runs on libuv's thread pool, in parallel with
 * parsing on the main thread. It reads every member of a multi-member file
 * and fails with "unexpected end of file" on a truncated one.
 */
export const nodeIngestHost: IngestHost = {
  gunzip(input) {
    return Readable.from(input, { objectMode: false }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  },
};
