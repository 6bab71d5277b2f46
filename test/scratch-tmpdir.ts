import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: one temporary folder for the whole run, removed when
 * it ends. Tests make their folders with mkdtemp(tmpdir()) and the CLIs
 * they spawn write theirs there too; both read TMPDIR, which the test
 * forks and their children inherit. A test that failed half-way, or one
 * that never cleaned up, no longer leaves hundreds of megabytes behind in
 * the machine's /tmp run after run.
 */
export default function scratchTmpdir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'flowfence-tests-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
