/**
 * A byte stream whose first bytes can be inspected before it is consumed,
 * so that compression and format can be sniffed from content.
 */
export class PeekableBytes implements AsyncIterable<Uint8Array> {
  private readonly buffered: Uint8Array[] = [];
  private bufferedLength = 0;
  private finished = false;
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** At least `length` bytes from the start (fewer only if the stream is shorter). */
  async peek(length: number): Promise<Uint8Array> {
    while (this.bufferedLength < length && !this.finished) {
      const next = await this.iterator.next();
      if (next.done === true) {
        this.finished = true;
        break;
      }
      if (next.value.byteLength === 0) continue;
      this.buffered.push(next.value);
      this.bufferedLength += next.value.byteLength;
    }
    return concatBytes(this.buffered, Math.min(length, this.bufferedLength));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    try {
      while (this.buffered.length > 0) yield this.buffered.shift() as Uint8Array;
      if (this.finished) return;
      for (;;) {
        const next = await this.iterator.next();
        if (next.done === true) return;
        yield next.value;
      }
    } finally {
      await this.close();
    }
  }

  /** Stops the source (closing its file) when the rest of the stream is not wanted. */
  async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.iterator.return?.();
  }
}

export function concatBytes(parts: readonly Uint8Array[], limit = Number.POSITIVE_INFINITY): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.byteLength;
  const length = Math.min(total, limit);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    if (offset >= length) break;
    const take = Math.min(part.byteLength, length - offset);
    out.set(take === part.byteLength ? part : part.subarray(0, take), offset);
    offset += take;
  }
  return out;
}

/** Counts bytes as they pass, for progress on the raw (possibly compressed) file. */
export async function* countBytes(
  source: AsyncIterable<Uint8Array>,
  onBytes: (total: number) => void,
): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    onBytes(total);
    yield chunk;
  }
}

/** Reads a whole stream into memory, refusing to grow past `limit` bytes. */
export async function readAll(source: AsyncIterable<Uint8Array>, limit: number, what: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > limit) throw new Error(`${what} is larger than ${Math.round(limit / 2 ** 20)} MiB once decompressed`);
    parts.push(chunk);
  }
  return concatBytes(parts);
}

export function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.byteLength < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

export const GZIP_MAGIC = [0x1f, 0x8b] as const;
export const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31] as const; // "PAR1"
