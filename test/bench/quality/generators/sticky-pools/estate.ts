// The estate of the sticky-pools scenario and who talks to whom: written for
// the quality harness, sharing nothing with src/.
//
// Applications of two to four tiers (web, app, optional cache, database),
// in prod (10.20.0.0/16) and dev (10.30.0.0/16), replicas at random counts.
// Every client replica holds a connection pool to a random SUBSET of the next
// tier's replicas (one replica up to half of them, each replica reached by at
// least one client), as session-sticky load balancers and client-side
// pools do; the database's primary gets the writes from every app replica,
// its read replicas only from some. Workstations use one to three prod
// applications, each through one or two of its web replicas; a few of them
// (developers) also use the dev applications. Several
// applications use the same database port. DNS and NTP for everyone, one
// monitoring host that scrapes every server.
import type { Prng } from '../topology-pods/random';

export type Tier = 'web' | 'app' | 'cache' | 'db';

export interface Host {
  readonly ip: string;
  readonly name: string;
  /** "prod|orders|app", "shared|dns", "desk|users". */
  readonly truth: string;
  readonly env: string | null;
  readonly app: string | null;
  readonly tier: Tier | null;
  readonly server: boolean;
}

export interface Use {
  readonly client: string;
  readonly server: string;
  readonly proto: 6 | 17;
  readonly port: number;
  /** Connections per hour at full rhythm. */
  readonly rate: number;
  /** Only in office hours (people), or all day (services). */
  readonly office: boolean;
}

export interface Estate {
  readonly hosts: readonly Host[];
  readonly uses: readonly Use[];
  readonly desks: readonly string[];
  readonly servers: readonly string[];
}

const APP_NAMES = ['orders', 'billing', 'catalog', 'ledger', 'search', 'tickets', 'payroll', 'crm', 'inventory', 'shipping', 'portal', 'reports', 'booking', 'claims'];
const DB_PORTS = [5432, 3306, 1433, 27017] as const;
const TIER_PORT: Record<Exclude<Tier, 'db'>, number> = { web: 443, app: 8443, cache: 6379 };

export function buildEstate(random: Prng): Estate {
  const hosts: Host[] = [];
  const uses: Use[] = [];
  const addUse = (client: string, server: string, port: number, rate: number, office = false, proto: 6 | 17 = 6) => uses.push({ client, server, proto, port, rate, office });

  const dns = ['10.10.0.2', '10.10.0.3'];
  const ntp = '10.10.0.5';
  const monitor = '10.10.0.9';
  for (const ip of dns) hosts.push({ ip, name: `ns${ip.slice(-1)}`, truth: 'shared|dns', env: null, app: null, tier: null, server: true });
  hosts.push({ ip: ntp, name: 'time1', truth: 'shared|ntp', env: null, app: null, tier: null, server: true });
  hosts.push({ ip: monitor, name: 'mon1', truth: 'shared|monitoring', env: null, app: null, tier: null, server: false });

  const names = random.shuffle(APP_NAMES).slice(0, random.int(9, 12));
  const prodWebs = new Map<string, string[]>();
  const devWebs = new Map<string, string[]>();
  names.forEach((app, index) => {
    for (const env of index % 3 === 2 ? ['prod', 'dev'] : ['prod']) {
      const block = env === 'prod' ? 20 : 30;
      const subnet = index * 4;
      const tiers: Tier[] = random.chance(0.4) ? ['web', 'app', 'cache', 'db'] : ['web', 'app', 'db'];
      const replicas = new Map<Tier, string[]>();
      tiers.forEach((tier, depth) => {
        const count = tier === 'db' ? random.int(1, 3) : env === 'dev' ? random.int(1, 3) : random.int(2, 7);
        const list: string[] = [];
        for (let member = 0; member < count; member++) {
          const ip = `10.${block}.${subnet + depth}.${10 + member * 30 + random.int(0, 20)}`;
          list.push(ip);
          hosts.push({ ip, name: `${env.slice(0, 1)}-${app}-${tier}${member + 1}`, truth: `${env}|${app}|${tier}`, env, app, tier, server: true });
        }
        replicas.set(tier, list);
      });
      (env === 'prod' ? prodWebs : devWebs).set(app, replicas.get('web')!);
      const dbPort = random.pick(DB_PORTS);
      for (let depth = 0; depth + 1 < tiers.length; depth++) {
        const clients = replicas.get(tiers[depth]!)!;
        const next = tiers[depth + 1]!;
        const servers = replicas.get(next)!;
        const port = next === 'db' ? dbPort : TIER_PORT[next];
        if (next === 'db') {
          // Writes go to the primary from every app replica; reads to some replicas.
          for (const client of clients) {
            addUse(client, servers[0]!, port, random.range(1, 4));
            for (const server of servers.slice(1)) if (random.chance(0.5)) addUse(client, server, port, random.range(0.5, 2));
          }
          for (const server of servers.slice(1)) if (!uses.some((use) => use.server === server)) addUse(random.pick(clients), server, port, random.range(0.5, 2));
          continue;
        }
        stickyPools(clients, servers, random, (client, server) => addUse(client, server, port, random.range(0.5, 3)));
      }
    }
  });

  const desks: string[] = [];
  const deskCount = random.int(80, 140);
  for (let index = 0; index < deskCount; index++) {
    const ip = `10.50.${Math.floor(index / 200)}.${(index % 200) + 20}`;
    desks.push(ip);
    hosts.push({ ip, name: `pc${String(index).padStart(4, '0')}`, truth: 'desk|users', env: null, app: null, tier: null, server: false });
    for (const app of random.shuffle([...prodWebs.keys()]).slice(0, random.int(1, 3))) {
      const webs = prodWebs.get(app)!;
      for (const web of random.shuffle(webs).slice(0, Math.min(webs.length, random.int(1, 2)))) addUse(ip, web, 443, random.range(1, 5), true);
    }
  }
  // A few developers also use the dev applications they work on.
  for (const webs of devWebs.values()) {
    for (const desk of random.shuffle(desks).slice(0, random.int(2, 5))) {
      for (const web of random.shuffle(webs).slice(0, Math.min(webs.length, random.int(1, 2)))) addUse(desk, web, 443, random.range(0.5, 3), true);
    }
  }
  // Every web replica has users, so none is idle by chance.
  for (const webs of [...prodWebs.values(), ...devWebs.values()]) for (const web of webs) if (!uses.some((use) => use.server === web)) addUse(random.pick(desks), web, 443, random.range(1, 5), true);

  const servers = hosts.filter((host) => host.server && host.truth !== 'shared|dns' && host.truth !== 'shared|ntp').map((host) => host.ip);
  for (const host of hosts) {
    if (dns.includes(host.ip)) continue;
    addUse(host.ip, random.pick(dns), 53, random.range(0.5, 2), false, 17);
    if (host.server) addUse(host.ip, ntp, 123, 1, false, 17);
  }
  for (const server of servers) addUse(monitor, server, 9100, 1);
  return { hosts, uses, desks, servers };
}

/** Each client reaches one replica up to half of them; every server gets at least one client. */
function stickyPools(clients: readonly string[], servers: readonly string[], random: Prng, add: (client: string, server: string) => void): void {
  const reached = new Set<string>();
  const pairs = new Set<string>();
  for (const client of clients) {
    const size = random.int(1, Math.max(1, Math.ceil(servers.length / 2)));
    for (const server of random.shuffle(servers).slice(0, size)) {
      pairs.add(`${client}>${server}`);
      reached.add(server);
    }
  }
  for (const server of servers) if (!reached.has(server)) pairs.add(`${random.pick(clients)}>${server}`);
  for (const pair of [...pairs].sort()) {
    const [client, server] = pair.split('>') as [string, string];
    add(client, server);
  }
}
