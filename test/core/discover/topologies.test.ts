import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../src/core/discover/adjusted-rand';
import { awsDatasetOf } from '../../../src/core/synth/aws-dataset';
import { deployTopology, parseTopology } from '../../../src/core/synth/topology-enterprise';
import { runAnalyze, textFile } from '../../helpers/engine';
import { HAS_SHARED_DATA, TOPOLOGIES } from '../../helpers/samples';

const files = HAS_SHARED_DATA ? readdirSync(TOPOLOGIES).filter((name) => name.endsWith('.json')).sort() : [];

describe.skipIf(!HAS_SHARED_DATA)('discovery on real application topologies deployed as pods', () => {
  it.each(files)('%s: groups match the services (ARI ≥ 0.95)', async (file) => {
    const deployment = deployTopology(parseTopology(readFileSync(join(TOPOLOGIES, file), 'utf8')), 5);
    const dataset = awsDatasetOf(deployment.enterprise, { seed: 5, startMs: Date.UTC(2026, 0, 5), days: 1, intensity: 0.05 });
    const flows = [...dataset.days()].map((day) => textFile(day.name, [...day.chunks()].flat().join('\n') + '\n'));
    const { summary } = await runAnalyze({ inputs: flows, pods: [textFile('pods.json', deployment.podList)] });
    const pods = deployment.servicePods;
    const ari = adjustedRandIndex(pods.map((pod) => summary.assignments[pod.ip] ?? 'unassigned'), pods.map((pod) => pod.service!));
    expect(ari).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});

describe('topology files', () => {
  it('are checked for the fields the generator reads', () => {
    expect(() => parseTopology('{"app": "x", "services": [{"name": "a"}], "edges": []}')).toThrow(/without name or ports/);
    expect(() => parseTopology('{"services": []}')).toThrow(/not a topology/);
  });

  it('deploy replicas per version, a DNS and a Prometheus, with pod addresses mixed across services', () => {
    const topology = parseTopology(
      JSON.stringify({
        app: 'demo',
        services: [{ name: 'web', ports: [80], tier: 'web' }, { name: 'api', ports: [9000], versions: ['v1', 'v2'] }, { name: 'gone', ports: [1], optional: true }],
        edges: [{ from: 'web', to: 'api', port: 9000, proto: 'tcp' }, { from: 'api', to: 'gone', port: 1 }],
      }),
    );
    const deployment = deployTopology(topology, 1);
    const services = deployment.enterprise.hosts.filter((host) => host.kind !== 'external').map((host) => host.service);
    expect(services.filter((service) => service === 'api')).toHaveLength(4);
    expect(services).toContain('kube-dns');
    expect(services).toContain('prometheus');
    expect(services).not.toContain('gone');
    expect(deployment.servicePods).toHaveLength(7);
    expect(deployment.servicePods.every((pod) => pod.service === 'web' || pod.service === 'api')).toBe(true);
    const pods = JSON.parse(deployment.podList) as { items: { metadata: { labels: Record<string, string> }; status: { podIP: string } }[] };
    expect(pods.items.filter((pod) => pod.metadata.labels.app === 'api').map((pod) => pod.metadata.labels.version).sort()).toEqual(['v1', 'v1', 'v2', 'v2']);
    // Entry services are called from outside; every pod resolves names through kube-dns.
    expect(deployment.enterprise.uses.some((use) => use.client.kind === 'external' && use.servers[0]!.service === 'web')).toBe(true);
    expect(deployment.enterprise.uses.filter((use) => use.port === 53)).toHaveLength(services.length - 2);
  });
});
