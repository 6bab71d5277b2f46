import { BROWSER_RUNTIME, VoidLogger, createDuckDB, type DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import mvpModuleUrl from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehModuleUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { WasmSqlPort } from '../../core/store/duckdb-wasm';

/**
 * duckdb-wasm inside the engine worker, through its synchronous ("blocking")
 * browser bindings: the worker is already off the UI thread, so DuckDB needs
 * no worker of its own. The .wasm files are build assets served with the
 * page (Vite's `?url` imports), so nothing is fetched from a CDN; the
 * exception-handling build is picked when the browser supports it.
 */
const DATABASE_CONFIG = { query: { castBigIntToDouble: true, castDecimalToDouble: true }, allowUnsignedExtensions: false };

export class BrowserDuckDb {
  private current: WasmSqlPort | null = null;
  private opened = false;

  private constructor(private readonly bindings: DuckDBBindings) {}

  /** Compiles and instantiates the engine (a few seconds on first load; the worker starts it at once). */
  static async load(): Promise<BrowserDuckDb> {
    const bindings = await createDuckDB(
      {
        // The blocking bindings run in the calling thread and never read mainWorker.
        mvp: { mainModule: mvpModuleUrl, mainWorker: '' },
        eh: { mainModule: ehModuleUrl, mainWorker: '' },
      },
      new VoidLogger(),
      BROWSER_RUNTIME,
    );
    await bindings.instantiate(() => undefined);
    return new BrowserDuckDb(bindings);
  }

  /**
   * A hardened connection to an empty in-memory database. Each analysis gets
   * its own: the previous one (kept until now for follow-up queries) is
   * dropped, so tables never leak from one analysis into the next.
   */
  async openFreshDatabase(): Promise<WasmSqlPort> {
    await this.current?.close();
    this.current = null;
    if (this.opened) this.bindings.reset();
    this.bindings.open(DATABASE_CONFIG);
    this.opened = true;
    this.current = WasmSqlPort.open(this.bindings);
    return this.current;
  }
}
