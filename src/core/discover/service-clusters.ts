import { compareText } from '../util/compare';
import { appendTo, getOrAdd } from '../util/multimap';
import { edgeKey } from './anomalies/types';
import type { ProfileEdge } from './host-features';
import { isAdminService } from './role-edges';
import { collectorServicesOf } from './idle-replicas';
import { jaccard } from './identity-evidence';

/**
 * Clusters of one service: servers that use the same service of each
 * other and share their clients (database replica sets, availability
 * groups, broker clusters, domain controllers replicating). Seen host by
 * host, each member talks to the others but not to itself, so no two
 * members have the same peers; named as one cluster, they do. Two clusters
 * of one port that never talk to each other stay two clusters, and neither
 * does a chain of different services on one port (microservices that all
 * listen on 8080 and call each other): their clients are not the same.
 * Services behind one gateway do share their clients; they are told apart
 * by what they call beyond each other on that port (callsOthersOnItsPort),
 * and a server that only shares the port with the others (a file server
 * reading a domain controller's SYSVOL over SMB, the port both serve to
 * every workstation) by what else each serves.
 */
export const SERVICE_CLUSTER_DEFAULTS = {
  /**
   * Two servers of a service that call each other on it are one cluster
   * when at least half of their other clients on it are shared: members
   * behind one connection string share nearly all; a caller and the
   * service it calls share none. Two servers with no other client at all
   * on that port (a replication endpoint) are one cluster.
   */
  minSharedClients: 0.5,
  /**
   * …and when at least this share of the services they serve is common
   * (Jaccard of the two sets, the scrape agents most servers offer and
   * remote administration left out): members run the same software and
   * listen where it listens (every domain controller serves LDAP, Kerberos
   * and SMB), while two products that share one port serve different
   * things beside it. The bar of
   * JOIN_DEFAULTS.minSharedServices, for the same reason: two different
   * services rarely have more than half of their ports in common.
   */
  minSharedServedServices: 0.5,
} as const;

export function serviceClusters(edges: readonly ProfileEdge[], options: Partial<typeof SERVICE_CLUSTER_DEFAULTS> = {}): Map<string, string> {
  const settings = { ...SERVICE_CLUSTER_DEFAULTS, ...options };
  const serversOf = new Map<string, Set<string>>();
  const clientsOf = new Map<string, Set<string>>();
  for (const edge of edges) {
    const service = `${edge.proto}/${edge.port}`;
    let servers = serversOf.get(service);
    if (servers === undefined) serversOf.set(service, (servers = new Set()));
    servers.add(edge.server);
    const key = `${service} ${edge.server}`;
    let clients = clientsOf.get(key);
    if (clients === undefined) clientsOf.set(key, (clients = new Set()));
    clients.add(edge.client);
  }
  const servedBy = servedServicesByServer(edges);
  const sharedServed = (a: string, b: string): number => {
    const ofA = servedBy.get(a) ?? new Set<string>();
    const ofB = servedBy.get(b) ?? new Set<string>();
    // Both serving only what is left out (a scrape agent, SSH) is no evidence against one cluster.
    return ofA.size === 0 && ofB.size === 0 ? 1 : jaccard(ofA, ofB);
  };
  const sharedClients = (service: string, a: string, b: string): number => {
    const ofA = clientsOf.get(`${service} ${a}`)!;
    const ofB = clientsOf.get(`${service} ${b}`) ?? new Set<string>();
    let shared = 0;
    let sizeA = 0;
    for (const client of ofA) {
      if (client === b) continue;
      sizeA++;
      if (ofB.has(client)) shared++;
    }
    const sizeB = ofB.size - (ofB.has(a) ? 1 : 0);
    const union = sizeA + sizeB - shared;
    // No other client on either side: a port only the members use among
    // themselves (a replication or cluster endpoint) — the strongest case.
    return union === 0 ? 1 : shared / union;
  };
  const candidates: { edge: ProfileEdge; client: string; server: string }[] = [];
  for (const edge of edges) {
    if (edge.client === edge.server) continue;
    const service = `${edge.proto}/${edge.port}`;
    if (!serversOf.get(service)!.has(edge.client)) continue;
    if (sharedClients(service, edge.server, edge.client) < settings.minSharedClients) continue;
    if (sharedServed(edge.server, edge.client) < settings.minSharedServedServices) continue;
    candidates.push({ edge, client: `${service} ${edge.client}`, server: `${service} ${edge.server}` });
  }
  // A first union finds the clusters; the members it joined that call
  // different servers beyond them on their port are then told apart.
  const first = unite(candidates);
  const usedBy = new Map<string, ProfileEdge[]>();
  for (const edge of edges) appendTo(usedBy, edge.client, edge);
  const beyond = new Map<string, ReadonlySet<string>>();
  const inner = candidates.filter(({ edge }) => !callsOthersOnItsPort(edge, usedBy, first.clusterOfMember, beyond));
  const { clusterOfEdge } = unite(inner);
  return clusterOfEdge;
}

/**
 * Per server, the services ("proto/port") it serves, collector services (a
 * scrape agent on most servers) and remote administration (a jump host's
 * SSH session to one member) left out: neither says what software it runs.
 */
function servedServicesByServer(edges: readonly ProfileEdge[]): Map<string, Set<string>> {
  const collectors = collectorServicesOf(edges);
  const served = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (edge.client === edge.server) continue;
    const service = `${edge.proto}/${edge.port}`;
    if (collectors.has(service) || isAdminService(edge)) continue;
    getOrAdd(served, edge.server, () => new Set<string>()).add(service);
  }
  return served;
}

interface InnerEdge {
  readonly edge: ProfileEdge;
  /** "service host" of each end. */
  readonly client: string;
  readonly server: string;
}

/** Union of the inner edges' ends: per edge its cluster's name, per "service host" member the same. */
function unite(inner: readonly InnerEdge[]): { clusterOfEdge: Map<string, string>; clusterOfMember: Map<string, string> } {
  const parent = new Map<string, string>();
  const find = (node: string): string => {
    let root = node;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(node, root);
    return root;
  };
  for (const { client, server } of inner) {
    if (!parent.has(client)) parent.set(client, client);
    if (!parent.has(server)) parent.set(server, server);
  }
  for (const { client, server } of inner) {
    const a = find(client);
    const b = find(server);
    // The smaller name becomes the root, so the result does not depend on edge order.
    if (a === b) continue;
    if (compareText(a, b) < 0) parent.set(b, a);
    else parent.set(a, b);
  }
  const members = new Map<string, string[]>();
  for (const node of parent.keys()) {
    const root = find(node);
    let list = members.get(root);
    if (list === undefined) members.set(root, (list = []));
    list.push(node.slice(node.indexOf(' ') + 1));
  }
  const nameOf = new Map<string, string>();
  for (const [root, list] of members) {
    list.sort(compareText);
    nameOf.set(root, `cluster {${list[0]} +${list.length - 1}}`);
  }
  const clusterOfEdge = new Map<string, string>();
  for (const { edge, client } of inner) clusterOfEdge.set(edgeKey(edge), nameOf.get(find(client))!);
  const clusterOfMember = new Map<string, string>();
  for (const node of parent.keys()) clusterOfMember.set(node, nameOf.get(find(node))!);
  return { clusterOfEdge, clusterOfMember };
}

/**
 * Two servers of one port that call each other are two services, not one
 * cluster, when beyond the cluster they call different servers on that
 * port: replicas run the same code and call the same things, if anything
 * (a replica set, a broker cluster, domain controllers call only each other
 * on their port), while a composing service calls, on the one Thrift port
 * they all share, text and media services the user service never calls.
 * Only the cluster's own port is compared: on other ports the members of a
 * real cluster often use different servers of one load-balanced service
 * (each database replica sending its logs to another syslog host).
 */
function callsOthersOnItsPort(
  edge: ProfileEdge,
  usedBy: ReadonlyMap<string, readonly ProfileEdge[]>,
  clusterOfMember: ReadonlyMap<string, string>,
  /** Per "service host": what the host calls beyond its cluster there (both ends of a candidate share one cluster, so it depends on the host alone). */
  cache: Map<string, ReadonlySet<string>>,
): boolean {
  const service = `${edge.proto}/${edge.port}`;
  const ownCluster = clusterOfMember.get(`${service} ${edge.client}`);
  const beyond = (host: string): ReadonlySet<string> => {
    const key = `${service} ${host}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const servers = new Set<string>();
    for (const used of usedBy.get(host) ?? []) {
      if (used.proto !== edge.proto || used.port !== edge.port) continue;
      if (clusterOfMember.get(`${service} ${used.server}`) === ownCluster) continue;
      servers.add(used.server);
    }
    cache.set(key, servers);
    return servers;
  };
  const ofClient = beyond(edge.client);
  const ofServer = beyond(edge.server);
  return ofClient.size !== ofServer.size || [...ofClient].some((server) => !ofServer.has(server));
}
