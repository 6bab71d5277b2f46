import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { OpenedFile } from '../shared/ipc';

/**
 * Files chosen in the native dialog travel to the renderer as bytes (a
 * sandboxed page cannot open paths). Dropping files onto the window streams
 * them instead, so this cap only bounds the menu route's memory use.
 */
export const MAX_PICKED_BYTES = 1024 * 1024 * 1024;

export class PickedFilesTooLargeError extends Error {
  override readonly name = 'PickedFilesTooLargeError';
}

export async function readPickedFiles(paths: readonly string[], maxBytes = MAX_PICKED_BYTES): Promise<OpenedFile[]> {
  const sizes = await Promise.all(
    paths.map(async (path) => {
      const info = await stat(path);
      if (!info.isFile()) throw new Error(`${basename(path)} is not a regular file`);
      return info.size;
    }),
  );
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > maxBytes) {
    throw new PickedFilesTooLargeError(
      `The chosen files hold ${formatMiB(total)}; the Open dialog reads at most ${formatMiB(maxBytes)}. Drop the files onto the window instead: dropped files are streamed, whatever their size.`,
    );
  }
  const files: OpenedFile[] = [];
  for (const path of paths) {
    const buffer = await readFile(path);
    files.push({ name: basename(path), bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) });
  }
  return files;
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}
