import type { SqlPort } from '../store/sql-port';
import { buildEdgesSql } from './edges-sql';

/** Runs the direction and aggregation stage over what ingest stored. */
export async function buildEdges(db: SqlPort, obsUnique: boolean, signal?: AbortSignal): Promise<void> {
  for (const statement of buildEdgesSql(obsUnique)) {
    signal?.throwIfAborted();
    await db.run(statement);
  }
}
