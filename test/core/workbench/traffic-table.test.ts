import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/analyze';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import type { SqlPort } from '../../../src/core/store/sql-port';
import { TrafficTable, type TrafficQuery } from '../../../src/core/workbench/traffic-table';
import { Workbench } from '../../../src/core/workbench/workbench';
import { analyseDemo } from '../../helpers/demo-analysis';

let analysis: Analysis;
let db: SqlPort;
let bench: Workbench;
let table: TrafficTable;
const query = (change: Partial<TrafficQuery> = {}): TrafficQuery => ({ text: '', verdict: 'any', sort: 'flows', descending: true, offset: 0, limit: 100, ...change });

beforeAll(async () => {
  analysis = await analyseDemo();
  bench = Workbench.of(analysis);
  db = await openNodeDuckDb();
  table = new TrafficTable(db);
  await table.load(bench.replay, (ip) => analysis.policy.material.hosts.get(ip)?.sortKey ?? ip);
  await table.refresh(0, () => bench.trafficState());
});

afterAll(async () => {
  await db?.close();
});

describe('the traffic table', () => {
  it('pages every replayed edge, sorted, with the verdicts of the replay', async () => {
    const first = await table.page(query());
    expect(first.total).toBe(bench.replay.length);
    expect(first.rows).toHaveLength(100);
    expect(first.rows[0]!.flows).toBe(Math.max(...bench.replay.map((edge) => edge.flows)));
    const pages = [];
    for (let offset = 0; offset < first.total; offset += 500) pages.push(...(await table.page(query({ offset, limit: 500 }))).rows);
    expect(pages).toHaveLength(bench.replay.length);
    const blocked = await table.page(query({ verdict: 'blocked' }));
    expect(blocked.total).toBe(bench.view().simulation.escapedEdges);
    const ascending = await table.page(query({ sort: 'client', descending: false, limit: 3 }));
    expect(ascending.rows.map((row) => row.client)).toEqual([...bench.replay].map((edge) => edge.client).sort((a, b) => (analysis.policy.material.hosts.get(a)!.sortKey < analysis.policy.material.hosts.get(b)!.sortKey ? -1 : 1)).slice(0, 3));
  });

  it('filters by address, group name and service, and takes hostile text literally', async () => {
    const dns = await table.page(query({ text: 'UDP/53' }));
    expect(dns.total).toBeGreaterThan(0);
    expect(dns.rows.every((row) => row.service === 'udp/53' || `${row.clientGroup} ${row.serverGroup}`.toLowerCase().includes('udp/53'))).toBe(true);
    for (const text of ["' OR 1=1 --", '%', '_', '\\', '\u0000qqq']) expect((await table.page(query({ text }))).total).toBe(0);
  });

  it('follows the work: after a move, the moved host\'s edges name its new group', async () => {
    const view = bench.view();
    const group = view.policy.groups.find((entry) => entry.kind === 'application' && entry.members.length > 1)!;
    const target = view.policy.groups.find((entry) => entry.kind === 'application' && entry.id !== group.id)!;
    const ip = group.members[0]!;
    bench.edit({ kind: 'group', op: { op: 'move', ip, to: target.id } });
    await table.refresh(1, () => bench.trafficState());
    const rows = (await table.page(query({ text: ip, limit: 500 }))).rows.filter((row) => row.client === ip);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.clientGroup).toBe(target.name);
  });
});
