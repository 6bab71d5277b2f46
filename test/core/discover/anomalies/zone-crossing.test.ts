import { describe, expect, it } from 'vitest';
import { findAnomalies, type AnomalyEdge } from '../../../../src/core/discover/anomalies';
import { edge, hostsOf, summary } from './fixtures';

/**
 * Two environments carved by address and no label anywhere: prod in
 * 10.1/16, dev in 10.2/16, each the same application (2 web, 2 app, 2
 * database, 1 cache: 11 host pairs inside), corporate workstations in
 * 10.100/16 using both web tiers, and a DNS server everyone uses. The dev
 * application server D tries the prod database P (refused).
 */
const D = '10.2.2.1';
const P = '10.1.3.1';
const DNS = '10.0.0.53';

function application(prefix: string): AnomalyEdge[] {
  const webs = [`${prefix}.1.1`, `${prefix}.1.2`];
  const apps = [`${prefix}.2.1`, `${prefix}.2.2`];
  const dbs = [`${prefix}.3.1`, `${prefix}.3.2`];
  return [
    ...webs.flatMap((web) => apps.map((app) => edge(web, app, 8080))),
    ...apps.flatMap((app) => dbs.map((db) => edge(app, db, 5432))),
    ...apps.map((app) => edge(app, `${prefix}.4.1`, 6379)),
    edge(dbs[1]!, dbs[0]!, 5432),
  ];
}

function estate(extra: AnomalyEdge[] = []): AnomalyEdge[] {
  const workstations = Array.from({ length: 8 }, (_, i) => `10.100.0.${i + 1}`);
  const edges = [
    ...application('10.1'),
    ...application('10.2'),
    ...workstations.flatMap((ws) => [edge(ws, '10.1.1.1', 443), edge(ws, '10.1.1.2', 443)]),
    edge(workstations[0]!, '10.2.1.1', 443),
    edge(workstations[1]!, '10.2.1.2', 443),
    edge(D, P, 5432, { action: 2, flows: 2 }),
    ...extra,
  ];
  const hosts = new Set(edges.flatMap((e) => [e.client, e.server]));
  for (const host of [...hosts].sort()) edges.push(edge(host, DNS, 53, { proto: 17 }));
  return edges;
}

describe('zone crossings: environments from the address plan when no label names them', () => {
  it('a dev server trying a prod database, no label anywhere: the two blocks otherwise keep apart', () => {
    const edges = estate();
    const found = findAnomalies(edges, hostsOf(edges));
    expect(summary(found)).toEqual([`cross-environment ${D} → ${P}`]);
    expect(found[0]).toMatchObject({ ports: [5432], flows: 2, edges: [`${D}|${P}|6|5432`] });
    // D's flows: 1 to each database, 1 to the cache, 1 to DNS, and the 2 refused: 2 / 6 = 33%.
    expect(found[0]!.reason).toBe(
      'a host of address block 10.2.0.0/16 tried to reach (refused) a host of 10.1.0.0/16; ' +
        "the two blocks keep apart: 11 and 11 application pairs inside each, 1 between them (33% of the client's flows)",
    );
  });

  it('blocks that exchange more than a third of what the smaller holds inside are one environment (zoneCrossShare)', () => {
    // Four dev hosts use the prod cache: 5 pairs between, 11 inside each (5 > 11 / 3).
    const more = ['10.2.1.1', '10.2.1.2', '10.2.3.1', '10.2.3.2'].map((dev) => edge(dev, '10.1.4.1', 6379));
    const edges = estate(more);
    expect(summary(findAnomalies(edges, hostsOf(edges)))).toEqual([]);
    // Share raised to one half: 5 ≤ 5.5, and the pairs are strays again (the prod cache has 4 dev clients: more than crossMaxClients, so not those).
    expect(summary(findAnomalies(edges, hostsOf(edges), { zoneCrossShare: 0.5 }))).toEqual([`cross-environment ${D} → ${P}`]);
  });

  it('a client reaching more servers of the other zone than crossMaxServers is a bridge, not a stray', () => {
    const edges = estate([edge(D, '10.1.3.2', 5432, { action: 2 }), edge(D, '10.1.4.1', 6379, { action: 2 })]);
    expect(summary(findAnomalies(edges, hostsOf(edges)))).toEqual([]);
    expect(summary(findAnomalies(edges, hostsOf(edges), { crossMaxServers: 3 }))).toHaveLength(3);
  });

  it('a block with fewer application pairs inside than zoneMinInternalPairs says nothing about a boundary', () => {
    const edges = estate();
    expect(summary(findAnomalies(edges, hostsOf(edges), { zoneMinInternalPairs: 12 }))).toEqual([]);
  });

  it('ends labelled with one environment are no crossing; labelled apart, the labelled detector reports it once', () => {
    const edges = estate();
    expect(summary(findAnomalies(edges, hostsOf(edges, { [D]: 'prod', [P]: 'prod' })))).toEqual([]);
    const labelled = findAnomalies(edges, hostsOf(edges, { [D]: 'dev', [P]: 'prod' }));
    expect(summary(labelled)).toEqual([`cross-environment ${D} → ${P}`]);
    expect(labelled[0]!.reason).toMatch(/^dev host tried to reach \(refused\) a prod host; client: labelled dev/);
  });

  it('gives the same anomalies whatever the order of the edges', () => {
    const edges = estate();
    const reversed = [...edges].reverse();
    expect(findAnomalies(reversed, hostsOf(reversed))).toEqual(findAnomalies(edges, hostsOf(edges)));
  });
});
