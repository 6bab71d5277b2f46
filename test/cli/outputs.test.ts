import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources', 'demo');
const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-out-'));

/** The demo with its inventory turned hostile: a formula for a host name, an escape sequence in a label, a newline in another. */
async function hostileDemo(): Promise<string> {
  const dir = await tempDir();
  await cp(DEMO, dir, { recursive: true });
  const inventory = (await readFile(join(dir, 'inventory.csv'), 'utf8'))
    .replace('10.0.0.10,dns-1,', `10.0.0.10,"=cmd|' /C calc'!A0",`)
    .replace('10.0.0.11,dns-2,shared,', '10.0.0.11,dns-2,"\u001b]0;pwned\u0007shared",')
    .replace('10.0.0.100,mail-1,', '10.0.0.100,"  @SUM(1)\n+1",');
  await writeFile(join(dir, 'inventory.csv'), inventory);
  return dir;
}

describe('--out: outputs a failed run never destroys', () => {
  it('refuses a file or an empty name before any work', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'taken'), 'mine\n');
    const onFile = await cli(['analyze', DEMO, '--out', join(dir, 'taken')]);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(`flowfence: --out: ${join(dir, 'taken')} exists and is not a folder`);
    expect(onFile.stdout).toBe('');
    expect(await readFile(join(dir, 'taken'), 'utf8')).toBe('mine\n');
    const empty = await cli(['simulate', '--policy', join(dir, 'taken'), DEMO, '--out', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('flowfence: --out: an empty name is no folder');
  });

  it('a run that accepted no flow writes nothing: the earlier policy and CSV files stay byte for byte, other files too', async () => {
    // A folder of its own around --out: other tests write staging folders into the shared temp folder at the same time.
    const parent = await tempDir();
    const out = join(parent, 'out');
    expect((await cli(['analyze', DEMO, '--out', out])).code).toBe(0);
    await writeFile(join(out, 'notes.md'), 'the analyst\u2019s own notes\n');
    const before = new Map(await Promise.all((await readdir(out)).map(async (name) => [name, await readFile(join(out, name))] as const)));
    const junk = await tempDir();
    await writeFile(join(junk, 'notes.txt'), 'not a flow export\n');
    const failed = await cli(['analyze', join(junk, 'notes.txt'), '--out', out]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(`flowfence: nothing written to ${out}: no flow record was accepted, so what was there is kept`);
    const after = new Map(await Promise.all((await readdir(out)).map(async (name) => [name, await readFile(join(out, name))] as const)));
    expect(after).toEqual(before);
    // No staging folder is left beside it.
    expect(await readdir(parent)).toEqual(['out']);
  });
});

describe('nothing the data says can attack the reader', () => {
  it('a hostile inventory reaches no CSV as a live formula and no terminal as an escape sequence', async () => {
    const input = await hostileDemo();
    const out = await tempDir();
    const run = await cli(['analyze', input, '--out', out]);
    expect(run.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- control characters are what must not be there
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // The label names a group in the summary, shown escaped.
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07shared');
    for (const name of (await readdir(out)).filter((file) => file.endsWith('.csv'))) {
      const rows = csvParseRows(await readFile(join(out, name), 'utf8'));
      for (const row of rows) {
        for (const cell of row) {
          // Every line of every cell: no formula trigger after leading blanks.
          for (const line of cell.split(/\r\n|\n|\r/)) expect(line, `${name}: ${JSON.stringify(cell)}`).not.toMatch(/^ *[=+@\t]/);
          if (/^ *-/.test(cell)) expect(Number.isFinite(Number(cell)), `${name}: ${JSON.stringify(cell)}`).toBe(true);
        }
      }
    }
    const hosts = await readFile(join(out, 'hosts.csv'), 'utf8');
    expect(hosts).toContain(`,'=cmd|' /C calc'!A0,`);
    // (The inventory reader trims the leading blanks; neutraliseFormula's own tests cover them.)
    expect(hosts).toContain(`"'@SUM(1)\n'+1"`);
  });
});
