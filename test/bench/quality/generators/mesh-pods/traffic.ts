// The mesh's connections, one record per connection per 15-minute
// aggregation interval it was active in (what a VPC flow log reports at
// that interval). Sidecars keep one HTTP/2 connection per client pod and
// server pod and reuse it until it has been idle for an hour; Prometheus
// keeps one to every target; each sidecar holds an xDS stream to one istiod
// pod, re-opened every 30 minutes; the nodes' DNS caches forward to kube-dns
// over TCP; users come in through the load balancer's proxies, which the
// balancer's health checks follow. Kubelet probes stay on their node and are
// never logged.
import type { MeshCluster, MeshPod } from './cluster';
import type { AppLoad } from './load';
import type { MeshApp, Proto } from './services';
import type { Rng } from './rng';

export const SLOT_MS = 15 * 60_000;

export interface SlotConn {
  readonly client: string;
  readonly clientPort: number;
  readonly server: string;
  readonly serverPort: number;
  readonly proto: Proto;
  readonly slot: number;
  /** Offsets within the slot, ms. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly upBytes: number;
  readonly upPackets: number;
  readonly downBytes: number;
  readonly downPackets: number;
}

export interface MeshTraffic {
  readonly conns: SlotConn[];
  readonly legitimate: Set<string>;
  /** Public addresses of the load balancer's proxies and health checkers. */
  readonly frontEnds: readonly string[];
  /** Public addresses pods call (by topology host name). */
  readonly outsideHosts: ReadonlyMap<string, string>;
}

const ephemeralPort = (random: Rng): number => random.between(32768, 60999);

/** Packets for a payload: full segments plus the handshake and acknowledgements. */
const packetsFor = (bytes: number, requests: number): number => Math.max(1, Math.ceil(bytes / 1400) + 2 * requests);

export function generateTraffic(app: MeshApp, cluster: MeshCluster, load: AppLoad, startMs: number, slots: number, random: Rng): MeshTraffic {
  const conns: SlotConn[] = [];
  const legitimate = new Set<string>();
  const sizes = new Map<string, { up: number; down: number }>();
  const tierOf = new Map(app.services.map((service) => [service.name, service.tier]));
  const sizeRandom = random.fork('sizes');
  const sizeOf = (callee: string, port: number): { up: number; down: number } => {
    const key = `${callee}:${port}`;
    let size = sizes.get(key);
    if (size === undefined) {
      const tier = tierOf.get(callee) ?? 'app';
      size = tier === 'data' ? { up: sizeRandom.near(350), down: sizeRandom.near(4_000, 0.6) } : tier === 'web' ? { up: sizeRandom.near(800), down: sizeRandom.near(20_000, 0.6) } : { up: sizeRandom.near(500), down: sizeRandom.near(2_000, 0.6) };
      sizes.set(key, size);
    }
    return size;
  };

  // Persistent connections: the source port of the pair's current connection and when it was last used.
  const open = new Map<string, { port: number; lastSlot: number }>();
  const portFor = (key: string, slot: number, idleSlots: number, r: Rng): { port: number; fresh: boolean } => {
    const current = open.get(key);
    if (current !== undefined && slot - current.lastSlot <= idleSlots) {
      current.lastSlot = slot;
      return { port: current.port, fresh: false };
    }
    const port = ephemeralPort(r);
    open.set(key, { port, lastSlot: slot });
    return { port, fresh: true };
  };
  const record = (r: Rng, slot: number, client: string, server: string, serverPort: number, proto: Proto, requests: number, up: number, down: number, idleSlots: number): void => {
    const { port, fresh } = proto === 17 ? { port: portFor(`${client}>${server}:${serverPort}/u`, slot, 10_000, r).port, fresh: false } : portFor(`${client}>${server}:${serverPort}`, slot, idleSlots, r);
    const fromMs = fresh ? r.between(0, SLOT_MS - 60_000) : 0;
    const toMs = Math.min(SLOT_MS - 1, fromMs + r.between(30_000, SLOT_MS));
    const upBytes = Math.max(40, Math.round(up));
    const downBytes = proto === 17 ? 0 : Math.max(40, Math.round(down));
    conns.push({ client, clientPort: port, server, serverPort, proto, slot, fromMs, toMs, upBytes, upPackets: packetsFor(upBytes, requests), downBytes, downPackets: proto === 17 ? 0 : packetsFor(downBytes, requests) });
    legitimate.add(`${client}|${server}|${proto}|${serverPort}`);
  };

  // The load balancer's proxies and health checkers (Google's front ends: 35.191.0.0/16, 130.211.0.0/22).
  const edgeRandom = random.fork('edge');
  const proxies = Array.from({ length: edgeRandom.between(3, 6) }, () => `35.191.${edgeRandom.between(0, 255)}.${edgeRandom.between(1, 254)}`);
  const checkers = Array.from({ length: 4 }, () => `130.211.${edgeRandom.between(0, 3)}.${edgeRandom.between(1, 254)}`);
  const outsideHosts = new Map<string, string>();
  for (const egress of app.egress) if (!outsideHosts.has(egress.host)) outsideHosts.set(egress.host, `${edgeRandom.choose([101, 103, 112, 115, 119, 120])}.${edgeRandom.between(0, 255)}.${edgeRandom.between(0, 255)}.${edgeRandom.between(1, 254)}`);

  const istiodOf = new Map<string, MeshPod>();
  const dnsOf = new Map<number, MeshPod>();
  for (let slot = 0; slot < slots; slot++) {
    const r = random.fork(`slot:${slot}`);
    const activity = load.activity(startMs + slot * SLOT_MS + SLOT_MS / 2);
    const rate = (service: string): number => (load.peak.get(service) ?? 0) * (load.selfDriven.has(service) ? 1 : activity);

    for (const { call, chance } of load.calls) {
      const callers = cluster.alive(call.caller, slot).filter((pod) => call.callerVersions.length === 0 || call.callerVersions.includes(pod.version));
      const callees = cluster.alive(call.callee, slot);
      const everyCaller = cluster.alive(call.caller, slot).length;
      if (callers.length === 0 || callees.length === 0) continue;
      const perPair = (rate(call.caller) / everyCaller) * chance / callees.length;
      const size = sizeOf(call.callee, call.port);
      for (const caller of callers) {
        for (const callee of callees) {
          const requests = r.count(perPair);
          if (requests > 0) record(r, slot, caller.ip, callee.ip, call.port, call.proto, requests, requests * r.near(size.up, 0.2), requests * r.near(size.down, 0.3), 4);
        }
      }
    }
    for (const egress of app.egress) {
      const callers = cluster.alive(egress.caller, slot);
      const perCaller = (rate(egress.caller) / Math.max(1, callers.length)) * 0.01;
      for (const caller of callers) {
        const requests = r.count(perCaller);
        if (requests > 0) record(r, slot, caller.ip, outsideHosts.get(egress.host)!, egress.port, egress.proto, requests, requests * r.near(3_000), requests * r.near(600), 0);
      }
    }
    for (const entrance of app.entrances) {
      const pods = cluster.alive(entrance.service, slot);
      if (pods.length === 0) continue;
      const perPair = ((load.entrancePeak.get(`${entrance.service}:${entrance.port}`) ?? 0) * activity) / (pods.length * proxies.length);
      const size = sizeOf(entrance.service, entrance.port);
      for (const pod of pods) {
        for (const proxy of proxies) {
          const requests = r.count(perPair);
          if (requests > 0) record(r, slot, proxy, pod.ip, entrance.port, 6, requests, requests * r.near(size.up), requests * r.near(size.down), 0);
        }
        // Checkers probe every backend every few seconds, each probe its own short connection; one per interval stands for them.
        for (const checker of r.permute(checkers).slice(0, 1)) record(r, slot, checker, pod.ip, entrance.port, 6, 1, r.near(180), r.near(250), -1);
      }
    }

    const istiods = cluster.alive('istiod', slot);
    const dns = cluster.alive('kube-dns', slot);
    const prometheus = cluster.alive('prometheus', slot);
    for (const pod of cluster.pods) {
      if (pod.fromSlot > slot || slot >= pod.untilSlot) continue;
      if (pod.sidecar && istiods.length > 0) {
        // The xDS stream is re-opened every 30 minutes (max connection age), maybe to another istiod pod.
        let istiod = istiodOf.get(pod.ip);
        if (istiod === undefined || slot % 2 === 0 || !istiods.includes(istiod)) istiodOf.set(pod.ip, (istiod = r.choose(istiods)));
        const pushes = pod.fromSlot === slot || cluster.rollouts.some((rollout) => rollout.slot === slot) ? 30 : r.yes(0.5) ? 2 : 0;
        if (pushes > 0) record(r, slot, pod.ip, istiod.ip, 15012, 6, pushes, r.near(3_000), pushes * r.near(8_000), slot % 2 === 0 ? -1 : 1);
      }
      for (const scraper of prometheus) {
        if (pod === scraper) continue;
        const port = pod.sidecar ? 15020 : pod.role === 'istiod' ? 15014 : pod.role === 'kube-dns' ? 10054 : 0;
        if (port !== 0) record(r, slot, scraper.ip, pod.ip, port, 6, 30, r.near(6_000), r.near(pod.sidecar ? 900_000 : 300_000), 8);
      }
    }
    cluster.nodes.forEach((node, index) => {
      for (const scraper of prometheus) {
        record(r, slot, scraper.ip, node.ip, 10250, 6, 30, r.near(6_000), r.near(1_500_000), 8);
        record(r, slot, scraper.ip, node.ip, 9100, 6, 30, r.near(5_000), r.near(700_000), 8);
      }
      if (dns.length > 0) {
        let upstream = dnsOf.get(index);
        if (upstream === undefined || !dns.includes(upstream) || r.yes(0.05)) dnsOf.set(index, (upstream = r.choose(dns)));
        const queries = Math.max(1, Math.round(400 * activity * r.uniform(0.6, 1.4)));
        record(r, slot, node.ip, upstream.ip, 53, 6, queries, queries * r.near(60), queries * r.near(140), 4);
      }
    });
  }
  return { conns, legitimate, frontEnds: [...proxies, ...checkers], outsideHosts };
}
