import { describe, expect, it } from 'vitest';
import { analyseGraph, type GraphOptions } from '../../../src/core/discover/graph-analysis';
import type { ProfileEdge } from '../../../src/core/discover/host-features';

const edge = (client: string, server: string, port: number, proto = 6): ProfileEdge => ({ client, server, proto, port });

/** Every client uses the service on every server. */
function uses(edges: ProfileEdge[], clients: readonly string[], servers: readonly string[], port: number, proto = 6): void {
  for (const client of clients) for (const server of servers) edges.push(edge(client, server, port, proto));
}

/** Analyses named groups; `facts(name)` reads one group's result. */
function analyse(groups: Record<string, readonly string[]>, edges: readonly ProfileEdge[], options: GraphOptions = {}) {
  const hosts = Object.values(groups).flat().sort();
  const names = Object.keys(groups);
  const result = analyseGraph(hosts, names.map((name) => groups[name]!.map((ip) => hosts.indexOf(ip))), edges, options);
  return { result, hosts, facts: (name: string) => result.groups[names.indexOf(name)]! };
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i + 1}`);

/** Two applications (web → app → db), their users, a DNS server everyone uses and a monitoring host that scrapes everyone. */
function estate() {
  const groups: Record<string, string[]> = {
    dns: ['10.0.0.53'],
    monitoring: ['10.0.0.90'],
    usersA: ['10.9.1.1', '10.9.1.2'],
    usersB: ['10.9.2.1', '10.9.2.2'],
    webA: ['10.1.1.1', '10.1.1.2'],
    appA: ['10.1.2.1', '10.1.2.2'],
    dbA: ['10.1.3.1'],
    webB: ['10.2.1.1', '10.2.1.2'],
    appB: ['10.2.2.1'],
    dbB: ['10.2.3.1'],
  };
  const edges: ProfileEdge[] = [];
  for (const [users, web, app, db] of [['usersA', 'webA', 'appA', 'dbA'], ['usersB', 'webB', 'appB', 'dbB']] as const) {
    uses(edges, groups[users]!, groups[web]!, 443);
    uses(edges, groups[web]!, groups[app]!, 8080);
    uses(edges, groups[app]!, groups[db]!, 5432);
  }
  const everyone = Object.values(groups).flat();
  for (const host of everyone) if (host !== '10.0.0.53') edges.push(edge(host, '10.0.0.53', 53, 17));
  for (const host of everyone) if (host !== '10.0.0.90') edges.push(edge('10.0.0.90', host, 9100));
  return { groups, edges };
}

describe('graph analysis', () => {
  const { groups, edges } = estate();
  const { result, hosts, facts } = analyse(groups, edges);

  it('pulls out shared infrastructure: a service everyone uses, a host that polls everyone', () => {
    expect(facts('dns')).toMatchObject({ kind: 'infrastructure', tier: 'infrastructure', community: -1 });
    expect(facts('monitoring')).toMatchObject({ kind: 'infrastructure', tier: 'infrastructure', community: -1, reason: 'polls tcp/9100 on 14 hosts' });
  });

  it('names tiers from the services groups offer and use', () => {
    expect(['usersA', 'webA', 'appA', 'dbA'].map((name) => facts(name).tier)).toEqual(['clients', 'web', 'app', 'data']);
  });

  it('finds each application as a community once infrastructure is left out', () => {
    const a = ['usersA', 'webA', 'appA', 'dbA'].map((name) => facts(name).community);
    const b = ['usersB', 'webB', 'appB', 'dbB'].map((name) => facts(name).community);
    expect(new Set(a).size).toBe(1);
    expect(new Set(b).size).toBe(1);
    expect(a[0]).not.toBe(b[0]);
    expect(result.communities).toBe(2);
    expect(facts('webA').communityShare).toBe(1);
  });

  it('ranks the monitoring host first for reach, then the users who reach web, app and database', () => {
    expect(result.topReach[0]).toEqual({ ip: '10.0.0.90', reaches: hosts.length - 1 });
    expect(result.topReach.find((entry) => entry.ip === '10.9.1.1')!.reaches).toBe(2 + 2 + 1 + 1);
  });

  it('is the same for the same input in another order, and with another seed only community numbers may differ', () => {
    expect(analyse(groups, [...edges].reverse()).result).toEqual(result);
    let state = 7;
    const other = analyse(groups, edges, { random: () => (state = (state * 48271) % 2147483647) / 2147483647 }).result;
    expect(other.groups.map((group) => group.tier)).toEqual(result.groups.map((group) => group.tier));
  });
});

describe('graph analysis: monitoring and backup agents', () => {
  /** Three groups (fewer than infrastructureMinGroups): a monitoring host scraping `scraped` of the 4 servers, users outside. */
  function small(scraped: number) {
    const groups = { monitoring: ['10.0.0.90'], web: range('10.1.1', 2), db: range('10.1.3', 2) };
    const edges: ProfileEdge[] = [];
    uses(edges, ['198.51.100.7'], groups.web, 443);
    uses(edges, groups.web, groups.db, 5432);
    uses(edges, groups.monitoring, [...groups.web, ...groups.db].slice(0, scraped), 9100);
    return analyse(groups, edges);
  }

  it('a host scraping every host is infrastructure, never clients, however few the groups', () => {
    // One collector for 4 servers: 1 ≤ 0.25 × 4, an agent port; polled on 4 ≥ 3 hosts.
    const { facts } = small(4);
    expect(facts('monitoring')).toMatchObject({ kind: 'infrastructure', tier: 'infrastructure', reason: 'polls tcp/9100 on 4 hosts' });
    expect(facts('web').tier).toBe('web');
    expect(facts('db').tier).toBe('data');
  });

  it('one client of 3 servers may be an ordinary client: 1 > 0.25 × 3', () => {
    expect(small(3).facts('monitoring')).toMatchObject({ kind: 'clients', tier: 'clients' });
  });

  it('polling counts from 3 hosts outside the group: 2 is a client of two servers', () => {
    // 8 exporters, 2 pollers: 2 ≤ 0.25 × 8, an agent port. One polls 6 of them, the other 2.
    const groups = { big: ['10.0.0.90'], small: ['10.0.0.91'], a: range('10.1.1', 3), b: range('10.1.2', 3), c: range('10.1.3', 2) };
    const edges: ProfileEdge[] = [];
    uses(edges, groups.a, groups.b, 8080);
    uses(edges, groups.b, groups.c, 5432);
    uses(edges, groups.big, [...groups.a, ...groups.b], 9100);
    uses(edges, groups.small, groups.c, 9100);
    const { facts } = analyse(groups, edges, { infrastructureMinGroups: 99 });
    expect(facts('big')).toMatchObject({ kind: 'infrastructure', reason: 'polls tcp/9100 on 6 hosts' });
    // It serves nothing and uses nothing of note: not clients, not infrastructure.
    expect(facts('small')).toMatchObject({ kind: 'application', tier: 'app' });
    expect(facts('c').tier).toBe('data');
  });

  it('a standby database polled by the backup agent is data, not web, and the backup server is infrastructure', () => {
    const groups = {
      users: range('10.9.1', 3),
      web: range('10.1.1', 2),
      app: range('10.1.2', 2),
      primary: ['10.1.3.1'],
      standby: ['10.1.3.2'],
      backup: ['10.0.0.70'],
    };
    const edges: ProfileEdge[] = [];
    uses(edges, groups.users, groups.web, 443);
    uses(edges, groups.web, groups.app, 8080);
    uses(edges, groups.app, groups.primary, 5432);
    uses(edges, groups.standby, groups.primary, 5432); // replication
    // The backup agent on 4 hosts in 3 groups, one client: 1 ≤ 0.25 × 4.
    uses(edges, groups.backup, [...groups.app, ...groups.primary, ...groups.standby], 9102);
    const { facts } = analyse(groups, edges);
    expect(facts('backup')).toMatchObject({ kind: 'infrastructure', reason: 'polls tcp/9102 on 4 hosts' });
    expect(facts('standby')).toMatchObject({ kind: 'application', tier: 'data' });
    expect(facts('standby').reason).toMatch(/replica/);
    expect(['users', 'web', 'app', 'primary'].map((name) => facts(name).tier)).toEqual(['clients', 'web', 'app', 'data']);
    // On 3 hosts the agent port could be anyone's service: 1 > 0.25 × 3, the backup server is its client.
    const fewer = edges.filter((e) => !(e.port === 9102 && e.server === groups.app[1]));
    expect(analyse(groups, fewer).facts('backup').kind).toBe('clients');
  });
});

describe('graph analysis: administration', () => {
  /** Two applications, their users, IT desks that RDP to a jump host, which administers `administered` servers. */
  function network(administered: number, jumpHosts = ['10.0.0.22']) {
    const groups = {
      users: range('10.9.1', 4),
      it: range('10.9.2', 2),
      jump: jumpHosts,
      web1: range('10.1.1', 2),
      app1: ['10.1.2.1'],
      db1: ['10.1.3.1'],
      web2: range('10.2.1', 2),
      app2: ['10.2.2.1'],
      db2: ['10.2.3.1'],
    };
    const edges: ProfileEdge[] = [];
    for (const [web, app, db] of [[groups.web1, groups.app1, groups.db1], [groups.web2, groups.app2, groups.db2]] as const) {
      uses(edges, groups.users, web, 443);
      uses(edges, web, app, 8080);
      uses(edges, app, db, 5432);
    }
    uses(edges, groups.it, groups.web1, 443);
    uses(edges, groups.it, groups.jump, 3389);
    // 3 hosts in 2 of the 8 other groups: 0.25, below infrastructureShare.
    uses(edges, groups.jump.slice(0, 1), [...groups.web1, ...groups.app1].slice(0, administered), 22);
    return analyse(groups, edges);
  }

  it('a jump host administering 3 hosts and serving nothing else is infrastructure, not web', () => {
    const { facts } = network(3);
    expect(facts('jump')).toMatchObject({ kind: 'infrastructure', tier: 'infrastructure', reason: 'administers 3 hosts and serves nothing else' });
    expect(facts('it').kind).toBe('clients');
    expect(facts('web1').tier).toBe('web');
  });

  it('administering 2 hosts is no role, and RDP from client desks still makes no web tier', () => {
    expect(network(2).facts('jump')).toMatchObject({ kind: 'application', tier: 'app' });
  });

  it('counts administration only when at least half the members do it', () => {
    // One of two members administers: 1 ≥ 0.5 × 2. One of three: 1 < 0.5 × 3.
    expect(network(3, ['10.0.0.22', '10.0.0.23']).facts('jump').kind).toBe('infrastructure');
    expect(network(3, ['10.0.0.22', '10.0.0.23', '10.0.0.24']).facts('jump').kind).not.toBe('infrastructure');
  });

  it('the threshold is an option', () => {
    const { groups, edges } = estate();
    const jumpEdges = [...edges, ...groups.webA!.map((web) => edge('10.0.0.22', web, 22)), edge('10.0.0.22', '10.1.3.1', 22)];
    const withJump = { ...groups, jump: ['10.0.0.22'] };
    expect(analyse(withJump, jumpEdges).facts('jump').kind).toBe('infrastructure');
    expect(analyse(withJump, jumpEdges, { adminMinHosts: 4 }).facts('jump').kind).not.toBe('infrastructure');
  });
});

describe('graph analysis: infrastructure ports', () => {
  /**
   * Six groups; DNS used by the web and app servers only: 2 of 5 groups
   * (< infrastructureShare 0.5) and none of the 10 hosts that serve nothing
   * (users, batch: 0 < infrastructureHostShare). Only its port tells.
   */
  function six(dnsUsers: readonly ('web' | 'app')[]) {
    const groups = { dns: range('10.0.0', 2), users: range('10.9.1', 9), web: range('10.1.1', 2), app: range('10.1.2', 2), db: ['10.1.3.1'], batch: ['10.1.4.1'] };
    const edges: ProfileEdge[] = [];
    uses(edges, groups.users, groups.web, 443);
    uses(edges, groups.web, groups.app, 8080);
    uses(edges, [...groups.app, ...groups.batch], groups.db, 5432);
    uses(edges, groups.batch, groups.app, 8080);
    for (const name of dnsUsers) uses(edges, groups[name], groups.dns, 53, 17);
    return analyse(groups, edges);
  }

  it('DNS servers used by 2 groups of a 6-group network are infrastructure by their port', () => {
    const { facts } = six(['web', 'app']);
    expect(facts('dns')).toMatchObject({ kind: 'infrastructure', tier: 'infrastructure', usedByShare: 0.4 });
    expect(facts('dns').reason).toBe('serves infrastructure ports to 4 of its 4 clients, in 2 groups');
  });

  it('used by one group of several, they are that group’s dependency', () => {
    expect(six(['web']).facts('dns').kind).toBe('application');
  });

  it('needs no minimum number of groups: DNS of a 3-group network', () => {
    const groups = { dns: ['10.0.0.53'], web: range('10.1.1', 2), db: ['10.1.3.1'] };
    const edges: ProfileEdge[] = [];
    uses(edges, ['198.51.100.7'], groups.web, 443);
    uses(edges, groups.web, groups.db, 5432);
    uses(edges, [...groups.web, ...groups.db], groups.dns, 53, 17);
    const { facts } = analyse(groups, edges);
    expect(facts('dns').tier).toBe('infrastructure');
    expect(['web', 'db'].map((name) => facts(name).tier)).toEqual(['web', 'data']);
    expect(analyse(groups, edges, { infrastructurePorts: [] }).facts('dns').kind).toBe('application');
  });

  it('counts when at least half the clients outside the group use those ports', () => {
    // A host serving https to `browsers` users and DNS to 2 hosts of 2 other groups.
    const mixed = (browsers: number) => {
      const groups = { both: ['10.0.0.5'], users: range('10.9.1', browsers), a: ['10.1.1.1'], b: ['10.1.2.1'], c: ['10.1.3.1'] };
      const edges: ProfileEdge[] = [];
      uses(edges, groups.users, groups.both, 443);
      uses(edges, [...groups.a, ...groups.b], groups.both, 53, 17);
      uses(edges, groups.a, groups.c, 5432);
      uses(edges, groups.b, groups.c, 5432);
      // Five groups: 'both' is used by 3 of 4 others, infrastructure by that share alone; leave it out.
      return analyse(groups, edges, { infrastructureMinGroups: 99 }).facts('both');
    };
    expect(mixed(2).kind).toBe('infrastructure'); // 2 of 4 clients: 0.5
    expect(mixed(3)).toMatchObject({ kind: 'application', tier: 'web' }); // 2 of 5: 0.4
  });

  it('a proxy and a file server used by every department are infrastructure; the desks stay clients', () => {
    const groups = { proxy: ['10.0.0.31'], files: ['10.0.0.32'], sales: range('10.9.1', 3), it: range('10.9.2', 2), web: range('10.1.1', 2), db: ['10.1.3.1'] };
    const edges: ProfileEdge[] = [];
    uses(edges, [...groups.sales, ...groups.it], groups.proxy, 3128);
    uses(edges, [...groups.sales, ...groups.it], groups.files, 445);
    uses(edges, groups.proxy, ['198.51.100.7'], 443);
    uses(edges, groups.sales, groups.web, 443);
    uses(edges, groups.web, groups.db, 5432);
    const { facts } = analyse(groups, edges);
    expect(['proxy', 'files'].map((name) => facts(name).kind)).toEqual(['infrastructure', 'infrastructure']);
    // IT uses no application, only the proxy and the shares: still people at desks.
    expect(['sales', 'it'].map((name) => facts(name).kind)).toEqual(['clients', 'clients']);
  });
});

describe('graph analysis: tiers', () => {
  it('an ordinary three-tier application: web, app, data; a leaf store on its own port is data, a leaf HTTP service app', () => {
    const groups = { users: range('10.9.1', 3), web: range('10.1.1', 2), app: range('10.1.2', 2), db: ['10.1.3.1'], graph: ['10.1.4.1'], pricing: ['10.1.5.1'] };
    const edges: ProfileEdge[] = [];
    uses(edges, groups.users, groups.web, 443);
    uses(edges, ['198.51.100.7'], groups.web, 443);
    uses(edges, groups.web, groups.app, 8080);
    uses(edges, groups.app, groups.db, 5432);
    uses(edges, groups.app, groups.graph, 7474);
    uses(edges, groups.app, groups.pricing, 8080);
    const { facts } = analyse(groups, edges);
    expect(['users', 'web', 'app', 'db', 'graph', 'pricing'].map((name) => facts(name).tier)).toEqual(['clients', 'web', 'app', 'data', 'data', 'app']);
    expect(facts('graph').reason).toBe('called only by the app tier, calls nothing, speaks no HTTP');
  });

  it('a web tier reached only from outside is web; its back end called by it is app', () => {
    const groups = { web: range('10.1.1', 2), api: ['10.1.2.1'], cache: ['10.1.3.1'] };
    const edges: ProfileEdge[] = [];
    uses(edges, ['198.51.100.7', '198.51.100.8'], groups.web, 443);
    uses(edges, groups.web, groups.api, 9000);
    uses(edges, groups.api, groups.cache, 6379);
    const { facts } = analyse(groups, edges);
    expect(['web', 'api', 'cache'].map((name) => facts(name).tier)).toEqual(['web', 'app', 'data']);
  });
});
