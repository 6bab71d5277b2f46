import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/analyze';
import { groupMap } from '../../../src/renderer/model/group-map';
import { LAYOUT, layoutMap } from '../../../src/renderer/model/map-layout';
import { analyseDemo } from '../../helpers/demo-analysis';

let analysis: Analysis;

beforeAll(async () => {
  analysis = await analyseDemo();
});

describe('the group map of the demo', () => {
  it('draws every policy group once and one link per pair of groups carrying all its rules', () => {
    const { policy } = analysis.policy;
    const map = groupMap(policy, analysis.summary);
    expect(map.omitted).toBeNull();
    expect(map.nodes.map((node) => node.id).sort()).toEqual(policy.groups.map((group) => group.id).sort());
    expect(map.links.reduce((sum, link) => sum + link.rules, 0)).toBe(policy.rules.length);
    const monitoring = map.links.find((link) => link.to === 'internal' && link.services.includes('tcp/9100'));
    expect(monitoring).toBeDefined();
    for (const link of map.links) {
      const rules = policy.rules.filter((rule) => rule.from === link.from && rule.to === link.to);
      expect(link.flows).toBe(rules.reduce((sum, rule) => sum + rule.evidence.flows, 0));
      expect(link.services).toEqual([...new Set(rules.map((rule) => rule.service))].sort());
    }
  });

  it('gives each group its tier column, its environment and the anomalies touching its members', () => {
    const map = groupMap(analysis.policy.policy, analysis.summary);
    const byName = (fragment: string) => map.nodes.find((node) => node.name.includes(fragment))!;
    expect(byName('prod · billing · db · postgresql')).toMatchObject({ environment: 'prod', column: 'data' });
    expect(byName('prod · billing · web')).toMatchObject({ environment: 'prod', column: 'web' });
    expect(map.nodes.find((node) => node.id === 'internal')).toMatchObject({ column: 'all-internal', hosts: analysis.summary.enrichment.internalHosts });
    // The demo plants a scan, a lateral movement and an exfiltration from internal hosts.
    expect(map.nodes.reduce((sum, node) => sum + node.anomalies, 0)).toBeGreaterThanOrEqual(analysis.summary.anomalies.length - 1);
  });

  it('beyond its limits draws groups together by traffic community, every group in one node, and keeps the busiest links', () => {
    const { policy } = analysis.policy;
    const map = groupMap(policy, analysis.summary, { nodes: 10, links: 5 });
    expect(map.nodes.length).toBeLessThanOrEqual(10);
    expect(map.aggregated).not.toBeNull();
    const drawn = map.nodes.flatMap((node) => node.aggregate ?? [node.id]).sort();
    expect(drawn).toEqual(policy.groups.map((group) => group.id).sort());
    expect(map.links.length).toBeLessThanOrEqual(5);
    expect(map.omitted?.nodes ?? 0).toBe(0);
    const shown = new Set(map.nodes.map((node) => node.id));
    for (const link of map.links) expect(shown.has(link.from) && shown.has(link.to)).toBe(true);
    // Hosts are all counted once, whether drawn alone or together.
    expect(map.nodes.reduce((sum, node) => sum + (node.kind === 'all-internal' ? 0 : node.hosts), 0)).toBe(policy.groups.filter((group) => group.kind !== 'all-internal').reduce((sum, group) => sum + group.members.length, 0));
  });

  it('leaves the smallest out, and says how many, only when even the aggregates are too many', () => {
    const { policy } = analysis.policy;
    const together = groupMap(policy, analysis.summary, { nodes: 10, links: 1000 });
    const map = groupMap(policy, analysis.summary, { nodes: 3, links: 1000 });
    expect(map.nodes).toHaveLength(3);
    expect(map.omitted?.nodes).toBe(together.nodes.length - 3);
    const kept = Math.min(...map.nodes.map((node) => node.hosts));
    const left = together.nodes.filter((node) => !map.nodes.some((entry) => entry.id === node.id) && node.kind !== 'external');
    for (const node of left) expect(node.hosts).toBeLessThanOrEqual(kept);
  });

  it('lays groups out in tier columns with infrastructure in a band below, never two on one spot', () => {
    const map = groupMap(analysis.policy.policy, analysis.summary);
    const positions = layoutMap(map.nodes);
    expect(positions.size).toBe(map.nodes.length);
    const spots = new Set([...positions.values()].map((position) => `${position.x},${position.y}`));
    expect(spots.size).toBe(positions.size);
    // Tiers read left to right: every web group left of every app group, every app group left of every data group.
    const xs = (column: string) => map.nodes.filter((node) => node.column === column).map((node) => positions.get(node.id)!.x);
    expect(Math.max(...xs('web'))).toBeLessThan(Math.min(...xs('app')));
    expect(Math.max(...xs('app'))).toBeLessThan(Math.min(...xs('data')));
    expect(Math.max(...xs('clients'))).toBeLessThan(Math.min(...xs('web')));
    const lowestApplication = Math.max(...map.nodes.filter((node) => node.column !== 'infrastructure' && node.column !== 'all-internal').map((node) => positions.get(node.id)!.y));
    for (const node of map.nodes.filter((entry) => entry.column === 'infrastructure')) expect(positions.get(node.id)!.y).toBeGreaterThan(lowestApplication);
    // The same input in another order gives the same layout.
    expect([...layoutMap([...map.nodes].reverse())].sort()).toEqual([...positions].sort());
  });

  it('wraps a tier of many groups into columns so the map keeps about the shape of a screen', () => {
    const many = Array.from({ length: 300 }, (_, index) => ({ id: `g${index}`, name: `group ${String(index).padStart(3, '0')}`, kind: 'application' as const, column: (['web', 'app', 'data'] as const)[index % 3]!, hosts: 1, environment: null, anomalies: 0 }));
    const positions = [...layoutMap(many).values()];
    const width = Math.max(...positions.map((p) => p.x)) + LAYOUT.columnWidth;
    const height = Math.max(...positions.map((p) => p.y)) + LAYOUT.rowHeight;
    expect(width / height).toBeGreaterThan(1);
    expect(width / height).toBeLessThan(3);
    expect(new Set(positions.map((p) => `${p.x},${p.y}`)).size).toBe(300);
  });
});
