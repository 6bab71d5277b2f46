// The AWS estate: a prod and a staging VPC (three and two Availability
// Zones) and a shared-services VPC joined by a transit gateway. Each
// application runs behind an Application Load Balancer (one node per AZ,
// internet-facing for the front applications, internal for the others,
// which their callers reach through the ALB and never directly), on an
// Auto Scaling group of web instances (some replaced during the capture,
// each replacement with a new address), with an optional worker group, an
// Aurora cluster (writer and readers; storage-level replication is
// invisible to flow logs) and an optional ElastiCache pair whose replica
// pulls from its primary. Shared per VPC: an MSK cluster, interface
// endpoints (SSM, Secrets Manager) that every instance polls, NAT gateways;
// in the shared VPC: OpenSearch for logs, Prometheus, a bastion that
// corporate admins reach over the VPN.
import type { Dice } from './random';

export type Rhythm = 'users' | 'steady' | 'office';

/** One address over its lifetime [from, to) in hours of the capture. */
export interface Node {
  readonly ip: string;
  readonly eni: string;
  readonly instanceId: string | null;
  readonly vpc: string;
  readonly subnet: string;
  readonly account: string;
  readonly az: number;
  readonly name: string;
  /** Ground-truth group; null for outside addresses. */
  readonly truth: string | null;
  readonly env: string | null;
  readonly app: string | null;
  readonly role: string;
  /** An EC2 instance (runs agents, reachable over SSH); managed ENIs (ALB, RDS, MSK…) are not. */
  readonly ec2: boolean;
  /** Scored by ARI. */
  readonly scored: boolean;
  readonly from: number;
  readonly to: number;
}

/** A place that successive nodes fill (an Auto Scaling slot); most have one node for the whole capture. */
export interface Slot {
  readonly nodes: Node[];
}

export interface Link {
  readonly client: Slot;
  readonly server: Slot;
  readonly port: number;
  readonly rate: number;
  readonly rhythm: Rhythm;
  readonly request: number;
  readonly response: number;
  readonly admin: boolean;
}

export interface Estate {
  readonly slots: Slot[];
  readonly links: Link[];
  /** NAT gateway per VPC and AZ: "vpc|az". */
  readonly nats: ReadonlyMap<string, Node>;
  readonly publicRepos: readonly Slot[];
  /** Per environment and application: the slots of each role. */
  readonly apps: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, Slot[]>>>;
}

const APP_NAMES = ['checkout', 'ledger', 'catalog', 'identity', 'notify', 'search', 'media', 'pricing', 'stock', 'loyalty'];
const VPCS = {
  prod: { cidr: 20, azs: 3, account: '111122223333' },
  staging: { cidr: 60, azs: 2, account: '444455556666' },
  shared: { cidr: 90, azs: 2, account: '777788889999' },
} as const;
type Env = keyof typeof VPCS;

export function buildEstate(dice: Dice, hours: number, trainHours: number): Estate {
  const used = new Set<string>();
  const slots: Slot[] = [];
  const links: Link[] = [];
  const ids = { vpc: new Map<Env, string>(), subnet: new Map<string, string>() };
  const vpcId = (env: Env): string => getOr(ids.vpc, env, () => `vpc-${dice.hex(17)}`);
  const subnetId = (key: string): string => getOr(ids.subnet, key, () => `subnet-${dice.hex(17)}`);

  // Subnets: public x.y.<az>.0/24, application x.y.<32+4az..35+4az>.0/22, data x.y.<64+az>.0/24.
  const address = (env: Env, az: number, tier: 'public' | 'app' | 'data'): { ip: string; subnet: string } => {
    const second = VPCS[env].cidr;
    for (;;) {
      const third = tier === 'public' ? az : tier === 'data' ? 64 + az : 32 + 4 * az + dice.between(0, 3);
      const ip = `10.${second}.${third}.${dice.between(4, 250)}`;
      if (used.has(ip)) continue;
      used.add(ip);
      return { ip, subnet: subnetId(`${env}|${az}|${tier}`) };
    }
  };
  const node = (env: Env, az: number, tier: 'public' | 'app' | 'data', spec: { name: string; truth: string; app: string | null; role: string; ec2: boolean; scored?: boolean }, from = 0, to = hours): Node => {
    const { ip, subnet } = address(env, az, tier);
    return {
      ip,
      eni: `eni-${dice.hex(17)}`,
      instanceId: spec.ec2 ? `i-${dice.hex(17)}` : null,
      vpc: vpcId(env),
      subnet,
      account: VPCS[env].account,
      az,
      name: spec.name,
      truth: spec.truth,
      env,
      app: spec.app,
      role: spec.role,
      ec2: spec.ec2,
      scored: spec.scored ?? true,
      from,
      to,
    };
  };
  const slotOf = (...nodes: Node[]): Slot => {
    const slot = { nodes };
    slots.push(slot);
    return slot;
  };
  // One client asks one service the same kind of thing whichever replica or node answers: the sizes
  // are drawn per client and server group, with a little spread per pair.
  const typical = new Map<string, readonly [number, number]>();
  const link = (client: Slot, server: Slot, port: number, rate: number, rhythm: Rhythm, sizes: readonly [number, number], admin = false): void => {
    const [request, response] = getOr(typical, `${slots.indexOf(client)}|${server.nodes[0]!.truth}|${port}`, () => [dice.size(sizes[0]), dice.size(sizes[1])] as const);
    const jitter = (bytes: number): number => Math.round(bytes * dice.real(0.92, 1.08));
    links.push({ client, server, port, rate, rhythm, request: jitter(request), response: jitter(response), admin });
  };
  const outside = (ip: string, truth: string | null): Slot =>
    slotOf({ ip, eni: '', instanceId: null, vpc: '', subnet: '', account: '', az: -1, name: ip, truth, env: null, app: null, role: 'outside', ec2: false, scored: false, from: 0, to: hours });

  const names = dice.shuffled(APP_NAMES).slice(0, dice.between(5, 7));
  const fronts = names.slice(0, 2);
  const webPort = new Map(names.map((name) => [name, dice.yes(0.55) ? 8080 : dice.one([8000, 3000, 9000, 5000, 8443, 8081])]));
  const dbPort = new Map(names.map((name) => [name, dice.yes(0.5) ? 5432 : 3306]));
  const hasWorker = new Map(names.map((name) => [name, dice.yes(0.5)]));
  const hasCache = new Map(names.map((name) => [name, dice.yes(0.5)]));
  // Who calls whom: each front calls 1–3 internal applications; internal ones call at most one later one.
  const internal = names.slice(2);
  const calls = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const front of fronts) calls.get(front)!.push(...dice.shuffled(internal).slice(0, dice.between(1, Math.min(3, internal.length))));
  internal.forEach((name, index) => {
    const later = internal.slice(index + 1);
    if (later.length > 0 && dice.yes(0.5)) calls.get(name)!.push(dice.one(later));
  });
  for (const name of internal) if (![...calls.values()].some((list) => list.includes(name))) calls.get(dice.one(fronts))!.push(name);

  // Shared-services VPC.
  const opensearch = Array.from({ length: 3 }, (_, i) => slotOf(node('shared', i % 2, 'data', { name: `logs-os-node-${i + 1}`, truth: 'shared|opensearch', app: 'logging', role: 'search', ec2: false })));
  const prometheus = slotOf(node('shared', 0, 'app', { name: 'prometheus-01', truth: 'shared|prometheus', app: 'monitoring', role: 'metrics', ec2: true }));
  const bastion = slotOf(node('shared', 1, 'public', { name: 'bastion', truth: 'shared|bastion', app: 'access', role: 'bastion', ec2: true }));
  const admins = [11, 12, 13].map((host) => outside(`172.20.5.${host}`, 'corp|admins'));
  const testers = [40, 41].map((host) => outside(`172.20.6.${host}`, 'corp|testers'));
  const users = Array.from({ length: dice.between(25, 45) }, () => outside(publicAddress(dice, used), null));
  const publicRepos = Array.from({ length: 4 }, () => outside(publicAddress(dice, used), null));
  const nats = new Map<string, Node>();
  const apps = new Map<string, Map<string, Map<string, Slot[]>>>();
  const ec2: Slot[] = [prometheus, bastion];

  for (const env of ['prod', 'staging'] as const) {
    const azs = VPCS[env].azs;
    const big = env === 'prod';
    for (let az = 0; az < azs; az++) nats.set(`${vpcId(env)}|${az}`, node(env, az, 'public', { name: `nat-${env}-${az}`, truth: `${env}|nat`, app: null, role: 'nat', ec2: false, scored: false }));
    const kafka = Array.from({ length: big ? 3 : 1 }, (_, i) => slotOf(node(env, i % azs, 'data', { name: `${env}-msk-b-${i + 1}`, truth: `${env}|kafka`, app: 'kafka', role: 'broker', ec2: false })));
    const endpoint = (service: string) => Array.from({ length: azs }, (_, az) => slotOf(node(env, az, 'app', { name: `vpce-${service}-${az}`, truth: `${env}|vpce-${service}`, app: `vpce-${service}`, role: 'endpoint', ec2: false })));
    const ssm = endpoint('ssm');
    const secrets = endpoint('secrets');
    for (let i = 0; i < kafka.length; i++) for (let j = 0; j < kafka.length; j++) if (i !== j) link(kafka[i]!, kafka[j]!, 9094, 1, 'steady', [4000, 600]);

    const envApps = new Map<string, Map<string, Slot[]>>();
    apps.set(env, envApps);
    const present = big ? names : names.filter((name, index) => index < 2 || dice.yes(0.6));
    for (const app of present) {
      const roles = new Map<string, Slot[]>();
      envApps.set(app, roles);
      const spec = (role: string, ec2Role: boolean) => ({ name: `${env}-${app}-${role}`, truth: `${env}|${app}|${role}`, app, role, ec2: ec2Role });
      const scaling = (role: string, count: number): Slot[] =>
        Array.from({ length: count }, (_, i) => {
          const az = i % azs;
          // Some prod instances are replaced during training (instance refresh, failed health check): a new address from then on.
          if (big && dice.yes(0.35)) {
            const at = dice.between(6, trainHours - 12);
            return slotOf(node(env, az, 'app', spec(role, true), 0, at), node(env, az, 'app', spec(role, true), at, hours));
          }
          return slotOf(node(env, az, 'app', spec(role, true)));
        });
      const web = scaling('web', big ? dice.between(2, 5) : dice.between(1, 2));
      const workers = hasWorker.get(app) ? scaling('worker', big ? dice.between(1, 3) : 1) : [];
      const writer = slotOf(node(env, 0, 'data', { ...spec('db', false), name: `${env}-${app}-aurora-1` }));
      const readers = Array.from({ length: big ? dice.between(0, 2) : 0 }, (_, i) => slotOf(node(env, (i + 1) % azs, 'data', { ...spec('db', false), name: `${env}-${app}-aurora-${i + 2}` })));
      const cache = hasCache.get(app) ? [slotOf(node(env, 0, 'data', { ...spec('cache', false), name: `${env}-${app}-redis-001` }))] : [];
      if (cache.length > 0 && big) cache.push(slotOf(node(env, 1, 'data', { ...spec('cache', false), name: `${env}-${app}-redis-002` })));
      const alb = Array.from({ length: azs }, (_, az) => slotOf(node(env, az, 'public', { ...spec('lb', false), name: `${env}-${app}-alb` })));
      roles.set('web', web).set('worker', workers).set('db', [writer, ...readers]).set('cache', cache).set('lb', alb);
      ec2.push(...web, ...workers);

      const port = webPort.get(app)!;
      for (const lb of alb) {
        for (const target of web) {
          link(lb, target, port, dice.real(1, 3), 'users', [900, 14000]);
          link(lb, target, port, 2, 'steady', [150, 300]); // health checks
        }
      }
      for (const client of web) {
        link(client, writer, dbPort.get(app)!, dice.real(1, 3), 'steady', [600, 4000]);
        if (readers.length > 0) link(client, dice.one(readers), dbPort.get(app)!, dice.real(1, 2), 'users', [500, 9000]);
        if (cache.length > 0) link(client, cache[0]!, 6379, dice.real(2, 4), 'users', [120, 700]);
        if (workers.length > 0) link(client, dice.one(kafka), 9094, dice.real(1, 2), 'users', [1500, 300]);
        link(client, dice.one(secrets), 443, 0.3, 'steady', [1200, 2500]);
      }
      for (const reader of readers) if (!links.some((entry) => entry.server === reader)) link(dice.one(web), reader, dbPort.get(app)!, 1, 'users', [500, 9000]);
      if (cache.length > 1) link(cache[1]!, cache[0]!, 6379, 1, 'steady', [300, 60000]);
      for (const worker of workers) {
        for (const broker of kafka) link(worker, broker, 9094, dice.real(1, 2), 'steady', [400, 6000]);
        link(worker, writer, dbPort.get(app)!, dice.real(0.5, 2), 'steady', [2500, 800]);
        link(worker, dice.one(secrets), 443, 0.3, 'steady', [1200, 2500]);
      }
      for (const instance of [...web, ...workers]) {
        link(instance, ssm[instance.nodes[0]!.az]!, 443, 1, 'steady', [1500, 1300]);
        link(instance, dice.one(publicRepos), 443, 0.2, 'steady', [600, 50000]);
      }
      if (fronts.includes(app)) {
        const clients = big ? dice.shuffled(users).slice(0, dice.between(10, 18)) : testers;
        for (const client of clients) for (const lb of alb) link(client, lb, 443, big ? dice.real(0.3, 1.5) : dice.real(0.5, 2), big ? 'users' : 'office', [800, 30000]);
      }
    }
    // Calls between applications go through the callee's ALB.
    for (const [caller, callees] of calls) {
      const from = envApps.get(caller);
      if (from === undefined) continue;
      for (const callee of callees) {
        const to = envApps.get(callee);
        if (to === undefined) continue;
        for (const client of from.get('web')!) for (const lb of to.get('lb')!) link(client, lb, 443, dice.real(0.5, 2), 'users', [700, 5000]);
      }
    }
    for (const broker of kafka) link(prometheus, broker, 11001, 1, 'steady', [300, 30000]);
  }
  for (const instance of ec2) {
    if (instance !== prometheus) link(prometheus, instance, 9100, 1, 'steady', [300, 40000]);
    link(instance, dice.one(opensearch), 443, 1, 'steady', [9000, 400]);
  }
  for (const admin of admins) link(admin, bastion, 22, 0.4, 'office', [6000, 30000], true);
  for (const target of dice.shuffled(ec2.filter((slot) => slot !== bastion)).slice(0, dice.between(8, 14))) link(bastion, target, 22, 0.08, 'office', [5000, 20000], true);
  return { slots, links, nats, publicRepos, apps };
}

/** A public unicast address outside the estate's ranges, not yet used. */
export function publicAddress(dice: Dice, used: Set<string>): string {
  for (;;) {
    const ip = `${dice.one([3, 13, 18, 34, 35, 44, 52, 54, 63, 98, 151, 185])}.${dice.between(0, 255)}.${dice.between(0, 255)}.${dice.between(1, 254)}`;
    if (!used.has(ip)) {
      used.add(ip);
      return ip;
    }
  }
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** The node of a slot alive at `hour` (none between a termination and its replacement). */
export function liveAt(slot: Slot, hour: number): Node | undefined {
  return slot.nodes.find((node) => node.from <= hour && hour < node.to);
}
