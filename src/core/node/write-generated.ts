import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createGzip, constants } from 'node:zlib';
import type { GeneratedFile } from '../util/generated-file';

export interface WrittenFiles {
  readonly paths: string[];
  /** Lines written, all files together. */
  readonly lines: number;
  /** Uncompressed characters written. */
  readonly characters: number;
}

/**
 * Writes generated files under `directory`, each to a temporary name renamed
 * at the end. Gzip output is deterministic (zlib writes no timestamp), so a
 * generator's files are byte-identical run after run.
 */
export async function writeGeneratedFiles(
  files: readonly GeneratedFile[],
  directory: string,
  level: number = constants.Z_BEST_COMPRESSION,
): Promise<WrittenFiles> {
  const paths: string[] = [];
  let lines = 0;
  let characters = 0;
  for (const file of files) {
    const path = join(directory, file.path);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    const output = createWriteStream(temporary);
    const gzip = file.gzip ? createGzip({ level }) : null;
    gzip?.pipe(output);
    const target = gzip ?? output;
    for (const chunk of file.chunks()) {
      characters += chunk.length;
      for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', at + 1)) lines++;
      if (!target.write(chunk)) await once(target, 'drain');
    }
    target.end();
    await once(output, 'finish');
    await rename(temporary, path);
    paths.push(path);
  }
  return { paths, lines, characters };
}
