import { inlineParsePool } from '../../../../src/core/ingest/parse-file';
import type { ParsePool } from '../../../../src/core/ingest/parse-pool';
import type { InputFile } from '../../../../src/core/ingest/source';
import { loadFlows } from '../../../../src/core/load-flows';
import { openNodeDuckDb } from '../../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../../src/core/node/gunzip';

/** A pool told to cut every file it may into pieces of `pieceBytes` (tiny ones put a boundary at nearly every line). */
export function splittingPool(inner: ParsePool, pieceBytes: number): ParsePool {
  return {
    parseAll: (jobs, settings, events, signal) =>
      inner.parseAll(jobs, { ...settings, split: { ...settings.split, pieceBytes, enabled: true } }, events, signal),
  };
}

export const wholePool = (): ParsePool => {
  const inner = inlineParsePool(nodeIngestHost);
  return { parseAll: (jobs, settings, events, signal) => inner.parseAll(jobs, { ...settings, split: { pieceBytes: 1, enabled: false } }, events, signal) };
};

/** Everything ingest leaves behind that a reader sees: reports, rejects with their lines, edges per hour and overall. */
export async function ingestSnapshot(files: readonly InputFile[], pool: ParsePool): Promise<string> {
  const db = await openNodeDuckDb();
  try {
    const loaded = await loadFlows({ db, host: nodeIngestHost }, { inputs: files }, { pool });
    const rejects = await db.all(`SELECT f.path, r.line, r.reason FROM rejects r JOIN input_files f ON f.file_id = r.file_id ORDER BY ALL`);
    const edges = await db.all(`
      SELECT c.ip AS client, s.ip AS server, e.* EXCLUDE (client, server)
      FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server ORDER BY ALL`);
    const hourly = await db.all(`
      SELECT c.ip AS client, s.ip AS server, e.* EXCLUDE (client, server)
      FROM edges_hourly e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server ORDER BY ALL`);
    return JSON.stringify({ reports: loaded.reports, rejects, edges, hourly }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 1);
  } finally {
    await db.close();
  }
}
