import { describe, expect, it } from 'vitest';
import { findAnomalies, type AnomalyEdge } from '../../../../src/core/discover/anomalies';
import { HOUR, T0, edge, hostsOf, summary } from './fixtures';

/**
 * Two copies of one application in one address block (10.10/16), no
 * inventory: production (two web servers, three application servers, a
 * database listener) and test (one of each). The copies share the
 * directory (DNS, used by every host: a hub) and the desks that browse
 * both web tiers, and twelve more desks that only browse through a proxy
 * (so that the web servers are no hubs). The test application server then
 * opens the production database a few times.
 */
const TEST_APP = '10.10.30.21';
const TEST_DB = '10.10.30.31';
const PROD_DB = '10.10.22.20';
const prodWeb = ['10.10.20.11', '10.10.20.12'];
const prodApps = ['10.10.21.11', '10.10.21.12', '10.10.21.13'];
const desks = Array.from({ length: 6 }, (_, i) => `10.20.0.${i + 1}`);

function estate(): AnomalyEdge[] {
  const edges = [
    ...desks.flatMap((desk) => prodWeb.map((web) => edge(desk, web, 443, { flows: 40 }))),
    ...desks.slice(0, 2).map((desk) => edge(desk, '10.10.30.11', 443, { flows: 10 })),
    ...prodWeb.flatMap((web) => prodApps.map((app) => edge(web, app, 8443, { flows: 60 }))),
    ...prodApps.map((app) => edge(app, PROD_DB, 1433, { flows: 200 })),
    edge('10.10.30.11', TEST_APP, 8443, { flows: 45 }),
    edge(TEST_APP, TEST_DB, 1433, { flows: 62 }),
    ...Array.from({ length: 12 }, (_, i) => edge(`10.20.1.${i + 1}`, '10.10.10.80', 3128, { flows: 30 })),
  ];
  const hosts = new Set(edges.flatMap((e) => [e.client, e.server]));
  for (const host of [...hosts].sort()) edges.push(edge(host, '10.10.10.11', 53, { proto: 17, flows: 20 }));
  return edges;
}

/** Seven sessions in the afternoon, after the baseline (the first fifth of the day the edges span). */
const stray = (fields: Partial<AnomalyEdge> = {}): AnomalyEdge => edge(TEST_APP, PROD_DB, 1433, { flows: 7, firstMs: T0 + 14 * HOUR, lastMs: T0 + 16 * HOUR, ...fields });

describe('crossings between two copies of one application, no label and no address plan', () => {
  it('the test application server using the production database: its copies serve the same service to clients of their own and use their own databases', () => {
    const edges = [...estate(), stray()];
    const found = findAnomalies(edges, hostsOf(edges));
    expect(summary(found)).toEqual([`cross-environment ${TEST_APP} → ${PROD_DB}`]);
    expect(found[0]!.reason).toBe(
      "a host of one copy of an application reached the other copy's server: it and 3 other clients of this server each serve https-alt tcp/8443 to clients of their own" +
        ' (1 and 2 hosts, none shared) and use mssql tcp/1433 on servers of their own (1 for this host, none used by the others); this pair is 10% of its flows of that service',
    );
    // Without the stray, nothing: the copies alone are no anomaly.
    expect(findAnomalies(estate(), hostsOf(estate()))).toEqual([]);
  });

  it('one pool, not two copies: application servers behind the same web servers share their clients', () => {
    // The test web server also calls the production application servers: they share a client with the test one.
    const edges = [...estate(), stray(), ...prodApps.map((app) => edge('10.10.30.11', app, 8443, { flows: 5 }))];
    expect(findAnomalies(edges, hostsOf(edges))).toEqual([]);
  });

  it('a server used by hosts of every kind is no copy: a directory or a shared database', () => {
    // A desk also uses the production database: not every other client of it is a copy of the test server.
    const edges = [...estate(), stray(), edge(desks[0]!, PROD_DB, 1433, { flows: 3 })];
    expect(findAnomalies(edges, hostsOf(edges))).toEqual([]);
  });

  it('a client with no database of its own, or one that moved most of its use to the other copy, is no stray', () => {
    const noOwn = [...estate().filter((e) => e.server !== TEST_DB), stray()];
    expect(findAnomalies(noOwn, hostsOf(noOwn))).toEqual([]);
    const moved = [...estate(), stray({ flows: 80 })];
    expect(findAnomalies(moved, hostsOf(moved))).toEqual([]);
  });

  it('a pair the copies had from the start of the capture is how they work, not a stray; without timestamps nothing is judged', () => {
    const early = [...estate(), stray({ firstMs: T0 + 2 * HOUR })];
    expect(findAnomalies(early, hostsOf(early))).toEqual([]);
    const untimed = [...estate(), stray()].map((e) => ({ ...e, firstMs: null, lastMs: null }));
    expect(findAnomalies(untimed, hostsOf(untimed))).toEqual([]);
  });

  it('the same copies in any order give the same anomaly', () => {
    const edges = [...estate(), stray()];
    const reversed = [...edges].reverse();
    expect(findAnomalies(reversed, hostsOf(reversed))).toEqual(findAnomalies(edges, hostsOf(edges)));
  });

  it('pairs labelled at both ends are left to the labels', () => {
    const edges = [...estate(), stray()];
    expect(findAnomalies(edges, hostsOf(edges, { [TEST_APP]: 'test', [PROD_DB]: 'test' }))).toEqual([]);
  });
});
