import { describe, expect, it } from 'vitest';
import { callSpreadDistances } from '../../../src/core/discover/call-spread';
import { buildHostFeatures, type FeatureOptions, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
import { condensedIndex } from '../../../src/core/discover/nn-chain';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import { REPLICA_DEFAULTS, replicaSets } from '../../../src/core/discover/replica-sets';
import { ipSortKey } from '../../../src/core/net/ip';

// A plant's operator stations: each polls its own line's PLCs all day and
// talks to the domain controller on eight ports, the antivirus console and
// the patch server now and then.

const edge = (client: string, server: string, proto: number, port: number, flows: number): ProfileEdge => ({ client, server, proto, port, flows });
const hostsOf = (edges: readonly ProfileEdge[]): ProfileHost[] => [...new Set(edges.flatMap((e) => [e.client, e.server]))].map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));
const DC_PORTS: [number, number][] = [[17, 53], [6, 88], [6, 135], [6, 389], [6, 445], [17, 123], [17, 389], [6, 464]];

function station(ip: string, plcs: readonly string[], pollFlows: number, housekeepingFlows: number): ProfileEdge[] {
  return [
    ...plcs.map((plc) => edge(ip, plc, 6, 102, pollFlows)),
    ...DC_PORTS.map(([proto, port]) => edge(ip, '10.0.0.10', proto, port, housekeepingFlows)),
    edge(ip, '10.0.1.5', 6, 443, housekeepingFlows),
    edge(ip, '10.0.1.6', 6, 8530, 3),
  ];
}

const lineA = ['192.168.1.100', '192.168.1.101', '192.168.1.102', '192.168.1.103'];
const lineB = ['192.168.1.110', '192.168.1.111', '192.168.1.112', '192.168.1.113'];
const plant = [
  ...station('192.168.1.10', lineA, 100, 20),
  ...station('192.168.1.11', lineA, 70, 25),
  ...station('192.168.1.20', lineB, 100, 20),
  ...station('192.168.1.21', lineB, 90, 22),
];

describe('replica sets of operator stations', () => {
  it("part the stations of two lines: most of each one's calls go to PLCs the other never polls", () => {
    const setOf = replicaSets(hostsOf(plant), plant, new Set(), new Map());
    expect(setOf('192.168.1.10')).toBe(setOf('192.168.1.11'));
    expect(setOf('192.168.1.20')).toBe(setOf('192.168.1.21'));
    expect(setOf('192.168.1.10')).not.toBe(setOf('192.168.1.20'));
    // Each line's PLCs are one set, the two lines two.
    expect(setOf('192.168.1.100')).toBe(setOf('192.168.1.103'));
    expect(setOf('192.168.1.100')).not.toBe(setOf('192.168.1.110'));
  });

  it('joined them when peers were counted feature by feature (what the spread of calls adds)', () => {
    const setOf = replicaSets(hostsOf(plant), plant, new Set(), new Map(), {}, { callSpreadKinds: [] });
    expect(setOf('192.168.1.10')).toBe(setOf('192.168.1.20'));
  });
});

describe('callSpreadDistances', () => {
  const options: FeatureOptions = { kindWeight: REPLICA_DEFAULTS.kindWeight, peerGroup: (ip) => (lineA.includes(ip) ? 'line A' : lineB.includes(ip) ? 'line B' : ip) };

  it('is never below the plain distance: the spread of calls only ever parts', () => {
    // Desks whose calls mostly go to the same servers, each with a light application of its own.
    const desks = [...station('10.2.0.1', ['10.3.0.1'], 2, 40), ...station('10.2.0.2', ['10.3.0.2'], 2, 40), ...plant];
    const spread = callSpreadDistances(hostsOf(desks), desks, options, REPLICA_DEFAULTS.callSpreadKinds);
    const plain = buildHostFeatures(hostsOf(desks), desks, options);
    const plainDistances = new ProfileDistances(plain);
    const row = new Float64Array(plainDistances.size);
    const n = spread.features.profileHosts.length;
    let checked = 0;
    for (let i = 0; i < n; i++) {
      const a = plain.profileOfHost[spread.features.profileHosts[i]![0]!]!;
      plainDistances.row(a, row);
      for (let j = i + 1; j < n; j++) {
        const b = plain.profileOfHost[spread.features.profileHosts[j]![0]!]!;
        expect(spread.condensed[condensedIndex(n, i, j)]!).toBeGreaterThanOrEqual(a === b ? 0 : row[b]!);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("sets the stations of two lines apart beyond the replica threshold, while the plain profiles put them within it", () => {
    const hosts = hostsOf(plant);
    const distanceOf = (features: ReturnType<typeof buildHostFeatures>, condensed: Float64Array, x: string, y: string) => {
      const profile = (ip: string) => features.profileOfHost[features.hosts.findIndex((host) => host.ip === ip)]!;
      return condensed[condensedIndex(features.profileHosts.length, profile(x), profile(y))]!;
    };
    const spread = callSpreadDistances(hosts, plant, options, REPLICA_DEFAULTS.callSpreadKinds);
    const plain = callSpreadDistances(hosts, plant, options, []);
    expect(distanceOf(plain.features, plain.condensed, '192.168.1.10', '192.168.1.20')).toBeLessThan(REPLICA_DEFAULTS.maxDistance);
    expect(distanceOf(spread.features, spread.condensed, '192.168.1.10', '192.168.1.20')).toBeGreaterThan(REPLICA_DEFAULTS.maxDistance);
    // Stations of one line whose load differs by chance stay close.
    expect(distanceOf(spread.features, spread.condensed, '192.168.1.10', '192.168.1.11')).toBeLessThan(0.1);
  });
});
