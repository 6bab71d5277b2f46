import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import { ipSortKey } from '../../../src/core/net/ip';
import { profileReport } from './profile-report';

const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port, flows: 50 });
const hostsOf = (edges: readonly ProfileEdge[]): ProfileHost[] =>
  [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));

describe('profileReport', () => {
  // Two web replicas used by the same desks and using the same database; a file server the desks also use.
  const edges = ['10.0.9.1', '10.0.9.2', '10.0.9.3'].flatMap((desk) => [tcp(desk, '10.0.1.10', 443), tcp(desk, '10.0.1.11', 443), tcp(desk, '10.0.2.5', 445)]);
  edges.push(tcp('10.0.1.10', '10.0.3.7', 5432), tcp('10.0.1.11', '10.0.3.7', 5432));
  const features = discoveryFeatures({ hosts: hostsOf(edges), edges });
  const distances = new ProfileDistances(features);
  const picked = [
    { ip: '10.0.1.10', truth: 'shop|web' },
    { ip: '10.0.1.11', truth: 'shop|web' },
    { ip: '10.0.2.5', truth: 'files' },
    { ip: '10.9.9.9', truth: 'not in the capture' },
  ];

  it("lists each host's weighted features and the distances between the hosts, replicas at 0", () => {
    const lines = profileReport(features, distances, picked);
    const web = lines.indexOf(lines.find((line) => line.startsWith('== 10.0.1.10 shop|web'))!);
    expect(web).toBeGreaterThanOrEqual(0);
    expect(lines.slice(web + 1).findIndex((line) => / \[2\] uses tcp\/5432 on group 10\.0\.3\.7$/.test(line))).toBeGreaterThanOrEqual(0);
    const matrix = lines.slice(lines.findIndex((line) => line.startsWith('distances')));
    expect(matrix).toHaveLength(4);
    const cells = (line: string) => line.trim().split(/\s+/).slice(2).map(Number);
    // The two replicas at 0 from each other, the file server far from both.
    const [self, replica, files] = cells(matrix[1]!);
    expect(cells(matrix[1]!)).toHaveLength(3);
    expect([self, replica]).toEqual([0, 0]);
    expect(files).toBeGreaterThan(0.5);
    expect(lines.join('\n')).not.toContain('10.9.9.9');
  });

  it('prints the matrix alone when asked', () => {
    const lines = profileReport(features, distances, picked, false);
    expect(lines[0]).toMatch(/^distances/);
    expect(lines).toHaveLength(4);
  });
});
