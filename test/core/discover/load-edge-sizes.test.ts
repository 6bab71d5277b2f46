import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEdgeSizes } from '../../../src/core/discover/load-discovery-input';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import type { SqlPort } from '../../../src/core/store/sql-port';
import { EDGES_HOURLY_DDL } from '../../../src/core/store/tables';

// What size-signatures.ts compares, read from edges_hourly: ln(bytes per connection) hour by hour, for
// edges of exchanges; an edge whose records are slices of a session (SIZE_SIGNATURE_DEFAULTS.sessionPackets) gives none.

let db: SqlPort;

/** Hosts 1 (a caller), 2–4 (servers). Edge 1→2 on 502: a poll of 2 packets a second cut into 10-minute records; 1→3 on 443 and 1→4 on 8080: one exchange a record. */
beforeAll(async () => {
  db = await openNodeDuckDb();
  await db.run(EDGES_HOURLY_DDL);
  await db.run('CREATE TABLE hosts (host_id UINTEGER, ip VARCHAR, sort_key VARCHAR)');
  await db.run('CREATE TABLE host_info (ip VARCHAR, scope VARCHAR, name VARCHAR, name_source VARCHAR, workload VARCHAR, namespace VARCHAR)');
  await db.run("INSERT INTO hosts VALUES (1, '10.0.0.1', '1'), (2, '10.0.0.2', '2'), (3, '10.0.0.3', '3'), (4, '10.0.0.4', '4')");
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) await db.run(`INSERT INTO host_info VALUES ('${ip}', 'internal', NULL, NULL, NULL, NULL)`);
  const rows: string[] = [];
  for (let hour = 0; hour < 10; hour++) {
    // Six records an hour of 1,200 packets, 80 bytes each; the hours before 8 are the learning window.
    rows.push(`(${hour}, 1, 2, 6, 502, 0, 6, 7200, ${7200 * 80}, NULL, NULL, 0)`);
    // Thirty exchanges an hour of 10 packets, 1,500 bytes each.
    rows.push(`(${hour}, 1, 3, 6, 443, 0, 30, 300, ${30 * 1500}, NULL, NULL, 0)`);
    // One record an hour of 199 packets: the largest exchange, one packet short of a session.
    rows.push(`(${hour}, 1, 4, 6, 8080, 0, 1, 199, 250000, NULL, NULL, 0)`);
  }
  await db.run(`INSERT INTO edges_hourly VALUES ${rows.join(', ')}`);
}, 60_000);

afterAll(async () => {
  await db.close();
});

describe('loadEdgeSizes', () => {
  it('sizes exchanges per connection over the learning window, and gives a session no sample', async () => {
    const used = new Map([
      ['10.0.0.1|10.0.0.2|6|502', true],
      ['10.0.0.1|10.0.0.3|6|443', true],
    ]);
    const stats = await loadEdgeSizes(db, used, 8);
    expect(stats.map(({ server, hours }) => ({ server, hours }))).toEqual([{ server: '10.0.0.3', hours: 8 }]);
    expect(Math.exp(stats[0]!.sum / stats[0]!.hours)).toBeCloseTo(1500, 0);
  });

  it('takes a record of fewer packets than a session for an exchange', async () => {
    const stats = await loadEdgeSizes(db, new Map([['10.0.0.1|10.0.0.4|6|8080', true]]), null);
    expect(stats.map(({ server, hours }) => ({ server, hours }))).toEqual([{ server: '10.0.0.4', hours: 10 }]);
  });

  it('leaves out edges discovery does not use', async () => {
    expect(await loadEdgeSizes(db, new Map([['10.0.0.1|10.0.0.3|6|443', true]]), null)).toHaveLength(1);
  });
});
