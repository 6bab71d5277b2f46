// The ingest benchmark's single-file case: the same synthetic enterprise as
// ingest-dataset.ts, a little denser (≥ 6.4 million records), written as ONE
// gzip AWS flow log (one header, every day after the other), cached in
// .bench-data under a key that carries the generator's version.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:zlib';
import { writeGeneratedFiles } from '../../src/core/node/write-generated';
import { awsDataset } from '../../src/core/synth/aws-dataset';
import { ENTERPRISE_VERSION } from '../../src/core/synth/enterprise';
import { INGEST_SETTINGS, ROOT } from './ingest-dataset';

export const SINGLE_FILE_SETTINGS = { ...INGEST_SETTINGS, targetRecords: 6_600_000 } as const;
/** The figure: the single-file case must hold at least this many records. */
export const SINGLE_FILE_MIN_RECORDS = 6_400_000;

/** The folder holding the one file, generated first when missing. */
export async function singleFileDataset(): Promise<{ directory: string; path: string }> {
  const s = SINGLE_FILE_SETTINGS;
  const directory = join(ROOT, '.bench-data', `ingest-single-v${ENTERPRISE_VERSION}-${s.seed}-${s.days}d-${s.targetRecords}`);
  const name = '123456789012_vpcflowlogs_us-east-1_fl-0synthetic_30days.log.gz';
  if (!existsSync(join(directory, 'complete'))) {
    console.log(`generating the single-file dataset into ${directory} …`);
    await rm(directory, { recursive: true, force: true });
    const dataset = awsDataset(s);
    const written = await writeGeneratedFiles(
      [
        {
          path: name,
          gzip: true,
          *chunks() {
            let first = true;
            for (const day of dataset.days()) {
              for (const lines of day.chunks()) {
                // Each day starts with the header line; the file keeps only the first.
                const body = first ? lines : lines.filter((line, index) => index > 0 || !line.startsWith('version '));
                first = false;
                if (body.length > 0) yield `${body.join('\n')}\n`;
              }
            }
          },
        },
      ],
      directory,
      constants.Z_BEST_SPEED,
    );
    const records = written.lines - 1;
    if (records < SINGLE_FILE_MIN_RECORDS) throw new Error(`the generator gave ${records} records, fewer than ${SINGLE_FILE_MIN_RECORDS}`);
    console.log(`${records.toLocaleString('en')} records in one gzip file`);
    execFileSync('touch', [join(directory, 'complete')]);
  }
  return { directory, path: join(directory, name) };
}
