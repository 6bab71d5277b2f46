import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushdownQuery } from '../../src/core/pushdown/pushdown-query';
import { awsDataset } from '../../src/core/synth/aws-dataset';

/**
 * Bytes moved: the synthetic enterprise's AWS flow logs (one day) as the
 * warehouse holds them (text, and Parquet partitioned by hour as AWS
 * delivers it) against the pushdown result the analyst takes home (the
 * flowfence-edges CSV and Parquet). Sizes only: no timing.
 *   npm run bench:pushdown [-- records]
 */
const target = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'flowfence-pushdown-bytes-'));
try {
  const dataset = awsDataset({ seed: 7, startMs: Date.UTC(2026, 0, 5), days: 1, targetRecords: target });
  const text = join(dir, 'flows.log');
  let lines = 0;
  const parts: string[] = [];
  for (const day of dataset.days()) {
    for (const chunk of day.chunks()) {
      for (const line of chunk) {
        if (line.startsWith('version')) continue;
        parts.push(line);
        lines++;
      }
    }
  }
  writeFileSync(text, `${parts.join('\n')}\n`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const columns = "{version: 'INTEGER', account_id: 'VARCHAR', interface_id: 'VARCHAR', srcaddr: 'VARCHAR', dstaddr: 'VARCHAR', srcport: 'INTEGER', dstport: 'INTEGER', protocol: 'BIGINT', packets: 'BIGINT', bytes: 'BIGINT', start: 'BIGINT', \"end\": 'BIGINT', action: 'VARCHAR', log_status: 'VARCHAR'}";
  await connection.run(`CREATE TABLE raw AS SELECT *, NULL::INTEGER AS tcp_flags, NULL::VARCHAR AS pkt_srcaddr, NULL::VARCHAR AS pkt_dstaddr,
    strftime(to_timestamp("end"), '%Y') AS year, strftime(to_timestamp("end"), '%m') AS month, strftime(to_timestamp("end"), '%d') AS day, strftime(to_timestamp("end"), '%H') AS hour
    FROM read_csv('${text}', delim = ' ', header = false, columns = ${columns}, nullstr = '-')`);
  await connection.run(`COPY raw TO '${join(dir, 'parquet')}' (FORMAT parquet, PARTITION_BY (year, month, day, hour))`);
  await connection.run(`CREATE VIEW vpc_flow_logs AS SELECT * FROM read_parquet('${join(dir, 'parquet')}/**/*.parquet', hive_partitioning = true)`);
  const query = pushdownQuery({ dialect: 'duckdb', sourceFormat: 'aws-vpc', version: 'bench' });
  await connection.run(`CREATE TABLE result AS ${query.text.replace(/^--.*\n/gm, '')}`);
  await connection.run(`COPY result TO '${join(dir, 'edges.csv')}' (HEADER)`);
  await connection.run(`COPY result TO '${join(dir, 'edges.parquet')}' (FORMAT parquet)`);
  const edges = Number((await connection.runAndReadAll('SELECT count(*) FROM result')).getRows()[0]![0]);
  connection.closeSync();
  instance.closeSync();
  const size = (path: string): number => (statSync(path).isDirectory() ? readdirSync(path).reduce((sum, entry) => sum + size(join(path, entry)), 0) : statSync(path).size);
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  const rawText = size(text);
  const rawParquet = size(join(dir, 'parquet'));
  const csv = size(join(dir, 'edges.csv'));
  const parquet = size(join(dir, 'edges.parquet'));
  console.log(`records ${lines.toLocaleString('en')}  hourly edges ${edges.toLocaleString('en')} (${(lines / edges).toFixed(1)} records per edge-hour)`);
  console.log(`raw flow logs: text ${mb(rawText)}, Parquet by hour ${mb(rawParquet)}`);
  console.log(`pushdown result: CSV ${mb(csv)}, Parquet ${mb(parquet)}`);
  console.log(`ratios raw/result: text/CSV ${(rawText / csv).toFixed(1)}, Parquet/CSV ${(rawParquet / csv).toFixed(1)}, Parquet/Parquet ${(rawParquet / parquet).toFixed(1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
