import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../src/core/policy/policy-model';
import type { HostFact } from '../../../src/renderer/engine/protocol';
import type { GroupMap, MapNode } from '../../../src/renderer/model/group-map';
import { expandedHeight, expandedHosts, HOSTS_PER_GROUP } from '../../../src/renderer/model/map-hosts';
import { filterChoices, isActive, matchingGroups, NO_QUERY } from '../../../src/renderer/model/map-search';

const node = (id: string, name: string, environment: string | null, anomalies = 0): MapNode => ({ id, name, kind: 'application', column: 'app', hosts: 2, environment, anomalies });
const map: GroupMap = {
  nodes: [node('g1', 'prod · billing · web', 'prod'), node('g2', 'dev · billing · db', 'dev', 3), node('g3', 'monitoring', null)],
  links: [
    { id: 'g1>g2', from: 'g1', to: 'g2', services: ['tcp/1433'], rules: 1, flows: 10 },
    { id: 'g3>g1', from: 'g3', to: 'g1', services: ['tcp/9100-9110'], rules: 1, flows: 5 },
  ],
  omitted: null,
  aggregated: null,
};
const members = (count: number, base: string) => Array.from({ length: count }, (_, index) => `${base}.${index + 1}`);
const policy = {
  groups: [
    { id: 'g1', members: ['10.0.0.1', '10.0.0.2'] },
    { id: 'g2', members: ['10.1.0.1', '10.1.0.2'] },
    { id: 'g3', members: members(HOSTS_PER_GROUP + 5, '10.2.0') },
  ],
} as unknown as Policy;
const fact = (ip: string, name: string, labels: { key: string; value: string }[]): HostFact => ({ ip, name, labels, discoveredGroup: 'g1', confidence: 1, reason: '', labelConflicts: [] });
const hosts = new Map([
  ['10.0.0.1', fact('10.0.0.1', 'WEB-01', [{ key: 'owner', value: 'payments' }])],
  ['10.1.0.2', fact('10.1.0.2', 'sqldev', [])],
]);

const find = (query: Partial<typeof NO_QUERY>, wouldBreak: Record<string, number> = {}) => [...matchingGroups(map, policy, hosts, wouldBreak, { ...NO_QUERY, ...query })].sort();

describe('map search and filters', () => {
  it('matches groups by name, member address, host name, label and port (ranges included)', () => {
    expect(find({ text: 'BILLING' })).toEqual(['g1', 'g2']);
    expect(find({ text: '10.1.0.2' })).toEqual(['g2']);
    expect(find({ text: 'web-01' })).toEqual(['g1']);
    expect(find({ text: 'owner=payments' })).toEqual(['g1']);
    expect(find({ text: 'payments' })).toEqual(['g1']);
    expect(find({ text: '1433' })).toEqual(['g1', 'g2']);
    expect(find({ text: '9105' })).toEqual(['g1', 'g3']);
    expect(find({ text: 'nothing like it' })).toEqual([]);
  });

  it('narrows by environment, service, anomalies and would-break', () => {
    expect(find({ environment: 'dev' })).toEqual(['g2']);
    expect(find({ service: 'tcp/9100-9110' })).toEqual(['g1', 'g3']);
    expect(find({ anomaliesOnly: true })).toEqual(['g2']);
    expect(find({ wouldBreakOnly: true }, { g3: 2 })).toEqual(['g3']);
    expect(find({ text: 'billing', environment: 'prod' })).toEqual(['g1']);
    expect(isActive(NO_QUERY)).toBe(false);
    expect(filterChoices(map)).toEqual({ environments: ['dev', 'prod'], services: ['tcp/1433', 'tcp/9100-9110'] });
  });

  it('draws at most a set number of hosts per expanded group and never more than the budget left', () => {
    const [big] = expandedHosts(policy, map.nodes, ['g3'], 1000);
    expect(big!.shown).toHaveLength(HOSTS_PER_GROUP);
    expect(big!.hidden).toBe(5);
    const tight = expandedHosts(policy, map.nodes, ['g1', 'g3'], 3);
    expect(tight.map((group) => group.shown.length)).toEqual([2, 1]);
    expect(expandedHosts(policy, map.nodes, ['g9'], 10)).toEqual([]);
    expect(expandedHeight(big!)).toBeGreaterThan(expandedHeight(tight[0]!));
  });
});
