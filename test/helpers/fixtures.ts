import { fileURLToPath } from 'node:url';

/** Absolute path of a file under test/fixtures (small excerpts kept in the repository; see each folder's SOURCE.txt). */
export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}
