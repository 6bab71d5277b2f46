import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** ../shared/data next to the repository: real exports, not part of the repo. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));
export const SAMPLES = join(SHARED_DATA, 'samples');
export const TOPOLOGIES = join(SHARED_DATA, 'topologies');
export const HAS_SHARED_DATA = existsSync(SAMPLES);

if (!HAS_SHARED_DATA) {
  console.warn(`[flowfence tests] ${SAMPLES} is absent: tests on the real sample exports are skipped.`);
}

/** Absolute path of a sample file, e.g. sample('zeek/conn.zeek-cut-logs.tsv.log'). */
export function sample(relative: string): string {
  return join(SAMPLES, relative);
}
