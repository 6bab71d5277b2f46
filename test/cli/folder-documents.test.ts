import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';

const DEMO = join(fileURLToPath(new URL('../..', import.meta.url)), 'resources', 'demo');

describe('documents in a folder of exports', () => {
  it('a README, a SOURCE.txt and a LICENSE in the folder are listed as skipped, and the run still succeeds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowfence-docs-'));
    await cp(DEMO, dir, { recursive: true });
    await writeFile(join(dir, 'README.md'), '# Flow logs of the billing VPC\n\nCollected 2026-01-05.\n');
    await writeFile(join(dir, 'SOURCE.txt'), 'Repository: example.org/exports, commit 12f4fd2\n');
    await writeFile(join(dir, 'LICENSE'), 'CC BY 4.0\n');
    const run = await cli(['analyze', dir, '--json']);
    expect(run.code).toBe(0);
    const inputs: { path: string; format: string | null; read: number; error?: string; skipped?: string }[] = JSON.parse(run.stdout).inputs;
    const docs = inputs.filter((input) => /README\.md|SOURCE\.txt|LICENSE/.test(input.path));
    expect(docs).toHaveLength(3);
    for (const doc of docs) {
      expect(doc).toMatchObject({ format: null, read: 0, skipped: 'a document found in the folder, not flow data: skipped' });
      expect(doc.error).toBeUndefined();
    }
    // The human summary says so too.
    expect((await cli(['analyze', dir])).stdout).toContain('  a document found in the folder, not flow data: skipped');
  });

  it('a document named on the command line is still an error: the user asked for it to be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowfence-docs-'));
    await writeFile(join(dir, 'README.md'), '# Notes\n');
    const run = await cli(['analyze', join(DEMO, 'vpc-flow-logs'), join(dir, 'README.md'), '--json']);
    expect(run.code).toBe(2);
    const readme = JSON.parse(run.stdout).inputs.find((input: { path: string }) => input.path.endsWith('README.md'));
    expect(readme.error).toMatch(/^unknown format/);
    expect(readme.skipped).toBeUndefined();
  });
});
