import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('flowfence --version', () => {
  it('prints the version in package.json and exits 0, under each spelling', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      const run = await cli([flag]);
      expect(run.code, flag).toBe(0);
      expect(run.stdout, flag).toBe(`flowfence ${version}\n`);
    }
  });
});
