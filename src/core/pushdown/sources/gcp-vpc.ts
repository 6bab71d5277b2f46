import { and, caseWhen, col, eq, fn, int, isNotNull, isNull, or, text, type Expr } from '../sql-ast';
import type { SourceFormat } from '../source-record';

/**
 * GCP VPC Flow Logs routed by a Cloud Logging sink into BigQuery
 * (compute_googleapis_com_vpc_flows_*): one row per LogEntry, its payload
 * in the jsonPayload record. The sink types int64 values of the payload as
 * STRING (bytes_sent, packets_sent) and RFC 3339 texts as TIMESTAMP. Each
 * row is what ingest/formats/gcp-vpc.ts reads from one entry: one direction,
 * no initiator, the reporting VM (or subnet) and its side as the observer.
 */

const p = (...path: string[]): Expr => col('jsonPayload', ...path);
const connection = (field: string): Expr => p('connection', field);
const protocol = connection('protocol');
const hasPorts = or(...[6, 17, 132, 33, 136].map((n) => eq(protocol, int(n))));
const port = (field: string): Expr => caseWhen([[and(hasPorts, isNotNull(connection(field))), connection(field)]], int(-1));
const orEmpty = (e: Expr): Expr => fn('coalesce', e, text(''));

/** gcp-vpc.ts's observerOf: "SRC project/zone/vm", else "SRC project/subnet", else the reporter. */
function observerOf(reporter: 'SRC' | 'DEST'): Expr {
  const side = reporter === 'SRC' ? 'src' : 'dest';
  return caseWhen(
    [
      [isNotNull(p(`${side}_instance`, 'vm_name')), fn('concat', text(`${reporter} `), orEmpty(p(`${side}_instance`, 'project_id')), text('/'), orEmpty(p(`${side}_instance`, 'zone')), text('/'), p(`${side}_instance`, 'vm_name'))],
      [isNotNull(p(`${side}_vpc`, 'subnetwork_name')), fn('concat', text(`${reporter} `), orEmpty(p(`${side}_vpc`, 'project_id')), text('/'), p(`${side}_vpc`, 'subnetwork_name'))],
    ],
    text(reporter),
  );
}

const startMs = caseWhen([[isNull(p('start_time')), fn('epochMs', col('timestamp'))]], fn('epochMs', p('start_time')));

export const gcpVpcSource: SourceFormat = {
  id: 'gcp-vpc',
  description: 'GCP VPC Flow Logs in a BigQuery log sink table (jsonPayload record, counters as STRING)',
  dialects: ['bigquery'],
  defaultTable: 'compute_googleapis_com_vpc_flows',
  record: {
    accepted: and(
      isNotNull(connection('src_ip')),
      isNotNull(connection('dest_ip')),
      isNotNull(protocol),
      or(isNull(p('reporter')), eq(p('reporter'), text('SRC')), eq(p('reporter'), text('DEST'))),
    ),
    observer: caseWhen([[eq(p('reporter'), text('SRC')), observerOf('SRC')], [eq(p('reporter'), text('DEST')), observerOf('DEST')]], text('')),
    src: connection('src_ip'),
    dst: connection('dest_ip'),
    srcPort: port('src_port'),
    dstPort: port('dest_port'),
    proto: protocol,
    records: int(1),
    packets: fn('coalesce', fn('toInt', p('packets_sent')), int(0)),
    bytes: fn('coalesce', fn('toInt', p('bytes_sent')), int(0)),
    revPackets: int(0),
    revBytes: int(0),
    startMs,
    endMs: caseWhen([[isNull(p('end_time')), startMs]], fn('epochMs', p('end_time'))),
    action: int(0),
    hint: int(0),
    hintReason: int(0),
  },
  pruning(fromMs, toMs) {
    // The sink's tables are partitioned (or sharded) by the entry's timestamp, written after the flow started.
    const conditions: Expr[] = [];
    if (fromMs !== undefined) conditions.push({ k: 'cmp', op: '>=', left: fn('epochMs', col('timestamp')), right: int(fromMs) });
    if (toMs !== undefined) conditions.push({ k: 'cmp', op: '<', left: fn('epochMs', col('timestamp')), right: int(toMs + 86_400_000) });
    return conditions;
  },
  tableDdl: {
    bigquery: `-- Created by the Cloud Logging sink; the columns the query reads
-- (cloud.google.com/vpc/docs/about-flow-logs-records; int64 payload fields arrive as STRING)
CREATE TABLE dataset.compute_googleapis_com_vpc_flows (
  timestamp TIMESTAMP,
  logName STRING,
  jsonPayload STRUCT<
    connection STRUCT<src_ip STRING, dest_ip STRING, src_port INT64, dest_port INT64, protocol INT64>,
    reporter STRING, bytes_sent STRING, packets_sent STRING, start_time TIMESTAMP, end_time TIMESTAMP,
    src_instance STRUCT<project_id STRING, zone STRING, vm_name STRING>,
    dest_instance STRUCT<project_id STRING, zone STRING, vm_name STRING>,
    src_vpc STRUCT<project_id STRING, vpc_name STRING, subnetwork_name STRING>,
    dest_vpc STRUCT<project_id STRING, vpc_name STRING, subnetwork_name STRING>>)
PARTITION BY DATE(timestamp);`,
  },
  references: ['https://cloud.google.com/vpc/docs/about-flow-logs-records', 'https://cloud.google.com/logging/docs/export/bigquery'],
  differences: [
    'addresses are compared as the sink stores them (the embedded parser canonicalises them first)',
    'entries the embedded parser would reject (no address or protocol, an unknown reporter) are left out rather than counted',
  ],
};
