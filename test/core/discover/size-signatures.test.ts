import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { type EdgeSizeStats, SIZE_SIGNATURE_DEFAULTS, type SizeSignatureOptions, splitBySizeSignature } from '../../../src/core/discover/size-signatures';
import { Random } from '../../../src/core/util/random';

// Hand-made estates: one caller (10.0.0.1, 10.0.0.2) and servers on one port that nothing else tells apart,
// with hour-by-hour sizes drawn around a median per server.

const host = (ip: string, labels: Record<string, string> = {}, workload?: string): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
  ...(workload === undefined ? {} : { workload }),
});

const CALLERS = ['10.0.0.1', '10.0.0.2'];

/** `medians`: bytes per connection per server; `spread`: the per-hour log spread; `hours`: samples per edge. */
function sizes(medians: Record<string, number>, hours: number, spread: number, seed = 7): EdgeSizeStats[] {
  const random = new Random(seed);
  const stats: EdgeSizeStats[] = [];
  for (const client of CALLERS) {
    for (const [server, median] of Object.entries(medians)) {
      let sum = 0;
      let sumSquares = 0;
      for (let hour = 0; hour < hours; hour++) {
        const x = Math.log(median) + random.gaussian() * spread;
        sum += x;
        sumSquares += x * x;
      }
      stats.push({ client, server, proto: 6, port: 9090, hours, sum, sumSquares });
    }
  }
  return stats;
}

function split(medians: Record<string, number>, stats: EdgeSizeStats[], hosts?: ProfileHost[], options?: Partial<SizeSignatureOptions>): string[][] {
  const servers = Object.keys(medians);
  const edges: ProfileEdge[] = CALLERS.flatMap((client) => servers.map((server) => ({ client, server, proto: 6, port: 9090 })));
  const features = discoveryFeatures({ hosts: hosts ?? [...CALLERS, ...servers].map((ip) => host(ip)), edges });
  const index = (ip: string) => features.hosts.findIndex((candidate) => candidate.ip === ip);
  const groups = [CALLERS.map(index), servers.map(index)];
  const identity = (host: number) => features.hosts[host]!.labels.find((label) => label.key === 'app')?.value ?? null;
  const same = (a: number, b: number) => identity(a) !== null && identity(a) === identity(b);
  return splitBySizeSignature(features, groups, stats, same, { ...SIZE_SIGNATURE_DEFAULTS, ...options }).groups.map((group) => group.map((member) => features.hosts[member]!.ip));
}

describe('splitBySizeSignature', () => {
  it('parts two services of one caller and port whose answers differ in size, each keeping its replicas', () => {
    const medians = { '10.1.0.1': 3_000, '10.1.0.2': 3_000, '10.1.0.3': 3_000, '10.2.0.1': 800, '10.2.0.2': 800 };
    expect(split(medians, sizes(medians, 40, 0.3))).toEqual([CALLERS, ['10.1.0.1', '10.1.0.2', '10.1.0.3'], ['10.2.0.1', '10.2.0.2']]);
  });

  it('says why each part was parted, with the sizes and hours on each side', () => {
    const medians = { '10.1.0.1': 3_000, '10.1.0.2': 3_000, '10.2.0.1': 800 };
    const servers = Object.keys(medians);
    const edges: ProfileEdge[] = CALLERS.flatMap((client) => servers.map((server) => ({ client, server, proto: 6, port: 9090 })));
    const features = discoveryFeatures({ hosts: [...CALLERS, ...servers].map((ip) => host(ip)), edges });
    const index = (ip: string) => features.hosts.findIndex((candidate) => candidate.ip === ip);
    const { notes } = splitBySizeSignature(features, [CALLERS.map(index), servers.map(index)], sizes(medians, 40, 0.01), () => false);
    expect(notes.get(index('10.2.0.1'))!.text).toMatch(/^parted from \{10\.1\.0\.1 \+1\} by what it says: connections from 10\.0\.0\.1 on tcp\/9090 carry (79\d|80\d) bytes here \(over 40 hours\) against 30\d\d bytes there \(over 80 hours\)$/);
    expect(notes.get(index('10.1.0.2'))).toEqual({ text: expect.stringMatching(/^parted from 10\.2\.0\.1 by what it says: .* carry 30\d\d bytes here \(over 80 hours\) against (79\d|80\d) bytes there \(over 40 hours\)$/), partner: index('10.1.0.1'), bytes: expect.any(Number) });
    // The part's mean bytes per connection, for its name.
    expect(notes.get(index('10.1.0.2'))!.bytes).toBeGreaterThan(2_900);
    expect(notes.get(index('10.1.0.2'))!.bytes).toBeLessThan(3_100);
  });

  it('never parts replicas, however noisy their hours, over many draws', () => {
    const medians = { '10.1.0.1': 3_000, '10.1.0.2': 3_000, '10.1.0.3': 3_000, '10.1.0.4': 3_000, '10.1.0.5': 3_000 };
    for (let seed = 1; seed <= 200; seed++) expect(split(medians, sizes(medians, 24, 1.2, seed))).toHaveLength(2);
  });

  it('keeps a difference below the factor, however significant, and one that is large but rests on too few hours', () => {
    const close = { '10.1.0.1': 3_000, '10.2.0.1': 2_400 };
    expect(split(close, sizes(close, 500, 0.05))).toHaveLength(2);
    const few = { '10.1.0.1': 3_000, '10.2.0.1': 300 };
    // Each caller is compared on its own: 5 hours per server, then 6.
    expect(split(few, sizes(few, 5, 0.1))).toHaveLength(2);
    expect(split(few, sizes(few, 6, 0.1))).toHaveLength(3);
  });

  it('keeps a difference that the hours spread too widely to trust', () => {
    const wide = { '10.1.0.1': 3_000, '10.2.0.1': 1_500 };
    expect(split(wide, sizes(wide, 8, 0.6, 3))).toHaveLength(2);
    // Twice the size, but a couple of standard errors apart only: a weaker test would split it.
    expect(split(wide, sizes(wide, 8, 0.6, 3), undefined, { minZ: 1 })).toHaveLength(3);
  });

  it('parts no replica that one client met too seldom to compare: it agrees with its siblings everywhere it was sampled', () => {
    const medians = { '10.1.0.1': 3_000, '10.1.0.2': 3_000, '10.1.0.3': 3_000, '10.2.0.1': 800 };
    // 10.1.0.3 has 3 hours with the second caller, too few there.
    const stats = sizes(medians, 40, 0.2).map((stat) => (stat.client === CALLERS[1] && stat.server === '10.1.0.3' ? { ...stat, hours: 3, sum: (stat.sum * 3) / 40, sumSquares: (stat.sumSquares * 3) / 40 } : stat));
    expect(split(medians, stats)).toEqual([CALLERS, ['10.1.0.1', '10.1.0.2', '10.1.0.3'], ['10.2.0.1']]);
  });

  it('never parts hosts that labels or a workload name as one application; unsampled hosts join the largest part', () => {
    const medians = { '10.1.0.1': 3_000, '10.2.0.1': 800 };
    const labelled = [...CALLERS.map((ip) => host(ip)), host('10.1.0.1', { app: 'api' }), host('10.2.0.1', { app: 'api' })];
    expect(split(medians, sizes(medians, 40, 0.2), labelled)).toHaveLength(2);
    const workload = [...CALLERS.map((ip) => host(ip)), host('10.1.0.1', {}, 'ns/Deployment/api'), host('10.2.0.1', {}, 'ns/Deployment/api')];
    expect(split(medians, sizes(medians, 40, 0.2), workload)).toHaveLength(2);

    // An unsampled pod goes with its workload, even to the smaller part.
    const pods = { '10.1.0.1': 3_000, '10.1.0.2': 3_000, '10.2.0.1': 800, '10.2.0.2': 800 };
    const podHosts = [...CALLERS.map((ip) => host(ip)), host('10.1.0.1'), host('10.1.0.2'), host('10.2.0.1', {}, 'ns/Deployment/b'), host('10.2.0.2', {}, 'ns/Deployment/b')];
    const podStats = sizes(pods, 40, 0.2).filter((stat) => stat.server !== '10.2.0.2');
    expect(split(pods, podStats, podHosts)).toEqual([CALLERS, ['10.1.0.1', '10.1.0.2'], ['10.2.0.1', '10.2.0.2']]);

    const withIdle = { ...medians, '10.1.0.2': 3_000, '10.1.0.3': 3_000 };
    const stats = sizes(medians, 40, 0.2).concat(sizes({ '10.1.0.2': 3_000 }, 40, 0.2));
    expect(split(withIdle, stats)).toEqual([CALLERS, ['10.1.0.1', '10.1.0.2', '10.1.0.3'], ['10.2.0.1']]);
  });
});
