import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { writeChunks } from './atomic-write';

export type OutputFile = readonly [name: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>];

/**
 * Writes a run's output files into `folder` so that a failed run leaves the
 * folder as it was: every file is first written into a staging folder
 * beside it (same file system, so the moves are renames), and only when all
 * of them are complete do they replace their namesakes in `folder`. Other
 * files in `folder` are left alone. The staging folder is removed whatever
 * happens. Names may hold folders ("nftables/10.0.0.5.nft"). Returns the
 * paths written.
 */
export async function writeOutputFolder(folder: string, files: readonly OutputFile[]): Promise<string[]> {
  const target = resolve(folder);
  const staging = join(dirname(target), `.${basename(target)}.flowfence-${process.pid}-${Date.now()}.tmp`);
  await mkdir(staging, { recursive: true });
  try {
    for (const [name, chunks] of files) {
      checkName(name);
      await mkdir(dirname(join(staging, name)), { recursive: true });
      await writeChunks(join(staging, name), chunks);
    }
    await mkdir(target, { recursive: true });
    const written: string[] = [];
    for (const [name] of files) {
      await mkdir(dirname(join(target, name)), { recursive: true });
      await rename(join(staging, name), join(target, name));
      written.push(join(folder, name));
    }
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Output names are relative paths below the folder ("nftables/10.0.0.5.nft"): never absolute, never climbing out. */
function checkName(name: string): void {
  const parts = name.split('/');
  if (name.startsWith('/') || name.includes('\\') || parts.some((part) => part === '' || part === '.' || part === '..')) throw new Error(`not an output file name: ${name}`);
}

/**
 * Why `folder` cannot take a run's outputs, or null when it can (it exists
 * as a folder, or does not exist yet). Checked before any work, so that a
 * long analysis does not end on a path that was never usable.
 */
export async function outputFolderProblem(folder: string): Promise<string | null> {
  if (folder.trim() === '') return 'an empty name is no folder';
  try {
    const info = await stat(folder);
    return info.isDirectory() ? null : `${folder} exists and is not a folder`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `cannot use ${folder}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
