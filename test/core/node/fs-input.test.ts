import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputPaths } from '../../../src/core/node/fs-input';
import { workerParsePool } from '../../../src/core/node/worker-parse-pool';
import { fileInput } from '../../../src/core/node/fs-input';
import { DEFAULT_READ_LIMITS } from '../../../src/core/ingest/file-reader';

describe('input folders', () => {
  it('reads folders recursively in sorted order, follows links, skips hidden entries, and reads a folder reached twice once', async () => {
    const root = await mkdtemp(join(tmpdir(), 'flowfence-inputs-'));
    await mkdir(join(root, 'b'));
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'b', '2.log'), 'x');
    await writeFile(join(root, 'a', '1.log'), 'x');
    await writeFile(join(root, '.DS_Store'), 'x');
    await symlink(join(root, 'a', '1.log'), join(root, 'linked.log'));
    await symlink(join(root, 'b'), join(root, 'c-link-to-b'));
    await symlink(join(root, 'nowhere'), join(root, 'dangling.log'));
    const paths = await expandInputPaths([root]);
    expect(paths.map((path) => path.slice(root.length + 1))).toEqual(['a/1.log', 'b/2.log', 'linked.log']);
  });
});

describe('the worker pool', () => {
  it('parses nothing when cancelled before it starts', async () => {
    const root = await mkdtemp(join(tmpdir(), 'flowfence-cancel-'));
    await writeFile(join(root, 'a.log'), 'x');
    await writeFile(join(root, 'b.log'), 'x');
    const files = await Promise.all(['a.log', 'b.log'].map((name) => fileInput(join(root, name))));
    const controller = new AbortController();
    controller.abort(new Error('cancelled early'));
    const pool = workerParsePool({ script: new URL('../../../src/core/node/parse-worker.ts', import.meta.url), minBytes: 0, threads: 2 });
    await expect(
      pool.parseAll(files.map((file, fileIndex) => ({ file, fileIndex })), { parse: {}, limits: DEFAULT_READ_LIMITS, doorCapacity: 1000 }, { onBatch: () => undefined, onRejects: () => undefined, onProgress: () => undefined, sharedHours: () => new Set() }, controller.signal),
    ).rejects.toThrow('cancelled early');
  });
});
