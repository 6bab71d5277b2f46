import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAS_SHARED_DATA, sample } from '../helpers/samples';

const DEMO_FOLDER = fileURLToPath(new URL('../../resources/demo', import.meta.url));

export interface RealInputs {
  readonly source: string;
  readonly paths: readonly string[];
}

/**
 * The real exports the page ingests: the app's demo data once it exists
 * (resources/demo), the AWS samples from ../shared otherwise, or none (the
 * generated fixtures still run).
 */
export async function realInputs(): Promise<RealInputs> {
  if (existsSync(DEMO_FOLDER)) {
    const paths = await filesUnder(DEMO_FOLDER);
    if (paths.length > 0) return { source: 'resources/demo', paths };
  }
  if (HAS_SHARED_DATA) {
    const folder = sample('elastic-integrations/aws_vpcflow');
    const names = (await readdir(folder)).filter((name) => name.endsWith('.log')).sort();
    return { source: '../shared AWS VPC flow log samples', paths: names.map((name) => join(folder, name)) };
  }
  return { source: 'none (generated fixtures only)', paths: [] };
}

/** The page shows a picked file by its name, so names must be unique within one upload. */
export function assertUniqueNames(paths: readonly string[]): void {
  const seen = new Set<string>();
  for (const path of paths) {
    const name = basename(path);
    if (seen.has(name)) throw new Error(`two inputs are both named ${name}: the page could not tell their rows apart`);
    seen.add(name);
  }
}

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
