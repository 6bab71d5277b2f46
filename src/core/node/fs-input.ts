import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { InputFile } from '../ingest/source';
import { compareText } from '../util/compare';

const READ_CHUNK = 1 << 20;

/** An input file on disk. `path` is kept as the user wrote it, for messages. */
export async function fileInput(path: string): Promise<InputFile> {
  const info = await stat(path);
  return {
    path,
    size: info.size,
    location: resolve(path),
    open: () => createReadStream(path, { highWaterMark: READ_CHUNK }),
    async read(start, end) {
      const handle = await open(path, 'r');
      try {
        const length = Math.max(0, end - start);
        const buffer = new Uint8Array(length);
        let offset = 0;
        while (offset < length) {
          const { bytesRead } = await handle.read(buffer, offset, length - offset, start + offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
        }
        return buffer.subarray(0, offset);
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * Files named on the command line, with folders expanded recursively in a
 * stable (sorted) order. Hidden entries are skipped: they are editor and OS
 * droppings (.DS_Store, .git), never exports.
 */
export async function expandInputPaths(paths: readonly string[]): Promise<string[]> {
  return (await expandInputs(paths)).map((entry) => entry.path);
}

/** As expandInputPaths, saying which files were found by walking a folder rather than named. */
export async function expandInputs(paths: readonly string[]): Promise<{ path: string; foundInFolder: boolean }[]> {
  const out: { path: string; foundInFolder: boolean }[] = [];
  const visited = new Set<string>();
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(path, found, visited);
      for (const file of found) out.push({ path: file, foundInFolder: true });
    } else out.push({ path, foundInFolder: false });
  }
  return out;
}

/** Symbolic links are followed (to files and folders alike); a folder reached twice is read once. */
async function walk(directory: string, out: string[], visited: Set<string>): Promise<void> {
  const real = await realpath(directory);
  if (visited.has(real)) return;
  visited.add(real);
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => compareText(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(directory, entry.name);
    const info = entry.isSymbolicLink() ? await stat(full).catch(() => null) : entry;
    if (info === null) continue;
    if (info.isDirectory()) await walk(full, out, visited);
    else if (info.isFile()) out.push(full);
  }
}

/** A path relative to the working directory when inside it (stable across machines in reports). */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(path));
  return rel.startsWith('..') ? resolve(path) : rel;
}
