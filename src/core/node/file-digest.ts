import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sha256OfStream } from '../policy/canonical-json';
import type { InputFile } from '../ingest/source';

/** SHA-256 of an input file: natively from disk when it has a path, through the engine's hasher otherwise. */
export async function fileDigest(file: InputFile): Promise<{ sha256: string; bytes: number }> {
  if (file.location === undefined) return sha256OfStream(file.open());
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file.location)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}
