import { GZIP_MAGIC, PeekableBytes, countBytes, readAll, startsWith } from './byte-stream';
import { SNIFF_BYTES } from './sniff';
import type { IngestHost, InputFile } from './source';

export interface OpenedContent {
  readonly compression: 'gzip' | null;
  /** The decompressed content, replayable from its start. */
  readonly bytes: PeekableBytes;
  /** Its first bytes (up to SNIFF_BYTES), empty for an empty file. */
  readonly head: Uint8Array;
  /** Closes the file when the content will not be read to its end. */
  close(): Promise<void>;
}

/**
 * Opens a file and undoes gzip when its content (not its name) says so.
 * Raw bytes are counted through `onRawBytes` for progress, and the signal is
 * checked between chunks.
 */
export async function openContent(
  file: InputFile,
  host: IngestHost,
  onRawBytes: (total: number) => void = () => undefined,
  signal?: AbortSignal,
): Promise<OpenedContent> {
  const raw = new PeekableBytes(guarded(countBytes(file.open(), onRawBytes), signal));
  try {
    const magic = await raw.peek(4);
    if (magic.byteLength === 0) return { compression: null, bytes: raw, head: magic, close: () => raw.close() };
    const gzip = startsWith(magic, GZIP_MAGIC);
    const bytes = gzip ? new PeekableBytes(host.gunzip(raw)) : raw;
    const close = async (): Promise<void> => {
      await bytes.close();
      await raw.close();
    };
    try {
      const head = await bytes.peek(SNIFF_BYTES);
      return { compression: gzip ? 'gzip' : null, bytes, head, close };
    } catch (error) {
      await close().catch(() => undefined);
      throw error;
    }
  } catch (error) {
    await raw.close().catch(() => undefined);
    throw error;
  }
}

/** The whole decoded text of a small file (inventories, pod lists, logon exports). */
export async function readWholeText(file: InputFile, host: IngestHost, limit: number, signal?: AbortSignal): Promise<string> {
  const { bytes } = await openContent(file, host, undefined, signal);
  return new TextDecoder('utf-8').decode(await readAll(bytes, limit, file.path));
}

async function* guarded(source: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    signal?.throwIfAborted();
    yield chunk;
  }
}
