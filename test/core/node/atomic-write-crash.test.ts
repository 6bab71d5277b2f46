import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/util/random';

/**
 * Kills a process that is writing a file with writeBytesAtomic at random
 * moments, KILLS times, and reads the file after each kill: it must always
 * be one whole version (its checksum holds), never older than the last one
 * seen. The writer is bundled once (esbuild) so each start is a plain Node
 * start, fast enough to kill it hundreds of times in a few seconds.
 */
const KILLS = 200;

let folder: string;
let child: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'flowfence-atomic-'));
  child = join(folder, 'writer.mjs');
  await build({ entryPoints: [fileURLToPath(new URL('./atomic-writer-child.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'silent' });
});

afterAll(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

function check(bytes: Buffer): number {
  expect(bytes.length).toBe(512 * 1024);
  const digest = createHash('sha256').update(bytes.subarray(0, bytes.length - 32)).digest();
  expect(digest.equals(bytes.subarray(bytes.length - 32))).toBe(true);
  return bytes.readDoubleBE(0);
}

/**
 * Starts the writer, lets it complete `writes` writes, then kills it without
 * warning after `fraction` of the time the last one took (of the time since
 * it was ready, when `writes` is 0): the kill falls inside a write or just
 * after one, however loaded the machine is.
 */
function runAndKill(target: string, start: number, writes: number, fraction: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const writer = spawn(process.execPath, [child, target, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] });
    writer.once('error', reject);
    let completed = -1;
    let last = 0;
    let killing = false;
    writer.stdout.setEncoding('utf8');
    writer.stdout.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line === '') continue;
        completed++;
        const now = performance.now();
        const took = completed === 0 ? 10 : now - last;
        last = now;
        if (!killing && completed >= writes) {
          killing = true;
          setTimeout(() => writer.kill('SIGKILL'), fraction * took);
        }
      }
    });
    writer.once('exit', () => resolve());
  });
}

describe('writeBytesAtomic under a crash', () => {
  it(`leaves the old file or the new one whole, whenever the writer is killed (${KILLS} kills)`, async () => {
    const target = join(folder, 'work.flowfence');
    const random = new Random(17);
    let seen = 0;
    let changed = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      await runAndKill(target, seen, random.int(0, 2), random.next() * 1.5);
      let bytes: Buffer;
      try {
        bytes = await readFile(target);
      } catch (error) {
        // Killed before its first rename: there is no file yet, which is the old state.
        expect(seen).toBe(0);
        expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
        continue;
      }
      const version = check(bytes);
      expect(version).toBeGreaterThanOrEqual(seen);
      if (version > seen) changed++;
      seen = version;
    }
    // The kills fell both between writes and during them: the file moved on most of the time.
    expect(changed).toBeGreaterThan(KILLS / 2);
  }, 120_000);
});
