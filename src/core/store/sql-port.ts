/**
 * The engine's one narrow port to DuckDB. The default adapter is duckdb-wasm
 * (Node bundle for the CLI and tests, browser bundle in the app's worker);
 * the benchmark also runs native DuckDB behind the same port.
 */
export interface SqlPort {
  /** Runs statements that return no rows. */
  run(sql: string): Promise<void>;
  /** Runs a query; rows as plain objects (BIGINT and DECIMAL arrive as numbers). */
  all<T extends object = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Appends an Arrow IPC stream to an existing table; columns match by position. */
  insertArrow(table: string, ipc: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * Applied before any data is touched, then locked: no extension can be
 * installed or loaded (duckdb-wasm would fetch it from the network) and
 * DuckDB cannot open files or URLs itself. Data only enters as Arrow.
 */
export const HARDENING_SQL: readonly string[] = [
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
  'SET enable_external_access = false',
  'SET lock_configuration = true',
];
