// A Parquet file of several row groups read in pieces (runs of row groups,
// each read from the file by its parser) must leave exactly what a whole
// read leaves: reports, rejects with their row numbers, and edges.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS } from '../../../../src/core/ingest/file-reader';
import { inlineParsePool } from '../../../../src/core/ingest/parse-file';
import { FLOW_FORMATS, TABULAR_FORMATS } from '../../../../src/core/ingest/registry';
import { openFilePieces, type FilePiece } from '../../../../src/core/ingest/split/file-pieces';
import type { ParsePool } from '../../../../src/core/ingest/parse-pool';
import { fileInput } from '../../../../src/core/node/fs-input';
import { nodeIngestHost } from '../../../../src/core/node/gunzip';
import { workerParsePool } from '../../../../src/core/node/worker-parse-pool';
import { ingestSnapshot, splittingPool, wholePool } from './split-run';

const COLUMNS = ['version', 'account_id', 'interface_id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log_status'];

/** AWS flow log rows as Parquet strings: every 11th has a port that is no number (rejected). */
function awsRows(count: number): string[][] {
  return Array.from({ length: count }, (_, i) => [
    '2',
    '123456789012',
    `eni-0${i % 4}`,
    `10.0.${i % 7}.${i % 200}`,
    `10.1.${i % 3}.9`,
    String(30_000 + (i % 900)),
    i % 11 === 3 ? 'x' : String([443, 22, 5432, 53][i % 4]),
    '6',
    String(i % 9),
    String(i * 10),
    String(1_767_225_600 + 37 * i),
    String(1_767_225_630 + 37 * i),
    i % 5 === 0 ? 'REJECT' : 'ACCEPT',
    'OK',
  ]);
}

function parquetOf(rows: readonly string[][], rowGroupSize: number): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: COLUMNS.map((name, c) => ({ name, data: rows.map((row) => row[c]!), type: 'STRING' as const })), rowGroupSize }));
}

let directory = '';
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'flowfence-parquet-split-'));
  await writeFile(join(directory, 'groups.parquet'), parquetOf(awsRows(2000), 150));
  await writeFile(join(directory, 'one-group.parquet'), parquetOf(awsRows(60), 1000));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function expectSameAsWhole(pool: ParsePool): Promise<void> {
  const files = await Promise.all(['groups.parquet', 'one-group.parquet'].map((name) => fileInput(join(directory, name))));
  const whole = await ingestSnapshot(files, wholePool());
  const split = await ingestSnapshot(files, splittingPool(pool, 100));
  expect(split).toBe(whole);
  const parsed = JSON.parse(whole) as { reports: { read: number; rejected: number; container: string }[]; rejects: { path: string; line: number }[] };
  // The test means something: many groups, rejects in groups past the first, numbered in the file.
  expect(parsed.reports.map((report) => [report.container, report.read])).toEqual([['parquet', 2000], ['parquet', 60]]);
  expect(parsed.rejects.filter((reject) => reject.path.endsWith('groups.parquet')).map((reject) => reject.line).slice(-2)).toEqual([1984, 1995]);
}

describe('a Parquet file read in pieces of row groups gives what a whole read gives', () => {
  it('is cut into runs of whole row groups, of at least pieceBytes / 100 rows; a file of one group is read whole', async () => {
    const deps = { host: nodeIngestHost, formats: FLOW_FORMATS, tabular: TABULAR_FORMATS, options: {}, limits: DEFAULT_READ_LIMITS };
    const cut = async (name: string, pieceBytes: number): Promise<string | FilePiece['content'][]> => {
      const opening = await openFilePieces(await fileInput(join(directory, name)), deps, { pieceBytes }, () => undefined);
      if (opening.kind !== 'pieces') return opening.kind;
      const contents: FilePiece['content'][] = [];
      for await (const piece of opening.pieces) contents.push(piece.content);
      return contents;
    };
    const groups = await cut('groups.parquet', 100);
    // 2,000 rows in groups of 150: 14 groups, one a piece.
    expect(groups).toHaveLength(14);
    expect(groups[13]).toEqual({ kind: 'row-groups', first: 13, end: 14 });
    // 40,000 bytes: at least 400 rows a piece, so three groups (450 rows) each.
    expect(await cut('groups.parquet', 40_000)).toEqual([0, 3, 6, 9, 12].map((first) => ({ kind: 'row-groups', first, end: Math.min(14, first + 3) })));
    expect(await cut('one-group.parquet', 100)).toBe('whole');
  });

  it('in the calling thread', async () => {
    await expectSameAsWhole(inlineParsePool(nodeIngestHost));
  }, 60_000);

  it('on two worker threads, each reading its row groups from the file', async () => {
    await expectSameAsWhole(workerParsePool({ script: new URL('../../../../src/core/node/parse-worker.ts', import.meta.url), threads: 2, minBytes: 0 }));
  }, 120_000);
});
