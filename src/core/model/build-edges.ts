import type { SqlPort } from '../store/sql-port';
import { buildEdgesSql, type ObsInStore } from './edges-sql';

/** Runs the direction and aggregation stage over what ingest stored. */
export async function buildEdges(db: SqlPort, obs: ObsInStore, signal?: AbortSignal): Promise<void> {
  for (const statement of buildEdgesSql(obs)) {
    signal?.throwIfAborted();
    await db.run(statement);
  }
}
