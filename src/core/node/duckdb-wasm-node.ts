import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as DuckDbBlocking from '@duckdb/duckdb-wasm/blocking';
import { WasmSqlPort } from '../store/duckdb-wasm';

const require = createRequire(import.meta.url);

/**
 * duckdb-wasm's Node bundle, synchronous flavour: the CLI and the tests run
 * the same WebAssembly engine as the app's worker. The wasm files come from
 * the installed package, never from a CDN.
 */
export async function openNodeDuckDb(): Promise<WasmSqlPort> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as typeof DuckDbBlocking;
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bindings = await duckdb.createDuckDB(
    {
      mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await bindings.instantiate();
  bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true }, allowUnsignedExtensions: false });
  return WasmSqlPort.open(bindings);
}
