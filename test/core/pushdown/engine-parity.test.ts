import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushdownQuery } from '../../../src/core/pushdown/pushdown-query';
import { awsFlowRecords, type AwsFlowRecord } from './aws-flow-records';
import { CLUSTER, startClickhouseCluster, type ClickhouseCluster } from './clickhouse-cluster';
import { edgeRow, embeddedHourlyEdges, parquetAsTsv, runInChdb, runInDuckdb, writeAwsParquet, type EdgeRow } from './edge-rows';

/**
 * Proven on real engines, not by reading SQL: the same AWS records, as a
 * text log for the embedded engine and as Hive-partitioned Parquet for the
 * warehouses, give exactly the same hourly edges (every count, time and
 * reason) from the embedded engine and from the pushdown query run in
 * native DuckDB, in chdb (ClickHouse in-process) and on a two-shard cluster
 * of Debian's clickhouse-server behind a Distributed table.
 */

const PINS = [{ proto: 6, port: 40000 }, { proto: 17, port: 123 }];
const FROM = Date.UTC(2024, 2, 10, 3, 0, 0);
const TO = Date.UTC(2024, 2, 10, 15, 0, 0);

let records: AwsFlowRecord[];
let parquet: string;
let expected: EdgeRow[];
let expectedPinned: EdgeRow[];
let expectedWindow: EdgeRow[];

beforeAll(async () => {
  records = awsFlowRecords(11, 1200);
  parquet = await writeAwsParquet(records);
  expected = await embeddedHourlyEdges(records);
  expectedPinned = await embeddedHourlyEdges(records, PINS);
  // The window keeps the records that start in it: the embedded engine is given just those.
  expectedWindow = await embeddedHourlyEdges(records.filter((r) => r.start !== null && r.start * 1000 >= FROM && r.start * 1000 < TO));
}, 120_000);

afterAll(() => rmSync(dirname(parquet), { recursive: true, force: true }));

const query = (dialect: 'duckdb' | 'clickhouse', extra: { pins?: typeof PINS; fromMs?: number; toMs?: number } = {}): string =>
  pushdownQuery({ dialect, sourceFormat: 'aws-vpc', version: 'flowfence test', ...extra }).text;

describe('the test data exercises every rule', () => {
  it('has edges decided by each reason, without a time, over IPv6, in many hours', () => {
    const reasons = new Set(expectedPinned.map((row) => Number(row.split(' ')[11])));
    for (const reason of [1, 5, 6, 7, 8, 9, 10]) expect(reasons, `reason ${reason}`).toContain(reason);
    expect(expected.some((row) => row.startsWith('-2147483648 '))).toBe(true);
    expect(expected.some((row) => row.includes(':'))).toBe(true);
    expect(new Set(expected.map((row) => row.split(' ')[0])).size).toBeGreaterThan(40);
    expect(expectedWindow.length).toBeGreaterThan(50);
    expect(expectedWindow.length).toBeLessThan(expected.length / 2);
  });
});

describe('duckdb dialect in native DuckDB over Hive-partitioned Parquet', () => {
  it('returns exactly the embedded engine’s hourly edges', async () => {
    expect((await runInDuckdb(query('duckdb'), parquet)).rows).toEqual(expected);
  });
  it('with server ports pinned', async () => {
    expect((await runInDuckdb(query('duckdb', { pins: PINS }), parquet)).rows).toEqual(expectedPinned);
  });
  it('with --from/--to: the records starting in the window', async () => {
    expect((await runInDuckdb(query('duckdb', { fromMs: FROM, toMs: TO }), parquet)).rows).toEqual(expectedWindow);
  });
});

describe('clickhouse dialect in chdb', () => {
  it('returns exactly the embedded engine’s hourly edges', async () => {
    expect(await runInChdb(query('clickhouse'), parquet)).toEqual(expected);
  });
  it('with server ports pinned and a window', async () => {
    expect(await runInChdb(query('clickhouse', { pins: PINS }), parquet)).toEqual(expectedPinned);
    expect(await runInChdb(query('clickhouse', { fromMs: FROM, toMs: TO }), parquet)).toEqual(expectedWindow);
  });
});

const AWS_COLUMNS = ['version', 'account_id', 'interface_id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log_status', 'tcp_flags', 'pkt_srcaddr', 'pkt_dstaddr', 'year', 'month', 'day', 'hour'];
const LOCAL_DDL =
  'CREATE TABLE vpc_flow_logs_local (version Nullable(Int32), account_id Nullable(String), interface_id Nullable(String), srcaddr Nullable(String), dstaddr Nullable(String), ' +
  'srcport Nullable(Int32), dstport Nullable(Int32), protocol Nullable(Int64), packets Nullable(Int64), bytes Nullable(Int64), start Nullable(Int64), `end` Nullable(Int64), ' +
  'action Nullable(String), log_status Nullable(String), tcp_flags Nullable(Int32), pkt_srcaddr Nullable(String), pkt_dstaddr Nullable(String), ' +
  'year String, month String, day String, hour String) ENGINE = MergeTree() ORDER BY (year, month, day, hour)';

const cluster = await startClickhouseCluster();
const skipReason = typeof cluster === 'string' ? cluster : null;

describe.skipIf(skipReason !== null)(`clickhouse dialect on a two-shard clickhouse-server cluster${skipReason === null ? '' : ` (skipped: ${skipReason})`}`, () => {
  const servers = cluster as ClickhouseCluster;
  afterAll(() => servers.stop());

  it('returns exactly the embedded engine’s hourly edges through a Distributed table', async () => {
    for (const shard of [0, 1]) await servers.query(LOCAL_DDL, shard);
    await servers.query(`CREATE TABLE vpc_flow_logs AS vpc_flow_logs_local ENGINE = Distributed(${CLUSTER}, default, vpc_flow_logs_local)`);
    // 18.16 reads no Parquet: the Parquet files' rows, read by DuckDB, half on each shard.
    const lines = await parquetAsTsv(parquet, AWS_COLUMNS);
    for (const shard of [0, 1]) await servers.query(`INSERT INTO vpc_flow_logs_local FORMAT TabSeparated\n${lines.filter((_, i) => i % 2 === shard).join('\n')}\n`, shard);
    const perShard = await Promise.all([0, 1].map(async (shard) => Number(await servers.query('SELECT count() FROM vpc_flow_logs_local', shard))));
    expect(perShard.every((count) => count > 0)).toBe(true);
    expect(Number(await servers.query('SELECT count() FROM vpc_flow_logs'))).toBe(lines.length);
    const rows = async (sql: string): Promise<EdgeRow[]> =>
      (await servers.query(sql))
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => edgeRow(line.split('\t')))
        .sort();
    expect(await rows(query('clickhouse'))).toEqual(expected);
    expect(await rows(query('clickhouse', { pins: PINS }))).toEqual(expectedPinned);
    expect(await rows(query('clickhouse', { fromMs: FROM, toMs: TO }))).toEqual(expectedWindow);
  }, 120_000);
});
