import { analyze, type AnalyzeOptions, type AnalyzeRequest } from '../../src/core/analyze';
import { memoryInputFile, type InputFile } from '../../src/core/ingest/source';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import type { AnalysisSummary } from '../../src/core/report/summary';
import type { SqlPort } from '../../src/core/store/sql-port';

export interface EngineRun {
  readonly summary: AnalysisSummary;
  readonly db: SqlPort;
}

/** The real engine (duckdb-wasm, Node adapters) over in-memory or on-disk inputs. */
export async function runAnalyze(request: AnalyzeRequest, options: AnalyzeOptions = {}): Promise<EngineRun> {
  const db = await openNodeDuckDb();
  const { summary } = await analyze({ db, host: nodeIngestHost }, request, options);
  return { summary, db };
}

export function textFile(path: string, text: string): InputFile {
  return memoryInputFile(path, new TextEncoder().encode(text));
}

export interface EdgeRow {
  client: string;
  server: string;
  proto: number;
  port: number;
  action: number;
  flows: number;
  packets: number;
  bytes: number;
  reason: number;
}

/** Every edge with addresses, in a stable order. */
export async function edgeRows(db: SqlPort): Promise<EdgeRow[]> {
  return db.all<EdgeRow>(`
    SELECT c.ip AS client, s.ip AS server, e.proto, e.port, e.action, e.flows, e.packets, e.bytes, e.reason
    FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server
    ORDER BY c.sort_key, s.sort_key, e.proto, e.port, e.action`);
}
