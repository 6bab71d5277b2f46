import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import { ipSortKey } from '../../../src/core/net/ip';
import type { ReplicaRound } from '../../../src/core/discover/replica-sets';
import { profileReport, replicaRoundReport } from './profile-report';

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

describe('replicaRoundReport', () => {
  // Two plant lines: each operator station polls its own line's PLCs all day and calls the directory on eight
  // ports, the antivirus console and the patch server now and then.
  const station = (ip: string, plcs: readonly string[]): ProfileEdge[] => [
    ...plcs.map((plc) => ({ ...tcp(ip, plc, 102), flows: 100 })),
    ...[53, 88, 135, 389, 445, 123, 636, 464].map((port) => ({ ...tcp(ip, '10.0.0.10', port), flows: 20 })),
    { ...tcp(ip, '10.0.1.5', 443), flows: 20 },
    { ...tcp(ip, '10.0.1.6', 8530), flows: 3 },
  ];
  const lineA = ['192.168.1.100', '192.168.1.101', '192.168.1.102', '192.168.1.103'];
  const lineB = ['192.168.1.110', '192.168.1.111', '192.168.1.112', '192.168.1.113'];
  const edges = [...station('192.168.1.10', lineA), ...station('192.168.1.11', lineA), ...station('192.168.1.20', lineB), ...station('192.168.1.21', lineB)];
  const stations = [
    { ip: '192.168.1.10', truth: 'line A' },
    { ip: '192.168.1.20', truth: 'line B' },
    { ip: '10.9.9.9', truth: 'not in the capture' },
  ];
  const rounds: string[][] = [];
  discoveryFeatures({ hosts: hostsOf(edges), edges }, { onReplicaRound: (round: ReplicaRound) => rounds.push(replicaRoundReport(round, stations)) });
  const matrix = (lines: readonly string[], title: string) => {
    const at = lines.findIndex((line) => line.startsWith(title));
    return at < 0 ? undefined : lines.slice(at + 1, at + 3).map((line) => line.trim().split(/\s+/).slice(-2).map(Number));
  };

  it("prints each round's sets and plain distances, and from the second round the distances with the spread of calls", () => {
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    expect(rounds[0]![0]).toBe('== replica round 0');
    // Each line's two stations poll the same PLCs: a set from the first round.
    expect(rounds[0]).toContain('  line A 192.168.1.10: set {192.168.1.10 +1}');
    expect(rounds[0]).toContain('  line B 192.168.1.20: set {192.168.1.20 +1}');
    expect(rounds.flat().join('\n')).not.toContain('10.9.9.9');
    expect(matrix(rounds[0]!, 'with spread')).toBeUndefined();
    // Once each line's PLCs are one set, the stations are close by their peers and far by their calls.
    const plain = matrix(rounds[1]!, 'plain')!;
    const spread = matrix(rounds[1]!, 'with spread')!;
    expect(plain[0]![0]).toBe(0);
    expect(plain[0]![1]).toBeLessThan(0.3);
    expect(spread[0]![1]).toBeGreaterThan(0.3);
    expect(spread[1]![0]).toBe(spread[0]![1]);
  });
});
