import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip, constants } from 'node:zlib';
import type { AwsDataset } from '../synth/aws-dataset';

export interface WrittenDataset {
  readonly files: string[];
  readonly records: number;
  readonly bytes: number;
}

/** Writes each day of a synthetic AWS data set as a gzip file, as AWS delivers them to S3. */
export async function writeAwsDataset(dataset: AwsDataset, directory: string, level = constants.Z_DEFAULT_COMPRESSION): Promise<WrittenDataset> {
  await mkdir(directory, { recursive: true });
  const files: string[] = [];
  let records = 0;
  let bytes = 0;
  for (const day of dataset.days()) {
    const path = join(directory, `${day.name}.gz`);
    const temporary = `${path}.tmp`;
    const gzip = createGzip({ level });
    const output = createWriteStream(temporary);
    gzip.pipe(output);
    let first = true;
    for (const lines of day.chunks()) {
      if (lines.length === 0) continue;
      if (first) first = false;
      else records += lines.length;
      const text = `${lines.join('\n')}\n`;
      bytes += text.length;
      if (!gzip.write(text)) await once(gzip, 'drain');
    }
    gzip.end();
    await once(output, 'finish');
    await rename(temporary, path);
    files.push(path);
  }
  return { files, records, bytes };
}
