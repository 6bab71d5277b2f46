import { describe, expect, it } from 'vitest';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { joinSiteCopies, SITE_COPY_DEFAULTS } from '../../../src/core/discover/site-copies';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { profileHost, runGroupJoin, tcpEdge } from './group-join-fixture';

// Shops built alike (site-copies.ts): in each shop's /24, two lanes use the store server (.20), the back office
// (.65) prints to the label printer (.130), and the store server uses the head office's ERP. Beside them,
// applications in VLANs of their own whose users sit elsewhere, same-shaped and on the same ports.

const tcp = tcpEdge;
const ERP = '10.10.22.10';

const shop = (n: number) => ({
  server: `10.100.${n}.20`,
  printer: `10.100.${n}.130`,
  lanes: [`10.100.${n}.33`, `10.100.${n}.34`],
  office: `10.100.${n}.65`,
});

function shops(count: number, { printerPort = () => 9100 }: { printerPort?: (n: number) => number } = {}): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (let n = 1; n <= count; n++) {
    const { server, printer, lanes, office } = shop(n);
    for (const lane of lanes) edges.push(tcp(lane, server, 8443));
    edges.push(tcp(office, server, 8443), tcp(office, printer, printerPort(n)));
    // Only some shops reach the ERP: uses beyond the site are no part of the design.
    if (n % 2 === 0) edges.push(tcp(server, ERP, 44300));
  }
  return edges;
}

/** Each shop's devices grouped as the cut leaves them: one group per role and shop. */
const perShop = (count: number): string[][] =>
  Array.from({ length: count }, (_, k) => {
    const { lanes, office } = shop(k + 1);
    return [[...lanes], [office]];
  }).flat();

describe('joinSiteCopies', () => {
  it('joins each role of shops built alike, saying what it serves and at how many sites', () => {
    const { groups, notes } = runGroupJoin(joinSiteCopies, shops(6), perShop(6));
    expect(groups).toContainEqual(Array.from({ length: 6 }, (_, k) => shop(k + 1).server).sort());
    expect(groups).toContainEqual(Array.from({ length: 6 }, (_, k) => shop(k + 1).printer).sort());
    // The shops' lanes serve nothing: role equivalence joins them once their store servers are one group.
    expect(groups).toContainEqual([...shop(1).lanes].sort());
    expect(notes.get(shop(2).printer)).toBe('serves tcp/9100 and works with hosts of its own site, as a group does at each of 6 sites built alike (10.100.1.0/24, 10.100.2.0/24 …): one role of one site design');
    expect(notes.has(shop(2).lanes[0]!)).toBe(false);
  });

  it(`joins nothing below ${SITE_COPY_DEFAULTS.minCopies} sites: a handful of lines or departments are zones of their own`, () => {
    const { groups } = runGroupJoin(joinSiteCopies, shops(SITE_COPY_DEFAULTS.minCopies - 1), perShop(SITE_COPY_DEFAULTS.minCopies - 1));
    expect(groups).toContainEqual([shop(1).server]);
    expect(groups).toContainEqual([shop(1).printer]);
  });

  it('keeps apart servers of alike sites that serve different services', () => {
    const { groups } = runGroupJoin(joinSiteCopies, shops(6, { printerPort: (n) => (n === 3 ? 515 : 9100) }), perShop(6));
    expect(groups).toContainEqual([shop(3).printer]);
    expect(groups).toContainEqual([1, 2, 4, 5, 6].map((n) => shop(n).printer).sort());
  });

  it('never joins groups whose recorded identities differ', () => {
    const { groups } = runGroupJoin(joinSiteCopies, shops(6), perShop(6), { [shop(1).server]: 'prod|store', [shop(2).server]: 'qa|store' });
    expect(groups).toContainEqual([shop(2).server]);
    expect(groups).toContainEqual([1, 3, 4, 5, 6].map((n) => shop(n).server).sort());
  });

  it(`counts only the copies that can join: ${SITE_COPY_DEFAULTS.minCopies} shops, one recorded as another application, join nothing`, () => {
    const count = SITE_COPY_DEFAULTS.minCopies;
    const { groups } = runGroupJoin(joinSiteCopies, shops(count), perShop(count), { [shop(1).server]: 'prod|store', [shop(2).server]: 'qa|store' });
    expect(groups).toContainEqual([shop(3).server]);
    expect(groups).toContainEqual([shop(1).server]);
  });

  it('joins no application tiers in VLANs of their own, whose users sit elsewhere', () => {
    // Eight applications alike (web 443 → app 8080 → db 1433), each in its own /24, used from the desks' VLAN.
    const edges: ProfileEdge[] = [];
    for (let app = 1; app <= 8; app++) {
      const [web, appServer, db] = [`10.20.${app}.10`, `10.20.${app}.20`, `10.20.${app}.30`];
      edges.push(tcp(web, appServer, 8080), tcp(appServer, db, 1433));
      for (let desk = 1; desk <= 3; desk++) edges.push(tcp(`10.50.1.${desk}`, web, 443));
    }
    const { groups } = runGroupJoin(joinSiteCopies, edges, [['10.50.1.1', '10.50.1.2', '10.50.1.3']]);
    expect(groups).toContainEqual(['10.20.1.30']);
    expect(groups).toContainEqual(['10.20.1.10']);
  });

  it('joins a copy seen only part of the time by a service only that role serves, and nothing by a service several roles share', () => {
    // The lanes also use the store server and the label printer's status page, both on 8080 (at shop 3 only its
    // first lane looked at the printer's page).
    const edges = shops(6);
    for (let n = 1; n <= 6; n++) {
      edges.push(...shop(n).lanes.map((lane) => tcp(lane, shop(n).server, 8080)), tcp(shop(n).lanes[0]!, shop(n).printer, 8080));
      if (n !== 3) edges.push(tcp(shop(n).lanes[1]!, shop(n).printer, 8080));
    }
    // Shop 3's replacement store server came up late: only its second lane reached it, on 8443. At shop 4 a handheld
    // reached a PC on 8080, which both roles serve: nothing says which role, if any, it is.
    const replacement = '10.100.3.21';
    const pc = '10.100.4.66';
    edges.push(tcp(shop(3).lanes[1]!, replacement, 8443), tcp('10.100.4.100', pc, 8080));
    const { groups, notes } = runGroupJoin(joinSiteCopies, edges, perShop(6));
    expect(groups).toContainEqual([...Array.from({ length: 6 }, (_, k) => shop(k + 1).server), replacement].sort());
    expect(notes.get(replacement)).toBe('serves tcp/8443, part of what tcp/8080, tcp/8443 is at 6 sites built alike, at a site that has that role: a copy of it seen only part of the time');
    expect(groups).toContainEqual(Array.from({ length: 6 }, (_, k) => shop(k + 1).printer).sort());
    expect(groups).toContainEqual([pc]);
  });

  it('takes a server only the internet uses for one that serves something: a DMZ of web servers and their databases is no site', () => {
    // Six DMZ blocks alike: a web server customers reach from outside, its database beside it.
    const edges: ProfileEdge[] = [];
    for (let n = 1; n <= 6; n++) edges.push(tcp(`198.51.100.${n}`, `10.30.${n}.10`, 443), tcp(`10.30.${n}.10`, `10.30.${n}.20`, 5432));
    const internal = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].filter((ip) => ip.startsWith('10.'));
    const features = discoveryFeatures({ hosts: internal.map(profileHost), edges });
    const { groups } = joinSiteCopies(features, edges, features.hosts.map((_, index) => [index]), () => null);
    expect(groups).toHaveLength(features.hosts.length);
  });
});
