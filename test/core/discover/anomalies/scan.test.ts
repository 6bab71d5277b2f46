import { describe, expect, it } from 'vitest';
import { findAnomalies, type AnomalyEdge, type AnomalyHost } from '../../../../src/core/discover/anomalies';
import { HOUR, T0, edge, hostsOf, summary } from './fixtures';

const S = '10.0.0.5';

describe('scans: many (host, port) targets, mostly refused', () => {
  /** `count` targets 10.1.0.1… on port 80 at 10:00, the first `refused` of them refused. */
  const probes = (count: number, refused: number): AnomalyEdge[] =>
    Array.from({ length: count }, (_, i) => edge(S, `10.1.0.${i + 1}`, 80, { action: i < refused ? 2 : 1, firstMs: T0 + 10 * HOUR }));

  it('at least 20 targets (scanTargets) of which at least half (scanRefusedShare) only ever refused', () => {
    // 20 targets, 10 refused: 10 / 20 = 0.5, a scan.
    expect(summary(findAnomalies(probes(20, 10), hostsOf(probes(20, 10))))).toEqual([`scan ${S} → 20 hosts`]);
    // 20 targets, 9 refused: 0.45 < 0.5, not.
    expect(findAnomalies(probes(20, 9), hostsOf(probes(20, 9)))).toEqual([]);
    // 19 targets, all refused: too few.
    expect(findAnomalies(probes(19, 19), hostsOf(probes(19, 19)))).toEqual([]);
  });

  it('a target both refused and answered counts as answered', () => {
    // 20 targets refused, 11 of them also answered at another time: 9 only refused, 0.45, not a scan.
    const edges = [...probes(20, 20), ...probes(11, 0)];
    expect(findAnomalies(edges, hostsOf(edges))).toEqual([]);
  });

  it('a sweep of 200,000 targets neither throws nor stalls, and is a scan (not lateral movement, not 50,000 crossings)', () => {
    // 50,000 hosts 10.8.0.0–10.8.195.79 × 4 ports, all refused, 10 ms apart from 02:00; the scanner's own DNS answered since 00:00.
    const ports = [22, 80, 443, 445];
    const edges: AnomalyEdge[] = [edge(S, '10.0.0.53', 53, { proto: 17, flows: 40 })];
    const hosts = new Map<string, AnomalyHost>([[S, { internal: true, env: 'dev' }], ['10.0.0.53', { internal: true, env: 'shared' }]]);
    for (let h = 0; h < 50_000; h++) {
      const ip = `10.8.${h >> 8}.${h & 255}`;
      hosts.set(ip, { internal: true, env: 'prod' });
      for (const [p, port] of ports.entries()) {
        const at = T0 + 2 * HOUR + (4 * h + p) * 10;
        edges.push(edge(S, ip, port, { action: 2, firstMs: at, lastMs: at }));
      }
    }
    expect(edges).toHaveLength(200_001);
    const started = Date.now();
    const found = findAnomalies(edges, hosts);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(summary(found)).toEqual([`scan ${S} → 50000 hosts`]);
    expect(found[0]).toMatchObject({ ports, flows: 200_000 });
    // The probes only: DNS, first used at 00:00, more than an hour (scanContextMs) before the first probe, is its usual traffic.
    expect(found[0]!.edges).toHaveLength(200_000);
    expect(found[0]!.reason).toBe('probed 200000 (host, port) targets on 50000 hosts and 4 ports; 100% of all its targets only ever refused or unanswered');
  });

  describe('records with no verdict (VPC flow logs without TCP flags)', () => {
    /** `count` TCP targets on port 3000 at 10:00 with no action, each `flows` flows of `bytes` bytes in all. */
    const bare = (count: number, flows: number, bytes: number): AnomalyEdge[] =>
      Array.from({ length: count }, (_, i) => edge(S, `10.1.0.${i + 1}`, 3000, { action: 0, flows, bytes, firstMs: T0 + 10 * HOUR }));

    it('a sweep whose flows carried no data (a SYN, a reset: scanHandshakeBytes) is a scan', () => {
      expect(summary(findAnomalies(bare(30, 1, 60), hostsOf(bare(30, 1, 60))))).toEqual([`scan ${S} → 30 hosts`]);
      // Tried twice, a SYN and a reset each time (2 × 100 bytes of headers); 0 where the record counts payload only (GCP).
      expect(summary(findAnomalies(bare(30, 2, 200), hostsOf(bare(30, 2, 200))))).toEqual([`scan ${S} → 30 hosts`]);
      expect(summary(findAnomalies(bare(30, 1, 0), hostsOf(bare(30, 1, 0))))).toEqual([`scan ${S} → 30 hosts`]);
    });

    it('flows that carried a request and its answer are answered, whatever their number', () => {
      expect(findAnomalies(bare(30, 1, 430), hostsOf(bare(30, 1, 430)))).toEqual([]);
      // A connect scan's answered handshake (SYN, SYN-ACK, ACK, reset: about 210 bytes) counts as answered too.
      expect(findAnomalies(bare(30, 1, 210), hostsOf(bare(30, 1, 210)))).toEqual([]);
    });

    it('a TCP health check (connect and reset, no data) that comes back all capture long is no probe (scanProbeFlows)', () => {
      expect(findAnomalies(bare(30, 4, 4 * 100), hostsOf(bare(30, 4, 4 * 100)))).toEqual([]);
    });

    it('a verdict is the record\'s word: allowed flows of no data are answered, and UDP carries no handshake to judge', () => {
      const allowed = bare(30, 1, 60).map((probe) => ({ ...probe, action: 1 }));
      expect(findAnomalies(allowed, hostsOf(allowed))).toEqual([]);
      const udp = bare(30, 1, 60).map((probe) => ({ ...probe, proto: 17 }));
      expect(findAnomalies(udp, hostsOf(udp))).toEqual([]);
    });
  });
});
