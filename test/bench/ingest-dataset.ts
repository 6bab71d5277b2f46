// The ingest benchmark's synthetic enterprise (30 days of AWS flow logs,
// ≈ 6 million records), generated once into .bench-data and shared by the
// ingest and discovery benchmarks. The cache key carries the generator's
// version, so a changed generator never reuses stale files.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:zlib';
import { writeGeneratedFiles } from '../../src/core/node/write-generated';
import { awsDataset, awsDayFiles, type AwsDataset } from '../../src/core/synth/aws-dataset';
import { ENTERPRISE_VERSION } from '../../src/core/synth/enterprise';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const INGEST_SETTINGS = { seed: 42, startMs: Date.UTC(2026, 0, 1), days: 30, targetRecords: 6_000_000 } as const;

/** The dataset's folder, generated first when missing. */
export async function ingestDataset(): Promise<{ directory: string; dataset: AwsDataset }> {
  const s = INGEST_SETTINGS;
  const directory = join(ROOT, '.bench-data', `ingest-v${ENTERPRISE_VERSION}-${s.seed}-${s.days}d-${s.targetRecords}`);
  const dataset = awsDataset(s);
  if (!existsSync(join(directory, 'complete'))) {
    console.log(`generating the synthetic enterprise into ${directory} …`);
    await rm(directory, { recursive: true, force: true });
    const written = await writeGeneratedFiles(awsDayFiles(dataset), directory, constants.Z_BEST_SPEED);
    // Each file starts with its header line.
    const records = written.lines - written.paths.length;
    console.log(`${dataset.enterprise.hosts.length} hosts, ${records.toLocaleString('en')} records in ${written.paths.length} gzip files`);
    execFileSync('touch', [join(directory, 'complete')]);
  }
  return { directory, dataset };
}
