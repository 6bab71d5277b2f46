// A scenario's files written to disk under names that keep their kind and
// order ("flows-0-nfcapd.…csv"): the runner analyses them, and
// scenario-folder.ts lists them for the CLI.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioFile } from './scenario';

/** Writes `files` into `dir` as "<kind>-<index>-<name>"; returns their paths in order. */
export async function writeScenarioFiles(dir: string, kind: string, files: readonly ScenarioFile[]): Promise<string[]> {
  const paths: string[] = [];
  for (const [index, file] of files.entries()) {
    const path = join(dir, `${kind}-${index}-${file.name}`);
    await writeFile(path, file.content);
    paths.push(path);
  }
  return paths;
}
