import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputFolderProblem, writeOutputFolder } from '../../../src/core/node/output-folder';

const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-outfolder-'));

async function* failingAfter(first: string): AsyncIterable<string> {
  yield first;
  throw new Error('the database went away');
}

describe('writeOutputFolder: all of a run\u2019s files or none', () => {
  it('replaces the files of the same name, leaves the others, and creates the folder when needed', async () => {
    const parent = await tempDir();
    const out = join(parent, 'results');
    expect(await writeOutputFolder(out, [['a.csv', ['x\n']], ['b.json', ['{}']]])).toEqual([join(out, 'a.csv'), join(out, 'b.json')]);
    await writeFile(join(out, 'notes.md'), 'mine');
    await writeOutputFolder(out, [['a.csv', ['y\n']], ['b.json', ['[]']]]);
    expect(await readFile(join(out, 'a.csv'), 'utf8')).toBe('y\n');
    expect(await readFile(join(out, 'notes.md'), 'utf8')).toBe('mine');
    expect((await readdir(parent)).sort()).toEqual(['results']);
  });

  it('a file that fails half-way leaves every earlier file as it was, the ones written before it too, and no staging folder', async () => {
    const parent = await tempDir();
    const out = join(parent, 'results');
    await writeOutputFolder(out, [['a.csv', ['old a\n']], ['b.csv', ['old b\n']]]);
    await expect(writeOutputFolder(out, [['a.csv', ['new a\n']], ['b.csv', failingAfter('new b, half')]])).rejects.toThrow('the database went away');
    expect(await readFile(join(out, 'a.csv'), 'utf8')).toBe('old a\n');
    expect(await readFile(join(out, 'b.csv'), 'utf8')).toBe('old b\n');
    expect((await readdir(parent)).sort()).toEqual(['results']);
  });
});

describe('writeOutputFolder: files in sub-folders', () => {
  it('creates the sub-folders, and refuses a name that would leave the folder before writing anything', async () => {
    const out = join(await tempDir(), 'export');
    await writeOutputFolder(out, [['nftables/10.0.0.5.nft', ['table\n']], ['report.json', ['{}']]]);
    expect(await readFile(join(out, 'nftables', '10.0.0.5.nft'), 'utf8')).toBe('table\n');
    for (const name of ['../escape.txt', '/etc/passwd', 'a//b', 'nftables/./x', 'a\\b']) {
      await expect(writeOutputFolder(out, [['ok.txt', ['x']], [name, ['x']]]), name).rejects.toThrow('not an output file name');
    }
    expect((await readdir(out)).sort()).toEqual(['nftables', 'report.json']);
  });
});

describe('outputFolderProblem', () => {
  it('accepts a folder or a name not taken yet; refuses a file, an empty name and a path under a file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), '');
    expect(await outputFolderProblem(dir)).toBeNull();
    expect(await outputFolderProblem(join(dir, 'new', 'deeper'))).toBeNull();
    expect(await outputFolderProblem(join(dir, 'file'))).toBe(`${join(dir, 'file')} exists and is not a folder`);
    expect(await outputFolderProblem('  ')).toBe('an empty name is no folder');
    expect(await outputFolderProblem(join(dir, 'file', 'below'))).toMatch(/^cannot use .*file\/below: ENOTDIR/);
  });
});
