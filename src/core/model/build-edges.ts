import type { SqlPort } from '../store/sql-port';
import { buildEdgesSql, type StoredAggregates } from './edges-sql';

/** Runs the direction and aggregation stage over what ingest stored. */
export async function buildEdges(db: SqlPort, stored: StoredAggregates, signal?: AbortSignal): Promise<void> {
  for (const statement of buildEdgesSql(stored)) {
    signal?.throwIfAborted();
    await db.run(statement);
  }
}
