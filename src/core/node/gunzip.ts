import { createGunzip } from 'node:zlib';
import { Readable, pipeline } from 'node:stream';
import type { IngestHost } from '../ingest/source';

/**
 * zlib's gunzip: decompression runs on libuv's thread pool, in parallel with
 * parsing on the main thread. It reads every member of a multi-member file
 * and fails with "unexpected end of file" on a truncated one.
 */
export const nodeIngestHost: IngestHost = {
  gunzip(input) {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    // pipeline, not pipe: an error while reading the file (or a cancellation)
    // must reach the reader of the decompressed stream, not escape unhandled.
    pipeline(Readable.from(input, { objectMode: false }), gunzip, () => undefined);
    return gunzip;
  },
};
