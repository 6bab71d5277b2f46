import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { identityValues, inventoryIdentity } from '../../../src/core/discover/join-by-identity';
import { propagateIdentity, type ServiceClient } from '../../../src/core/discover/propagate-identity';
import { serviceText, type HostFeatures, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';

// Hand-made estates where behaviour splits the replicas of a tier (each client keeps to some replicas)
// and the inventory labels half of them (propagate-identity.ts).

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });
const record = (env: string, app: string, tier: string) => ({ env, app, tier });

/**
 * Applications `apps` in environment block `block` (10.<block>.<app>.x): two web replicas on 443, used by the
 * desks; three app replicas on 8443, web 1 keeping to app replicas 1 and 2, web 2 to replica 3; a database on
 * 5432 every app replica uses. Every host uses the shared DNS server; a monitoring host scrapes every server on
 * 9100 and a jump host reaches each over SSH. `labelled` says which hosts carry their inventory record.
 */
function estate(apps: readonly { name: string; env: string; block: number; index: number }[], labelled: (ip: string) => boolean) {
  const hosts: ProfileHost[] = [host('10.10.0.2', record('shared', 'dns', 'infra')), host('10.10.0.9'), host('10.10.0.7')];
  const edges: ProfileEdge[] = [];
  const desks = Array.from({ length: 6 }, (_, i) => `10.50.0.${i + 1}`);
  hosts.push(...desks.map((ip) => host(ip)));
  for (const app of apps) {
    const ip = (tier: number, n: number) => `10.${app.block}.${app.index * 4 + tier}.${n}`;
    const add = (address: string, tier: string) => hosts.push(host(address, labelled(address) ? record(app.env, app.name, tier) : {}));
    const webs = [ip(0, 1), ip(0, 2)];
    const appServers = [ip(1, 1), ip(1, 2), ip(1, 3)];
    const db = ip(2, 1);
    webs.forEach((web) => add(web, 'web'));
    appServers.forEach((server) => add(server, 'app'));
    add(db, 'db');
    edges.push(tcp(webs[0]!, appServers[0]!, 8443), tcp(webs[0]!, appServers[1]!, 8443), tcp(webs[1]!, appServers[2]!, 8443));
    for (const server of appServers) edges.push(tcp(server, db, 5432));
    desks.forEach((desk, i) => edges.push(tcp(desk, webs[i % 2]!, 443)));
  }
  for (const h of hosts) if (h.ip !== '10.10.0.2') edges.push({ client: h.ip, server: '10.10.0.2', proto: 17, port: 53 });
  const servers = [...new Set(edges.filter((e) => e.port !== 53).map((e) => e.server))].sort();
  for (const server of servers) edges.push(tcp('10.10.0.9', server, 9100), tcp('10.10.0.7', server, 22));
  return { hosts, edges };
}

/** Runs the propagation over groups that behaviour would give: each labelled identity's hosts together, every other host alone. */
function propagate({ hosts, edges }: ReturnType<typeof estate>): string[][] {
  const features = discoveryFeatures({ hosts, edges });
  const recorded = inventoryIdentity(identityValues(features));
  const byIdentity = new Map<string, number[]>();
  const groups: number[][] = [];
  features.hosts.forEach((_, index) => {
    const identity = recorded.get(index);
    if (identity === undefined) groups.push([index]);
    else byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), index]);
  });
  groups.push(...byIdentity.values());
  const { clients, servers } = peersOf(features, edges);
  return propagateIdentity(features, groups, recorded, clients, servers).map((group) => group.map((i) => features.hosts[i]!.ip));
}

/** Each host's clients with the service each used, and each host's servers. */
function peersOf(features: HostFeatures, edges: readonly ProfileEdge[]) {
  const index = new Map(features.hosts.map((h, i) => [h.ip, i]));
  const clients = new Map<number, ServiceClient[]>();
  const servers = new Map<number, string[]>();
  for (const edge of edges) {
    clients.set(index.get(edge.server)!, [...(clients.get(index.get(edge.server)!) ?? []), { service: serviceText(edge.proto, edge.port), client: edge.client }]);
    servers.set(index.get(edge.client)!, [...(servers.get(index.get(edge.client)!) ?? []), edge.server]);
  }
  return { clients, servers };
}

const groupWith = (groups: string[][], ip: string): string[] => groups.find((group) => group.includes(ip))!;

describe('propagateIdentity', () => {
  // Labelled: the first web, the first app replica and the database of each application.
  const firstOfTier = (ip: string) => ip.endsWith('.1');

  it('brings the unlabelled replicas of each tier to their labelled ones, tier by tier, and never to the parallel application', () => {
    const groups = propagate(estate([{ name: 'orders', env: 'prod', block: 20, index: 0 }, { name: 'billing', env: 'prod', block: 20, index: 1 }], firstOfTier));
    expect(groupWith(groups, '10.20.1.1')).toEqual(['10.20.1.1', '10.20.1.2', '10.20.1.3']);
    expect(groupWith(groups, '10.20.0.1')).toEqual(['10.20.0.1', '10.20.0.2']);
    expect(groupWith(groups, '10.20.5.1')).toEqual(['10.20.5.1', '10.20.5.2', '10.20.5.3']);
    expect(groupWith(groups, '10.20.4.1')).toEqual(['10.20.4.1', '10.20.4.2']);
  });

  it('keeps a dev copy apart from prod: its replicas use dev servers', () => {
    const groups = propagate(estate([{ name: 'orders', env: 'prod', block: 20, index: 0 }, { name: 'orders', env: 'dev', block: 30, index: 0 }], firstOfTier));
    expect(groupWith(groups, '10.20.1.1')).toEqual(['10.20.1.1', '10.20.1.2', '10.20.1.3']);
    expect(groupWith(groups, '10.30.1.1')).toEqual(['10.30.1.1', '10.30.1.2', '10.30.1.3']);
  });

  it('does not take the shared DNS server, the scrape or SSH for evidence: they name no application', () => {
    // Only orders' first web server carries a record. Billing's web servers serve the same port to the same
    // desks, and the only named peer they have in common with it is the DNS server every host uses.
    const groups = propagate(estate([{ name: 'orders', env: 'prod', block: 20, index: 0 }, { name: 'billing', env: 'prod', block: 20, index: 1 }], (ip) => ip === '10.20.0.1'));
    expect(groupWith(groups, '10.20.0.1')).toEqual(['10.20.0.1']);
    expect(groupWith(groups, '10.20.4.1')).toEqual(['10.20.4.1']);
  });

  it('leaves a group whose labelled members disagree with no majority where it is: joining one identity would overrule the other', () => {
    // orders: app replica 1 filed orders/app alone (the anchor); replicas 2 and 3 behave alike and form one
    // group, but replica 2 is filed orders/app and replica 3 billing/app, one each.
    const { hosts, edges } = estate([{ name: 'orders', env: 'prod', block: 20, index: 0 }], (ip) => ['10.20.0.1', '10.20.0.2', '10.20.1.1', '10.20.1.2', '10.20.2.1'].includes(ip));
    const relabelled = hosts.map((h) => (h.ip === '10.20.1.3' ? host(h.ip, record('prod', 'billing', 'app')) : h));
    const features = discoveryFeatures({ hosts: relabelled, edges });
    const recorded = inventoryIdentity(identityValues(features));
    const index = new Map(features.hosts.map((h, i) => [h.ip, i]));
    const pair = [index.get('10.20.1.2')!, index.get('10.20.1.3')!];
    const groups = [...features.hosts.flatMap((_, i) => (pair.includes(i) ? [] : [[i]])), pair];
    const { clients, servers } = peersOf(features, edges);
    const result = propagateIdentity(features, groups, recorded, clients, servers).map((group) => group.map((i) => features.hosts[i]!.ip));
    expect(groupWith(result, '10.20.1.1')).toEqual(['10.20.1.1']);
    expect(groupWith(result, '10.20.1.3')).toEqual(['10.20.1.2', '10.20.1.3']);
  });

  it("counts as a group's clients only those of the ports its role is: a file-transfer server is not the printers whose port its exporter shares", () => {
    // Shops' store servers (filed) pull files over SSH from a file-transfer server (filed) and print to their
    // shop's label printer on tcp/9100 (not filed); the monitoring host scrapes node_exporter, also on tcp/9100,
    // on the file-transfer server and on two application servers. SSH is administration's port, so the
    // file-transfer server's ports say only tcp/9100, and the store servers are clients of both.
    const hosts: ProfileHost[] = [host('10.10.0.2', record('shared', 'dns', 'infra')), host('10.10.0.9'), host('10.10.10.40', record('prod', 'mft', 'transfer'))];
    const edges: ProfileEdge[] = [tcp('10.10.0.9', '10.10.10.40', 9100)];
    for (const app of ['10.20.0.1', '10.20.0.2']) {
      hosts.push(host(app, record('prod', 'orders', 'app')));
      edges.push(tcp('10.10.0.9', app, 9100), tcp('10.50.0.1', app, 8443));
    }
    hosts.push(host('10.50.0.1'));
    for (let n = 1; n <= 4; n++) {
      const [store, printer, office] = [`10.100.${n}.20`, `10.100.${n}.130`, `10.100.${n}.65`];
      hosts.push(host(store, record('prod', 'store', 'server')), host(printer), host(office));
      edges.push(tcp(store, '10.10.10.40', 22), tcp(store, printer, 9100), tcp(office, printer, 9100), tcp(office, store, 8443));
    }
    for (const h of hosts) if (h.ip !== '10.10.0.2') edges.push({ client: h.ip, server: '10.10.0.2', proto: 17, port: 53 });
    const groups = propagate({ hosts, edges });
    expect(groupWith(groups, '10.10.10.40')).toEqual(['10.10.10.40']);
  });

  it('tells apart load balancers of two applications by the ports of the back ends they use, where no label names those back ends', () => {
    // Staging in one block: three applications' web tiers (ledger and checkout filed, catalog's web filed, media's
    // not) call two internal load balancers and a Secrets Manager endpoint, all on 443. Catalog's balancers send
    // to their web tier on 8081, media's to theirs on 5000; the endpoint calls nothing. One media balancer is filed.
    const hosts: ProfileHost[] = [host('10.60.9.2', record('shared', 'dns', 'infra'))];
    const edges: ProfileEdge[] = [];
    const webs = { ledger: '10.60.33.10', checkout: '10.60.33.20', catalog: '10.60.33.179', media: '10.60.33.69' };
    hosts.push(host(webs.ledger, record('staging', 'ledger', 'web')), host(webs.checkout, record('staging', 'checkout', 'web')));
    hosts.push(host(webs.catalog, record('staging', 'catalog', 'web')), host(webs.media));
    const balancers = [
      { ip: '10.60.0.46', back: webs.catalog, port: 8081, filed: false },
      { ip: '10.60.1.234', back: webs.catalog, port: 8081, filed: false },
      { ip: '10.60.0.161', back: webs.media, port: 5000, filed: false },
      { ip: '10.60.1.245', back: webs.media, port: 5000, filed: true },
    ];
    for (const lb of balancers) {
      hosts.push(host(lb.ip, lb.filed ? record('staging', 'media', 'lb') : {}));
      edges.push(tcp(lb.ip, lb.back, lb.port), tcp(webs.ledger, lb.ip, 443), tcp(webs.checkout, lb.ip, 443));
    }
    // Each web tier's own database, so that 443 stays what a few groups serve, not what most do.
    Object.entries(webs).forEach(([app, web], i) => {
      hosts.push(host(`10.60.40.${i + 1}`, record('staging', app, 'db')));
      edges.push(tcp(web, `10.60.40.${i + 1}`, 5432));
    });
    // Other applications of the estate, so that the web tiers are the clients of a few groups, not of most.
    for (let i = 1; i <= 6; i++) {
      hosts.push(host(`10.60.50.${i}`, record('staging', `tool${i}`, 'app')), host(`10.60.51.${i}`, record('staging', `tool${i}`, 'agent')));
      edges.push(tcp(`10.60.51.${i}`, `10.60.50.${i}`, 9000 + i));
    }
    hosts.push(host('10.60.2.10', record('staging', 'vpce-secrets', 'endpoint')));
    edges.push(tcp(webs.ledger, '10.60.2.10', 443), tcp(webs.checkout, '10.60.2.10', 443));
    for (const h of hosts) if (h.ip !== '10.60.9.2') edges.push({ client: h.ip, server: '10.60.9.2', proto: 17, port: 53 });
    const groups = propagate({ hosts, edges });
    expect(groupWith(groups, '10.60.1.245')).toEqual(['10.60.0.161', '10.60.1.245']);
    expect(groupWith(groups, '10.60.2.10')).toEqual(['10.60.2.10']);
    expect(groupWith(groups, '10.60.0.46')).toEqual(['10.60.0.46']);
    expect(groupWith(groups, '10.60.1.234')).toEqual(['10.60.1.234']);
  });
});
