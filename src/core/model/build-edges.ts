import type { IngestedConversations } from '../ingest/ingest';
import type { SqlPort } from '../store/sql-port';
import { EDGES_DDL, EDGES_HOURLY_DDL, wholeEdgesIpc } from '../store/tables';
import { HourlyEdgeInserts } from './hourly-edge-inserts';
import { dayPartitions, hourlyEdges } from './hourly-edges';
import { orientConversations, type ServerPortPin } from './orient-conversations';
import { WholeEdges } from './whole-edges';

/** Rows per Arrow batch handed to DuckDB: bounds the transient copies (15 MB of hourly edges each) and keeps each append's fixed cost small. */
const INSERT_ROWS = 250_000;

/**
 * The direction and aggregation stage: client and server of every
 * conversation, then edges per hour and over the whole window, in memory
 * (DuckDB only receives the two edge tables: edges_hourly and edges, and
 * the analyst's server_pins). edges-sql.ts is its SQL twin (the native
 * benchmark, pushdown); tests hold the two to identical edges.
 */
export async function buildEdges(
  db: SqlPort,
  conversations: IngestedConversations,
  pins: readonly ServerPortPin[],
  signal?: AbortSignal,
): Promise<void> {
  await insertPins(db, pins);
  const orientation = orientConversations(conversations.batches, conversations.hostSortKeys, pins);
  signal?.throwIfAborted();
  // A day at a time: the hourly edges of a day go to DuckDB in the first batch they fill
  // (HourlyEdgeInserts), so JavaScript never holds all of them (tens of millions over a long window).
  await db.run(EDGES_HOURLY_DDL);
  const whole = new WholeEdges();
  const inserts = new HourlyEdgeInserts(db, INSERT_ROWS);
  for (const { rowsOf } of dayPartitions(conversations.batches)) {
    const hourly = hourlyEdges(conversations.batches, orientation, rowsOf);
    whole.add(hourly);
    await inserts.add(hourly);
    signal?.throwIfAborted();
  }
  await inserts.flush();
  const edges = whole.result();
  await db.run(EDGES_DDL);
  for (let from = 0; from < edges.length; from += INSERT_ROWS) {
    await db.insertArrow('edges', wholeEdgesIpc(edges, from, Math.min(edges.length, from + INSERT_ROWS)));
  }
}

async function insertPins(db: SqlPort, pins: readonly ServerPortPin[]): Promise<void> {
  if (pins.length === 0) return;
  const values = pins.map((pin) => `(${pin.proto | 0}, ${pin.port | 0})`).join(', ');
  await db.run(`INSERT INTO server_pins VALUES ${values}`);
}
