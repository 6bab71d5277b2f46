import { describe, expect, it } from 'vitest';
import { ingestFlows } from '../../../src/core/ingest/ingest';
import type { ObsColumnRows } from '../../../src/core/ingest/obs-compact';
import type { StoredObsRows } from '../../../src/core/ingest/obs-stored';
import { OBS, type ObsField } from '../../../src/core/ingest/obs-table';
import { inlineParsePool } from '../../../src/core/ingest/parse-file';
import type { ParsePool } from '../../../src/core/ingest/parse-pool';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { workerParsePool } from '../../../src/core/node/worker-parse-pool';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import { textFile } from '../../helpers/engine';

const SCRIPT = new URL('../../../src/core/node/parse-worker.ts', import.meta.url);

/** Every row's numbers, rows sorted: the order of folded rows is not part of the result. */
function sortedRows(batches: readonly ObsColumnRows[]): string[] {
  const fields = Object.keys(OBS) as ObsField[];
  const out: string[] = [];
  for (const batch of batches) {
    for (let row = 0; row < batch.length; row++) out.push(fields.map((field) => batch[field][row]).join(','));
  }
  return out.sort();
}

async function conversationsWith(pool: ParsePool): Promise<string[]> {
  const dataset = awsDataset({ seed: 9, startMs: Date.UTC(2026, 0, 5), days: 3, apps: 2, workstationScale: 0.2, intensity: 0.2 });
  const files = [...dataset.days()].map((day) => textFile(day.name, [...day.chunks()].flat().join('\n') + '\n'));
  const db = await openNodeDuckDb();
  try {
    // A small door: most rows are handed over early and spilled, as on a long window.
    const { conversations } = await ingestFlows(db, nodeIngestHost, files, { doorCapacity: 2_000, pool });
    return sortedRows(conversations.batches);
  } finally {
    await db.close();
  }
}

describe('spilled days folded on worker threads', () => {
  it('give the conversation-hours a fold in the calling thread gives', async () => {
    const inline = inlineParsePool(nodeIngestHost);
    const workers = workerParsePool({ script: SCRIPT, threads: 2, minFoldRows: 0 });
    const daysFolded: number[] = [];
    const progress: [number, number][] = [];
    const pool: ParsePool = {
      parseAll: inline.parseAll,
      foldDays: (days: StoredObsRows[][], signal?: AbortSignal) => {
        daysFolded.push(days.length);
        return workers.foldDays!(days, signal, (done, total) => progress.push([done, total]));
      },
    };
    const here = await conversationsWith(inline);
    const onWorkers = await conversationsWith(pool);
    // Several days, so both threads had work.
    expect(daysFolded[0]).toBeGreaterThanOrEqual(3);
    expect(here.length).toBeGreaterThan(1000);
    expect(onWorkers).toEqual(here);
    // Progress once per day, ending at all of them.
    expect(progress).toEqual(Array.from({ length: daysFolded[0]! }, (_, i) => [i + 1, daysFolded[0]!]));
  }, 120_000);

  it('stop when cancelled', async () => {
    const workers = workerParsePool({ script: SCRIPT, threads: 2, minFoldRows: 0 });
    const controller = new AbortController();
    controller.abort(new Error('stopped by the analyst'));
    await expect(workers.foldDays!([[], []], controller.signal)).rejects.toThrow('stopped by the analyst');
  });
});
