import { APPS, CROSS_APP_CALLS, DEPARTMENTS, INTERNET_DESTINATIONS, SHARED_SERVICES, type AppSpec, type TierSpec } from './catalog';
import { plantIncidents, type Incident } from './incidents';
import { Random } from '../util/random';

export type Env = 'prod' | 'dev';

/**
 * Bumped whenever the generated traffic changes, so caches of generated
 * data (the benchmarks') are rebuilt rather than silently reused.
 * 2: database standbys replicate from the primary; clients use every broker.
 * 3: planted incidents (scan, lateral movement, exfiltration, cross-environment, beacon).
 */
export const ENTERPRISE_VERSION = 3;

/** A host of the synthetic enterprise, with the ground truth about its role. */
export interface SynthHost {
  readonly ip: string;
  readonly name: string;
  /** Its network interface in the VPC; null for hosts outside (the internet). */
  readonly eni: string | null;
  readonly kind: 'server' | 'shared' | 'workstation' | 'external';
  readonly os: 'linux' | 'windows';
  readonly env?: Env;
  readonly app?: string;
  readonly tier?: TierSpec['tier'];
  readonly dept?: string;
  readonly service?: string;
}

export type TrafficPattern = 'business' | 'steady' | 'nightly';

/** A client's use of a service: connections arrive at `perHour` (scaled by the pattern) to one of `servers`. */
export interface ServiceUse {
  readonly client: SynthHost;
  readonly servers: readonly SynthHost[];
  readonly proto: 6 | 17;
  readonly port: number;
  readonly perHour: number;
  readonly pattern: TrafficPattern;
  /** A pooled/keep-alive connection held for the whole hour (one per hour). */
  readonly persistent: boolean;
  readonly requestBytes: number;
  readonly responseBytes: number;
  /** Blocked by the server's security group: the request is rejected at the server. */
  readonly denied: boolean;
}

export interface Enterprise {
  readonly hosts: readonly SynthHost[];
  readonly uses: readonly ServiceUse[];
  /** Planted attacks and mistakes, with their ground truth (incidents.ts). */
  readonly incidents?: readonly Incident[];
}

export interface EnterpriseConfig {
  readonly seed: number;
  /** How many of the catalogue's applications run (all by default). */
  readonly apps?: number;
  /** Multiplies the number of workstations per department. */
  readonly workstationScale?: number;
  /** Plant the incidents of incidents.ts (default true). */
  readonly incidents?: boolean;
}

const ENI_HEX = '0123456789abcdef';

function eniFor(ip: string, random: Random): string {
  let id = 'eni-0';
  const local = random.fork(ip);
  for (let i = 0; i < 16; i++) id += ENI_HEX[local.int(0, 15)];
  return id;
}

/**
 * Builds the enterprise: address plan 10.0.0.0/24 shared services,
 * 10.1.x.0/24 prod and 10.2.x.0/24 dev application tiers, 10.100.d.0/24
 * department workstations (continued in 10.101.d.0/24, 10.102.d.0/24 … for
 * departments of more than 235), 198.51.100.0/24 internet and
 * 203.0.113.0/24 partners (documentation ranges, never real hosts).
 */
/** Workstation `i` of department `deptIndex`: .20–.254 of 10.100.d.0/24, then .1–.254 of 10.101.d.0/24 and so on. */
function workstationIp(deptIndex: number, i: number): string {
  const first = 235;
  if (i < first) return `10.100.${deptIndex + 1}.${20 + i}`;
  const beyond = i - first;
  return `10.${101 + Math.floor(beyond / 254)}.${deptIndex + 1}.${1 + (beyond % 254)}`;
}

export function buildEnterprise(config: EnterpriseConfig): Enterprise {
  const random = new Random(config.seed);
  const hosts: SynthHost[] = [];
  const uses: ServiceUse[] = [];
  const add = (host: Omit<SynthHost, 'eni'>, internal = true): SynthHost => {
    const full = { ...host, eni: internal ? eniFor(host.ip, random) : null };
    hosts.push(full);
    return full;
  };

  const shared = new Map<string, SynthHost[]>();
  SHARED_SERVICES.forEach((spec, index) => {
    const list: SynthHost[] = [];
    for (let i = 0; i < spec.count; i++) {
      list.push(add({ ip: `10.0.0.${10 + index * 10 + i}`, name: `${spec.name}-${i + 1}`, kind: 'shared', os: spec.os, service: spec.name }));
    }
    shared.set(spec.name, list);
  });
  const svc = (name: string): SynthHost[] => shared.get(name) ?? [];

  const apps = APPS.slice(0, config.apps ?? APPS.length);
  const tierHosts = new Map<string, SynthHost[]>();
  const tierKey = (env: Env, app: string, tier: string) => `${env}/${app}/${tier}`;
  apps.forEach((spec, appIndex) => {
    for (const env of ['prod', 'dev'] as const) {
      spec.tiers.forEach((tier, tierIndex) => {
        const list: SynthHost[] = [];
        const subnet = appIndex * 4 + tierIndex;
        for (let r = 0; r < tier.replicas[env]; r++) {
          list.push(
            add({
              ip: `10.${env === 'prod' ? 1 : 2}.${subnet}.${10 + r}`,
              name: `${env}-${spec.name}-${tier.tier}-${r + 1}`,
              kind: 'server',
              os: tier.os,
              env,
              app: spec.name,
              tier: tier.tier,
            }),
          );
        }
        tierHosts.set(tierKey(env, spec.name, tier.tier), list);
      });
    }
  });

  const workstations = new Map<string, SynthHost[]>();
  DEPARTMENTS.forEach((dept, deptIndex) => {
    const count = Math.max(1, Math.round(dept.workstations * (config.workstationScale ?? 1)));
    const list: SynthHost[] = [];
    for (let i = 0; i < count; i++) {
      list.push(add({ ip: workstationIp(deptIndex, i), name: `ws-${dept.name}-${String(i + 1).padStart(3, '0')}`, kind: 'workstation', os: 'windows', dept: dept.name }));
    }
    workstations.set(dept.name, list);
  });

  const internet: SynthHost[] = [];
  for (let i = 0; i < INTERNET_DESTINATIONS; i++) internet.push(add({ ip: `198.51.100.${10 + i}`, name: `internet-${i + 1}`, kind: 'external', os: 'linux' }, false));

  const use = (client: SynthHost, servers: readonly SynthHost[], proto: 6 | 17, port: number, perHour: number, pattern: TrafficPattern, sizes: [number, number], extra: Partial<Pick<ServiceUse, 'persistent' | 'denied'>> = {}): void => {
    if (servers.length === 0 || servers.every((server) => server === client)) return;
    uses.push({ client, servers: servers.filter((server) => server !== client), proto, port, perHour, pattern, persistent: extra.persistent ?? false, requestBytes: sizes[0], responseBytes: sizes[1], denied: extra.denied ?? false });
  };

  const internal = hosts.filter((host) => host.kind !== 'external');
  const servers = internal.filter((host) => host.kind === 'server' || host.kind === 'shared');
  for (const host of internal) {
    const business: TrafficPattern = host.kind === 'workstation' ? 'business' : 'steady';
    if (host.service !== 'dns') use(host, svc('dns'), 17, 53, host.kind === 'workstation' ? 6 : 3, business, [70, 140]);
    if (host.service !== 'ntp') use(host, svc('ntp'), 17, 123, 0.5, 'steady', [76, 76]);
    if (host.os === 'windows' && host.service !== 'directory') {
      use(host, svc('directory'), 6, 88, 1.5, business, [1400, 1300]);
      use(host, svc('directory'), 6, 389, 1.5, business, [300, 2400]);
      use(host, svc('directory'), 6, 445, 0.5, business, [900, 1800]);
      use(host, svc('patching'), 6, 8530, 0.2, 'steady', [600, 40_000]);
    } else if (host.kind !== 'workstation' && host.service !== 'directory') {
      use(host, svc('directory'), 6, 389, 0.5, 'steady', [300, 2400]);
    }
  }
  for (const host of servers) {
    if (host.service !== 'monitoring') use(svc('monitoring')[0]!, [host], 6, 9100, 1, 'steady', [200, 30_000], { persistent: true });
    // Syslog datagrams to one collector per host (UDP: no reply, no connection).
    if (host.service !== 'logging') use(host, [random.pick(svc('logging'))], 17, 514, 6, 'steady', [4_000, 0]);
  }
  for (const [dept, list] of workstations) {
    for (const ws of list) {
      use(ws, svc('proxy'), 6, 3128, 8, 'business', [2_000, 60_000]);
      use(ws, svc('files'), 6, 445, 2, 'business', [3_000, 200_000]);
      use(ws, svc('mail'), 6, 993, 2, 'business', [1_500, 20_000]);
      for (const spec of apps) {
        if (spec.usedBy.includes(dept)) use(ws, tierHosts.get(tierKey('prod', spec.name, 'web')) ?? [], 6, spec.tiers[0]!.port, 3, 'business', [1_200, 25_000]);
        if (dept === 'engineering') use(ws, tierHosts.get(tierKey('dev', spec.name, 'web')) ?? [], 6, spec.tiers[0]!.port, 0.4, 'business', [1_200, 25_000]);
      }
      if (dept === 'it') {
        use(ws, svc('jump'), 6, 3389, 0.6, 'business', [40_000, 400_000]);
      }
    }
  }
  for (const proxy of svc('proxy')) use(proxy, internet, 6, 443, 40, 'business', [2_000, 60_000]);
  for (const mail of svc('mail')) use(mail, internet.slice(0, 3), 6, 25, 0.5, 'steady', [20_000, 500]);
  for (const host of servers) {
    if (host.kind === 'server') use(svc('jump')[0]!, [host], 6, host.os === 'windows' ? 3389 : 22, 0.03, 'business', [20_000, 80_000]);
  }
  for (const spec of apps) addAppTraffic(spec, tierHosts, tierKey, use, svc);
  for (const cross of CROSS_APP_CALLS) {
    const from = tierHosts.get(tierKey('prod', cross.from, 'app')) ?? [];
    const to = tierHosts.get(tierKey('prod', cross.to, cross.tier)) ?? [];
    const port = APPS.find((spec) => spec.name === cross.to)?.tiers.find((tier) => tier.tier === cross.tier)?.port;
    if (port === undefined) continue;
    for (const client of from) use(client, to, 6, port, 4, 'steady', [800, 30_000], { persistent: cross.tier === 'db' });
  }
  apps.forEach((spec, appIndex) => {
    for (let p = 0; p < (spec.partners ?? 0); p++) {
      const partner = add({ ip: `203.0.113.${10 + appIndex * 4 + p}`, name: `partner-${spec.name}-${p + 1}`, kind: 'external', os: 'linux' }, false);
      for (const client of tierHosts.get(tierKey('prod', spec.name, 'app')) ?? []) use(client, [partner], 6, 443, 5, 'steady', [1_000, 4_000]);
    }
  });
  const incidents = config.incidents === false ? [] : plantIncidents(hosts, uses);
  return { hosts, uses, incidents };
}

function addAppTraffic(
  spec: AppSpec,
  tierHosts: ReadonlyMap<string, SynthHost[]>,
  tierKey: (env: Env, app: string, tier: string) => string,
  use: (client: SynthHost, servers: readonly SynthHost[], proto: 6 | 17, port: number, perHour: number, pattern: TrafficPattern, sizes: [number, number], extra?: Partial<Pick<ServiceUse, 'persistent' | 'denied'>>) => void,
  svc: (name: string) => SynthHost[],
): void {
  for (const env of ['prod', 'dev'] as const) {
    const rate = env === 'prod' ? 1 : 0.2;
    for (const [from, to] of spec.calls) {
      const target = spec.tiers.find((tier) => tier.tier === to);
      if (target === undefined) continue;
      const clients = tierHosts.get(tierKey(env, spec.name, from)) ?? [];
      const servers = tierHosts.get(tierKey(env, spec.name, to)) ?? [];
      const pooled = to === 'db' || to === 'queue';
      for (const client of clients) {
        // Database pools talk to the primary; brokers share partitions, so
        // clients hold a connection to each; stateless tiers are spread by
        // the load balancer.
        const targets = to === 'db' ? servers.slice(0, 1) : servers;
        use(client, targets, target.proto, target.port, pooled ? 1 : 25 * rate, env === 'prod' ? 'business' : 'steady', [900, 12_000], { persistent: pooled });
      }
    }
    // Replication: database standbys stream from the primary; brokers fetch from each other.
    for (const tier of spec.tiers) {
      const members = tierHosts.get(tierKey(env, spec.name, tier.tier)) ?? [];
      if (tier.tier === 'db') for (const standby of members.slice(1)) use(standby, members.slice(0, 1), tier.proto, tier.port, 1, 'steady', [500, 200_000], { persistent: true });
      if (tier.tier === 'queue') for (const broker of members) use(broker, members, tier.proto, tier.port, 1, 'steady', [500, 100_000], { persistent: true });
    }
    for (const client of tierHosts.get(tierKey(env, spec.name, 'app')) ?? []) {
      use(client, svc('mail'), 6, 25, 0.3 * rate, 'steady', [6_000, 300]);
    }
    const backup = svc('backup')[0];
    const dbTier = spec.tiers.find((tier) => tier.tier === 'db');
    if (backup !== undefined && dbTier !== undefined) {
      for (const server of tierHosts.get(tierKey(env, spec.name, 'db')) ?? []) use(backup, [server], 6, 9102, 1, 'nightly', [2_000, 50_000_000]);
    }
  }
  // Dev application servers trying the prod database: blocked by its security group.
  const devApps = tierHosts.get(tierKey('dev', spec.name, 'app')) ?? [];
  const prodDb = tierHosts.get(tierKey('prod', spec.name, 'db')) ?? [];
  const dbPort = spec.tiers.find((tier) => tier.tier === 'db')?.port;
  if (dbPort !== undefined) for (const client of devApps) use(client, prodDb.slice(0, 1), 6, dbPort, 0.05, 'steady', [300, 0], { denied: true });
}
