import { describe, expect, it } from 'vitest';
import { ANOMALY_DEFAULTS, findAnomalies, type AnomalyEdge } from '../../../../src/core/discover/anomalies';
import { DAY, HOUR, MINUTE, T0, edge, hostsOf, summary } from './fixtures';

/** An NTP edge spanning `days` from T0: sets the capture window (baseline: a fifth of it, at most a day). */
const clock = (days: number): AnomalyEdge => edge('10.0.0.200', '10.0.0.123', 123, { proto: 17, firstMs: T0, lastMs: T0 + days * DAY });
/** A host's everyday DNS, from `fromMs`. */
const dns = (host: string, fromMs = T0 + HOUR): AnomalyEdge => edge(host, '10.0.0.53', 53, { proto: 17, firstMs: fromMs, lastMs: fromMs + DAY / 2 });
/** `count` servers `prefix`1… on `port`, the i-th first reached at `at(i)`. */
const fanOut = (source: string, prefix: string, count: number, port: number, at: (i: number) => number, fields: Partial<AnomalyEdge> = {}): AnomalyEdge[] =>
  Array.from({ length: count }, (_, i) => edge(source, `${prefix}${i + 1}`, port, { firstMs: at(i), lastMs: at(i), ...fields }));

describe('lateral movement: new admin targets in a short span, against the host\'s own history', () => {
  // Three days: the window is T0..T0+72 h, its baseline 0.2 × 72 h = 14 h 24 min (under the one-day cap).
  const W = '10.100.1.20';
  const J = '10.0.0.90';
  // The workstation: DNS and SMB to the two domain controllers every day from the first morning…
  const workstation = [
    dns(W, T0 + 8 * HOUR),
    edge(W, '10.0.0.11', 445, { firstMs: T0 + 8 * HOUR, lastMs: T0 + 56 * HOUR }),
    edge(W, '10.0.0.12', 445, { firstMs: T0 + 8 * HOUR, lastMs: T0 + 56 * HOUR }),
  ];
  // …then, on the third morning, SMB and RDP to 30 servers it never reached: 60 attempts
  // three minutes apart from 09:00 (the last at 09:00 + 59 × 3 min = 11:57), every third refused (20).
  const burst: AnomalyEdge[] = [];
  for (let i = 0; i < 30; i++) {
    for (const [j, port] of [445, 3389].entries()) {
      const k = 2 * i + j;
      const at = T0 + 2 * DAY + 9 * HOUR + 3 * k * MINUTE;
      burst.push(edge(W, `10.1.0.${i + 1}`, port, { action: k % 3 === 2 ? 2 : 1, firstMs: at, lastMs: at }));
    }
  }
  // The jump host: SSH to the same 30 servers every morning 08:00–09:00; whole-window edges
  // keep each server's first time on the first morning, inside the baseline.
  const jumpHost = Array.from({ length: 30 }, (_, i) => edge(J, `10.1.0.${i + 1}`, 22, { flows: 3, firstMs: T0 + 8 * HOUR + 2 * i * MINUTE, lastMs: T0 + 2 * DAY + 8 * HOUR + 2 * i * MINUTE }));
  const edges = [clock(3), ...workstation, ...burst, dns(J, T0), ...jumpHost];

  it('flags the workstation reaching 30 new servers over SMB/RDP in a morning, refused attempts included; not the jump host doing its daily round', () => {
    const found = findAnomalies(edges, hostsOf(edges));
    expect(summary(found)).toEqual([`lateral-movement ${W} → 30 hosts`]);
    const [lateral] = found;
    expect(lateral).toMatchObject({ ports: [445, 3389], flows: 60 });
    // All 60 edges, the 20 refused among them.
    expect(lateral!.edges).toHaveLength(60);
    expect(lateral!.reason).toContain('on 30 servers within 2 h 57 min from 2026-01-07T09:00:00.000Z');
    expect(lateral!.reason).toContain('60 new targets, 20 only refused');
    // The domain controllers were reached before, during the baseline: history, not part of the burst.
    expect(lateral!.reason).toContain('before the burst it had reached 2 that way');
    // 63 targets, 20 refused: 32% < 50%, no scan.
    expect(found.some((anomaly) => anomaly.kind === 'scan')).toBe(false);
  });

  it('counts refused attempts as attempts: 3 servers answered and 2 refused make the 5 a burst needs', () => {
    const X = '10.100.3.8';
    const tries = [clock(1), dns(X), ...fanOut(X, '10.1.4.', 5, 3389, (i) => T0 + 14 * HOUR + i * MINUTE, {})].map((e, i) => (i >= 5 ? { ...e, action: 2 } : e));
    const found = findAnomalies(tries, hostsOf(tries));
    expect(summary(found)).toEqual([`lateral-movement ${X} → 5 hosts`]);
    expect(found[0]!.reason).toContain('5 new targets, 2 only refused');
  });

  it('…and a burst of refused-only RDP attempts on 8 servers is lateral movement too', () => {
    const X = '10.100.3.9';
    const tries = [clock(1), dns(X), ...fanOut(X, '10.1.5.', 8, 3389, (i) => T0 + 14 * HOUR + i * MINUTE, { action: 2 })];
    const found = findAnomalies(tries, hostsOf(tries));
    // 9 targets < 20: not a scan.
    expect(summary(found)).toEqual([`lateral-movement ${X} → 8 hosts`]);
    expect(found[0]!.reason).toContain('8 new targets, 8 only refused');
  });

  it('thresholds are options merged over ANOMALY_DEFAULTS', () => {
    expect(ANOMALY_DEFAULTS.lateralTargets).toBe(5);
    expect(findAnomalies(edges, hostsOf(edges), { lateralTargets: 31 })).toEqual([]);
    expect(summary(findAnomalies(edges, hostsOf(edges), { lateralTargets: 30 }))).toEqual([`lateral-movement ${W} → 30 hosts`]);
  });

  // One-day captures below: the window is T0..T0+24 h, its baseline ends at T0 + 0.2 × 24 h = 04:48.
  const H = '10.100.2.7';
  const oneDay = (more: AnomalyEdge[]): AnomalyEdge[] => [clock(1), dns(H), ...more];

  it('needs at least 5 new servers (lateralTargets): 4 are not flagged, 5 are', () => {
    const rdp = (count: number) => oneDay(fanOut(H, '10.1.6.', count, 3389, (i) => T0 + 10 * HOUR + i * MINUTE));
    expect(findAnomalies(rdp(4), hostsOf(rdp(4)))).toEqual([]);
    expect(summary(findAnomalies(rdp(5), hostsOf(rdp(5))))).toEqual([`lateral-movement ${H} → 5 hosts`]);
  });

  it('the burst spans at most 4 hours: five servers an hour apart (exactly 4 h) are one burst, 1 h 00 min 15 s apart (4 h 01 min) are not', () => {
    const spaced = (gap: number) => oneDay(fanOut(H, '10.1.7.', 5, 22, (i) => T0 + 6 * HOUR + i * gap));
    expect(summary(findAnomalies(spaced(HOUR), hostsOf(spaced(HOUR))))).toEqual([`lateral-movement ${H} → 5 hosts`]);
    expect(findAnomalies(spaced(HOUR + 15_000), hostsOf(spaced(HOUR + 15_000)))).toEqual([]);
  });

  it('a jump host reaching new servers all day is its routine: the best 4 hours must hold 3/4 of its new admin servers', () => {
    // One new server every 20 min from 06:00: any 4 h (240 min, both ends in) hold 13 of them.
    // 17 servers: 13 ≥ 0.75 × 17 = 12.75, flagged; 18 servers: 13 < 0.75 × 18 = 13.5, not; 24 (a day's trickle): not.
    const trickle = (count: number) => oneDay(fanOut(H, '10.1.8.', count, 22, (i) => T0 + 6 * HOUR + 20 * i * MINUTE));
    const flagged = findAnomalies(trickle(17), hostsOf(trickle(17)));
    expect(summary(flagged)).toEqual([`lateral-movement ${H} → 13 hosts`]);
    expect(flagged[0]!.reason).toContain('13 of the 17 servers it first reached that way after the baseline');
    expect(findAnomalies(trickle(18), hostsOf(trickle(18)))).toEqual([]);
    expect(findAnomalies(trickle(24), hostsOf(trickle(24)))).toEqual([]);
  });

  it('nothing first reached during the baseline is new: a burst at 04:48 exactly is history, one a minute later is not', () => {
    const at = (start: number) => oneDay(fanOut(H, '10.1.9.', 5, 5985, () => start));
    expect(findAnomalies(at(T0 + 0.2 * DAY), hostsOf(at(T0 + 0.2 * DAY)))).toEqual([]);
    expect(summary(findAnomalies(at(T0 + 0.2 * DAY + MINUTE), hostsOf(at(T0 + 0.2 * DAY + MINUTE))))).toEqual([`lateral-movement ${H} → 5 hosts`]);
  });

  it('…unless it was only ever refused: a refused burst during the baseline is no routine to learn', () => {
    const early = T0 + 2 * HOUR;
    const refused = oneDay(fanOut(H, '10.1.9.', 5, 22, () => early, { action: 2 }));
    expect(summary(findAnomalies(refused, hostsOf(refused)))).toEqual([`lateral-movement ${H} → 5 hosts`]);
    expect(findAnomalies(refused, hostsOf(refused)).find((anomaly) => anomaly.kind === 'lateral-movement')!.reason).toContain('or, only ever refused, during it (5)');
    // Answered, the same burst is history.
    const answered = oneDay(fanOut(H, '10.1.9.', 5, 22, () => early, { action: 1 }));
    expect(findAnomalies(answered, hostsOf(answered))).toEqual([]);
    // In a record with no verdict (GCP's flow logs), a SYN and a reset carrying no data is a refusal (scanHandshakeBytes)…
    const bare = oneDay(fanOut(H, '10.1.9.', 5, 22, () => early, { action: 0, bytes: 0 }));
    expect(summary(findAnomalies(bare, hostsOf(bare)))).toEqual([`lateral-movement ${H} → 5 hosts`]);
    // …and a session that carried data is an answer.
    const sessions = oneDay(fanOut(H, '10.1.9.', 5, 22, () => early, { action: 0, bytes: 20_000 }));
    expect(findAnomalies(sessions, hostsOf(sessions))).toEqual([]);
  });

  it('SMB into a server that serves it to 5 or more clients is that server\'s role, not administration', () => {
    // H reaches 5 servers over SMB; the fifth, 10.3.0.5, also serves `others` workstations since 01:00.
    const withFileServer = (others: number) =>
      oneDay([
        ...fanOut(H, '10.3.0.', 5, 445, (i) => T0 + 12 * HOUR + i * MINUTE),
        ...Array.from({ length: others }, (_, i) => edge(`10.100.5.${i + 1}`, '10.3.0.5', 445, { firstMs: T0 + HOUR })),
      ]);
    // 3 others: 4 clients in all, not its role: 5 admin servers, flagged.
    expect(summary(findAnomalies(withFileServer(3), hostsOf(withFileServer(3))))).toEqual([`lateral-movement ${H} → 5 hosts`]);
    // 4 others: 5 clients, its role: 4 admin servers left, not flagged.
    expect(findAnomalies(withFileServer(4), hostsOf(withFileServer(4)))).toEqual([]);
  });

  it('a sweep of admin services alone at hosts in use that is also a burst reads as lateral movement; over empty addresses, or other ports too, a scan', () => {
    // SSH to 22 servers at 10:00, 12 of them refused: a scan by its counts (≥ 20 targets, ≥ half refused)…
    const sweep = fanOut(H, '10.1.9.', 22, 22, (i) => T0 + 10 * HOUR + i * MINUTE, {}).map((probe, i) => ({ ...probe, action: i < 12 ? 2 : 1 }));
    // …at servers that each resolve names: hosts in use, as a node's or a pod's address is.
    const inUse = (count: number) => Array.from({ length: count }, (_, i) => dns(`10.1.9.${i + 1}`, T0));
    const ssh = oneDay([...sweep, ...inUse(22)]);
    expect(summary(findAnomalies(ssh, hostsOf(ssh)))).toEqual([`lateral-movement ${H} → 22 hosts`]);
    // The same sweep all refused, where only 10 of the 22 addresses hold a host (under lateralKnownTargetShare), tries a range: a scan.
    expect(ANOMALY_DEFAULTS.lateralKnownTargetShare).toBe(0.5);
    const refused = sweep.map((probe) => ({ ...probe, action: 2 as const }));
    const range = oneDay([...refused, ...inUse(10)]);
    const [scan] = findAnomalies(range, hostsOf(range));
    expect(summary([scan!])).toEqual([`scan ${H} → 22 hosts`]);
    expect(scan!.reason).toMatch(/; admin services only, but 10 of its 22 hosts are in use: a sweep of a range, not a move$/);
    const half = oneDay([...refused, ...inUse(11)]);
    expect(summary(findAnomalies(half, hostsOf(half)))).toEqual([`lateral-movement ${H} → 22 hosts`]);
    // A host that answered the sweep itself is in use: 10 answered among 10 refused empty addresses and 2 more with their own traffic.
    const answered = oneDay([...sweep.map((probe, i) => (i < 12 ? probe : { ...probe, action: 1 as const })), ...inUse(2)]);
    expect(summary(findAnomalies(answered, hostsOf(answered)))).toEqual([`lateral-movement ${H} → 22 hosts`]);
    // Another host's ping sweep of the range proves nothing: an echo no record says was answered reaches empty addresses too.
    const pinger = '10.100.9.9';
    const pings = Array.from({ length: 22 }, (_, i) => edge(pinger, `10.1.9.${i + 1}`, -1, { proto: 1, action: 0, bytes: 84, flows: 1, firstMs: T0 + 9 * HOUR, lastMs: T0 + 9 * HOUR }));
    const pinged = findAnomalies(oneDay([...refused, ...inUse(10), ...pings]), hostsOf(oneDay([...refused, ...inUse(10), ...pings])));
    expect(pinged.find((anomaly) => anomaly.src === H)?.reason).toMatch(/; admin services only, but 10 of its 22 hosts are in use: a sweep of a range, not a move$/);
    // …while the same sweep over SSH and a web port is a scan, and no movement besides.
    const mixed = oneDay([...fanOut(H, '10.1.9.', 22, 22, (i) => T0 + 10 * HOUR + i * MINUTE).map((probe, i) => ({ ...probe, action: 2, port: i % 2 === 0 ? 22 : 8080 })), ...inUse(22)]);
    expect(summary(findAnomalies(mixed, hostsOf(mixed)))).toEqual([`scan ${H} → 22 hosts`]);
  });

  it('never for a source outside the internal network, nor towards external servers', () => {
    const external = '203.0.113.5';
    const edges = oneDay([...fanOut(external, '10.1.10.', 10, 3389, (i) => T0 + 12 * HOUR + i * MINUTE), ...fanOut(H, '198.51.100.', 10, 22, (i) => T0 + 12 * HOUR + i * MINUTE)]);
    expect(findAnomalies(edges, hostsOf(edges)).filter((anomaly) => anomaly.kind === 'lateral-movement')).toEqual([]);
  });
});
