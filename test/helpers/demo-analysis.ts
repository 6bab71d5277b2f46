import { fileURLToPath } from 'node:url';
import { analyze, type Analysis, type AnalyzeOptions } from '../../src/core/analyze';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { expandInputPaths, fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';

export const DEMO_FOLDER = fileURLToPath(new URL('../../resources/demo', import.meta.url));

/** The demo shipped with the app, analysed by the real engine in Node (the database is closed after). */
export async function analyseDemo(options: AnalyzeOptions = {}): Promise<Analysis> {
  const db = await openNodeDuckDb();
  try {
    const inputs = await Promise.all((await expandInputPaths([DEMO_FOLDER])).map((path) => fileInput(path)));
    return await analyze({ db, host: nodeIngestHost }, { inputs }, options);
  } finally {
    await db.close();
  }
}
