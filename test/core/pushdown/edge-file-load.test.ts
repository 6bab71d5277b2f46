import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFlows } from '../../../src/core/ingest/ingest';
import { loadEdgeFiles } from '../../../src/core/ingest/formats/flowfence-edges-store';
import { classifyInput } from '../../../src/core/enrich/classify-input';
import { memoryInputFile } from '../../../src/core/ingest/source';
import { detectFormat, sniffSample } from '../../../src/core/ingest/sniff';
import { FLOW_FORMATS } from '../../../src/core/ingest/registry';
import { buildEdges } from '../../../src/core/model/build-edges';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { pushdownQuery } from '../../../src/core/pushdown/pushdown-query';
import { verifiedDigest } from '../../../src/core/pushdown/query-digest';
import type { SqlPort } from '../../../src/core/store/sql-port';
import { textFile } from '../../helpers/engine';
import { awsFlowLogText, awsFlowRecords, type AwsFlowRecord } from './aws-flow-records';
import { edgeRow, writeAwsParquet, type EdgeRow } from './edge-rows';

/**
 * A pushdown result, exported as a warehouse exports it (CSV with a header,
 * ClickHouse's CSVWithNames with \N, Parquet), loads into edges_hourly and
 * edges exactly as the embedded engine builds them from the raw records;
 * its rows are each accepted or rejected with a line and a reason, and the
 * file's report keeps the query's digest and source.
 */

let records: AwsFlowRecord[];
let parquet: string;
let out: string;
let query: ReturnType<typeof pushdownQuery>;

beforeAll(async () => {
  records = awsFlowRecords(23, 500);
  parquet = await writeAwsParquet(records);
  out = mkdtempSync(join(tmpdir(), 'flowfence-edges-'));
  query = pushdownQuery({ dialect: 'duckdb', sourceFormat: 'aws-vpc', version: 'flowfence test' });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE VIEW vpc_flow_logs AS SELECT * FROM read_parquet('${parquet}/**/*.parquet', hive_partitioning = true)`);
  await connection.run(`CREATE TABLE result AS ${query.text.replace(/^--.*\n/gm, '')}`);
  await connection.run(`COPY result TO '${join(out, 'edges.csv')}' (HEADER)`);
  await connection.run(`COPY result TO '${join(out, 'edges.parquet')}' (FORMAT parquet)`);
  // ClickHouse's CSVWithNames: every text quoted, NULL as \\N.
  await connection.run(`COPY (SELECT * REPLACE (coalesce(CAST(first_ms AS VARCHAR), '\\N') AS first_ms, coalesce(CAST(last_ms AS VARCHAR), '\\N') AS last_ms) FROM result) TO '${join(out, 'clickhouse.csv')}' (HEADER, FORCE_QUOTE (client, server, query_sha256, source))`);
  connection.closeSync();
  instance.closeSync();
}, 120_000);

afterAll(() => {
  rmSync(dirname(parquet), { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

async function tables(db: SqlPort): Promise<{ hourly: EdgeRow[]; edges: string[] }> {
  const hourly = await db.all<Record<string, unknown>>(`
    SELECT e.hour, c.ip AS client, s.ip AS server, e.proto, e.port, e.action, e.flows, e.packets, e.bytes, e.first_ms, e.last_ms, e.reason
    FROM edges_hourly e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`);
  const edges = await db.all<Record<string, unknown>>(`
    SELECT c.ip AS client, s.ip AS server, e.proto, e.port, e.action, e.flows, e.packets, e.bytes, e.first_ms, e.last_ms, e.reason, e.hours
    FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`);
  return { hourly: hourly.map((row) => edgeRow(Object.values(row))).sort(), edges: edges.map((row) => Object.values(row).map(String).join(' ')).sort() };
}

async function embedded() {
  const db = await openNodeDuckDb();
  const { conversations } = await ingestFlows(db, nodeIngestHost, [textFile('flows.log', awsFlowLogText(records))], {});
  await buildEdges(db, conversations, []);
  const result = await tables(db);
  await db.close();
  return result;
}

async function loaded(files: { path: string; bytes: Uint8Array }[]) {
  const db = await openNodeDuckDb();
  const { conversations } = await ingestFlows(db, nodeIngestHost, [], {});
  await buildEdges(db, conversations, []);
  const reports = await loadEdgeFiles(db, nodeIngestHost, files.map((f, fileIndex) => ({ file: memoryInputFile(f.path, f.bytes), fileIndex })));
  const result = await tables(db);
  const rejects = await db.all<{ file_id: number; line: number; reason: string }>('SELECT file_id, line, reason FROM rejects ORDER BY file_id, line');
  await db.close();
  return { ...result, reports, rejects };
}

const file = (name: string): { path: string; bytes: Uint8Array } => ({ path: name, bytes: readFileSync(join(out, name)) });

describe('flowfence-edges files load as the embedded engine’s edges', () => {
  it('the query text checks against its own digest, and a changed query does not', () => {
    expect(verifiedDigest(query.text)).toBe(query.sha256);
    expect(verifiedDigest(query.text.replace('3600000', '3600001'))).toBeNull();
    expect(verifiedDigest(query.text.replace(/(-- query_sha256: )[0-9a-f]/, '$1f').replace(/(-- query_sha256: )f/, '$1e'))).toBeNull();
  });

  it('is recognised by its header, and refused by the flow record path with the reason', () => {
    const header = readFileSync(join(out, 'edges.csv'), 'utf8').split('\n')[0]!;
    expect(detectFormat(FLOW_FORMATS, sniffSample(`${header}\n`)).format?.id).toBe('flowfence-edges');
  });

  it('classifying inputs tells edge files (CSV, Parquet) from flow logs, for the host that routes them', async () => {
    const is = async (name: string, bytes: Uint8Array): Promise<boolean> => {
      const role = await classifyInput(memoryInputFile(name, bytes), nodeIngestHost, FLOW_FORMATS);
      return role.kind === 'flows' && role.edges;
    };
    expect(await is('edges.csv', file('edges.csv').bytes)).toBe(true);
    expect(await is('edges.parquet', file('edges.parquet').bytes)).toBe(true);
    // Gzipped, as a warehouse export is sometimes handed over: still an edge file, not a flow log.
    expect(await is('edges.parquet.gz', gzipSync(file('edges.parquet').bytes))).toBe(true);
    expect(await is('edges.csv.gz', gzipSync(file('edges.csv').bytes))).toBe(true);
    expect(await is('flows.log', new TextEncoder().encode(awsFlowLogText(records.slice(0, 5))))).toBe(false);
  });

  it('CSV, ClickHouse CSVWithNames and Parquet exports give edges_hourly and edges exactly', async () => {
    const expected = await embedded();
    for (const name of ['edges.csv', 'clickhouse.csv', 'edges.parquet']) {
      const got = await loaded([file(name)]);
      expect(got.reports[0]!.error, name).toBeNull();
      expect(got.hourly, name).toEqual(expected.hourly);
      expect(got.edges, name).toEqual(expected.edges);
      const report = got.reports[0]!;
      expect(report.error, name).toBeNull();
      expect(report).toMatchObject({ format: 'flowfence-edges', error: null, rejected: 0, accepted: expected.hourly.length, read: expected.hourly.length });
      expect(report.pushdown).toEqual({ querySha256: query.sha256, source: query.source });
      expect(report.container).toBe(name.endsWith('.parquet') ? 'parquet' : null);
    }
  });

  it('rejects rows with a line and a reason: another query’s rows, a bad address, a wrong hour', async () => {
    const lines = readFileSync(join(out, 'edges.csv'), 'utf8').trimEnd().split('\n');
    const other = 'f'.repeat(64);
    lines[3] = lines[3]!.replace(query.sha256, other);
    lines[5] = lines[5]!.replace(/^(-?\d+),[^,]+,/, '$1,10.0.0.300,');
    lines[7] = lines[7]!.replace(/^(-?\d+),/, (_, hour: string) => `${Number(hour) + 1},`);
    const got = await loaded([{ path: 'tampered.csv', bytes: new TextEncoder().encode(`${lines.join('\n')}\n`) }]);
    const report = got.reports[0]!;
    expect(report.read).toBe(lines.length - 1);
    expect(report.read).toBe(report.accepted + report.rejected);
    expect(report.rejected).toBe(3);
    expect(got.rejects.map((r) => [r.line, r.reason.split(' (')[0]])).toEqual([
      [4, `query_sha256: differs from the first row's ${query.sha256}: rows of another query`],
      [6, 'client: not an IPv4 or IPv6 address'],
      [8, 'hour: not the hour of first_ms'],
    ]);
    expect(report.pushdown?.querySha256).toBe(query.sha256);
  });

  it('a file that is not flowfence-edges fails whole with a message', async () => {
    const got = await loaded([{ path: 'other.csv', bytes: new TextEncoder().encode('a,b\n1,2\n') }]);
    expect(got.reports[0]!.error).toMatch(/not a flowfence-edges header/);
    expect(got.hourly).toEqual([]);
  });
});
