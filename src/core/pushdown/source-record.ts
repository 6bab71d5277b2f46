import type { Expr } from './sql-ast';

/** The warehouse dialects a query can be written for. */
export const PUSHDOWN_DIALECTS = ['athena', 'bigquery', 'clickhouse', 'spark', 'kql', 'duckdb'] as const;
export type PushdownDialect = (typeof PUSHDOWN_DIALECTS)[number];

/** The source layouts a query can read. */
export const PUSHDOWN_SOURCE_FORMATS = ['aws-vpc', 'gcp-vpc', 'azure-vnet', 'netflow'] as const;
export type PushdownSourceFormat = (typeof PUSHDOWN_SOURCE_FORMATS)[number];

/**
 * One raw record of a source table as the engine's parser would read it
 * (flow/record.ts's FlowRecord), written as expressions over the table's
 * columns. The shared plan (edge-plan.ts) only ever sees these.
 */
export interface SourceRecord {
  /** Rows the embedded parser would accept; the rest are left out (it rejects them with a reason). */
  readonly accepted: Expr;
  /** Who observed the record ('' for one observer: the table). */
  readonly observer: Expr;
  /** Canonical address texts. */
  readonly src: Expr;
  readonly dst: Expr;
  /** −1 for protocols without ports. */
  readonly srcPort: Expr;
  readonly dstPort: Expr;
  readonly proto: Expr;
  /** How many of the engine's records this row stands for (1, or a pre-aggregated count). */
  readonly records: Expr;
  readonly packets: Expr;
  readonly bytes: Expr;
  /** Counters dst→src, for formats that record both directions. */
  readonly revPackets: Expr;
  readonly revBytes: Expr;
  /** Epoch ms, NULL when unknown; end is never NULL when start is known. */
  readonly startMs: Expr;
  readonly endMs: Expr;
  /** 0 unknown, 1 allow, 2 deny. */
  readonly action: Expr;
  /** 0 none, 1 the source opened the connection, 2 the source answered (flow/record.ts's Hint). */
  readonly hint: Expr;
  /** The DirectionReason code behind the hint (0 with no hint). */
  readonly hintReason: Expr;
}

/** A source layout: what the query reads, and the table it expects in each dialect. */
export interface SourceFormat {
  readonly id: PushdownSourceFormat;
  /** One line: what the rows are. */
  readonly description: string;
  /** The dialects whose table layout is documented (and so supported). */
  readonly dialects: readonly PushdownDialect[];
  readonly defaultTable: string;
  readonly record: SourceRecord;
  /**
   * Extra conditions that let the warehouse skip data outside [fromMs, toMs)
   * (partition columns), implied by the exact filter on the start time.
   */
  pruning(fromMs: number | undefined, toMs: number | undefined): Expr[];
  /** The table layout each dialect expects, as DDL, with where it comes from. */
  readonly tableDdl: Partial<Record<PushdownDialect, string>>;
  /** Where the layout comes from (documentation pages, schema files). */
  readonly references: readonly string[];
  /** What this source cannot tell the engine that its own parser of the format would see. */
  readonly differences: readonly string[];
}
