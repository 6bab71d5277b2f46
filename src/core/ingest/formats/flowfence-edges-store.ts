import { Table, makeVector, tableToIPC } from 'apache-arrow';
import { EDGES_FROM_HOURLY_SQL } from '../../model/edges-sql';
import { canonicalIp, ipSortKey } from '../../net/ip';
import { nullableFloat64Vector, utf8Vector } from '../../store/arrow-columns';
import type { SqlPort } from '../../store/sql-port';
import { hostsIpc, rejectsIpc } from '../../store/tables';
import { compareText } from '../../util/compare';
import type { FileReport } from '../file-report';
import type { IngestHost, InputFile } from '../source';
import type { EdgeFileRow } from './flowfence-edges';
import { readEdgeFile } from './flowfence-edges-file';

/**
 * The hook that loads flowfence-edges files beside the flows: after
 * buildEdges (model/build-edges.ts) has made edges_hourly and edges from
 * the flow files (empty tables when there were none), each edge file's rows
 * are added to edges_hourly as they are (already oriented by the query),
 * new addresses become hosts, rejected rows go to the rejects table under
 * the file's id, and edges is rebuilt from edges_hourly. An edge that flow
 * files and an edge file both hold adds up, as two observers' edges do
 * after folding.
 */
export async function loadEdgeFiles(
  db: SqlPort,
  host: IngestHost,
  inputs: readonly { readonly file: InputFile; readonly fileIndex: number }[],
  signal?: AbortSignal,
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const rows: EdgeFileRow[] = [];
  for (const { file, fileIndex } of inputs) {
    signal?.throwIfAborted();
    const content = await readEdgeFile(file, host, signal);
    reports.push(content.report);
    rows.push(...content.rows);
    if (content.rejects.length > 0) {
      await db.insertArrow(
        'rejects',
        rejectsIpc(Uint32Array.from(content.rejects, () => fileIndex), Uint32Array.from(content.rejects, (r) => r.line), content.rejects.map((r) => r.reason)),
      );
    }
  }
  if (rows.length === 0) return reports;
  await addHosts(db, rows);
  await db.run(
    'CREATE TEMP TABLE edges_loaded (hour INTEGER, client VARCHAR, server VARCHAR, proto UTINYINT, port INTEGER, action UTINYINT, flows DOUBLE, packets DOUBLE, bytes DOUBLE, first_ms DOUBLE, last_ms DOUBLE, reason UTINYINT)',
  );
  await db.insertArrow('edges_loaded', loadedIpc(rows));
  await db.run(`CREATE OR REPLACE TABLE edges_hourly AS
    SELECT hour, client, server, proto, port, action,
           sum(flows) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,
           min(first_ms) AS first_ms, max(last_ms) AS last_ms, min(reason) AS reason
    FROM (
      SELECT * FROM edges_hourly
      UNION ALL
      SELECT l.hour, c.host_id, s.host_id, l.proto, l.port, l.action, l.flows, l.packets, l.bytes, l.first_ms, l.last_ms, l.reason
      FROM edges_loaded l JOIN hosts c ON c.ip = l.client JOIN hosts s ON s.ip = l.server)
    GROUP BY hour, client, server, proto, port, action`);
  await db.run('DROP TABLE edges_loaded');
  await db.run(EDGES_FROM_HOURLY_SQL);
  return reports;
}

/** Addresses the flows did not name, as hosts after the last id, in address order (so ids never depend on file order). */
async function addHosts(db: SqlPort, rows: readonly EdgeFileRow[]): Promise<void> {
  const known = new Set((await db.all<{ ip: string }>('SELECT ip FROM hosts')).map((row) => row.ip));
  const next = Number((await db.all<{ n: number | bigint | null }>('SELECT max(host_id) AS n FROM hosts'))[0]?.n ?? -1) + 1;
  const fresh = new Set<string>();
  for (const row of rows) {
    if (!known.has(row.client)) fresh.add(row.client);
    if (!known.has(row.server)) fresh.add(row.server);
  }
  if (fresh.size === 0) return;
  const keyed = [...fresh].map((ip) => ({ ip, key: ipSortKey(canonicalIp(ip) ?? ip) })).sort((a, b) => compareText(a.key, b.key));
  await db.insertArrow('hosts', hostsIpc(Uint32Array.from(keyed, (_, i) => next + i), keyed.map((h) => h.ip), keyed.map((h) => h.key)));
}

function loadedIpc(rows: readonly EdgeFileRow[]): Uint8Array {
  const column = <T>(pick: (row: EdgeFileRow) => T): T[] => rows.map(pick);
  return tableToIPC(
    new Table({
      hour: makeVector(Int32Array.from(column((r) => r.hour))),
      client: utf8Vector(column((r) => r.client)),
      server: utf8Vector(column((r) => r.server)),
      proto: makeVector(Uint8Array.from(column((r) => r.proto))),
      port: makeVector(Int32Array.from(column((r) => r.port))),
      action: makeVector(Uint8Array.from(column((r) => r.action))),
      flows: makeVector(Float64Array.from(column((r) => r.flows))),
      packets: makeVector(Float64Array.from(column((r) => r.packets))),
      bytes: makeVector(Float64Array.from(column((r) => r.bytes))),
      first_ms: nullableFloat64Vector(Float64Array.from(column((r) => r.firstMs))),
      last_ms: nullableFloat64Vector(Float64Array.from(column((r) => r.lastMs))),
      reason: makeVector(Uint8Array.from(column((r) => r.reason))),
    }),
    'stream',
  );
}
