import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';

const FLOWS = join(fileURLToPath(new URL('../..', import.meta.url)), 'resources', 'demo', 'vpc-flow-logs');

describe('the same file given twice', () => {
  it('is read once, whichever order the files come in, and the copy\u2019s report names the file read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowfence-copies-'));
    const [first] = (await readdir(FLOWS)).sort();
    await copyFile(join(FLOWS, first!), join(dir, 'copy-of-export.log.gz'));
    const alone = JSON.parse((await cli(['analyze', FLOWS, '--json'])).stdout);
    for (const order of [
      [FLOWS, join(dir, 'copy-of-export.log.gz')],
      [join(dir, 'copy-of-export.log.gz'), FLOWS],
    ]) {
      const run = await cli(['analyze', ...order, '--json']);
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary.edges).toBe(alone.edges);
      expect(summary.rules).toBe(alone.rules);
      // The one whose path sorts later is the copy, in both orders.
      const copies = summary.inputs.filter((input: { warnings?: string[] }) => input.warnings !== undefined);
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatchObject({ path: expect.stringContaining(first!), read: 0, accepted: 0, rejected: 0, format: 'aws-vpc' });
      expect(copies[0].warnings).toEqual([`the same content as ${join(dir, 'copy-of-export.log.gz')}: read once, under that name`]);
    }
  });
});
