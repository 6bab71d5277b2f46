import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ciliumTarget } from '../../../src/core/export/cilium-target';
import { Action } from '../../../src/core/flow/record';
import type { PolicyEdge } from '../../../src/core/policy/policy-input';
import { PolicyEvaluator, type EdgeVerdict } from '../../../src/core/policy/simulate';
import { hostsOf } from '../../../src/core/export/group-addresses';
import { compareText } from '../../../src/core/util/compare';
import { CiliumEvaluator, type CiliumPeer, type CiliumPod, type CiliumProtocolName } from '../../helpers/cilium/evaluator';
import { parseCiliumPolicies } from '../../helpers/cilium/manifests';
import { loadManifests } from '../../helpers/netpol/manifests';
import { TOPOLOGIES } from '../../helpers/samples';
import { analyseTopology } from '../../helpers/topology-analysis';
import { UNUSED_PORT, UNSEEN_INTERNAL, unseenEdge } from '../../helpers/proof-edges';
import { stagePodServers } from './stage-servers';

// The exported CiliumNetworkPolicies allow exactly what the simulator
// permits, on every real application topology of ../shared/data/topologies
// run as pods (the quality harness's independent generator, every pod
// labelled). The engine learns the policy from the flows and the pod list;
// the cilium target exports it; an independent Cilium L3/L4 evaluator in the
// test tree (test/helpers/cilium) reads the YAML back with the pod list and
// answers, for every observed edge with a pod at one end at least and for
// edges the policy never saw (another pod, an unused port, the other
// protocol, an address in no group at either end), whether Cilium would let
// it through (egress of a client pod and ingress of a server pod). Its answer must be the simulator's
// (PolicyEvaluator), read through the export's left-open notes.

const topologies = existsSync(TOPOLOGIES) ? readdirSync(TOPOLOGIES).filter((name) => name.endsWith('.json')).sort() : [];
if (topologies.length === 0) console.warn(`cilium export proof skipped: no topologies in ${TOPOLOGIES}`);

const PROTOCOLS: Readonly<Record<number, CiliumProtocolName>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

interface Outcome {
  readonly checked: number;
  readonly allowed: number;
  readonly disagreements: string[];
}

async function proveTopology(file: string, staged: boolean): Promise<Outcome> {
  const { analysis, podTexts, pods: podEntries } = await analyseTopology(file);
  const { material } = analysis.policy;
  const policy = staged ? stagePodServers(analysis.policy.policy, material.edges, podEntries) : analysis.policy.policy;

  const output = ciliumTarget(policy, { pods: podEntries });
  const yaml = output.files.find((entry) => entry.path === 'cilium/ciliumnetworkpolicies.yaml')!.content;
  const leftOpen = new Set(output.notes.filter((note) => note.action === 'left-open' && note.rule !== null).map((note) => note.rule!));
  // Staged groups are left open both ways (Policy Audit Mode is no policy field): what their stage decides, and their pods' traffic to hosts no group serves, reads as allowed.
  const openGroups = new Set(output.stages?.leftOpen.map((open) => open.group) ?? []);
  expect(openGroups.size).toBe(staged ? 2 : 0);
  const groupOf = hostsOf(policy);
  const leftOpenEdge = (verdict: EdgeVerdict): boolean =>
    verdict.stageGroup === null ? openGroups.has(groupOf.get(verdict.edge.client)?.id ?? '') : openGroups.has(verdict.stageGroup);
  expect(output.notes.filter((note) => note.rule === null && note.action !== 'skipped' && !(note.action === 'left-open' && note.what.startsWith('group '))), 'every pod selected, by its own group only').toEqual([]);

  // The independent side: the YAML read back by the test tree's loader, the pods from the pod list by the netpol helpers' loader.
  const cilium = new CiliumEvaluator(parseCiliumPolicies(yaml));
  const listedPods = new Map(loadManifests(podTexts).pods.map((entry) => [`${entry.pod.namespace}/${entry.pod.name}`, entry.pod]));
  const podOf = new Map<string, CiliumPod>();
  for (const entry of podEntries) for (const ip of entry.ips) podOf.set(ip, listedPods.get(`${entry.namespace}/${entry.pod}`)!);
  const simulator = PolicyEvaluator.of(policy);

  // Pods by address; any other address is a peer outside the cluster, except nodes (noted as narrowed, and Cilium's host identity is no CIDR's).
  const nodes = new Set(podEntries.flatMap((entry) => [...(entry.hostIp === undefined || entry.hostIp === null ? [] : [entry.hostIp]), ...(entry.hostNetwork === true ? entry.ips : [])]));
  const peerOf = (ip: string): CiliumPeer => (podOf.has(ip) ? { pod: podOf.get(ip)! } : { ip });
  const nameOf = (ip: string): string => podOf.get(ip)?.name ?? 'not a pod';

  const edges = new Map<string, PolicyEdge>();
  for (const edge of [...material.edges, ...material.replay]) {
    if (PROTOCOLS[edge.proto] === undefined || edge.port <= 0 || edge.client === edge.server) continue;
    if (!(podOf.has(edge.client) || podOf.has(edge.server)) || nodes.has(edge.client) || nodes.has(edge.server)) continue;
    edges.set(`${edge.client}|${edge.server}|${edge.proto}|${edge.port}`, { ...edge, action: Action.allow });
  }
  const pods = [...podOf.keys()].sort(compareText);
  const tried: PolicyEdge[] = [...edges.values()];
  const services = new Map<string, PolicyEdge>();
  for (const edge of edges.values()) if (podOf.has(edge.server) && podOf.has(edge.client)) services.set(`${edge.server}|${edge.proto}|${edge.port}`, edge);
  for (const edge of services.values()) {
    // Never seen: another pod on the same service, the same client on an unused port and over the other protocol.
    const stranger = pods.find((ip) => ip !== edge.server && !edges.has(`${ip}|${edge.server}|${edge.proto}|${edge.port}`) && podOf.get(ip)!.labels.app !== podOf.get(edge.client)!.labels.app);
    if (stranger !== undefined) tried.push(unseenEdge(stranger, edge.server, edge.proto, edge.port));
    tried.push(unseenEdge(edge.client, edge.server, edge.proto, UNUSED_PORT));
    tried.push(unseenEdge(edge.client, edge.server, edge.proto === 6 ? 17 : 6, edge.port));
    // An address in no group, at each end: the server's ingress alone decides the first, the client's egress alone the second.
    tried.push(unseenEdge(UNSEEN_INTERNAL, edge.server, edge.proto, edge.port));
    tried.push(unseenEdge(edge.client, UNSEEN_INTERNAL, edge.proto, edge.port));
  }
  // Pods that serve nothing seen: nothing may reach them, from another pod or from outside.
  const servers = new Set([...services.values()].map((edge) => edge.server));
  for (const ip of pods.filter((candidate) => !servers.has(candidate))) {
    const other = pods.find((candidate) => candidate !== ip)!;
    tried.push(unseenEdge(other, ip, 6, 8080), unseenEdge(UNSEEN_INTERNAL, ip, 6, 8080));
  }

  const disagreements: string[] = [];
  let allowed = 0;
  for (const edge of tried) {
    const verdict = simulator.verdict(edge, material.hosts);
    const expected = verdict.verdict === 'permitted' || ((verdict.cause === 'window' || verdict.cause === 'identity') && verdict.rule !== null && leftOpen.has(verdict.rule)) || leftOpenEdge(verdict);
    const actual = cilium.allows(peerOf(edge.client), peerOf(edge.server), PROTOCOLS[edge.proto]!, edge.port);
    if (actual) allowed++;
    if (actual !== expected) disagreements.push(`${edge.client} (${nameOf(edge.client)}) → ${edge.server} (${nameOf(edge.server)}) ${PROTOCOLS[edge.proto]}/${edge.port}: Cilium ${actual ? 'allows' : 'denies'}; simulator: ${verdict.reason}`);
  }
  return { checked: tried.length, allowed, disagreements };
}

describe.skipIf(topologies.length === 0)('cilium export on every real topology, read back by an independent Cilium evaluator (skipped where ../shared/data/topologies is absent)', () => {
  it.each(topologies.flatMap((file, index) => [{ file, staged: false }, ...(index === 0 ? [{ file, staged: true }] : [])]))('$file (staged: $staged): Cilium allows exactly the edges the simulator permits, staged groups left open', async ({ file, staged }) => {
    const outcome = await proveTopology(file, staged);
    expect(outcome.disagreements.slice(0, 20)).toEqual([]);
    expect(outcome.checked).toBeGreaterThan(20);
    expect(outcome.allowed).toBeGreaterThan(0);
    expect(outcome.allowed).toBeLessThan(outcome.checked);
  }, 180_000);
});
