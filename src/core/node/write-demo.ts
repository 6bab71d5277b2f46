import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import type { DemoFile } from '../synth/demo-dataset';

/** Writes demo files under `directory`; gzip output is deterministic (zlib writes no timestamp). */
export async function writeDemoFiles(files: readonly DemoFile[], directory: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const path = join(directory, file.path);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    const output = createWriteStream(temporary);
    const sink = file.gzip ? createGzip({ level: 9 }) : null;
    if (sink !== null) sink.pipe(output);
    const target = sink ?? output;
    for (const chunk of file.chunks()) if (!target.write(chunk)) await once(target, 'drain');
    target.end();
    await once(output, 'finish');
    await rename(temporary, path);
    written.push(path);
  }
  return written;
}
