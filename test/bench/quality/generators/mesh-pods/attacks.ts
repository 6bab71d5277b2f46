// What is planted, each from its own application pod, inside the learning
// window (where analyze looks for anomalies under a hold-out):
// - a sweep of the pod range for open Redis, etcd, kubelet and web ports,
//   most addresses answering with a reset or not at all;
// - SSH from one pod to the worker nodes and to other pods within half an
//   hour (the nodes answer, the pods run no sshd and reset);
// - a data pod sending 4–8 GB over 443 to a public address nothing else uses.
// The connections are written to the flow log like any other, sampling and all;
// bytes are payload bytes, as GCP counts them, so a bare handshake carries 0.
import type { MeshCluster, MeshPod } from './cluster';
import type { Rng } from './rng';
import { SLOT_MS, type SlotConn } from './traffic';

export interface Planted {
  readonly kind: 'scan' | 'lateral-movement' | 'exfiltration';
  readonly src: string;
  readonly dsts: readonly string[];
  readonly note: string;
}

const SWEEP_PORTS = [6379, 2379, 10250, 8080, 8443, 3000, 5000];

export function plantAttacks(cluster: MeshCluster, servedPorts: ReadonlyMap<string, ReadonlySet<number>>, window: readonly [number, number], random: Rng): { conns: SlotConn[]; planted: Planted[] } {
  const conns: SlotConn[] = [];
  const planted: Planted[] = [];
  const [from, to] = window;
  const alive = (pod: MeshPod, slot: number): boolean => pod.fromSlot <= slot && slot < pod.untilSlot;
  const appPods = cluster.pods.filter((pod) => pod.role === 'app' && pod.fromSlot <= from && to <= pod.untilSlot);
  const actors = random.permute(appPods);
  const port = (): number => random.between(32768, 60999);
  const live = new Map(cluster.pods.map((pod) => [pod.ip, pod]));

  {
    const scanner = actors[0]!;
    const slot = random.between(from, to - 1);
    const ports = random.permute(SWEEP_PORTS).slice(0, random.between(2, 4));
    const targets: string[] = [];
    for (const node of cluster.nodes) {
      const last = random.between(14, 24);
      for (let host = 2; host <= last; host++) targets.push(`${node.podPrefix}.${host}`);
    }
    const swept = targets.filter((ip) => ip !== scanner.ip);
    let at = random.between(0, 60_000);
    for (const target of swept) {
      const pod = live.get(target);
      const up = pod !== undefined && alive(pod, slot);
      for (const dport of ports) {
        const answers = up && (servedPorts.get(target)?.has(dport) ?? false);
        conns.push({ client: scanner.ip, clientPort: port(), server: target, serverPort: dport, proto: 6, slot, fromMs: at, toMs: at + 3, upBytes: 0, upPackets: answers ? 3 : 1, downBytes: 0, downPackets: up ? (answers ? 2 : 1) : 0 });
        at = Math.min(SLOT_MS - 10, at + random.between(40, 400));
      }
    }
    planted.push({ kind: 'scan', src: scanner.ip, dsts: swept, note: `${scanner.name}: ${swept.length} addresses of the pod range × ${ports.length} ports (${ports.join(', ')}) in one interval` });
  }
  {
    const mover = actors[1]!;
    const slot = random.between(from, to - 3);
    const pods = random.permute(appPods.filter((pod) => pod !== mover && pod !== actors[0])).slice(0, random.between(10, 16));
    const targets = [...cluster.nodes.map((node) => node.ip), ...pods.map((pod) => pod.ip)];
    let at = random.between(0, 5 * 60_000);
    for (const target of random.permute(targets)) {
      const node = cluster.nodes.some((candidate) => candidate.ip === target);
      const s = slot + Math.floor(at / SLOT_MS);
      const offset = at % SLOT_MS;
      // A refused pod is tried twice (two SYNs, two resets).
      conns.push({ client: mover.ip, clientPort: port(), server: target, serverPort: 22, proto: 6, slot: s, fromMs: offset, toMs: Math.min(SLOT_MS - 1, offset + (node ? random.between(20_000, 200_000) : 1_005)), upBytes: node ? random.near(9_000) : 0, upPackets: node ? random.between(20, 60) : 2, downBytes: node ? random.near(25_000) : 0, downPackets: node ? random.between(20, 60) : 2 });
      at += random.between(20_000, 60_000);
    }
    planted.push({ kind: 'lateral-movement', src: mover.ip, dsts: targets, note: `${mover.name}: SSH to ${cluster.nodes.length} nodes and ${pods.length} pods within ${Math.round(at / 60_000)} minutes` });
  }
  {
    const data = actors.slice(2).filter((pod) => pod.stateful);
    const thief = data[0] ?? actors[2]!;
    const slot = random.between(from, to - 16);
    const drop = `${random.choose([45, 91, 146, 185, 193])}.${random.between(0, 255)}.${random.between(0, 255)}.${random.between(1, 254)}`;
    const clientPort = port();
    let total = 0;
    // Spread over 3–4 hours: the entry sampling drops about half the intervals, so what the log shows
    // (2 GB and more) is still well over what any exfiltration threshold asks.
    const parts = random.between(12, 16);
    for (let part = 0; part < parts; part++) {
      const bytes = random.between(300, 500) * 1_000_000;
      total += bytes;
      conns.push({ client: thief.ip, clientPort, server: drop, serverPort: 443, proto: 6, slot: slot + part, fromMs: part === 0 ? random.between(0, 60_000) : 0, toMs: SLOT_MS - 1, upBytes: bytes, upPackets: Math.ceil(bytes / 1400), downBytes: random.near(200_000), downPackets: Math.ceil(bytes / 2800) });
    }
    planted.push({ kind: 'exfiltration', src: thief.ip, dsts: [drop], note: `${thief.name}: ${(total / 1e9).toFixed(1)} GB to ${drop}:443 over ${parts} intervals` });
  }
  return { conns, planted };
}
