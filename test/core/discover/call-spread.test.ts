import { describe, expect, it } from 'vitest';
import { callSpread, type CallSpread } from '../../../src/core/discover/call-spread';
import { buildHostFeatures, type FeatureOptions, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
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

describe('replica sets of replicas with a private peer each', () => {
  // Three app replicas behind one balancer, each with a cache of its own that it calls all day
  // (a PLC and its own I/O adapters have the same shape), and the housekeeping every host does.
  const apps = ['10.1.0.1', '10.1.0.2', '10.1.0.3'];
  const caches = ['10.3.0.1', '10.3.0.2', '10.3.0.3'];
  const housekeeping: [string, number][] = [['10.0.0.53', 53], ['10.0.0.60', 123], ['10.0.0.61', 514], ['10.0.0.62', 9092], ['10.0.0.63', 8200], ['10.0.0.64', 443], ['10.0.0.65', 389]];
  const shop = apps.flatMap((app, k) => [
    ...['10.9.0.1', '10.9.0.2', '10.9.0.3', '10.9.0.4'].map((user) => edge(user, app, 6, 443, 50)),
    edge(app, '10.2.0.1', 6, 5432, 40),
    ...housekeeping.map(([server, port]) => edge(app, server, port === 53 || port === 123 || port === 514 ? 17 : 6, port, 20)),
    edge(app, caches[k]!, 6, 6379, 900),
  ]);

  it('keep both the replicas and their caches whole: the spread names each cache by the set it joins in the same round', () => {
    const setOf = replicaSets(hostsOf(shop), shop, new Set(), new Map());
    expect(new Set(apps.map(setOf)).size).toBe(1);
    expect(new Set(caches.map(setOf)).size).toBe(1);
    expect(setOf(apps[0]!)).not.toBe(setOf(caches[0]!));
  });

  it('as the plain profiles do', () => {
    const setOf = replicaSets(hostsOf(shop), shop, new Set(), new Map(), {}, { callSpreadKinds: [] });
    expect(new Set(apps.map(setOf)).size).toBe(1);
    expect(new Set(caches.map(setOf)).size).toBe(1);
  });
});

describe('CallSpread', () => {
  const lines = (ip: string) => (lineA.includes(ip) ? 'line A' : lineB.includes(ip) ? 'line B' : ip);
  const options: FeatureOptions = { kindWeight: REPLICA_DEFAULTS.kindWeight, peerGroup: lines };
  const spreadOptions: FeatureOptions = { ...options, trafficShareKinds: REPLICA_DEFAULTS.callSpreadKinds };
  const between = (spread: CallSpread, hosts: readonly ProfileHost[], x: string, y: string) => {
    const ordered = buildHostFeatures(hosts, [], options).hosts;
    return spread.distance(ordered.findIndex((host) => host.ip === x), ordered.findIndex((host) => host.ip === y));
  };

  it('is never below the plain distance: the spread of calls only ever parts', () => {
    // Desks whose calls mostly go to the same servers, each with a light application of its own.
    const desks = [...station('10.2.0.1', ['10.3.0.1'], 2, 40), ...station('10.2.0.2', ['10.3.0.2'], 2, 40), ...plant];
    const plain = buildHostFeatures(hostsOf(desks), desks, options);
    const spread = callSpread(plain, hostsOf(desks), desks, spreadOptions);
    const plainDistances = new ProfileDistances(plain);
    const row = new Float64Array(plainDistances.size);
    let checked = 0;
    let above = 0;
    for (let a = 0; a < plain.hosts.length; a++) {
      plainDistances.row(plain.profileOfHost[a]!, row);
      for (let b = a + 1; b < plain.hosts.length; b++) {
        const plainDistance = plain.profileOfHost[a] === plain.profileOfHost[b] ? 0 : row[plain.profileOfHost[b]!]!;
        expect(spread.distance(a, b)).toBeGreaterThanOrEqual(plainDistance);
        expect(spread.distance(b, a)).toBe(spread.distance(a, b));
        if (spread.distance(a, b) > plainDistance) above++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(above).toBeGreaterThan(0);
  });

  it("sets the stations of two lines apart beyond the replica threshold, while the plain profiles put them within it", () => {
    const hosts = hostsOf(plant);
    const plain = buildHostFeatures(hosts, plant, options);
    expect(between(callSpread(plain, hosts, plant, options), hosts, '192.168.1.10', '192.168.1.20')).toBeLessThan(REPLICA_DEFAULTS.maxDistance);
    const spread = callSpread(plain, hosts, plant, spreadOptions);
    expect(between(spread, hosts, '192.168.1.10', '192.168.1.20')).toBeGreaterThan(REPLICA_DEFAULTS.maxDistance);
    // Stations of one line whose load differs by chance stay close.
    expect(between(spread, hosts, '192.168.1.10', '192.168.1.11')).toBeLessThan(0.1);
  });

  it('parts a set of both lines\' stations into the two lines, and leaves a set of one line whole', () => {
    const hosts = hostsOf(plant);
    const plain = buildHostFeatures(hosts, plant, options);
    const spread = callSpread(plain, hosts, plant, spreadOptions);
    const index = (ip: string) => plain.hosts.findIndex((host) => host.ip === ip);
    const stations = ['192.168.1.21', '192.168.1.10', '192.168.1.20', '192.168.1.11'].map(index);
    const plcs = lineA.map(index);
    const parted = spread.part([stations, plcs], REPLICA_DEFAULTS.maxDistance);
    expect(parted).toEqual([[index('192.168.1.10'), index('192.168.1.11')].sort((a, b) => a - b), [index('192.168.1.20'), index('192.168.1.21')].sort((a, b) => a - b), [...plcs].sort((a, b) => a - b)]);
  });

  it('counts the plain distance of hosts that share a spread profile but not a plain one', () => {
    const hosts = hostsOf(plant);
    // Plain profiles name each PLC by its address; the spread names every PLC alike, so that stations of
    // both lines share spread profiles.
    const byAddress = buildHostFeatures(hosts, plant, { ...options, peerGroup: (ip) => ip });
    const spread = callSpread(byAddress, hosts, plant, { ...spreadOptions, peerGroup: (ip) => (lines(ip) === ip ? ip : 'PLC') });
    expect(between(spread, hosts, '192.168.1.10', '192.168.1.20')).toBeGreaterThan(REPLICA_DEFAULTS.maxDistance);
  });
});
