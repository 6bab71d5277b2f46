import { DirectionReason } from '../../flow/record';
import { ACK, SYN } from '../../flow/tcp-flags';
import { and, caseWhen, col, eq, fn, ge, gt, int, isNotNull, isNull, le, lt, mul, ne, not, or, text, type Expr } from '../sql-ast';
import type { SourceFormat } from '../source-record';

/**
 * AWS VPC flow logs delivered to S3 as Parquet with Hive-compatible
 * prefixes (…/year=2024/month=01/day=31/hour=09/), read as the table AWS
 * documents for Athena. Each row is what ingest/formats/aws-vpc.ts reads
 * from one line: the same address, port, counter, time and action rules,
 * TCP flags (SYN from the client, SYN-ACK from the server) and a refused
 * record's sender as the opener, the interface as the observer.
 */

const PORT_PROTOCOLS = [6, 17, 132, 33, 136]; // flow/protocols.ts hasPorts
const LATEST_SECONDS = Date.UTC(2100, 0, 1) / 1000; // ingest/values.ts LATEST_MS

const c = (name: string): Expr => col(name);
const protocol = c('protocol');
const hasPorts = or(...PORT_PROTOCOLS.map((p) => eq(protocol, int(p))));
const port = (name: string): Expr => caseWhen([[and(hasPorts, isNotNull(c(name))), c(name)]], int(-1));
const srcPort = port('srcport');
const dstPort = port('dstport');
// NULLs never enter a condition: ClickHouse 18 answers NULL, not false, for `false AND NULL`.
const flags = fn('coalesce', c('tcp_flags'), int(0));
const action = fn('coalesce', c('action'), text('-'));
const flagsHint = and(eq(protocol, int(6)), ne(fn('bitAnd', flags, int(SYN)), int(0)));
const isReject = eq(action, text('REJECT'));
// direction-hints.ts applyRefusedSenderHint: not a well-known port answering an ephemeral one.
const refusedSender = and(
  not(flagsHint),
  isReject,
  ge(srcPort, int(0)),
  ge(dstPort, int(0)),
  not(and(gt(srcPort, int(0)), lt(srcPort, int(1024)), ge(dstPort, int(1024)))),
);
const start = c('start');
const end = c('end');

/** The dates (yyyymmdd) of the partitions a record starting in [fromMs, toMs) can be delivered in. */
function day(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

export const awsVpcSource: SourceFormat = {
  id: 'aws-vpc',
  description: 'AWS VPC flow logs as Parquet in S3 (Hive-compatible prefixes), v2–v5 fields',
  dialects: ['athena', 'duckdb', 'clickhouse', 'spark', 'bigquery', 'kql'],
  defaultTable: 'vpc_flow_logs',
  record: {
    accepted: and(
      isNotNull(fn('coalesce', fn('nullIfDash', c('pkt_srcaddr')), fn('nullIfDash', c('srcaddr')))),
      isNotNull(fn('coalesce', fn('nullIfDash', c('pkt_dstaddr')), fn('nullIfDash', c('dstaddr')))),
      isNotNull(protocol),
      ge(protocol, int(0)),
      le(protocol, int(255)),
      or(isNull(c('srcport')), le(c('srcport'), int(65535))),
      or(isNull(c('dstport')), le(c('dstport'), int(65535))),
      or(isNull(c('packets')), ge(c('packets'), int(0))),
      or(isNull(c('bytes')), ge(c('bytes'), int(0))),
      or(isNull(start), and(ge(start, int(0)), lt(start, int(LATEST_SECONDS)), or(isNull(end), and(lt(end, int(LATEST_SECONDS)), ge(add1(end), start))))),
      or(eq(action, text('ACCEPT')), isReject, eq(action, text('-'))),
      or(ne(protocol, int(6)), and(ge(flags, int(0)), le(flags, int(255)))),
    ),
    observer: fn('coalesce', fn('nullIfDash', c('interface_id')), text('')),
    src: fn('coalesce', fn('nullIfDash', c('pkt_srcaddr')), fn('nullIfDash', c('srcaddr'))),
    dst: fn('coalesce', fn('nullIfDash', c('pkt_dstaddr')), fn('nullIfDash', c('dstaddr'))),
    srcPort,
    dstPort,
    proto: protocol,
    records: int(1),
    packets: fn('coalesce', c('packets'), int(0)),
    bytes: fn('coalesce', c('bytes'), int(0)),
    revPackets: int(0),
    revBytes: int(0),
    startMs: mul(start, int(1000)),
    endMs: caseWhen([[isNull(start), { k: 'null', type: 'int' }]], mul(fn('coalesce', end, start), int(1000))),
    action: caseWhen([[eq(action, text('ACCEPT')), int(1)], [isReject, int(2)]], int(0)),
    hint: caseWhen([[flagsHint, caseWhen([[eq(fn('bitAnd', flags, int(ACK)), int(0)), int(1)]], int(2))], [refusedSender, int(1)]], int(0)),
    hintReason: caseWhen([[flagsHint, int(DirectionReason.tcpFlags)], [refusedSender, int(DirectionReason.refusedSender)]], int(0)),
  },
  pruning(fromMs, toMs) {
    // Partitions are by delivery time, which is never before the record's start and,
    // for records of the window, at most a day after its end.
    const partitionDay = {
      k: 'arith',
      op: '+',
      left: mul(fn('toInt', c('year')), int(10000)),
      right: { k: 'arith', op: '+', left: mul(fn('toInt', c('month')), int(100)), right: fn('toInt', c('day')) },
    } as const satisfies Expr;
    const conditions: Expr[] = [];
    if (fromMs !== undefined) conditions.push(ge(partitionDay, int(day(fromMs))));
    if (toMs !== undefined) conditions.push(le(partitionDay, int(day(toMs + 86_400_000))));
    return conditions;
  },
  tableDdl: {
    athena: `-- AWS's Parquet flow log table for Athena, Hive-compatible prefixes, partition projection
-- (docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-parquet.html and
--  …/vpc-flow-logs-partition-projection-parquet-example.html)
CREATE EXTERNAL TABLE vpc_flow_logs (
  version int, account_id string, interface_id string, srcaddr string, dstaddr string,
  srcport int, dstport int, protocol bigint, packets bigint, bytes bigint, start bigint, \`end\` bigint,
  action string, log_status string, vpc_id string, subnet_id string, instance_id string, tcp_flags int,
  type string, pkt_srcaddr string, pkt_dstaddr string, region string, az_id string,
  sublocation_type string, sublocation_id string, pkt_src_aws_service string, pkt_dst_aws_service string,
  flow_direction string, traffic_path int)
PARTITIONED BY (\`aws-account-id\` string, \`aws-service\` string, \`aws-region\` string,
  \`year\` string, \`month\` string, \`day\` string, \`hour\` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://BUCKET/PREFIX/AWSLogs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.aws-account-id.type' = 'injected',
  'projection.aws-service.type' = 'enum', 'projection.aws-service.values' = 'vpcflowlogs',
  'projection.aws-region.type' = 'enum', 'projection.aws-region.values' = 'us-east-1,eu-west-1',
  'projection.year.type' = 'integer', 'projection.year.range' = '2020,2040',
  'projection.month.type' = 'integer', 'projection.month.range' = '1,12', 'projection.month.digits' = '2',
  'projection.day.type' = 'integer', 'projection.day.range' = '1,31', 'projection.day.digits' = '2',
  'projection.hour.type' = 'integer', 'projection.hour.range' = '0,23', 'projection.hour.digits' = '2',
  'storage.location.template' = 's3://BUCKET/PREFIX/AWSLogs/aws-account-id=\${aws-account-id}/aws-service=\${aws-service}/aws-region=\${aws-region}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}');`,
    duckdb: `-- The same Parquet files, read by native DuckDB (hive_partitioning gives year, month, day, hour)
CREATE VIEW vpc_flow_logs AS
SELECT * FROM read_parquet('s3://BUCKET/PREFIX/AWSLogs/**/*.parquet', hive_partitioning = true);`,
    clickhouse: `-- The Parquet columns in a MergeTree table (or a Distributed table over one per shard)
CREATE TABLE vpc_flow_logs (
  version Nullable(Int32), account_id Nullable(String), interface_id Nullable(String),
  srcaddr Nullable(String), dstaddr Nullable(String), srcport Nullable(Int32), dstport Nullable(Int32),
  protocol Nullable(Int64), packets Nullable(Int64), bytes Nullable(Int64),
  start Nullable(Int64), \`end\` Nullable(Int64), action Nullable(String), log_status Nullable(String),
  tcp_flags Nullable(Int32), pkt_srcaddr Nullable(String), pkt_dstaddr Nullable(String),
  year String, month String, day String, hour String
) ENGINE = MergeTree() ORDER BY (year, month, day, hour);`,
    spark: `-- Spark over the same prefixes (partition discovery gives year, month, day, hour)
CREATE TABLE vpc_flow_logs USING parquet LOCATION 's3://BUCKET/PREFIX/AWSLogs/';`,
    bigquery: `-- A BigQuery external table over the same files copied to Cloud Storage (hive partitioning)
CREATE EXTERNAL TABLE dataset.vpc_flow_logs
WITH PARTITION COLUMNS (year STRING, month STRING, day STRING, hour STRING)
OPTIONS (format = 'PARQUET', uris = ['gs://BUCKET/PREFIX/*'], hive_partition_uri_prefix = 'gs://BUCKET/PREFIX/');`,
    kql: `// The same columns ingested into Azure Data Explorer
.create table vpc_flow_logs (version:int, interface_id:string, srcaddr:string, dstaddr:string, srcport:int,
  dstport:int, protocol:long, packets:long, bytes:long, start:long, ['end']:long, action:string,
  log_status:string, tcp_flags:int, pkt_srcaddr:string, pkt_dstaddr:string, year:string, month:string,
  day:string, hour:string)`,
  },
  references: [
    'https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-parquet.html',
    'https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-partition-projection-parquet-example.html',
  ],
  differences: [
    'addresses are compared as the table stores them: the embedded parser canonicalises them first (IPv4-mapped IPv6 becomes IPv4; non-RFC 5952 IPv6 texts become canonical)',
    'rows the embedded parser would reject (no address, a protocol or port out of range, a negative counter, an end before the start, an unknown action) are left out rather than counted as rejected',
    'rows without an interface id are one observer for the whole table; the embedded engine makes each file without one its own observer',
  ],
};

/** `end + 1` with the seconds the engine tolerates (checkTimeOrder: end + 1 s ≥ start). */
function add1(e: Expr): Expr {
  return { k: 'arith', op: '+', left: e, right: int(1) };
}
