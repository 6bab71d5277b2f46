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
