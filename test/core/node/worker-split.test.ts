// One large file read in pieces on two worker threads, every piece tiny:
// the result is the whole read's, whatever thread each piece went to.
import { gzipSync } from 'node:zlib';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileInput } from '../../../src/core/node/fs-input';
import { workerParsePool } from '../../../src/core/node/worker-parse-pool';
import { ingestSnapshot, splittingPool, wholePool } from '../ingest/split/split-run';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

function flowLog(rows: number): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const port = i % 11 === 3 ? 'x' : String([443, 22, 5432, 53][i % 4]);
    lines.push(`2 123456789012 eni-0${i % 4} 10.0.${i % 7}.${i % 200} 10.1.${i % 3}.9 ${30000 + (i % 900)} ${port} 6 ${i % 9} ${i * 10} ${1767225600 + 37 * i} ${1767225630 + 37 * i} ACCEPT OK`);
  }
  return lines.join('\n');
}

describe('worker threads reading one file in pieces', () => {
  it('two threads, pieces of 300 bytes, a large gzip file and a small plain one: same reports, rejects and edges as a whole read', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'flowfence-split-'));
    try {
      await writeFile(join(directory, 'big.log.gz'), gzipSync(flowLog(3000)));
      await writeFile(join(directory, 'small.log'), flowLog(40));
      const files = await Promise.all(['big.log.gz', 'small.log'].map((name) => fileInput(join(directory, name))));
      const pool = workerParsePool({ script: new URL('../../../src/core/node/parse-worker.ts', import.meta.url), threads: 2, minBytes: 0 });
      const whole = await ingestSnapshot(files, wholePool());
      const split = await ingestSnapshot(files, splittingPool(pool, 300));
      expect(split).toBe(whole);
      expect(whole).toContain('"rejected": 273');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
