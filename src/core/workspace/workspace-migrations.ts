import { WORKSPACE_VERSION, WorkspaceError } from './workspace-model';

/**
 * Older workspace files, moved to the current version on reading. Each step
 * takes a file's entries at version n to version n + 1; it only adds what
 * its version lacks and never drops what the file holds. Every version a
 * step exists for keeps a fixture written by that version
 * (test/fixtures/workspace/), opened by the tests at every change.
 *
 * Version 1 is the first: there is no step yet. The first format change
 * adds `2: fromVersion1` below, and a version-2 fixture next to version 1's.
 */
export const OLDEST_WORKSPACE_VERSION = 1;

type Entries = Record<string, Uint8Array>;
type MigrationStep = (entries: Entries, source: string) => Entries;

/** Steps by the version they produce. */
const STEPS: Readonly<Record<number, MigrationStep>> = {};

export function migrateWorkspace(version: number, entries: Entries, source: string): Entries {
  if (!Number.isInteger(version) || version < OLDEST_WORKSPACE_VERSION) throw new WorkspaceError(`${source} has workspace version ${version}, older than any this Flowfence reads (${OLDEST_WORKSPACE_VERSION})`);
  let current = entries;
  for (let next = version + 1; next <= WORKSPACE_VERSION; next++) {
    const step = STEPS[next];
    if (step === undefined) throw new WorkspaceError(`no migration from workspace version ${next - 1} to ${next}`);
    current = step(current, source);
  }
  return current;
}
