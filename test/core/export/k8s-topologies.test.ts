import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { Action } from '../../../src/core/flow/record';
import type { PolicyEdge } from '../../../src/core/policy/policy-input';
import { PolicyEvaluator } from '../../../src/core/policy/simulate';
import { compareText } from '../../../src/core/util/compare';
import { NetpolEvaluator, type NetpolPod, type NetpolProtocol } from '../../helpers/netpol/evaluator';
import { loadManifests } from '../../helpers/netpol/manifests';
import { TOPOLOGIES } from '../../helpers/samples';
import { analyseTopology } from '../../helpers/topology-analysis';
import { UNUSED_PORT, unseenEdge } from '../../helpers/proof-edges';
import { stagePodServers } from './stage-servers';

// The exported NetworkPolicies allow exactly what the simulator permits, on
// every real application topology of ../shared/data/topologies run as pods
// (the quality harness's independent generator, every pod labelled). The
// engine learns the policy from the flows and the pod list; the k8s target
// exports it; an independent NetworkPolicy evaluator in the test tree
// (test/helpers/netpol, itself checked against np-guard's goldens) reads the
// YAML back with the pod list and answers, for every observed pod-to-pod
// edge and for edges the policy never saw, whether Kubernetes would let it
// through. Its answer must be the simulator's (PolicyEvaluator).

const topologies = existsSync(TOPOLOGIES) ? readdirSync(TOPOLOGIES).filter((name) => name.endsWith('.json')).sort() : [];
if (topologies.length === 0) console.warn(`k8s export proof skipped: no topologies in ${TOPOLOGIES}`);

const PROTOCOLS: Readonly<Record<number, NetpolProtocol>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

interface Outcome {
  readonly checked: number;
  readonly allowed: number;
  readonly disagreements: string[];
}

async function proveTopology(file: string, staged: boolean): Promise<Outcome> {
  const { analysis, podTexts, pods: podEntries } = await analyseTopology(file);
  const { material } = analysis.policy;
  const policy = staged ? stagePodServers(analysis.policy.policy, material.edges, podEntries) : analysis.policy.policy;

  const exported = exportPolicy(policy, { targets: ['k8s'], logDrops: false, pods: podEntries });
  const yaml = exported.files.find((entry) => entry.path === 'k8s/networkpolicies.yaml')!.content;
  const leftOpen = new Set(exported.report.notes.filter((note) => note.action === 'left-open' && note.rule !== null).map((note) => note.rule!));
  // Staged groups are left open (NetworkPolicy has no audit mode): the report names them, and the simulator's verdict on what they filter reads as allowed.
  const openGroups = new Set(exported.report.targets[0]!.stages?.leftOpen.map((open) => open.group) ?? []);
  expect(openGroups.size).toBe(staged ? 2 : 0);
  expect(exported.report.notes.filter((note) => note.rule === null && note.action !== 'skipped' && !(note.action === 'left-open' && note.what.startsWith('group '))), 'every pod selected, by its own group only').toEqual([]);

  // The independent side: the YAML and the pod list, read by the test tree's own loader.
  const manifests = loadManifests([yaml, ...podTexts]);
  const netpolPods = new Map(manifests.pods.map((entry) => [`${entry.pod.namespace}/${entry.pod.name}`, entry.pod]));
  const podOf = new Map<string, NetpolPod>();
  for (const entry of podEntries) for (const ip of entry.ips) podOf.set(ip, netpolPods.get(`${entry.namespace}/${entry.pod}`)!);
  const namespaces = [...new Set(manifests.pods.map((entry) => entry.pod.namespace))].map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } }));
  const kubernetes = new NetpolEvaluator(namespaces, manifests.policies);
  const simulator = PolicyEvaluator.of(policy);

  const edges = new Map<string, PolicyEdge>();
  for (const edge of [...material.edges, ...material.replay]) {
    if (PROTOCOLS[edge.proto] === undefined || edge.port <= 0 || !podOf.has(edge.client) || !podOf.has(edge.server) || edge.client === edge.server) continue;
    edges.set(`${edge.client}|${edge.server}|${edge.proto}|${edge.port}`, { ...edge, action: Action.allow });
  }
  const pods = [...podOf.keys()].sort(compareText);
  const tried: PolicyEdge[] = [...edges.values()];
  const services = new Map<string, PolicyEdge>();
  for (const edge of edges.values()) services.set(`${edge.server}|${edge.proto}|${edge.port}`, edge);
  for (const edge of services.values()) {
    // Never seen: another pod on the same service, and the same client on an unused port.
    const stranger = pods.find((ip) => ip !== edge.server && !edges.has(`${ip}|${edge.server}|${edge.proto}|${edge.port}`) && podOf.get(ip)!.labels.app !== podOf.get(edge.client)!.labels.app);
    if (stranger !== undefined) tried.push(unseenEdge(stranger, edge.server, edge.proto, edge.port));
    tried.push(unseenEdge(edge.client, edge.server, edge.proto, UNUSED_PORT));
  }

  const disagreements: string[] = [];
  let allowed = 0;
  for (const edge of tried) {
    const verdict = simulator.verdict(edge, analysis.policy.material.hosts);
    const expected = verdict.verdict === 'permitted' || ((verdict.cause === 'window' || verdict.cause === 'identity') && verdict.rule !== null && leftOpen.has(verdict.rule)) || (verdict.stageGroup !== null && openGroups.has(verdict.stageGroup));
    const actual = kubernetes.allows({ pod: podOf.get(edge.client)! }, { pod: podOf.get(edge.server)! }, PROTOCOLS[edge.proto]!, edge.port);
    if (actual) allowed++;
    if (actual !== expected) disagreements.push(`${edge.client} (${podOf.get(edge.client)!.name}) → ${edge.server} (${podOf.get(edge.server)!.name}) ${PROTOCOLS[edge.proto]}/${edge.port}: Kubernetes ${actual ? 'allows' : 'denies'}; simulator: ${verdict.reason}`);
  }
  return { checked: tried.length, allowed, disagreements };
}

describe.skipIf(topologies.length === 0)('k8s export on every real topology, read back by an independent NetworkPolicy evaluator (skipped where ../shared/data/topologies is absent)', () => {
  it.each(topologies.flatMap((file, index) => [{ file, staged: false }, ...(index === 0 ? [{ file, staged: true }] : [])]))('$file (staged: $staged): Kubernetes allows exactly the edges the simulator permits, staged groups left open', async ({ file, staged }) => {
    const outcome = await proveTopology(file, staged);
    expect(outcome.disagreements.slice(0, 20)).toEqual([]);
    expect(outcome.checked).toBeGreaterThan(20);
    expect(outcome.allowed).toBeGreaterThan(0);
    expect(outcome.allowed).toBeLessThan(outcome.checked);
  }, 180_000);
});
