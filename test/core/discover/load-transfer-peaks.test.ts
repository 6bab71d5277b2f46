import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTransferPeaks } from '../../../src/core/discover/load-discovery-input';
import { HOUR_UNKNOWN } from '../../../src/core/ingest/door';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import type { SqlPort } from '../../../src/core/store/sql-port';
import { EDGES_HOURLY_DDL } from '../../../src/core/store/tables';

// What exfiltration.ts weighs, read from edges_hourly: each internal→external service's busiest day.
// Host 1 is an update server that downloads 40 MB every hour for two weeks (6.7 GB in all, 960 MB a day);
// host 2 uploads 700 MB in two hours, and a little more a week later; host 3's records have no hour;
// host 4 is internal, so its traffic from 1 is no transfer to the outside.

let db: SqlPort;
const MB = 1_000_000;

beforeAll(async () => {
  db = await openNodeDuckDb();
  await db.run(EDGES_HOURLY_DDL);
  await db.run('CREATE TABLE hosts (host_id UINTEGER, ip VARCHAR, sort_key VARCHAR)');
  await db.run('CREATE TABLE host_info (ip VARCHAR, scope VARCHAR, name VARCHAR, name_source VARCHAR, workload VARCHAR, namespace VARCHAR)');
  await db.run("INSERT INTO hosts VALUES (1, '10.0.0.1', '1'), (2, '10.0.0.2', '2'), (3, '10.0.0.3', '3'), (4, '10.0.0.4', '4'), (9, '198.51.100.9', '9')");
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) await db.run(`INSERT INTO host_info VALUES ('${ip}', 'internal', NULL, NULL, NULL, NULL)`);
  await db.run("INSERT INTO host_info VALUES ('198.51.100.9', 'external', NULL, NULL, NULL, NULL)");
  const row = (hour: number, client: number, server: number, bytes: number, action = 1): string => `(${hour}, ${client}, ${server}, 6, 443, ${action}, 1, 1, ${bytes}, NULL, NULL, 0)`;
  const rows: string[] = [];
  for (let hour = 0; hour < 14 * 24; hour++) rows.push(row(1000 + hour, 1, 9, 40 * MB), row(1000 + hour, 1, 4, 40 * MB));
  rows.push(row(1100, 2, 9, 300 * MB), row(1101, 2, 9, 200 * MB), row(1101, 2, 9, 200 * MB, 0), row(1102, 2, 9, 900 * MB, 2), row(1270, 2, 9, 50 * MB));
  rows.push(row(HOUR_UNKNOWN, 3, 9, 600 * MB));
  await db.run(`INSERT INTO edges_hourly VALUES ${rows.join(', ')}`);
}, 60_000);

afterAll(async () => {
  await db.close();
});

describe('loadTransferPeaks', () => {
  it("gives each outside service's most bytes within the window, over every action but refused", async () => {
    const peaks = await loadTransferPeaks(db, 500 * MB, 24);
    expect([...peaks].sort()).toEqual([
      ['10.0.0.1|198.51.100.9|6|443', 960 * MB],
      ['10.0.0.2|198.51.100.9|6|443', 700 * MB],
      ['10.0.0.3|198.51.100.9|6|443', 600 * MB],
    ]);
  });

  it('leaves out the services that carried less than the threshold in all, and the window sets the span', async () => {
    expect([...(await loadTransferPeaks(db, 800 * MB, 2)).keys()]).toEqual(['10.0.0.1|198.51.100.9|6|443']);
    expect((await loadTransferPeaks(db, 500 * MB, 2)).get('10.0.0.1|198.51.100.9|6|443')).toBe(80 * MB);
  });

  it('takes settings that are no numbers without failing: no threshold is reached, no window spans the capture', async () => {
    expect((await loadTransferPeaks(db, Number.NaN, 24)).size).toBe(0);
    expect((await loadTransferPeaks(db, Number.POSITIVE_INFINITY, 24)).size).toBe(0);
    expect((await loadTransferPeaks(db, 500 * MB, Number.POSITIVE_INFINITY)).get('10.0.0.1|198.51.100.9|6|443')).toBe(14 * 24 * 40 * MB);
  });
});
