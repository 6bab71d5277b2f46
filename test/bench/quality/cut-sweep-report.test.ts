import { describe, expect, it } from 'vitest';
import { discoverGroups } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { ipSortKey } from '../../../src/core/net/ip';
import { cutRowText, sweepCuts } from './cut-sweep-report';

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port, flows: 40 });

describe('sweepCuts', () => {
  // Two applications, each a web pair used by its own desks and a database; a directory every desk uses.
  const edges: ProfileEdge[] = [];
  for (const [app, port] of [[1, 5432], [2, 1433]] as const) {
    for (let desk = 1; desk <= 3; desk++) {
      for (const web of [10, 11]) edges.push(tcp(`10.${app}.9.${desk}`, `10.${app}.1.${web}`, 443));
      edges.push(tcp(`10.${app}.9.${desk}`, '10.0.0.53', 389));
    }
    for (const web of [10, 11]) edges.push(tcp(`10.${app}.1.${web}`, `10.${app}.3.7`, port));
  }
  const hosts: ProfileHost[] = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));
  const input = { hosts, edges, names: new Map<string, string>() };

  it('gives one row per cut, marks the cut discovery takes, and scores every cut on the same assignments discovery gives', () => {
    const own = discoverGroups(input);
    const seen: number[] = [];
    const rows = sweepCuts(input, (groupOf) => (seen.push(groupOf.size), new Set(groupOf.values()).size), 1, 50);
    // Cuts beyond the number of distinct profiles do not exist.
    expect(rows.map((row) => row.clusters)).toEqual(Array.from({ length: own.profiles }, (_, k) => k + 1));
    expect(seen.every((size) => size === hosts.length)).toBe(true);
    const chosen = rows.filter((row) => row.chosen);
    expect(chosen).toHaveLength(1);
    expect(chosen[0]!.clusters).toBe(own.cut.clusters);
    expect(chosen[0]!.silhouette).toBeCloseTo(own.cut.silhouette, 12);
    expect(chosen[0]!.groups).toBe(own.groups.length);
    expect(chosen[0]!.score).toBe(own.groups.length);
    // Heights rise as clusters fall.
    for (let k = 1; k < rows.length; k++) expect(rows[k]!.height).toBeLessThanOrEqual(rows[k - 1]!.height);
    expect(cutRowText(chosen[0]!)).toMatch(/clusters .* ← chosen$/);
  });
});
