// The cluster's traffic, hour by hour: service-to-service calls at rates that
// differ per call (hot, normal, and rare calls made on a schedule so that they
// appear in both the training and the replay window), a day/night rhythm in
// the users' time zone with quieter weekends, outside users on the entry
// services, every pod resolving names through kube-dns (UDP, sometimes TCP),
// CoreDNS forwarding to upstream resolvers, Prometheus scraping every pod,
// kubelet probes from each pod's node, and the planted attacks.
import type { Cluster, Pod } from './cluster';
import type { Prng } from './random';
import type { Topology } from './topology';
import type { Conn, Outcome } from './zeek-conn';

const HOUR = 3_600_000;

export interface PlantedPlan {
  readonly kind: 'scan' | 'lateral-movement' | 'exfiltration';
  readonly src: string;
  readonly dsts: readonly string[];
  readonly note: string;
}

export interface Traffic {
  /** Connections per hour index. */
  readonly hours: readonly Conn[][];
  /** Legitimate client→server uses: "client|server|proto|port". */
  readonly legitimate: ReadonlySet<string>;
  readonly attacks: readonly PlantedPlan[];
}

interface CallPlan {
  readonly clients: readonly Pod[];
  readonly servers: readonly Pod[];
  readonly port: number;
  readonly proto: 6 | 17;
  /** Calls per client pod per hour at full rhythm; 0 for scheduled (rare) calls. */
  readonly rate: number;
  /** Rare calls: one every `period` hours, from `offset`. */
  readonly period: number;
  readonly offset: number;
  readonly request: number;
  readonly response: number;
}

export interface TrafficSettings {
  readonly startMs: number;
  readonly hours: number;
  /** Attacks happen in [from, to) hours (inside the training window). */
  readonly attackHours: readonly [number, number];
}

const ephemeral = (random: Prng): number => random.int(32768, 60999);

function sizesFor(tier: string, random: Prng): [number, number] {
  if (tier === 'data') return [random.around(400), random.around(3_000)];
  if (tier === 'web') return [random.around(900), random.around(25_000)];
  return [random.around(600), random.around(2_500)];
}

export function generateTraffic(topology: Topology, cluster: Cluster, settings: TrafficSettings, random: Prng): Traffic {
  const legitimate = new Set<string>();
  const tierOf = new Map(topology.services.map((service) => [service.name, service.tier]));
  const podsOf = (service: string): readonly Pod[] => cluster.podsOf.get(service) ?? [];
  const plans: CallPlan[] = [];
  const planRandom = random.derive('plans');
  for (const call of topology.calls) {
    const clients = podsOf(call.from).filter((pod) => call.onlyVersions === null || (pod.version !== null && call.onlyVersions.includes(pod.version)));
    const servers = podsOf(call.to);
    if (clients.length === 0 || servers.length === 0) continue;
    const roll = planRandom.next();
    const [request, response] = sizesFor(tierOf.get(call.to) ?? 'app', planRandom);
    const base = { clients, servers, port: call.port, proto: call.proto, request, response };
    if (roll < 0.3) plans.push({ ...base, rate: planRandom.range(5, 12), period: 0, offset: 0 });
    else if (roll < 0.8) plans.push({ ...base, rate: planRandom.range(0.8, 3), period: 0, offset: 0 });
    else plans.push({ ...base, rate: 0, period: planRandom.int(5, 10), offset: planRandom.int(0, 4) });
  }

  // Outside users: a few dozen public addresses.
  const publicRandom = random.derive('public');
  const usedPublic = new Set<string>();
  const publicIp = (): string => {
    for (;;) {
      const ip = `${publicRandom.pick(PUBLIC_FIRST_OCTETS)}.${publicRandom.int(0, 255)}.${publicRandom.int(0, 255)}.${publicRandom.int(1, 254)}`;
      if (!usedPublic.has(ip)) {
        usedPublic.add(ip);
        return ip;
      }
    }
  };
  const users = Array.from({ length: publicRandom.int(20, 50) }, publicIp);
  const resolvers = [publicIp(), publicIp()];
  const entryRates = topology.entries.map(() => publicRandom.range(15, 45));

  // The rhythm: local office hours in a time zone chosen by seed, weekends quieter.
  const rhythmRandom = random.derive('rhythm');
  const zone = rhythmRandom.int(-8, 9);
  const night = rhythmRandom.range(0.1, 0.3);
  const rhythm = (hour: number): number => {
    const local = new Date(settings.startMs + (hour + zone) * HOUR);
    const clock = local.getUTCHours();
    const day = clock >= 8 && clock < 20 ? 1.3 : clock >= 6 && clock < 23 ? 0.6 : night;
    return local.getUTCDay() === 0 || local.getUTCDay() === 6 ? day * 0.6 : day;
  };

  const appPods = cluster.pods.filter((pod) => !pod.infra);
  const probePort = new Map<string, number>();
  for (const service of topology.services) {
    const tcp = service.ports.find((entry) => entry.proto === 6);
    if (tcp !== undefined) probePort.set(service.name, tcp.port);
  }

  const hours: Conn[][] = [];
  for (let hour = 0; hour < settings.hours; hour++) {
    const r = random.derive(`hour:${hour}`);
    const hourStart = settings.startMs + hour * HOUR;
    const factor = rhythm(hour);
    const out: Conn[] = [];
    const emit = (client: string, server: string, proto: 6 | 17, port: number, request: number, response: number, durationMs: number, outcome: Outcome = 'ok', legit = true, startMs = hourStart + r.int(0, HOUR - 1)): void => {
      out.push({ orig: client, origPort: ephemeral(r), resp: server, respPort: port, proto, startMs, durationMs, origBytes: request, respBytes: response, outcome });
      if (legit) legitimate.add(`${client}|${server}|${proto}|${port}`);
    };
    const call = (plan: CallPlan, client: Pod): void => {
      const server = r.pick(plan.servers);
      emit(client.ip, server.ip, plan.proto, plan.port, r.around(plan.request, 0.4), plan.proto === 17 ? 0 : r.around(plan.response, 0.5), r.int(2, 1_500));
    };
    for (const plan of plans) {
      if (plan.rate > 0) {
        for (const client of plan.clients) for (let n = r.poisson(plan.rate * factor); n > 0; n--) call(plan, client);
      } else if ((hour + plan.offset) % plan.period === 0) call(plan, r.pick(plan.clients));
    }
    topology.entries.forEach((entry, index) => {
      const servers = podsOf(entry.service);
      for (let n = r.poisson(entryRates[index]! * factor); n > 0; n--) {
        emit(r.pick(users), r.pick(servers).ip, entry.proto, entry.port, r.around(700), r.around(30_000), r.int(20, 8_000));
      }
    });
    for (const pod of cluster.pods) {
      // Name lookups follow the pod's own activity; CoreDNS forwards what it cannot answer.
      if (pod.service !== 'kube-dns') {
        for (let n = r.poisson(1 + 3 * factor); n > 0; n--) {
          const tcp = r.chance(0.03);
          emit(pod.ip, r.pick(cluster.dns).ip, tcp ? 6 : 17, 53, r.around(70, 0.2), r.around(tcp ? 900 : 160, 0.3), r.int(1, 40));
        }
      } else {
        for (let n = r.poisson(2 + 2 * factor); n > 0; n--) emit(pod.ip, r.pick(resolvers), 17, 53, r.around(75, 0.2), r.around(180, 0.3), r.int(5, 60));
      }
      // Prometheus keeps a connection to each target and re-opens it now and then.
      if (pod !== cluster.prometheus) {
        const port = pod.service === 'kube-dns' ? 9153 : cluster.metricsPort;
        for (let n = r.poisson(1.5); n > 0; n--) emit(cluster.prometheus.ip, pod.ip, 6, port, r.around(20_000), r.around(600_000), r.int(60_000, 1_200_000));
      }
      // Liveness/readiness probes come from the node's bridge address.
      const probe = pod.service === 'kube-dns' ? 8080 : pod.service === 'prometheus' ? 9090 : probePort.get(pod.service);
      if (probe !== undefined) for (let n = r.poisson(3); n > 0; n--) emit(cluster.nodes[pod.node]!.bridge, pod.ip, 6, probe, r.around(120, 0.2), r.around(200, 0.2), r.int(1, 10));
    }
    hours.push(out);
  }

  // The planted attacks, each from its own application pod.
  const a = random.derive('attacks');
  const [fromHour, toHour] = settings.attackHours;
  const attackers = a.shuffle(appPods);
  const served = new Set<string>();
  for (const plan of plans) for (const server of plan.servers) served.add(`${server.ip}|${plan.port}`);
  for (const [service, port] of probePort) for (const pod of podsOf(service)) served.add(`${pod.ip}|${port}`);
  const attacks: PlantedPlan[] = [];
  const at = (hour: number): number => settings.startMs + hour * HOUR;

  const scanner = attackers[0]!;
  {
    const hour = a.int(fromHour, toHour - 1);
    const targets = a.shuffle(cluster.pods.filter((pod) => pod !== scanner)).slice(0, a.int(25, 40));
    const ports = a.shuffle(SCAN_PORTS).slice(0, a.int(6, 10));
    const begin = at(hour) + a.int(0, 20 * 60_000);
    let i = 0;
    for (const target of targets) {
      for (const port of ports) {
        const open = served.has(`${target.ip}|${port}`);
        const outcome: Outcome = open ? 'ok' : a.chance(0.85) ? 'refused' : 'unanswered';
        hours[hour]!.push({ orig: scanner.ip, origPort: ephemeral(a), resp: target.ip, respPort: port, proto: 6, startMs: begin + i++ * a.int(50, 400), durationMs: a.int(1, 30), origBytes: 0, respBytes: 0, outcome });
      }
    }
    attacks.push({ kind: 'scan', src: scanner.ip, dsts: targets.map((pod) => pod.ip), note: `${scanner.name}: ${targets.length} pods × ${ports.length} ports in one hour` });
  }
  const mover = attackers[1]!;
  {
    const hour = a.int(fromHour, toHour - 1);
    const targets = a.shuffle(appPods.filter((pod) => pod !== mover && pod !== scanner)).slice(0, a.int(10, 16));
    const begin = at(hour) + a.int(0, 15 * 60_000);
    targets.forEach((target, index) => {
      const success = index % 2 === 0;
      const startMs = begin + index * a.int(60_000, 150_000);
      hours[hour]!.push({ orig: mover.ip, origPort: ephemeral(a), resp: target.ip, respPort: 22, proto: 6, startMs, durationMs: success ? a.int(30_000, 300_000) : a.int(1, 5), origBytes: success ? a.around(8_000) : 0, respBytes: success ? a.around(30_000) : 0, outcome: success ? 'ok' : 'refused' });
    });
    attacks.push({ kind: 'lateral-movement', src: mover.ip, dsts: targets.map((pod) => pod.ip), note: `${mover.name}: SSH to ${targets.length} pods within the hour, half refused` });
  }
  const dataPods = attackers.slice(2).filter((pod) => tierOf.get(pod.service) === 'data');
  const exfiltrator = dataPods[0] ?? attackers[2]!;
  {
    const hour = a.int(fromHour, toHour - 2);
    const drop = publicIp();
    const count = a.int(4, 8);
    let total = 0;
    for (let n = 0; n < count; n++) {
      const bytes = a.int(250, 600) * 1_000_000;
      total += bytes;
      const h = hour + (n % 2);
      hours[h]!.push({ orig: exfiltrator.ip, origPort: ephemeral(a), resp: drop, respPort: 443, proto: 6, startMs: at(h) + a.int(0, HOUR / 2), durationMs: a.int(300_000, 1_500_000), origBytes: bytes, respBytes: a.around(40_000), outcome: 'ok' });
    }
    attacks.push({ kind: 'exfiltration', src: exfiltrator.ip, dsts: [drop], note: `${exfiltrator.name}: ${(total / 1e9).toFixed(1)} GB to ${drop}:443 (new address)` });
  }
  for (const list of hours) list.sort((x, y) => x.startMs - y.startMs);
  return { hours, legitimate, attacks };
}

const SCAN_PORTS = [21, 22, 23, 25, 80, 443, 445, 1433, 3306, 3389, 5432, 6379, 8080, 8443, 9090, 9200, 11211, 27017];

/** First octets of public unicast space (RIPE, ARIN, APNIC blocks), never private or reserved. */
const PUBLIC_FIRST_OCTETS = [5, 31, 37, 46, 62, 77, 78, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217];
