/**
 * The columns of a pushdown result (the flowfence-edges format), in order:
 * one row per client→server edge and hour, as the engine's edges_hourly
 * table holds them but with addresses instead of host ids. The last two are
 * the same in every row: the SHA-256 of the query that produced the rows and
 * what it read. Carried in the rows themselves, they survive any warehouse's
 * CSV or Parquet export, where a header comment or file metadata would not.
 */
export const EDGE_FILE_COLUMNS = [
  'hour',
  'client',
  'server',
  'proto',
  'port',
  'action',
  'flows',
  'packets',
  'bytes',
  'first_ms',
  'last_ms',
  'reason',
  'query_sha256',
  'source',
] as const;
export type EdgeFileColumn = (typeof EDGE_FILE_COLUMNS)[number];
