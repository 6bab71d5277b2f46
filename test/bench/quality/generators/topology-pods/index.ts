// Every application topology in ../shared/data/topologies deployed as pods,
// written from scratch for the quality harness (it shares nothing with
// src/core, whose own topology generator the engine's tests already use).
//
// What a scenario holds:
// - Zeek conn.log (JSON), one file per day, over 3 days; learn on the first
//   two (trainUntilMs at 2/3 of the window), replay the third;
// - the cluster: 3–6 nodes, each service's Deployments (one per listed
//   version) with 1–5 replicas each, pod addresses in 10.244.0.0/16 handed
//   out in random order across services (topology.ts, cluster.ts);
// - calls at rates that differ per call: hot, normal, and rare ones made on
//   a schedule so they appear in training and in the replay; a day/night and
//   weekday/weekend rhythm in a time zone chosen by seed; outside users on the
//   entry services; kube-dns for every pod; Prometheus scraping every pod;
//   kubelet probes from each node (traffic.ts);
// - planted: a port scan from one pod (most probes refused), SSH from one pod
//   to 10–16 others within the hour (half refused), and one pod uploading
//   1–5 GB to a new public address — all inside the training window, where
//   analyze looks for anomalies under a hold-out;
// - the pod list (`kubectl get pods -A -o json`) for the labelled services.
//
// Labels. `labelCoverage` picks that share of the services (application
// services, kube-dns and Prometheus alike), chosen by seed; their pods are
// listed with their labels (`app`, `version` for versioned Deployments,
// `k8s-app: kube-dns`). The other services' pods are NOT listed at all, and
// coverage 0 gives no pod list: in Kubernetes a listed pod always names its
// workload (`<deployment>-<hash>-<suffix>`, generateName, ownerReferences),
// which is as good as an app label, so "unlabelled" here means "absent from
// the pod list the analyst was given", and coverage 0 is behaviour only.
// `listUnlabelled` is the other reading, as a pod list that labels every
// second service: the other services' pods are listed too, with their names
// and owners but no labels (only pod-template-hash, which the ReplicaSet
// sets on every pod).
// `wrongLabelRate`: that share of the listed application pods (at least one)
// carry another service's `app` label while keeping their own name, as when
// a Deployment's pod template was copied from another service.
//
// One-way capture (`oneWay`): one sensor that sees only the originators'
// packets (zeek-conn.ts).
//
// Ground truth: "svc|<service>" for every application pod (replicas and
// versions of one service share it), "infra|kube-dns", "infra|prometheus",
// "infra|node" (the nodes' bridge addresses the probes come from). Servers
// (scored by ARI) are the application pods. Remote administration does not
// exist here: adminEdges is empty.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlantedAttack, Scenario, ScenarioFile, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { deployCluster, type Pod } from './cluster';
import { podListJson } from './pod-list';
import { Prng } from './random';
import { readTopology, type Topology } from './topology';
import { generateTraffic } from './traffic';
import { zeekConnLine } from './zeek-conn';

const HOUR = 3_600_000;
const DAYS = 3;
const TRAIN_HOURS = 48;

export function topologyGenerators(dataDir: string): ScenarioGenerator[] {
  const files = readdirSync(dataDir).filter((name) => name.endsWith('.json')).sort();
  return files.map((file) => {
    const name = file.replace(/\.json$/, '');
    let topology: Topology | null = null;
    return {
      name: `topology:${name}`,
      listsUnlabelled: true,
      build(params: ScenarioParams): Scenario {
        topology ??= readTopology(join(dataDir, file));
        return buildScenario(`topology:${name}`, topology, params);
      },
    };
  });
}

export function buildScenario(generator: string, topology: Topology, params: ScenarioParams): Scenario {
  const random = new Prng(`${generator}:${params.seed}`);
  const startMs = Date.UTC(2026, 2, 2) + (params.seed % 7) * 24 * HOUR;
  const cluster = deployCluster(topology, random.derive('cluster'));
  const traffic = generateTraffic(topology, cluster, { startMs, hours: DAYS * 24, attackHours: [16, 44] }, random.derive('traffic'));

  const writer = random.derive(`zeek:${params.oneWay}`);
  const flows: ScenarioFile[] = [];
  for (let day = 0; day < DAYS; day++) {
    const lines: string[] = [];
    for (let hour = day * 24; hour < (day + 1) * 24; hour++) for (const conn of traffic.hours[hour]!) lines.push(zeekConnLine(conn, params.oneWay, writer));
    const date = new Date(startMs + day * 24 * HOUR).toISOString().slice(0, 10);
    flows.push({ name: `conn.${date}.log`, content: `${lines.join('\n')}\n` });
  }

  const labelRandom = random.derive(`labels:${params.labelCoverage}:${params.wrongLabelRate}`);
  const serviceNames = [...topology.services.map((service) => service.name), 'kube-dns', 'prometheus'];
  const labelled = new Set(labelRandom.shuffle(serviceNames).slice(0, Math.round(params.labelCoverage * serviceNames.length)));
  const listed = new Map<Pod, Record<string, string>>();
  for (const pod of cluster.pods) {
    if (!labelled.has(pod.service)) {
      if (params.listUnlabelled === true) listed.set(pod, {});
      continue;
    }
    if (pod.service === 'kube-dns') listed.set(pod, { 'k8s-app': 'kube-dns' });
    else if (pod.service === 'prometheus') listed.set(pod, { app: 'prometheus', component: 'server' });
    else listed.set(pod, pod.version === null ? { app: pod.service } : { app: pod.service, version: pod.version });
  }
  const listedApps = [...listed.keys()].filter((pod) => !pod.infra && labelled.has(pod.service));
  if (params.wrongLabelRate > 0 && listedApps.length > 0 && topology.services.length > 1) {
    const count = Math.max(1, Math.round(params.wrongLabelRate * listedApps.length));
    for (const pod of labelRandom.shuffle(listedApps).slice(0, count)) {
      const other = labelRandom.pick(topology.services.filter((service) => service.name !== pod.service));
      listed.set(pod, { app: other.name });
    }
  }
  const pods: ScenarioFile[] = listed.size === 0 ? [] : [{ name: 'pods.json', content: podListJson(cluster, listed, startMs - 6 * HOUR, labelRandom) }];

  const groupOfHost = new Map<string, string>();
  for (const pod of cluster.pods) groupOfHost.set(pod.ip, pod.infra ? `infra|${pod.service}` : `svc|${pod.service}`);
  for (const node of cluster.nodes) groupOfHost.set(node.bridge, 'infra|node');
  const attacks: PlantedAttack[] = traffic.attacks.map((attack) => ({ ...attack }));
  const coverage = Math.round(params.labelCoverage * 100);
  return {
    id: `${generator}/seed${params.seed}/labels${coverage}${params.wrongLabelRate > 0 ? `-wrong${Math.round(params.wrongLabelRate * 100)}` : ''}${params.listUnlabelled === true ? '-all-listed' : ''}${params.oneWay ? '/one-way' : ''}`,
    params,
    flows,
    inventories: [],
    pods,
    logons: [],
    internalCidrs: [],
    trainUntilMs: startMs + TRAIN_HOURS * HOUR,
    truth: {
      groupOfHost,
      servers: new Set(cluster.pods.filter((pod) => !pod.infra).map((pod) => pod.ip)),
      legitimateEdges: traffic.legitimate,
      adminEdges: new Set(),
      attacks,
    },
  };
}
