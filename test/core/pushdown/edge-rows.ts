import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFlows } from '../../../src/core/ingest/ingest';
import { buildEdges } from '../../../src/core/model/build-edges';
import type { ServerPortPin } from '../../../src/core/model/orient-conversations';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { textFile } from '../../helpers/engine';
import { awsFlowLogText, deliveryHour, type AwsFlowRecord } from './aws-flow-records';

/** One hourly edge as text, the same for every engine: "hour client server proto port action flows packets bytes first last reason". */
export type EdgeRow = string;

/** Values from any engine (bigint, number, numeric text, NULL) as one text per row. */
export function edgeRow(values: readonly unknown[]): EdgeRow {
  return values
    .slice(0, 12)
    .map((value) => (value === null || value === undefined || value === '\\N' ? 'null' : String(Number.isNaN(Number(value)) ? value : Number(value))))
    .join(' ');
}

/** What the embedded engine builds into edges_hourly from the records as an AWS text log, addresses for host ids. */
export async function embeddedHourlyEdges(records: readonly AwsFlowRecord[], pins: readonly ServerPortPin[] = []): Promise<EdgeRow[]> {
  const db = await openNodeDuckDb();
  try {
    const { conversations, inputs } = await ingestFlows(db, nodeIngestHost, [textFile('flows.log', awsFlowLogText(records))], {});
    if (inputs[0]!.error !== null) throw new Error(inputs[0]!.error);
    await buildEdges(db, conversations, pins);
    const rows = await db.all<Record<string, unknown>>(`
      SELECT e.hour, c.ip AS client, s.ip AS server, e.proto, e.port, e.action, e.flows, e.packets, e.bytes, e.first_ms, e.last_ms, e.reason
      FROM edges_hourly e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`);
    return rows.map((row) => edgeRow(Object.values(row))).sort();
  } finally {
    await db.close();
  }
}

/**
 * The records as AWS delivers Parquet flow logs: Hive-style partitions by
 * delivery hour (year=/month=/day=/hour=), written by native DuckDB's COPY.
 */
export async function writeAwsParquet(records: readonly AwsFlowRecord[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'flowfence-pushdown-'));
  const json = join(dir, 'records.ndjson');
  const pad = (n: number): string => String(n).padStart(2, '0');
  writeFileSync(
    json,
    records
      .map((record) => {
        const at = deliveryHour(record);
        return JSON.stringify({ version: 5, account_id: '123456789012', ...record, year: String(at.getUTCFullYear()), month: pad(at.getUTCMonth() + 1), day: pad(at.getUTCDate()), hour: pad(at.getUTCHours()) });
      })
      .join('\n'),
  );
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const columns =
      "{version: 'INTEGER', account_id: 'VARCHAR', interface_id: 'VARCHAR', srcaddr: 'VARCHAR', dstaddr: 'VARCHAR', srcport: 'INTEGER', dstport: 'INTEGER', protocol: 'BIGINT', " +
      "packets: 'BIGINT', bytes: 'BIGINT', start: 'BIGINT', \"end\": 'BIGINT', action: 'VARCHAR', log_status: 'VARCHAR', tcp_flags: 'INTEGER', pkt_srcaddr: 'VARCHAR', pkt_dstaddr: 'VARCHAR', " +
      "year: 'VARCHAR', month: 'VARCHAR', day: 'VARCHAR', hour: 'VARCHAR'}";
    await connection.run(`COPY (SELECT * FROM read_json('${json}', format = 'newline_delimited', columns = ${columns})) TO '${join(dir, 'parquet')}' (FORMAT parquet, PARTITION_BY (year, month, day, hour))`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return join(dir, 'parquet');
}

/** Runs a query in native DuckDB with `vpc_flow_logs` a view over the Parquet folder; rows as EdgeRows, and the result's raw rows. */
export async function runInDuckdb(query: string, parquetDir: string): Promise<{ rows: EdgeRow[]; raw: unknown[][] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE VIEW vpc_flow_logs AS SELECT * FROM read_parquet('${parquetDir}/**/*.parquet', hive_partitioning = true)`);
    const result = await connection.runAndReadAll(query);
    const raw = result.getRows() as unknown[][];
    return { rows: raw.map((row) => edgeRow(row)).sort(), raw };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs a query in chdb (ClickHouse in-process) with `vpc_flow_logs` a view over the Parquet folder's files. */
export async function runInChdb(query: string, parquetDir: string): Promise<EdgeRow[]> {
  const { Session } = await import('chdb');
  const session = new Session();
  try {
    // Loaded into a MergeTree table, as a ClickHouse deployment holds them (and chdb's Parquet reader
    // mishandles filters on expression aliases over a file() view).
    session.query(`CREATE TABLE vpc_flow_logs ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('${parquetDir}/**/*.parquet', Parquet)`);
    const out = session.query(query, 'TSV');
    return out
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => edgeRow(line.split('\t')))
      .sort();
  } finally {
    session.close();
  }
}

/** The rows of the Parquet folder (partition columns included) as TabSeparated text, \N for NULL, for a server that reads no Parquet. */
export async function parquetAsTsv(parquetDir: string, columns: readonly string[]): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const quoted = columns.map((name) => `"${name}"`).join(', ');
    const rows = (await connection.runAndReadAll(`SELECT ${quoted} FROM read_parquet('${parquetDir}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)`)).getRows();
    return rows.map((row) => row.map((value) => (value === null ? '\\N' : String(value))).join('\t'));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
