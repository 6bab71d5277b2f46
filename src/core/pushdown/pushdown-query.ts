import type { ServerPortPin } from '../model/orient-conversations';
import { athenaDialect, bigqueryDialect, clickhouseDialect, duckdbDialect, sparkDialect } from './dialects/sql-dialects';
import type { SqlDialect } from './dialects/sql-dialect';
import { edgePlan } from './edge-plan';
import { renderKql } from './kql-render';
import { DIGEST_PLACEHOLDER, sealQuery } from './query-digest';
import type { PushdownDialect, PushdownSourceFormat, SourceFormat } from './source-record';
import { awsVpcSource } from './sources/aws-vpc';
import { azureVnetSource } from './sources/azure-vnet';
import { gcpVpcSource } from './sources/gcp-vpc';
import { netflowSource } from './sources/netflow';
import { renderSql } from './sql-render';
import { parseTableName } from './table-name';

export const SOURCE_FORMATS: Readonly<Record<PushdownSourceFormat, SourceFormat>> = {
  'aws-vpc': awsVpcSource,
  'gcp-vpc': gcpVpcSource,
  'azure-vnet': azureVnetSource,
  netflow: netflowSource,
};

export const SQL_DIALECTS: Readonly<Record<Exclude<PushdownDialect, 'kql'>, SqlDialect>> = {
  athena: athenaDialect,
  bigquery: bigqueryDialect,
  clickhouse: clickhouseDialect,
  spark: sparkDialect,
  duckdb: duckdbDialect,
};

export interface PushdownRequest {
  readonly dialect: PushdownDialect;
  readonly sourceFormat: PushdownSourceFormat;
  /** The source table; the source format's usual name when absent. */
  readonly table?: string;
  /** Records starting in [fromMs, toMs) only. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** The analyst's server ports, decided as `analyze --server-port` would. */
  readonly pins?: readonly ServerPortPin[];
  /** "flowfence 0.1.0", for the header. */
  readonly version: string;
}

export interface PushdownQuery {
  readonly text: string;
  readonly sha256: string;
  /** What every result row names as its source. */
  readonly source: string;
}

/** The query that turns a warehouse's raw records into Flowfence's hourly edges, sealed with its digest. */
export function pushdownQuery(request: PushdownRequest): PushdownQuery {
  const format = SOURCE_FORMATS[request.sourceFormat];
  if (!format.dialects.includes(request.dialect)) {
    throw new Error(`source format ${format.id} is documented for ${format.dialects.join(', ')} only, not ${request.dialect}`);
  }
  if (request.fromMs !== undefined && request.toMs !== undefined && request.fromMs >= request.toMs) throw new Error('--from must be before --to');
  const table = request.table ?? format.defaultTable;
  const parts = parseTableName(table, request.dialect);
  const window = request.fromMs === undefined && request.toMs === undefined ? '' : ` ${isoOrOpen(request.fromMs)}..${isoOrOpen(request.toMs)}`;
  const source = `${format.id} ${table} (${request.dialect})${window}`;
  const plan = edgePlan({
    record: format.record,
    ...(request.fromMs === undefined ? {} : { fromMs: request.fromMs }),
    ...(request.toMs === undefined ? {} : { toMs: request.toMs }),
    pruning: format.pruning(request.fromMs, request.toMs),
    pins: request.pins ?? [],
    querySha256: DIGEST_PLACEHOLDER,
    source,
  });
  const comment = request.dialect === 'kql' ? '//' : '--';
  const body = request.dialect === 'kql' ? renderKql(plan, parts[0]!) : renderSql(plan, SQL_DIALECTS[request.dialect], parts);
  const pins = (request.pins ?? []).map((pin) => `${pin.port}/${pin.proto}`).join(' ');
  const title = `${comment} Flowfence pushdown: raw flow records to hourly client-to-server edges (the flowfence-edges format)\n`;
  const header =
    `${comment} ${request.version}; dialect ${request.dialect}; source format ${format.id}; table ${table}${window}${pins === '' ? '' : `; server ports ${pins}`}\n` +
    `${comment} Run it where the records are and give Flowfence the result, exported as CSV with its header or as Parquet.\n`;
  const sealed = sealQuery(title + header + body, comment, title.length);
  return { text: sealed.text, sha256: sealed.sha256, source };
}

function isoOrOpen(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}
