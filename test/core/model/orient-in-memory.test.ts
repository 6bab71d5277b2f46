import { describe, expect, it } from 'vitest';
import { ingestFlows, insertConversations } from '../../../src/core/ingest/ingest';
import type { InputFile } from '../../../src/core/ingest/source';
import { buildEdges } from '../../../src/core/model/build-edges';
import { buildEdgesSql } from '../../../src/core/model/edges-sql';
import type { ServerPortPin } from '../../../src/core/model/orient-conversations';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { expandInputPaths, fileInput } from '../../../src/core/node/fs-input';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import { textFile } from '../../helpers/engine';
import { HAS_SHARED_DATA, SAMPLES } from '../../helpers/samples';
import { SHARED_PORT_LINES } from '../../helpers/shared-port-flows';

/**
 * Orientation runs in TypeScript in the engine and in DuckDB's SQL in its
 * twin (edges-sql.ts: the native benchmark, the pushdown). The two must
 * agree to the last row: here both run over the same conversations and
 * their edges_hourly and edges tables are compared whole (times, reasons and
 * counts included).
 */
async function differencesBetweenMemoryAndSql(files: readonly InputFile[], pins: readonly ServerPortPin[] = []) {
  const db = await openNodeDuckDb();
  try {
    const { conversations } = await ingestFlows(db, nodeIngestHost, files, {});
    await buildEdges(db, conversations, pins);
    await db.run('ALTER TABLE edges_hourly RENAME TO memory_hourly');
    await db.run('ALTER TABLE edges RENAME TO memory_edges');
    for (const batch of conversations.batches) await insertConversations(db, batch);
    for (const statement of buildEdgesSql('none')) await db.run(statement);
    const count = async (sql: string): Promise<number> => Number((await db.all<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`))[0]!.n);
    const symmetricDifference = (a: string, b: string): string =>
      `(SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}) UNION ALL (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})`;
    const columns = async (table: string) => db.all(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`);
    return {
      hourlyRows: await count('SELECT * FROM edges_hourly'),
      edgeRows: await count('SELECT * FROM edges'),
      hourlyDifferences: await count(symmetricDifference('edges_hourly', 'memory_hourly')),
      edgeDifferences: await count(symmetricDifference('edges', 'memory_edges')),
      sameColumns:
        JSON.stringify(await columns('edges_hourly')) === JSON.stringify(await columns('memory_hourly')) &&
        JSON.stringify(await columns('edges')) === JSON.stringify(await columns('memory_edges')),
      reasons: (await db.all<{ reason: number }>('SELECT DISTINCT reason FROM edges ORDER BY reason')).map((row) => row.reason),
    };
  } finally {
    await db.close();
  }
}

describe('in-memory orientation matches the SQL', () => {
  it('on a synthetic enterprise (direction from evidence across the data set, allow and deny)', async () => {
    const dataset = awsDataset({ seed: 5, startMs: Date.UTC(2026, 0, 5), days: 1, apps: 3, workstationScale: 0.25, intensity: 0.5 });
    const files = [...dataset.days()].map((day) => textFile(day.name, [...day.chunks()].flat().join('\n') + '\n'));
    const result = await differencesBetweenMemoryAndSql(files);
    expect(result.hourlyRows).toBeGreaterThan(1000);
    expect(result).toMatchObject({ hourlyDifferences: 0, edgeDifferences: 0, sameColumns: true });
  });

  it('on hand-made ties, pins, explicit evidence and unknown times', async () => {
    const aws = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const awsLines = [
      aws,
      '2 1 eni-a 10.0.0.1 10.0.0.2 7000 7000 6 5 500 1700000000 1700000060 ACCEPT OK',
      '2 1 eni-a 10.0.0.3 10.0.0.4 9000 7000 6 5 500 1700000000 1700000060 ACCEPT OK',
      '2 1 eni-a 10.0.0.5 10.0.0.6 40000 53 17 1 80 1700000000 1700000060 REJECT OK',
      '2 1 eni-a 10.0.0.6 10.0.0.5 53 40000 17 1 80 1700003600 1700003660 ACCEPT OK',
      '2 1 eni-b 10.0.0.9 10.0.0.8 - - 1 1 84 1700000000 1700000060 ACCEPT OK',
    ];
    for (let i = 0; i < 6; i++) awsLines.push(`2 1 eni-s 10.0.0.80 10.0.1.${i + 1} 8443 ${50000 + i} 6 5 5000 1700000000 1700000060 ACCEPT OK`);
    const zeek = (orig: string, resp: string, origPort: number, respPort: number, history: string) =>
      JSON.stringify({ ts: 1700000000, uid: 'C', 'id.orig_h': orig, 'id.orig_p': origPort, 'id.resp_h': resp, 'id.resp_p': respPort, proto: 'tcp', conn_state: 'SF', history });
    const zeekLines = [zeek('10.0.0.1', '10.0.0.2', 5000, 6000, 'Dd'), zeek('10.0.0.1', '10.0.0.2', 5000, 6000, 'Dd'), zeek('10.0.0.1', '10.0.0.2', 5000, 6000, 'H'), zeek('fe80::1', 'fe80::2', 20, 33582, 'ShADaFf')];
    const pins = [{ proto: 6, port: 9000 }];
    const result = await differencesBetweenMemoryAndSql([textFile('edge-cases.log', awsLines.join('\n')), textFile('zeek.json', zeekLines.join('\n'))], pins);
    expect(result).toMatchObject({ hourlyDifferences: 0, edgeDifferences: 0, sameColumns: true });
    expect(result.edgeRows).toBeGreaterThanOrEqual(8);
  });

  it('where the busier host is not the server (a port both ends share, a service port in the ephemeral range)', async () => {
    const result = await differencesBetweenMemoryAndSql([textFile('shared-ports.log', SHARED_PORT_LINES.join('\n'))]);
    expect(result.edgeRows).toBe(28);
    expect(result).toMatchObject({ hourlyDifferences: 0, edgeDifferences: 0, sameColumns: true });
  });

  it.skipIf(!HAS_SHARED_DATA)('on every real sample export in ../shared/data/samples', async () => {
    const paths = await expandInputPaths([SAMPLES]);
    const files = await Promise.all(paths.map((path) => fileInput(path)));
    const result = await differencesBetweenMemoryAndSql(files, [{ proto: 6, port: 8080 }]);
    expect(result.hourlyRows).toBeGreaterThan(1000);
    // Real captures exercise every kind of evidence, from flags to the last-resort tie-break.
    expect(result.reasons.length).toBeGreaterThanOrEqual(5);
    expect(result).toMatchObject({ hourlyDifferences: 0, edgeDifferences: 0, sameColumns: true });
  }, 120_000);
});
