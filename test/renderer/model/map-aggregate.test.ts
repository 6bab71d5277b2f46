import { describe, expect, it } from 'vitest';
import type { AnalysisSummary } from '../../../src/core/report/summary';
import type { MapLink, MapNode } from '../../../src/renderer/model/group-map';
import { groupMap } from '../../../src/renderer/model/group-map';
import { aggregate, OUTSIDE_AGGREGATE } from '../../../src/renderer/model/map-aggregate';

const node = (id: string, kind: MapNode['kind'], hosts: number, column: MapNode['column'] = 'app'): MapNode => ({ id, name: `name ${id}`, kind, column, hosts, environment: 'prod', anomalies: 1 });
const link = (from: string, to: string, flows: number, service = 'tcp/443'): MapLink => ({ id: `${from}>${to}`, from, to, services: [service], rules: 1, flows });
// g1, g2 in community 0; g3, g4 in community 1; g5 made by the analyst from members of community 1.
const summary = {
  groups: [
    { id: 'g1', community: 0 },
    { id: 'g2', community: 0 },
    { id: 'g3', community: 1 },
    { id: 'g4', community: 1 },
  ],
  assignments: { '10.0.0.5': 'g3', '10.0.0.6': 'g4', '10.0.0.7': 'g1' },
} as unknown as AnalysisSummary;
const members = new Map([['g5', ['10.0.0.5', '10.0.0.6', '10.0.0.7']]]);
const nodes = [node('g1', 'application', 5, 'web'), node('g2', 'application', 3), node('g3', 'application', 4), node('g4', 'application', 2), node('g5', 'application', 3), node('ext:a', 'external', 1, 'external'), node('ext:b', 'external', 1, 'external')];
const links = [link('g1', 'g2', 10), link('g1', 'g3', 5), link('g2', 'g4', 7, 'tcp/5432'), link('g3', 'g4', 2), link('ext:a', 'g1', 3), link('ext:b', 'g1', 4)];

describe('drawing groups together when a map has too many', () => {
  it('leaves a map within its limit alone', () => {
    expect(aggregate(nodes, links, summary, members, 10, new Set())).toEqual({ nodes, links, grouped: 0, into: 0 });
  });

  it('draws outside networks as one node first, summing their links', () => {
    const result = aggregate(nodes, links, summary, members, 6, new Set());
    expect(result.nodes.map((entry) => entry.id).sort()).toEqual([OUTSIDE_AGGREGATE, 'g1', 'g2', 'g3', 'g4', 'g5']);
    expect(result.links.find((entry) => entry.from === OUTSIDE_AGGREGATE)).toMatchObject({ to: 'g1', flows: 7, rules: 2 });
    expect(result.nodes.find((entry) => entry.id === OUTSIDE_AGGREGATE)).toMatchObject({ kind: 'external', hosts: 2, aggregate: ['ext:a', 'ext:b'] });
  });

  it('then draws groups by traffic community (a regrouped group by its members\' community), dropping links inside one', () => {
    const result = aggregate(nodes, links, summary, members, 3, new Set());
    const ids = result.nodes.map((entry) => entry.id).sort();
    expect(ids).toEqual(['agg:c0', 'agg:c1', OUTSIDE_AGGREGATE]);
    expect(result.nodes.find((entry) => entry.id === 'agg:c1')).toMatchObject({ aggregate: ['g3', 'g5', 'g4'], hosts: 9, anomalies: 3, name: '3 groups around name g3' });
    expect(result.links.map((entry) => `${entry.id} ${entry.flows} ${entry.services.join(' ')}`).sort()).toEqual(['agg:c0>agg:c1 12 tcp/443 tcp/5432', `${OUTSIDE_AGGREGATE}>agg:c0 7 tcp/443`]);
    expect(result).toMatchObject({ grouped: 7, into: 3 });
  });

  it('draws an opened aggregate as its groups again', () => {
    const result = aggregate(nodes, links, summary, members, 3, new Set(['agg:c0']));
    expect(result.nodes.map((entry) => entry.id).sort()).toEqual(['agg:c1', OUTSIDE_AGGREGATE, 'g1', 'g2']);
  });

  it('says so on the group map', () => {
    const policy = { groups: nodes.map((entry) => ({ id: entry.id, name: entry.name, kind: entry.kind, members: members.get(entry.id) ?? [], labels: {}, match: null })), rules: [] };
    const map = groupMap(policy, { ...summary, groups: summary.groups.map((group) => ({ ...group, tier: 'app' })), enrichment: { internalHosts: 10 }, anomalies: [] } as unknown as AnalysisSummary, { nodes: 3, links: 100 });
    expect(map.aggregated).toEqual({ groups: 7, into: 3 });
    expect(map.omitted).toBeNull();
  });
});
