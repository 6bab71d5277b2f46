import { describe, expect, it } from 'vitest';
import { GroupDescriber } from '../../../src/core/discover/describe-groups';
import { GROUP_NAME_DEFAULTS, parseServiceText } from '../../../src/core/discover/group-names';
import { buildHostFeatures, type ProfileHost } from '../../../src/core/discover/host-features';

interface Edge {
  client: string;
  server: string;
  proto: number;
  port: number;
  flows?: number;
}

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.includes(':') ? ip : ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const tcp = (client: string, server: string, port: number, flows = 1): Edge => ({ client, server, proto: 6, port, flows });
/** Every address on the edges is a host unless `external` says otherwise; `labels` by address. */
function world(edges: readonly Edge[], labels: Record<string, Record<string, string>> = {}, external: readonly string[] = [], observedServices = new Map<string, string>()) {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].filter((ip) => !external.includes(ip));
  const features = buildHostFeatures(ips.map((ip) => host(ip, labels[ip])), edges);
  const index = (ip: string) => features.hosts.findIndex((h) => h.ip === ip);
  const describer = new GroupDescriber(features, new Map(), { edges, observedServices });
  /** Names of groups given as lists of addresses, through describeGroups (unique names). */
  const names = (...groups: string[][]) => describer.describeGroups(groups.map((members) => members.map(index))).map((d) => d.name);
  /** Names through describeGroups, with what each group's connections carry (null: not parted by size). */
  const namesWithSizes = (sizes: readonly (string | null)[], ...groups: string[][]) =>
    describer.describeGroups(groups.map((members) => members.map(index)), (group) => sizes[group] ?? null).map((d) => d.name);
  /** One group's name, through describe() (no grouping known). */
  const name = (...members: string[]) => describer.describe(members.map(index)).name;
  return { features, index, names, namesWithSizes, name };
}
const range = (prefix: string, from: number, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);

describe('the service part of a name', () => {
  it('is the server port most distinct clients use, then most flows', () => {
    // 7001: 3 clients; 7002: 2 clients with many more flows. Hosts decide first.
    const hosts = world([...range('10.0.0.', 1, 3).map((c) => tcp(c, '10.0.1.1', 7001)), ...range('10.0.0.', 1, 2).map((c) => tcp(c, '10.0.1.1', 7002, 100))]);
    expect(hosts.name('10.0.1.1')).toBe('tcp/7001');
    // 2 clients each: 7002's 10 flows beat 7001's 2.
    const flows = world([...range('10.0.0.', 1, 2).map((c) => tcp(c, '10.0.1.1', 7001)), ...range('10.0.0.', 1, 2).map((c) => tcp(c, '10.0.1.1', 7002, 5))]);
    expect(flows.name('10.0.1.1')).toBe('tcp/7002');
  });

  it('ignores remote administration, however many use it ("web · rdp tcp/3389")', () => {
    const w = world([tcp('10.0.0.1', '10.0.1.1', 443), ...range('10.0.0.', 2, 3).map((c) => tcp(c, '10.0.1.1', 3389))], { '10.0.1.1': { env: 'prod', app: 'billing', tier: 'web' } });
    expect(w.name('10.0.1.1')).toBe('prod · billing · web · https tcp/443');
    // Serving only administration, it is said so, not named by it.
    const only = world([tcp('10.0.0.1', '10.0.1.1', 3389)]);
    expect(only.name('10.0.1.1')).toBe('remote administration only (rdp tcp/3389)');
  });

  it('names a server by remote administration that 12 client hosts or more come to for, at 4 or more per server (SFTP, a terminal server)', () => {
    expect(GROUP_NAME_DEFAULTS).toMatchObject({ adminHubMinClients: 12, adminHubMinClientsPerServer: 4 });
    // 14 store servers pull files over SSH from one server that one monitor also scrapes on 9100: its role is SFTP.
    const sftp = world([...range('10.100.0.', 1, 14).map((c) => tcp(c, '10.10.10.40', 22)), tcp('10.10.0.9', '10.10.10.40', 9100)]);
    expect(sftp.name('10.10.10.40')).toBe('ssh tcp/22');
    // 11 clients are not a hub; nor 12 on 4 servers (3 per server): the other service names them.
    const eleven = world([...range('10.100.0.', 1, 11).map((c) => tcp(c, '10.10.10.40', 22)), tcp('10.10.0.9', '10.10.10.40', 9100)]);
    expect(eleven.name('10.10.10.40')).toBe('tcp/9100');
    const spread = world([...range('10.100.0.', 1, 12).map((c, i) => tcp(c, `10.10.10.${40 + (i % 4)}`, 22)), tcp('10.10.0.9', '10.10.10.40', 9100)]);
    expect(spread.name('10.10.10.40', '10.10.10.41', '10.10.10.42', '10.10.10.43')).toBe('tcp/9100');
  });

  it('names SMB only when most of the group clients use it (a file server), not a jump host reaching an app server', () => {
    // 3 of 4 clients use SMB: > 0.5, the file server's role.
    const files = world([...range('10.0.0.', 1, 3).map((c) => tcp(c, '10.0.1.1', 445)), tcp('10.0.0.4', '10.0.1.1', 8443)]);
    expect(files.name('10.0.1.1')).toBe('smb tcp/445');
    // 2 of 4: exactly half is not most; the app server keeps its own service although SMB ties on clients.
    const app = world([...range('10.0.0.', 1, 2).map((c) => tcp(c, '10.0.1.1', 445)), ...range('10.0.0.', 3, 2).map((c) => tcp(c, '10.0.1.1', 8443))]);
    expect(app.name('10.0.1.1')).toBe('https-alt tcp/8443');
  });

  it('ignores what every serving host offers to a few collectors (node exporter), and names the collector "monitoring"', () => {
    // 4 app servers serve 8080 to two clients and 9100 to the one monitoring host: 9100 has 4 servers
    // (4 ≥ 0.5 × 4 serving hosts) and 1 client (1 ≤ 0.25 × 4).
    const apps = range('10.0.1.', 1, 4);
    const edges = [...apps.flatMap((s) => [tcp('10.0.0.1', s, 8080), tcp('10.0.0.2', s, 8080)]), ...apps.map((s) => tcp('10.9.0.1', s, 9100))];
    const w = world(edges);
    expect(w.name(...apps)).toBe('http-alt tcp/8080');
    expect(w.name('10.9.0.1')).toBe('monitoring (scrapes node-exporter tcp/9100 on 4 hosts)');
    // A second collector: 2 clients > 0.25 × 4 servers. Not a collector's port any more: 9100 is just a port (JetDirect printers use it).
    const two = world([...edges, ...apps.map((s) => tcp('10.9.0.2', s, 9100))]);
    expect(two.name('10.9.0.1', '10.9.0.2')).toBe('clients of tcp/9100');
  });

  it('says "prometheus" for 9090 only when few clients query it and it scrapes many hosts (not a Thrift service)', () => {
    const targets = range('10.0.2.', 1, GROUP_NAME_DEFAULTS.scrapeMinHosts);
    const scrape = (n: number) => targets.slice(0, n).map((s) => tcp('10.9.0.1', s, 9100));
    const grafana = (n: number) => range('10.0.3.', 1, n).map((c) => tcp(c, '10.9.0.1', 9090));
    // 3 clients (≤ fewClients) and 5 scraped hosts (≥ scrapeMinHosts).
    expect(world([...scrape(5), ...grafana(3)]).name('10.9.0.1')).toBe('prometheus tcp/9090');
    // 4 clients: a service many use.
    expect(world([...scrape(5), ...grafana(4)]).name('10.9.0.1')).toBe('tcp/9090');
    // 4 scraped hosts: not enough to call it a scraper.
    expect(world([...scrape(4), ...grafana(3)]).name('10.9.0.1')).toBe('tcp/9090');
    // A Thrift service on 9090 used by application servers and scraping nothing.
    expect(world(grafana(2)).name('10.9.0.1')).toBe('tcp/9090');
    // A Thrift service sending its traces to the jaeger agent of every node (udp/6831 on 5 hosts):
    // those agents serve many clients, so that is calling a service, not scraping exporters.
    const agents = range('10.0.4.', 1, GROUP_NAME_DEFAULTS.scrapeMinHosts);
    const traces = ['10.9.0.1', ...range('10.0.5.', 1, 4)].flatMap((c) => agents.map((agent) => ({ client: c, server: agent, proto: 17, port: 6831, flows: 1 })));
    expect(world([...traces, ...grafana(2)]).name('10.9.0.1')).toBe('tcp/9090');
  });

  it("prints the protocol the sensor found on most of the group's servers, over the port's name", () => {
    const edges = range('10.0.3.', 1, 2).flatMap((c) => [tcp(c, '10.9.0.1', 9090), tcp(c, '10.9.0.2', 9090), tcp(c, '10.9.0.3', 9090)]);
    const http = (...ips: string[]) => new Map(ips.map((ip) => [`${ip}|6|9090`, 'http']));
    expect(world(edges, {}, [], http('10.9.0.1', '10.9.0.2')).name('10.9.0.1', '10.9.0.2', '10.9.0.3')).toBe('http tcp/9090');
    // One of three servers is not most of them: the port alone.
    expect(world(edges, {}, [], http('10.9.0.1')).name('10.9.0.1', '10.9.0.2', '10.9.0.3')).toBe('tcp/9090');
    // SSH on a web port is named for what it is.
    expect(world([tcp('10.0.3.1', '10.9.0.5', 443)], {}, [], new Map([['10.9.0.5|6|443', 'ssh']])).name('10.9.0.5')).toBe('ssh tcp/443');
  });

  it('prints http-alt for 9000 never (php-fpm, ClickHouse…), cassandra for 7000 only between the nodes', () => {
    expect(world([tcp('10.0.0.1', '10.0.1.1', 9000)]).name('10.0.1.1')).toBe('tcp/9000');
    const ring = world([tcp('10.0.1.1', '10.0.1.2', 7000), tcp('10.0.1.2', '10.0.1.1', 7000)]);
    expect(ring.name('10.0.1.1', '10.0.1.2')).toBe('cassandra tcp/7000');
    expect(world([tcp('10.0.0.1', '10.0.1.1', 7000)]).name('10.0.1.1')).toBe('tcp/7000');
  });

  it('names protocols without ports by name and ICMP by type, never "proto2", "tcp/0" or "icmp/11"', () => {
    const w = world([
      { client: '10.0.0.1', server: '10.0.1.1', proto: 1, port: 11 },
      { client: '10.0.0.1', server: '10.0.1.2', proto: 2, port: -1 },
      { client: '10.0.0.1', server: '10.0.1.3', proto: 1, port: 8 },
      { client: '10.0.0.1', server: '10.0.1.4', proto: 6, port: 0 },
      { client: '10.0.0.1', server: '10.0.1.5', proto: 58, port: 135 },
      { client: '10.0.0.2', server: '10.0.1.6', proto: 6, port: 443 },
      { client: '10.0.0.2', server: '10.0.1.6', proto: 1, port: 3 },
    ]);
    expect(w.name('10.0.1.1')).toBe('ICMP time-exceeded');
    expect(w.name('10.0.1.2')).toBe('IGMP');
    expect(w.name('10.0.1.3')).toBe('ICMP echo');
    expect(w.name('10.0.1.4')).toBe('no identifiable service');
    expect(w.name('10.0.1.5')).toBe('ICMPv6 neighbor-solicitation');
    // An ICMP error never outranks a port.
    expect(w.name('10.0.1.6')).toBe('https tcp/443');
  });
});

describe('groups that serve nothing', () => {
  // Four workstations use the billing web (specific) and DNS (every host uses it).
  const desks = range('10.5.0.', 1, 4);
  const edges = [...desks.map((d) => tcp(d, '10.1.0.1', 443)), ...[...desks, '10.1.0.1'].map((c) => ({ client: c, server: '10.0.0.53', proto: 17, port: 53 }))];

  it('are named by their labels when they have any', () => {
    const w = world(edges, Object.fromEntries(desks.map((d) => [d, { department: 'finance' }])));
    expect(w.name(...desks)).toBe('finance');
  });

  it('else by the most specific service they use', () => {
    expect(world(edges).name(...desks)).toBe('clients of https tcp/443');
  });

  it('never by the RPC endpoint of the domain controller they use, however rare its port', () => {
    // A shop's three PCs use their site's controller (it drew tcp/49680 at boot; they ask its mapper first) and
    // the till application on 8443; the other shops' PCs (their controller drew 49674) use the same application.
    const shop = range('10.100.1.', 10, 3);
    const others = range('10.100.2.', 10, 6);
    const domain = (pcs: readonly string[], dc: string, port: number) => pcs.flatMap((pc) => [tcp(pc, dc, 135, 4), tcp(pc, dc, port, 4), tcp(pc, '10.10.20.10', 8443, 30)]);
    // Servers ask the controllers' mappers too: every Windows host does.
    const servers = range('10.10.30.', 10, 4).map((server) => tcp(server, '10.10.10.10', 135, 4));
    const w = world([...domain(shop, '10.10.10.11', 49680), ...domain(others, '10.10.10.10', 49674), ...servers]);
    expect(w.name(...shop)).toBe('clients of https-alt tcp/8443');
    // Without the mapper, 49680 is a service of its own, and the rarest thing they use.
    const own = world([...domain(shop, '10.10.10.11', 49680), ...domain(others, '10.10.10.10', 49674), ...servers].filter((edge) => edge.port !== 135));
    expect(own.name(...shop)).toBe('clients of tcp/49680');
  });

  it('are administration when most members reach at least adminMinHosts hosts over remote administration', () => {
    const servers = range('10.1.0.', 1, GROUP_NAME_DEFAULTS.adminMinHosts);
    const jump = world(servers.map((s) => tcp('10.7.0.1', s, 22)));
    expect(jump.name('10.7.0.1')).toBe('administration (ssh tcp/22 on 3 hosts)');
    const fewer = world(servers.slice(1).map((s) => tcp('10.7.0.1', s, 22)));
    expect(fewer.name('10.7.0.1')).toBe('clients of ssh tcp/22');
    // One of three members does it (1 < 0.5 × 3): a workstation group with one admin is not administration.
    const desk = world([...servers.map((s) => tcp('10.7.0.1', s, 22)), tcp('10.7.0.2', '10.1.0.1', 8080), tcp('10.7.0.3', '10.1.0.1', 8080)]);
    expect(desk.name('10.7.0.1', '10.7.0.2', '10.7.0.3')).toBe('clients of http-alt tcp/8080');
  });

  it('poll an agent offered across groups ("polls tcp/9102"), which then names none of those groups', () => {
    // Backup reaches 4 database hosts on 9102 (1 client ≤ 0.25 × 4 servers); 6 web hosts serve 443 to two clients,
    // so 4 of 10 serving hosts are not half: only the grouping shows 9102 spans unrelated groups.
    const dbs = range('10.2.0.', 1, 4);
    const webs = range('10.3.0.', 1, 6);
    const edges = [
      ...dbs.map((s) => tcp('10.8.0.1', s, 9102)),
      ...webs.flatMap((s) => [tcp('10.4.0.1', s, 443), tcp('10.4.0.2', s, 443)]),
      ...dbs.flatMap((s) => [tcp('10.3.0.1', s, 5432), tcp('10.3.0.2', s, 5432)]),
    ];
    const w = world(edges);
    const clients = ['10.4.0.1', '10.4.0.2'];
    // Three database groups (collectorMinGroups).
    const [backup, ...databases] = w.names(['10.8.0.1'], dbs.slice(0, 2), [dbs[2]!], [dbs[3]!], webs, clients);
    expect(backup).toBe('polls tcp/9102 on 4 hosts');
    expect(databases.slice(0, 3).map((n) => n!.split(' · ')[0])).toEqual(['postgresql tcp/5432', 'postgresql tcp/5432', 'postgresql tcp/5432']);
    // Two groups hold them: 9102 may be what these databases are for.
    const two = w.names(['10.8.0.1'], dbs.slice(0, 3), [dbs[3]!], webs, clients);
    expect(two[0]).toBe('clients of tcp/9102');
    // Without the grouping (describe alone), only "every serving host" counts.
    expect(w.name('10.8.0.1')).toBe('clients of tcp/9102');
  });
});

describe('unique names', () => {
  // Two web groups both serving https: told apart by what differs for each.
  const edges = [tcp('10.5.0.1', '10.1.0.1', 443), tcp('10.5.0.2', '10.1.0.1', 443), tcp('10.6.0.1', '10.1.1.1', 443), tcp('10.6.0.2', '10.1.1.1', 443)];

  it('by an agreed label missing from the name', () => {
    const w = world(edges, { '10.1.0.1': { site: 'lon' }, '10.1.1.1': { site: 'par' } });
    expect(w.names(['10.1.0.1'], ['10.1.1.1'])).toEqual(['https tcp/443 · site=lon', 'https tcp/443 · site=par']);
  });

  it('by the group their clients are in', () => {
    const w = world(edges, { '10.5.0.1': { dept: 'finance' }, '10.5.0.2': { dept: 'finance' }, '10.6.0.1': { dept: 'sales' }, '10.6.0.2': { dept: 'sales' } });
    expect(w.names(['10.1.0.1'], ['10.1.1.1'], ['10.5.0.1', '10.5.0.2'], ['10.6.0.1', '10.6.0.2'])).toEqual([
      'https tcp/443 · used by finance',
      'https tcp/443 · used by sales',
      'finance',
      'sales',
    ]);
  });

  it('by what their connections carry, where message sizes parted them, before their address block', () => {
    const shared = [tcp('10.5.0.1', '10.1.0.1', 443), tcp('10.5.0.1', '10.1.1.1', 443)];
    expect(world(shared).namesWithSizes(['6.7 kB per connection', '2.9 kB per connection'], ['10.1.0.1'], ['10.1.1.1'])).toEqual([
      'https tcp/443 · 6.7 kB per connection',
      'https tcp/443 · 2.9 kB per connection',
    ]);
    // One namesake that sizes did not part keeps its name; two such namesakes fall back to what comes next.
    const three = [...shared, tcp('10.5.0.1', '10.1.2.1', 443)];
    expect(world(three).namesWithSizes(['6.7 kB per connection', null, '2.9 kB per connection'], ['10.1.0.1'], ['10.1.1.1'], ['10.1.2.1'])).toEqual([
      'https tcp/443 · 6.7 kB per connection',
      'https tcp/443',
      'https tcp/443 · 2.9 kB per connection',
    ]);
    expect(world(three).namesWithSizes(['6.7 kB per connection', null, null], ['10.1.0.1'], ['10.1.1.1'], ['10.1.2.1'])).toEqual([
      'https tcp/443 · 10.1.0.1/32',
      'https tcp/443 · 10.1.1.1/32',
      'https tcp/443 · 10.1.2.1/32',
    ]);
  });

  it('by their address block, and numbered in canonical order as a last resort', () => {
    const shared = [tcp('10.5.0.1', '10.1.0.1', 443), tcp('10.5.0.1', '10.1.1.1', 443)];
    expect(world(shared).names(['10.1.0.1'], ['10.1.1.1'])).toEqual(['https tcp/443 · 10.1.0.1/32', 'https tcp/443 · 10.1.1.1/32']);
    const v6 = world([tcp('fd00::1', 'fd00::a', 443), tcp('fd00::1', 'fd00::b', 443)]);
    expect(v6.names(['fd00::a'], ['fd00::b'])).toEqual(['https tcp/443 · #1', 'https tcp/443 · #2']);
    // The same numbers whatever order the groups come in.
    expect(v6.names(['fd00::b'], ['fd00::a'])).toEqual(['https tcp/443 · #2', 'https tcp/443 · #1']);
  });
});

describe('evidence without edges', () => {
  it('reads the same names back from the features', () => {
    const apps = range('10.0.1.', 1, 4);
    const edges = [...apps.flatMap((s) => [tcp('10.0.0.1', s, 8080), tcp('10.0.0.2', s, 8080)]), ...apps.map((s) => tcp('10.9.0.1', s, 9100))];
    const features = buildHostFeatures([...new Set(edges.flatMap((e) => [e.client, e.server]))].map((ip) => host(ip)), edges);
    const describer = new GroupDescriber(features, new Map());
    const index = (ip: string) => features.hosts.findIndex((h) => h.ip === ip);
    expect(describer.describeGroups([apps.map(index), [index('10.9.0.1')], [index('10.0.0.1'), index('10.0.0.2')]]).map((d) => d.name)).toEqual([
      'http-alt tcp/8080',
      'monitoring (scrapes node-exporter tcp/9100 on 4 hosts)',
      'clients of http-alt tcp/8080',
    ]);
  });

  it('parses service texts of host features back', () => {
    expect(['tcp/443', 'udp/53', 'icmp/11', 'icmp6', 'proto2', 'proto132/5060', 'tcp/x'].map(parseServiceText)).toEqual([
      { proto: 6, port: 443 },
      { proto: 17, port: 53 },
      { proto: 1, port: 11 },
      { proto: 58, port: -1 },
      { proto: 2, port: -1 },
      { proto: 132, port: 5060 },
      null,
    ]);
  });
});
