import type { SqlPort } from './sql-port';
import { HARDENING_SQL } from './sql-port';

/** The slice of a duckdb-wasm (blocking bundle) connection the adapter uses. */
export interface WasmConnection {
  query(text: string): { toArray(): { toJSON(): Record<string, unknown> }[] };
  insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create?: boolean }): void;
  close(): void;
}

export interface WasmDatabase {
  connect(): WasmConnection;
  reset?(): void;
}

/**
 * SqlPort over duckdb-wasm's synchronous ("blocking") bindings. The engine
 * always runs off the UI thread (a Web Worker in the app, the process itself
 * in the CLI), so synchronous calls block nothing a user sees.
 */
export class WasmSqlPort implements SqlPort {
  private connection: WasmConnection | null;

  private constructor(connection: WasmConnection) {
    this.connection = connection;
  }

  static open(database: WasmDatabase): WasmSqlPort {
    const connection = database.connect();
    for (const statement of HARDENING_SQL) connection.query(statement);
    return new WasmSqlPort(connection);
  }

  run(sql: string): Promise<void> {
    return settle(() => {
      this.live().query(sql);
    });
  }

  all<T extends object = Record<string, unknown>>(sql: string): Promise<T[]> {
    return settle(() => this.live().query(sql).toArray().map((row) => row.toJSON() as T));
  }

  insertArrow(table: string, ipc: Uint8Array): Promise<void> {
    return settle(() => this.live().insertArrowFromIPCStream(ipc, { name: table, create: false }));
  }

  close(): Promise<void> {
    this.connection?.close();
    this.connection = null;
    return Promise.resolve();
  }

  private live(): WasmConnection {
    if (this.connection === null) throw new Error('the DuckDB connection is closed');
    return this.connection;
  }
}

/** Runs a synchronous call, turning throws into rejections with readable messages. */
function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(readableDuckDbError(error));
  }
}

/** duckdb-wasm errors carry JSON ({"exception_type": …, "exception_message": …}); keep the message. */
export function readableDuckDbError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(message) as { exception_type?: string; exception_message?: string };
    if (parsed.exception_message !== undefined) {
      return new Error(`DuckDB ${parsed.exception_type ?? 'error'}: ${parsed.exception_message}`);
    }
  } catch {
    // Not JSON: the message is already plain text.
  }
  return error instanceof Error ? error : new Error(message);
}
