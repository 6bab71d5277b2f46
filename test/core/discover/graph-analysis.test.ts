import { describe, expect, it } from 'vitest';
import { analyseGraph } from '../../../src/core/discover/graph-analysis';
import type { ProfileEdge } from '../../../src/core/discover/host-features';

const edge = (client: string, server: string, port: number, proto = 6): ProfileEdge => ({ client, server, proto, port });

/** Two applications (web → app → db), their users, a DNS server everyone uses and a monitoring host that scrapes everyone. */
function estate() {
  const groups: Record<string, string[]> = {
    dns: ['10.0.0.53'],
    monitoring: ['10.0.0.90'],
    usersA: ['10.9.1.1', '10.9.1.2'],
    usersB: ['10.9.2.1', '10.9.2.2'],
    webA: ['10.1.1.1', '10.1.1.2'],
    appA: ['10.1.2.1', '10.1.2.2'],
    dbA: ['10.1.3.1'],
    webB: ['10.2.1.1', '10.2.1.2'],
    appB: ['10.2.2.1'],
    dbB: ['10.2.3.1'],
  };
  const edges: ProfileEdge[] = [];
  for (const [users, web, app, db] of [['usersA', 'webA', 'appA', 'dbA'], ['usersB', 'webB', 'appB', 'dbB']] as const) {
    for (const u of groups[users]!) for (const w of groups[web]!) edges.push(edge(u, w, 443));
    for (const w of groups[web]!) for (const a of groups[app]!) edges.push(edge(w, a, 8080));
    for (const a of groups[app]!) for (const d of groups[db]!) edges.push(edge(a, d, 5432));
  }
  const everyone = Object.values(groups).flat();
  for (const host of everyone) if (host !== '10.0.0.53') edges.push(edge(host, '10.0.0.53', 53, 17));
  for (const host of everyone) if (host !== '10.0.0.90') edges.push(edge('10.0.0.90', host, 9100));
  const hosts = [...everyone].sort();
  const names = Object.keys(groups);
  const groupHosts = names.map((name) => groups[name]!.map((ip) => hosts.indexOf(ip)));
  return { hosts, names, groupHosts, edges };
}

describe('graph analysis', () => {
  const { hosts, names, groupHosts, edges } = estate();
  const result = analyseGraph(hosts, groupHosts, edges);
  const facts = (name: string) => result.groups[names.indexOf(name)]!;

  it('pulls out shared infrastructure: a service everyone uses, a host that reaches everyone', () => {
    expect(facts('dns')).toMatchObject({ kind: 'infrastructure', tier: 'infrastructure', community: -1 });
    expect(facts('monitoring')).toMatchObject({ kind: 'infrastructure', community: -1 });
  });

  it('names tiers from the services groups offer and use', () => {
    expect(['usersA', 'webA', 'appA', 'dbA'].map((name) => facts(name).tier)).toEqual(['clients', 'web', 'app', 'data']);
  });

  it('finds each application as a community once infrastructure is left out', () => {
    const a = ['usersA', 'webA', 'appA', 'dbA'].map((name) => facts(name).community);
    const b = ['usersB', 'webB', 'appB', 'dbB'].map((name) => facts(name).community);
    expect(new Set(a).size).toBe(1);
    expect(new Set(b).size).toBe(1);
    expect(a[0]).not.toBe(b[0]);
    expect(result.communities).toBe(2);
    expect(facts('webA').communityShare).toBe(1);
  });

  it('ranks the monitoring host first for reach, then the users who reach web, app and database', () => {
    expect(result.topReach[0]).toEqual({ ip: '10.0.0.90', reaches: hosts.length - 1 });
    expect(result.topReach.find((entry) => entry.ip === '10.9.1.1')!.reaches).toBe(2 + 2 + 1 + 1);
  });

  it('is the same for the same input in another order, and with another seed only community numbers may differ', () => {
    expect(analyseGraph(hosts, groupHosts, [...edges].reverse())).toEqual(result);
    let state = 7;
    const other = analyseGraph(hosts, groupHosts, edges, () => ((state = (state * 48271) % 2147483647) / 2147483647));
    expect(other.groups.map((group) => group.tier)).toEqual(result.groups.map((group) => group.tier));
  });
});
