import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { once } from 'node:events';

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

/** Streams text chunks into a new file at `path`, waiting for the disk when it lags; the stream is closed whatever happens. */
export async function writeChunks(path: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
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
