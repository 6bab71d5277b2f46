// Every topology of ../shared/data/topologies run a second way, written
// separately from topology-pods (it shares no code with it, nor with src/):
// a Kubernetes cluster on cloud VMs with an Istio mesh, seen through the
// cloud's VPC flow logs rather than a packet sensor.
//
// What differs from topology-pods, on purpose:
// - the format: GCP VPC Flow Logs (flow-log.ts), one entry per direction per
//   15-minute interval per reporting VM, packet-sampled, no TCP flags or
//   connection state, so which end is the client is left to the engine;
// - addressing: each worker node owns a /24 of the pod range and numbers its
//   pods in scheduling order, so a /24 is a node's mix of services;
// - traffic: requests flow down the call graph from the entrances (load.ts);
//   sidecars reuse one connection per pod pair; users arrive through the load
//   balancer's proxies with its health checks; every sidecar streams from
//   istiod; Prometheus scrapes the sidecars on 15020 and the nodes' kubelet
//   and node exporter; DNS goes from each node's cache to kube-dns over TCP;
//   kubelet probes are never logged (they stay on the node);
// - a rollout during the capture replaces one or two Deployments' pods with
//   new ones at new addresses, and the pod list, taken at the end, lists only
//   the pods alive then;
// - labels are the Kubernetes recommended ones (app.kubernetes.io/name…) on
//   `labelCoverage` of the services; `wrongLabelRate` of the listed
//   application pods carry another service's name; `listUnlabelled` lists
//   the other services' pods too, by name and owner only.
//
// Timeline: 48 hours from 06:00 UTC on a day chosen by seed; learn on the
// first 32, replay the last 16; the attacks happen between hours 8 and 28.
//
// Ground truth: "svc|<service>" for application pods (every version and both
// sides of a rollout), "infra|istiod", "infra|prometheus", "infra|kube-dns",
// "infra|node" for the worker nodes. Servers (scored by ARI) are the
// application pods. No remote administration is legitimate here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runId } from '../../matrix';
import type { Scenario, ScenarioFile, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { plantAttacks } from './attacks';
import { buildCluster, type MeshPod } from './cluster';
import { flowLogLines, type Place } from './flow-log';
import { planLoad } from './load';
import { labelsOf, podListJson } from './pod-list';
import { Rng } from './rng';
import { readMeshApp, type MeshApp } from './services';
import { generateTraffic, SLOT_MS } from './traffic';

const HOURS = 48;
const TRAIN_HOURS = 32;
const SLOTS = (HOURS * 3_600_000) / SLOT_MS;
const ATTACK_SLOTS: readonly [number, number] = [8 * 4, 28 * 4];

export function meshGenerators(dataDir: string): ScenarioGenerator[] {
  return readdirSync(dataDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = `mesh:${file.replace(/\.json$/, '')}`;
      let app: MeshApp | null = null;
      return {
        name,
        listsUnlabelled: true,
        build: (params: ScenarioParams): Scenario => buildMeshScenario(name, (app ??= readMeshApp(join(dataDir, file))), params),
      };
    });
}

export function buildMeshScenario(name: string, app: MeshApp, params: ScenarioParams): Scenario {
  const random = new Rng(`${name}#${params.seed}`);
  const startMs = Date.UTC(2026, 4, 4, 6) + (params.seed % 5) * 86_400_000;
  const cluster = buildCluster(app, SLOTS, random.fork('cluster'));
  const load = planLoad(app, random.fork('load'));
  const traffic = generateTraffic(app, cluster, load, startMs, SLOTS, random.fork('traffic'));

  const served = new Map<string, Set<number>>();
  for (const key of traffic.legitimate) {
    const [, server, , port] = key.split('|');
    const ports = served.get(server!) ?? new Set<number>();
    ports.add(Number(port));
    served.set(server!, ports);
  }
  const attacks = plantAttacks(cluster, served, ATTACK_SLOTS, random.fork('attacks'));

  const zones = ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'];
  const places = new Map<string, Place>();
  cluster.nodes.forEach((node, index) => places.set(node.ip, { vm: node.name, zone: zones[index % zones.length]! }));
  for (const pod of cluster.pods) places.set(pod.ip, places.get(cluster.nodes[pod.node]!.ip)!);
  const outside: Place = { vm: null, zone: '' };
  const conns = [...traffic.conns, ...attacks.conns].sort((a, b) => a.slot - b.slot || a.fromMs - b.fromMs || (a.client < b.client ? -1 : a.client > b.client ? 1 : a.clientPort - b.clientPort));
  const lines = flowLogLines(conns, (ip) => places.get(ip) ?? outside, startMs, params.oneWay, random.fork(`log:${params.oneWay}`));
  // The sink writes one object per day of the capture; entries are in time order, so the split is by timestamp.
  const flows: ScenarioFile[] = [];
  const byDay = new Map<string, string[]>();
  for (const line of lines) {
    const day = /"timestamp":"(\d{4}-\d{2}-\d{2})/.exec(line)![1]!;
    const list = byDay.get(day) ?? [];
    list.push(line);
    byDay.set(day, list);
  }
  for (const [day, dayLines] of [...byDay].sort((a, b) => a[0].localeCompare(b[0]))) flows.push({ name: `vpc_flows_${day}.json`, content: `${dayLines.join('\n')}\n` });

  const labelRandom = random.fork(`labels:${params.labelCoverage}:${params.wrongLabelRate}:${params.listUnlabelled === true}`);
  const kinds = [...app.services.map((service) => service.name), 'istiod', 'prometheus', 'kube-dns'];
  const labelled = new Set(labelRandom.permute(kinds).slice(0, Math.round(params.labelCoverage * kinds.length)));
  const release = app.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const tierOf = new Map(app.services.map((service) => [service.name, service.tier]));
  const listed = new Map<MeshPod, Record<string, string>>();
  // The list was taken after the capture: pods a rollout replaced are gone from it.
  for (const pod of cluster.pods.filter((candidate) => candidate.untilSlot === SLOTS)) {
    if (labelled.has(pod.service)) listed.set(pod, labelsOf(pod, pod.service, tierOf.get(pod.service) ?? 'infra', release));
    else if (params.listUnlabelled === true) listed.set(pod, {});
  }
  const labelledApps = [...listed.entries()].filter(([pod, labels]) => pod.role === 'app' && Object.keys(labels).length > 0).map(([pod]) => pod);
  if (params.wrongLabelRate > 0 && labelledApps.length > 0 && app.services.length > 1) {
    for (const pod of labelRandom.permute(labelledApps).slice(0, Math.max(1, Math.round(params.wrongLabelRate * labelledApps.length)))) {
      const other = labelRandom.choose(app.services.filter((service) => service.name !== pod.service)).name;
      listed.set(pod, labelsOf(pod, other, tierOf.get(other) ?? 'app', release));
    }
  }
  const pods: ScenarioFile[] = listed.size === 0 ? [] : [{ name: 'pods-and-replicasets.json', content: podListJson(cluster, listed, startMs, labelRandom) }];

  const groupOfHost = new Map<string, string>();
  for (const pod of cluster.pods) groupOfHost.set(pod.ip, pod.role === 'app' ? `svc|${pod.service}` : `infra|${pod.role}`);
  for (const node of cluster.nodes) groupOfHost.set(node.ip, 'infra|node');
  return {
    id: runId(name, params),
    params,
    flows,
    inventories: [],
    pods,
    logons: [],
    internalCidrs: [],
    trainUntilMs: startMs + TRAIN_HOURS * 3_600_000,
    truth: {
      groupOfHost,
      servers: new Set(cluster.pods.filter((pod) => pod.role === 'app').map((pod) => pod.ip)),
      legitimateEdges: traffic.legitimate,
      adminEdges: new Set(),
      attacks: attacks.planted.map((attack) => ({ ...attack })),
    },
  };
}
