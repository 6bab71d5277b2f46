import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDiscoveryInput } from '../../../src/core/discover/load-discovery-input';
import type { AnomalyEdge } from '../../../src/core/discover/anomalies';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import type { SqlPort } from '../../../src/core/store/sql-port';
import { EDGES_HOURLY_DDL } from '../../../src/core/store/tables';
import { ENRICHMENT_SCHEMA_SQL } from '../../../src/core/store/enrichment-tables';

// What discovery reads of each edge: its services once per client, server and port, whatever the actions,
// with the first and last instants over every row (rollout-successors.ts reads when hosts came and went).

let db: SqlPort;

beforeAll(async () => {
  db = await openNodeDuckDb();
  await db.run(EDGES_HOURLY_DDL);
  for (const sql of ENRICHMENT_SCHEMA_SQL) await db.run(sql);
  await db.run('CREATE TABLE hosts (host_id UINTEGER, ip VARCHAR, sort_key VARCHAR)');
  await db.run("INSERT INTO hosts VALUES (1, '10.0.0.1', '1'), (2, '10.0.0.2', '2'), (3, '10.0.0.3', '3')");
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await db.run(`INSERT INTO host_info VALUES ('${ip}', 'internal', NULL, NULL, NULL, NULL)`);
}, 60_000);

afterAll(async () => {
  await db.close();
});

const row = (server: string, action: number, flows: number, firstMs: number | null, lastMs: number | null): AnomalyEdge => ({ client: '10.0.0.1', server, proto: 6, port: 9090, action, flows, bytes: 1000 * flows, firstMs, lastMs });

describe('loadDiscoveryInput', () => {
  it('merges the actions of one service into one edge spanning the first and last instant of any of them', async () => {
    const input = await loadDiscoveryInput(db, [row('10.0.0.2', 1, 3, 5_000, 9_000), row('10.0.0.2', 0, 2, 1_000, 7_000), row('10.0.0.3', 0, 1, null, null)]);
    const edges = [...input.edges].sort((a, b) => a.server.localeCompare(b.server));
    expect(edges).toEqual([
      { client: '10.0.0.1', server: '10.0.0.2', proto: 6, port: 9090, flows: 5, firstMs: 1_000, lastMs: 9_000 },
      { client: '10.0.0.1', server: '10.0.0.3', proto: 6, port: 9090, flows: 1, firstMs: null, lastMs: null },
    ]);
  });

  it('leaves refused rows and flagged edges out, instants included', async () => {
    const input = await loadDiscoveryInput(db, [row('10.0.0.2', 1, 3, 5_000, 9_000), row('10.0.0.2', 2, 4, 100, 20_000), row('10.0.0.3', 0, 1, 300, 400)], new Set(['10.0.0.1|10.0.0.3|6|9090']));
    expect(input.edges).toEqual([{ client: '10.0.0.1', server: '10.0.0.2', proto: 6, port: 9090, flows: 3, firstMs: 5_000, lastMs: 9_000 }]);
  });
});
