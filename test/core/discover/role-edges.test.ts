import { describe, expect, it } from 'vitest';
import { groupIndexOfHosts } from '../../../src/core/discover/assemble-groups';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { isAdminService, roleEdgesOf } from '../../../src/core/discover/role-edges';

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

describe('roleEdgesOf', () => {
  // A kubelet (10.0.1.1) probing three services of its node's /24; a scrape agent on tcp/9100
  // that one monitor polls on every server; an SSH session; a host talking to itself; two calls.
  const node = ['10.0.1.10', '10.0.1.11', '10.0.1.12'];
  const servers = [...node, '10.0.2.10', '10.0.2.11', '10.0.2.12', '10.0.2.13'];
  const edges = [
    ...node.map((pod, i) => tcp('10.0.1.1', pod, 8080 + i)),
    ...servers.map((server) => tcp('10.0.9.9', server, 9100)),
    tcp('10.0.9.8', '10.0.2.10', 22),
    tcp('10.0.2.10', '10.0.2.10', 5432),
    tcp('10.0.2.11', '10.0.2.10', 5432),
    tcp('10.0.2.12', '10.0.2.13', 443),
  ];
  const calls = [tcp('10.0.2.11', '10.0.2.10', 5432), tcp('10.0.2.12', '10.0.2.13', 443)];
  const probes = edges.filter((edge) => edge.client === '10.0.1.1');
  const scrapes = edges.filter((edge) => edge.port === 9100);

  it('always leaves out remote administration and a host talking to itself', () => {
    expect(isAdminService(tcp('a', 'b', 22))).toBe(true);
    expect(isAdminService(tcp('a', 'b', 5432))).toBe(false);
    expect(roleEdgesOf(edges)).toEqual([...probes, ...scrapes, ...calls]);
  });

  it('leaves out probers and scrape agents only when asked', () => {
    expect(roleEdgesOf(edges, { probers: true })).toEqual([...scrapes, ...calls]);
    expect(roleEdgesOf(edges, { collectors: true })).toEqual([...probes, ...calls]);
    expect(roleEdgesOf(edges, { probers: true, collectors: true })).toEqual(calls);
  });
});

describe('groupIndexOfHosts', () => {
  it('gives each host its group, and -1 to a host in none', () => {
    expect([...groupIndexOfHosts(5, [[0, 3], [1]])]).toEqual([0, 1, -1, 0, -1]);
  });
});
