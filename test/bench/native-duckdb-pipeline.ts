import { DuckDBInstance } from '@duckdb/node-api';
import { buildEdgesSql } from '../../src/core/model/edges-sql';
import { INGEST_SCHEMA_SQL } from '../../src/core/store/tables';

/**
 * The benchmark's yardstick: native DuckDB (multi-threaded C++) reading the
 * same AWS flow log files with its own CSV reader and computing the same
 * tables as the engine: door aggregates (obs) in SQL instead of TypeScript,
 * then the engine's own edge SQL, unchanged.
 */
export interface NativeRun {
  readonly rows: number;
  readonly edges: number;
  readonly ms: number;
}

const AWS_V2_COLUMNS = {
  version: 'INTEGER',
  'account-id': 'VARCHAR',
  'interface-id': 'VARCHAR',
  srcaddr: 'VARCHAR',
  dstaddr: 'VARCHAR',
  srcport: 'INTEGER',
  dstport: 'INTEGER',
  protocol: 'INTEGER',
  packets: 'DOUBLE',
  bytes: 'DOUBLE',
  start: 'BIGINT',
  end: 'BIGINT',
  action: 'VARCHAR',
  'log-status': 'VARCHAR',
};

export async function runNativePipeline(files: readonly string[]): Promise<NativeRun> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const run = (sql: string) => connection.run(sql);
  const started = performance.now();
  const fileList = `[${files.map((file) => `'${file.replace(/'/g, "''")}'`).join(', ')}]`;
  const columns = `{${Object.entries(AWS_V2_COLUMNS).map(([name, type]) => `'${name}': '${type}'`).join(', ')}}`;
  await run(`CREATE TABLE raw AS SELECT * FROM read_csv(${fileList}, delim = ' ', header = true, nullstr = '-', columns = ${columns})`);
  for (const statement of INGEST_SCHEMA_SQL) {
    if (!statement.startsWith('CREATE TABLE obs') && !statement.startsWith('CREATE TABLE hosts')) await run(statement);
  }
  await run(`CREATE TABLE hosts AS
    SELECT (row_number() OVER (ORDER BY ip) - 1)::UINTEGER AS host_id, ip, ip AS sort_key
    FROM (SELECT srcaddr AS ip FROM raw WHERE srcaddr IS NOT NULL UNION SELECT dstaddr FROM raw WHERE dstaddr IS NOT NULL)`);
  await run(`CREATE TABLE observers AS
    SELECT (row_number() OVER (ORDER BY iface) - 1)::UINTEGER AS observer, iface FROM (SELECT DISTINCT "interface-id" AS iface FROM raw)`);
  await run(`CREATE TABLE obs AS
    WITH r AS (
      SELECT o.observer, (r.start * 1000 // 3600000)::INTEGER AS hour, s.host_id AS src, d.host_id AS dst,
             r.srcport AS sp, r.dstport AS dp, r.protocol AS proto, r.packets, r.bytes,
             r.start * 1000.0 AS start_ms, r."end" * 1000.0 AS end_ms, r.action,
             (s.host_id < d.host_id OR (s.host_id = d.host_id AND r.srcport <= r.dstport)) AS src_is_lo
      FROM raw r
      JOIN hosts s ON s.ip = r.srcaddr JOIN hosts d ON d.ip = r.dstaddr
      JOIN observers o ON o.iface = r."interface-id"
      WHERE r.srcaddr IS NOT NULL)
    SELECT observer, hour,
           CASE WHEN src_is_lo THEN src ELSE dst END AS lo, CASE WHEN src_is_lo THEN sp ELSE dp END AS lo_port,
           CASE WHEN src_is_lo THEN dst ELSE src END AS hi, CASE WHEN src_is_lo THEN dp ELSE sp END AS hi_port,
           proto::UTINYINT AS proto,
           count(*) FILTER (WHERE src_is_lo)::UINTEGER AS rec_lh, count(*) FILTER (WHERE NOT src_is_lo)::UINTEGER AS rec_hl,
           coalesce(sum(packets) FILTER (WHERE src_is_lo), 0) AS pkts_lh, coalesce(sum(bytes) FILTER (WHERE src_is_lo), 0) AS bytes_lh,
           coalesce(sum(packets) FILTER (WHERE NOT src_is_lo), 0) AS pkts_hl, coalesce(sum(bytes) FILTER (WHERE NOT src_is_lo), 0) AS bytes_hl,
           min(start_ms) AS first_ms, max(end_ms) AS last_ms,
           count(*) FILTER (WHERE action = 'ACCEPT')::UINTEGER AS allow_n, count(*) FILTER (WHERE action = 'REJECT')::UINTEGER AS deny_n,
           0::UINTEGER AS ev_lo, 0::UINTEGER AS ev_hi, 0::UTINYINT AS ev_lo_reason, 0::UTINYINT AS ev_hi_reason
    FROM r GROUP BY ALL`);
  // Its obs is unique (GROUP BY ALL above): the same single-level fold the engine's merger allows.
  for (const statement of buildEdgesSql('unique')) await run(statement);
  const ms = performance.now() - started;
  const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM raw')).getRows()[0]![0]);
  const edges = Number((await connection.runAndReadAll('SELECT count(*) FROM edges')).getRows()[0]![0]);
  connection.closeSync();
  instance.closeSync();
  return { rows, edges, ms };
}
