import { describe, expect, it } from 'vitest';
import { findAnomalies, type AnomalyEdge, type AnomalyHost } from '../../../src/core/discover/anomalies';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import { expectedAnomalies, scoreAnomalies } from '../../../src/core/synth/incidents';
import { inventoryCsv } from '../../../src/core/synth/inventory-writer';
import { runAnalyze, textFile } from '../../helpers/engine';
import { edge, HOUR, T0 } from './anomalies/fixtures';

/** Every 10.x address of the edges is internal. */
const internal = (edges: readonly AnomalyEdge[]): Map<string, AnomalyHost> =>
  new Map(edges.flatMap((e) => [e.client, e.server]).filter((ip) => ip.startsWith('10.')).map((ip) => [ip, { internal: true, env: null }]));

describe('anomaly rules on hand-made edges', () => {
  it('a scan: many targets, mostly refused; its answered probes belong to it, its usual traffic does not', () => {
    const edges = [edge('10.0.0.5', '10.0.0.53', 53, { proto: 17, firstMs: T0 })];
    for (let host = 1; host <= 10; host++) for (const port of [22, 80, 443]) edges.push(edge('10.0.0.5', `10.1.0.${host}`, port, { action: port === 443 ? 1 : 2, firstMs: T0 + 10 * HOUR }));
    const [scan, ...rest] = findAnomalies(edges, internal(edges));
    expect(rest).toEqual([]);
    expect(scan).toMatchObject({ kind: 'scan', src: '10.0.0.5', dst: '10 hosts', ports: [22, 80, 443], flows: 30 });
    expect(scan!.edges).not.toContain('10.0.0.5|10.0.0.53|17|53');
  });

  it('a ping sweep: echo targets that never talked to anyone else count as unanswered, live ones do not', () => {
    // One workstation pings 30 addresses and SYNs a few ports on 6 of them (refused). Flow records carry no answer
    // for ICMP (action unknown): the empty addresses are known as such only because nothing else ever reached them.
    const sweep = (live: boolean): AnomalyEdge[] => {
      const edges = [edge('10.0.0.5', '10.0.0.53', 53, { proto: 17, firstMs: T0 })];
      for (let host = 1; host <= 30; host++) {
        edges.push(edge('10.0.0.5', `10.1.0.${host}`, 8, { proto: 1, action: 0, firstMs: T0 + 10 * HOUR }));
        if (live) edges.push(edge(`10.1.0.${host}`, '10.0.0.53', 53, { proto: 17, firstMs: T0 }));
      }
      for (let host = 1; host <= 6; host++) edges.push(edge('10.0.0.5', `10.1.0.${host}`, 445, { action: 2, firstMs: T0 + 10 * HOUR }));
      return edges;
    };
    const dark = findAnomalies(sweep(false), internal(sweep(false)));
    expect(dark.map((anomaly) => `${anomaly.kind} ${anomaly.src}`)).toEqual(['scan 10.0.0.5']);
    expect(dark[0]!.reason).toContain('probed 36 (host, port) targets on 30 hosts');
    // The same pings to hosts that resolve names themselves: they answered as far as anyone can tell.
    expect(findAnomalies(sweep(true), internal(sweep(true))).filter((anomaly) => anomaly.kind === 'scan')).toEqual([]);
  });

  it('lateral movement: admin services on many servers in one burst, but not an admin host that reaches them all the time', () => {
    const burst = Array.from({ length: 6 }, (_, i) => edge('10.100.1.20', `10.1.0.${i + 1}`, 3389, { firstMs: T0 + 10 * HOUR + i * 60_000 }));
    const jumpHost = Array.from({ length: 30 }, (_, i) => edge('10.0.0.90', `10.1.0.${i + 1}`, 22, { firstMs: T0 + i * 2 * HOUR }));
    const found = findAnomalies([...burst, ...jumpHost], internal([...burst, ...jumpHost]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'lateral-movement', src: '10.100.1.20', dst: '6 hosts', ports: [3389] });
  });

  it('a large transfer to an external address and a late first contact with one', () => {
    const edges = [
      edge('10.0.0.1', '10.0.0.53', 53, { proto: 17, firstMs: T0 }),
      edge('10.0.0.1', '198.51.100.9', 443, { bytes: 2e9, firstMs: T0 + 20 * HOUR }),
      edge('10.0.0.2', '198.51.100.7', 443, { firstMs: T0 }),
      edge('10.0.0.3', '198.51.100.7', 443, { firstMs: T0 + 22 * HOUR }),
      // A host first seen late: everything it contacts is new to the data, which says nothing.
      edge('10.0.0.4', '198.51.100.8', 443, { firstMs: T0 + 22 * HOUR }),
    ];
    const kinds = findAnomalies(edges, internal(edges)).map((anomaly) => `${anomaly.kind} ${anomaly.src} ${anomaly.dst}`);
    // 198.51.100.7 was known early (and by two hosts): not new.
    expect(kinds).toEqual(['exfiltration 10.0.0.1 198.51.100.9', 'new-external 10.0.0.1 198.51.100.9']);
  });

  it('one upload whose rows carry different evidence is one transfer, over the threshold together', () => {
    const edges = [
      edge('10.0.0.1', '10.0.0.53', 53, { proto: 17, firstMs: T0 }),
      edge('10.0.0.1', '198.51.100.9', 443, { bytes: 3e8, action: 1, firstMs: T0 + 20 * HOUR, lastMs: T0 + 21 * HOUR }),
      edge('10.0.0.1', '198.51.100.9', 443, { bytes: 3e8, action: 0, firstMs: T0 + 21 * HOUR, lastMs: T0 + 22 * HOUR }),
    ];
    const found = findAnomalies(edges, internal(edges)).filter((anomaly) => anomaly.kind === 'exfiltration');
    expect(found).toEqual([expect.objectContaining({ src: '10.0.0.1', dst: '198.51.100.9', flows: 2, edges: ['10.0.0.1|198.51.100.9|6|443'], reason: expect.stringMatching(/^600 MB exchanged/) })]);
  });

  it("weighs a service's busiest day, not its whole window: an update server's two weeks of downloads are no transfer", () => {
    const edges = [
      edge('10.0.0.1', '10.0.0.53', 53, { proto: 17, firstMs: T0 }),
      edge('10.0.0.41', '198.51.100.40', 443, { bytes: 6e8, flows: 118, firstMs: T0, lastMs: T0 + 14 * 24 * HOUR }),
      edge('10.0.0.42', '198.51.100.9', 443, { bytes: 8e8, flows: 6, firstMs: T0, lastMs: T0 + 7 * 24 * HOUR }),
    ];
    const peaks = new Map([
      ['10.0.0.41|198.51.100.40|6|443', 5e7],
      ['10.0.0.42|198.51.100.9|6|443', 7e8],
    ]);
    const found = findAnomalies(edges, internal(edges), {}, peaks).filter((anomaly) => anomaly.kind === 'exfiltration');
    expect(found).toEqual([expect.objectContaining({ src: '10.0.0.42', reason: expect.stringMatching(/^800 MB exchanged .*, 700 MB of it within 24 hours$/) })]);
    // Without peaks (no hours known) each service counts its whole bytes.
    expect(findAnomalies(edges, internal(edges)).filter((anomaly) => anomaly.kind === 'exfiltration').map((anomaly) => anomaly.src)).toEqual(['10.0.0.41', '10.0.0.42']);
  });

  it('one transfer logged again by the NAT gateway it left through is reported once, from the instance, naming the gateway', () => {
    // 10.0.0.7 uploads 2.2 GB; its NAT gateway 10.0.0.1 logs the same bytes with its own address, and carries 10.0.0.8's traffic too.
    const instance = [edge('10.0.0.7', '198.51.100.9', 443, { bytes: 2.2e9, firstMs: T0 }), edge('10.0.0.7', '203.0.113.5', 443, { bytes: 1e6, firstMs: T0 })];
    const other = [edge('10.0.0.8', '203.0.113.6', 443, { bytes: 5e6, firstMs: T0 })];
    const gateway = [
      edge('10.0.0.1', '198.51.100.9', 443, { bytes: 2.2e9 + 4e6, firstMs: T0 }),
      edge('10.0.0.1', '203.0.113.5', 443, { bytes: 1e6, firstMs: T0 }),
      edge('10.0.0.1', '203.0.113.6', 443, { bytes: 5e6, firstMs: T0 }),
    ];
    const exfiltration = (edges: AnomalyEdge[]) => findAnomalies(edges, internal(edges)).filter((anomaly) => anomaly.kind === 'exfiltration');
    const edges = [...instance, ...other, ...gateway];
    expect(exfiltration(edges)).toEqual([
      expect.objectContaining({
        src: '10.0.0.7',
        reason: expect.stringMatching(/; the same bytes left through 10\.0\.0\.1, which carries all of this host's outside traffic and others' \(a NAT gateway or proxy\)$/),
        // The gateway's copy is flagged with it, so that no rule learns it.
        edges: ['10.0.0.7|198.51.100.9|6|443', '10.0.0.1|198.51.100.9|6|443'],
      }),
    ]);
    // A second host that uploads 1.5 GB of its own to the same address beside the instance is no relay: both are reported.
    const second = [edge('10.0.0.9', '198.51.100.9', 443, { bytes: 1.5e9, firstMs: T0 }), edge('10.0.0.9', '203.0.113.5', 443, { bytes: 1e6, firstMs: T0 }), edge('10.0.0.9', '203.0.113.6', 443, { bytes: 1e6, firstMs: T0 })];
    expect(exfiltration([...instance, ...other, ...second]).map((anomaly) => anomaly.src)).toEqual(['10.0.0.7', '10.0.0.9']);
    // A gateway that carries only the instance's traffic cannot be told from it: both are reported.
    expect(exfiltration([...instance, ...gateway.slice(0, 2)]).map((anomaly) => anomaly.src)).toEqual(['10.0.0.1', '10.0.0.7']);
  });

  it('no late first contact from a host that already reached many outside addresses (a proxy), but one from a server', () => {
    const proxy = Array.from({ length: 20 }, (_, i) => edge('10.0.0.50', `203.0.113.${i + 1}`, 443, { firstMs: T0 + i * 60_000 }));
    const edges = [
      ...proxy,
      edge('10.0.0.50', '198.51.100.77', 443, { firstMs: T0 + 22 * HOUR }),
      edge('10.0.0.7', '198.51.100.5', 443, { firstMs: T0 }),
      edge('10.0.0.7', '198.51.100.78', 443, { firstMs: T0 + 22 * HOUR }),
    ];
    const late = findAnomalies(edges, internal(edges)).filter((anomaly) => anomaly.kind === 'new-external').map((anomaly) => `${anomaly.src} ${anomaly.dst}`);
    expect(late).toEqual(['10.0.0.7 198.51.100.78']);
    // One outside address fewer in the baseline, and the proxy's late contact is flagged too.
    const fewer = edges.filter((e) => e.server !== '203.0.113.20');
    expect(findAnomalies(fewer, internal(fewer)).filter((anomaly) => anomaly.kind === 'new-external').map((anomaly) => anomaly.src)).toEqual(['10.0.0.50', '10.0.0.7']);
  });

  it('crossings between environments, but not with shared or corporate ones', () => {
    const hosts = new Map<string, AnomalyHost>([
      ['10.2.0.1', { internal: true, env: 'dev' }],
      ['10.1.0.1', { internal: true, env: 'prod' }],
      ['10.0.0.1', { internal: true, env: 'shared' }],
    ]);
    const edges = [edge('10.2.0.1', '10.1.0.1', 5432, { action: 2 }), edge('10.2.0.1', '10.0.0.1', 53), edge('10.1.0.1', '10.0.0.1', 53)];
    expect(findAnomalies(edges, hosts)).toEqual([
      expect.objectContaining({ kind: 'cross-environment', src: '10.2.0.1', dst: '10.1.0.1', reason: expect.stringMatching(/^dev host tried to reach \(refused\) a prod host; client: labelled dev; server: labelled prod;/) }),
    ]);
  });
});

describe('anomalies on the synthetic enterprise with planted incidents', async () => {
  const dataset = awsDataset({ seed: 21, startMs: T0, days: 1, apps: 4, workstationScale: 0.25, intensity: 0.5 });
  const flows = [...dataset.days()].map((day) => textFile(day.name, [...day.chunks()].flat().join('\n') + '\n'));
  const { summary, db } = await runAnalyze({ inputs: flows, inventories: [textFile('inventory.csv', inventoryCsv(dataset.enterprise))] });
  const observed = new Set(
    (await db.all<{ pair: string }>(`SELECT DISTINCT c.ip || '|' || s.ip AS pair FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`)).map((row) => row.pair),
  );

  it('finds every planted incident that happened, with no false flag', () => {
    const score = scoreAnomalies(expectedAnomalies(dataset.enterprise.incidents ?? [], dataset.enterprise.uses), summary.anomalies, observed);
    expect(score.expected).toBeGreaterThanOrEqual(5);
    expect(score.missed).toEqual([]);
    expect(score.false).toEqual([]);
  });

  it('leaves flagged traffic out of the groups: the scanner stays with its department', () => {
    const scanner = dataset.enterprise.incidents!.find((incident) => incident.kind === 'scan')!.client;
    const colleague = dataset.enterprise.hosts.find((host) => host.dept === scanner.dept && host !== scanner)!;
    expect(summary.assignments[scanner.ip]).toBe(summary.assignments[colleague.ip]);
  });
});
