import { gzipSync } from 'node:zlib';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileInput } from '../../../src/core/node/fs-input';
import { workerParsePool } from '../../../src/core/node/worker-parse-pool';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import { runAnalyze } from '../../helpers/engine';

describe('parsing on worker threads', () => {
  it('gives exactly the edges of in-process parsing, and the same reports', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'flowfence-pool-'));
    const dataset = awsDataset({ seed: 5, startMs: Date.UTC(2026, 0, 5), days: 3, apps: 2, workstationScale: 0.2, intensity: 0.2 });
    const paths: string[] = [];
    for (const day of dataset.days()) {
      const path = join(directory, `${day.name}.gz`);
      await writeFile(path, gzipSync([...day.chunks()].flat().join('\n') + '\nnot a record\n'));
      paths.push(path);
    }
    const inputs = await Promise.all(paths.map((path) => fileInput(path)));
    const inline = await runAnalyze({ inputs });
    const pool = workerParsePool({ script: new URL('../../../src/core/node/parse-worker.ts', import.meta.url), threads: 2, minBytes: 0 });
    const threaded = await runAnalyze({ inputs }, { pool });
    const edges = 'SELECT c.ip, s.ip, e.proto, e.port, e.action, e.flows, e.packets, e.bytes, e.first_ms, e.last_ms, e.reason FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server ORDER BY ALL';
    expect(await threaded.db.all(edges)).toEqual(await inline.db.all(edges));
    expect(threaded.summary.inputs).toEqual(inline.summary.inputs);
    expect(threaded.summary.inputs).toHaveLength(3);
    expect(threaded.summary.inputs.every((input) => input.rejected === 1)).toBe(true);
  });
});
