// The scale benchmark's enterprise: about 5,000 hosts over 90 days of AWS
// flow logs (≥ 50 million records), one gzip file per day, generated once
// into .bench-data with a manifest of each day's records, so that the
// benchmark can read the first days up to 12.5, 25 and 50 million records.
// The generator (src/core/synth) shares no code with the engine's algorithms.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:zlib';
import { writeGeneratedFiles } from '../../src/core/node/write-generated';
import { awsDataset, awsDayFiles } from '../../src/core/synth/aws-dataset';
import { ENTERPRISE_VERSION } from '../../src/core/synth/enterprise';
import { ROOT } from './ingest-dataset';

/** 144 servers and shared services plus 100 workstations per unit of scale: 48.56 gives 5,000 hosts. */
export const SCALE_SETTINGS = { seed: 7, startMs: Date.UTC(2026, 0, 1), days: 90, targetRecords: 51_000_000, workstationScale: 48.56 } as const;

export interface ScaleDay {
  readonly path: string;
  readonly records: number;
}

export async function scaleDataset(): Promise<{ directory: string; days: ScaleDay[]; hosts: number }> {
  const s = SCALE_SETTINGS;
  // "w2": workstations past a department's 235th get addresses in the next /24s (before, they overflowed
  // the last octet and two thirds of the records were rejected as invalid addresses).
  const directory = join(ROOT, '.bench-data', `scale-v${ENTERPRISE_VERSION}w2-${s.seed}-${s.days}d-${s.targetRecords}-${s.workstationScale}`);
  const manifest = join(directory, 'manifest.json');
  if (!existsSync(join(directory, 'complete'))) {
    console.log(`generating the scale enterprise into ${directory} (takes a while) …`);
    await rm(directory, { recursive: true, force: true });
    const dataset = awsDataset(s);
    const days: ScaleDay[] = [];
    for (const file of awsDayFiles(dataset)) {
      const written = await writeGeneratedFiles([file], directory, constants.Z_BEST_SPEED);
      // Each file starts with its header line.
      days.push({ path: written.paths[0]!, records: written.lines - 1 });
    }
    writeFileSync(manifest, JSON.stringify({ hosts: dataset.enterprise.hosts.length, days }));
    execFileSync('touch', [join(directory, 'complete')]);
  }
  const { hosts, days } = JSON.parse(readFileSync(manifest, 'utf8')) as { hosts: number; days: ScaleDay[] };
  return { directory, days, hosts };
}

/** The first days holding at least `records` records (the data then doubles day-aligned). */
export function daysFor(days: readonly ScaleDay[], records: number): ScaleDay[] {
  const out: ScaleDay[] = [];
  let total = 0;
  for (const day of days) {
    if (total >= records) break;
    out.push(day);
    total += day.records;
  }
  return out;
}
