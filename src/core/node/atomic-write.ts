import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';

/**
 * Writes a file so that readers see the old content or the new, never half
 * of it: chunks go to a temporary file in the same folder, renamed at the end.
 */
export async function writeFileAtomic(path: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeChunks(temporary, chunks);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Streams chunks (text as UTF-8, or bytes) into a new file at `path`, waiting for the disk when it lags; the stream is closed whatever happens. */
export async function writeChunks(path: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<void> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  try {
    for await (const chunk of chunks) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
  } catch (error) {
    stream.destroy();
    throw error;
  }
}

/**
 * Writes bytes so that after a crash, at any instant, the file holds the old
 * bytes or the new ones whole: a temporary file in the same folder, flushed
 * to the disk (fsync) before the rename replaces the old file, then the
 * folder flushed so the rename itself survives a power cut. Used for
 * workspace saves and autosaves, where losing work is what must not happen.
 */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  // Exclusive and random: two writes of one path at once never share a temporary file.
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Flushes a folder's entries (a rename is durable once its folder is); not possible on Windows, where rename is already durable. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
  } finally {
    await handle?.close();
  }
}
