import { describe, expect, it } from 'vitest';
import { ingestFlows } from '../../../src/core/ingest/ingest';
import { dayPartitions, hourlyEdges, type HourlyEdgeColumns } from '../../../src/core/model/hourly-edges';
import { orientConversations } from '../../../src/core/model/orient-conversations';
import { WholeEdges } from '../../../src/core/model/whole-edges';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import { textFile } from '../../helpers/engine';

/** Every column of every row, rows sorted: the order rows are built in is not part of the result. */
function rowsOf(edges: HourlyEdgeColumns | ReturnType<WholeEdges['result']>): string[] {
  const columns = Object.entries(edges).filter(([name]) => name !== 'length') as [string, ArrayLike<number | bigint>][];
  const rows: string[] = [];
  for (let row = 0; row < edges.length; row++) rows.push(columns.map(([, values]) => String(values[row])).join(','));
  return rows.sort();
}

describe('hourly edges built a day at a time', () => {
  it('are the hourly and whole-window edges built over all days at once', async () => {
    const dataset = awsDataset({ seed: 9, startMs: Date.UTC(2026, 0, 5), days: 3, apps: 2, workstationScale: 0.2, intensity: 0.2 });
    const files = [...dataset.days()].map((day) => textFile(day.name, [...day.chunks()].flat().join('\n') + '\n'));
    const db = await openNodeDuckDb();
    try {
      // A small door: rows are handed over early and spilled, as on a long window.
      const { conversations } = await ingestFlows(db, nodeIngestHost, files, { doorCapacity: 2_000 });
      const { batches, hostSortKeys } = conversations;
      const orientation = orientConversations(batches, hostSortKeys, []);
      const all = hourlyEdges(batches, orientation);
      const oneGo = new WholeEdges();
      oneGo.add(all);

      const days = dayPartitions(batches);
      expect(days.length).toBeGreaterThanOrEqual(3);
      const byDay: string[] = [];
      const inParts = new WholeEdges();
      for (const { rowsOf: rows } of days) {
        const hourly = hourlyEdges(batches, orientation, rows);
        inParts.add(hourly);
        byDay.push(...rowsOf(hourly));
      }
      expect(all.length).toBeGreaterThan(1000);
      expect(byDay.sort()).toEqual(rowsOf(all));
      expect(rowsOf(inParts.result())).toEqual(rowsOf(oneGo.result()));
    } finally {
      await db.close();
    }
  });
});
