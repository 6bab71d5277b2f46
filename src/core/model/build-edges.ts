import type { SqlPort } from '../store/sql-port';
import { BUILD_EDGES_SQL } from './edges-sql';

/** Runs the direction and aggregation stage over what ingest stored. */
export async function buildEdges(db: SqlPort, signal?: AbortSignal): Promise<void> {
  for (const statement of BUILD_EDGES_SQL) {
    signal?.throwIfAborted();
    await db.run(statement);
  }
}
