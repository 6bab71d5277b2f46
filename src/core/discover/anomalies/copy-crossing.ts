import { serviceLabel } from '../../enrich/service-names';
import { ADMIN_SERVICE_KEYS, serviceKey } from '../../flow/admin-services';
import { Action } from '../../flow/record';
import { compareText } from '../../util/compare';
import { getOrAdd, groupBy } from '../../util/multimap';
import { baselineEnd, type CaptureOptions, type CaptureWindow } from './capture-window';
import { type EnvironmentInference, SHARED } from './environment-inference';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, crossingAnomaly } from './types';
import type { ZoneOptions } from './zone-crossing';

/**
 * Crossings between two copies of one application that neither a label nor
 * the address plan tells apart: a test estate beside production in one
 * data-centre block, with no inventory. The copies show in the traffic.
 * Each copy's tier serves the same service to clients of its own (the
 * test web server calls the test application server, the production web
 * servers the production ones) and uses the same service on servers of its
 * own (each application server its own database). A host of one copy
 * using the other copy's server is the connection string copied from prod.
 *
 * The server's other clients of that service must all be such copies of
 * the client (a directory or a shared database is used by hosts of every
 * kind, and failing over to another site's server is no crossing), and the
 * client must keep its own servers of the service that none of them use
 * (two stacks, not one pool). The pair stays rare by the same limits as
 * the other crossings: it carries at most `crossMaxFlowShare` of the
 * client's flows of the service (a host that moved to the other copy
 * belongs to it), and the client reaches at most `crossMaxServers` of the
 * other copy's servers. And it is new: first seen after the baseline
 * (capture-window.ts), once each copy's routine was seen. Two copies that
 * share some traffic from the start are how the estate works (clients
 * pinned to cells of one pool, each cell spilling over to the next), not a
 * connection string gone astray; without timestamps nothing is judged. Pairs
 * whose ends are both labelled are the label detector's to judge.
 */
export function findCopyCrossings(
  edges: readonly AnomalyEdge[],
  hosts: ReadonlyMap<string, AnomalyHost>,
  inference: EnvironmentInference,
  window: CaptureWindow | null,
  options: Pick<ZoneOptions, 'crossMaxFlowShare' | 'crossMaxServers'> & CaptureOptions,
): Anomaly[] {
  // Only a pair first seen after the baseline: what the copies did from the start is how they work.
  if (window === null) return [];
  const baseline = baselineEnd(window, options.baselineShare);
  const eligible = (ip: string): boolean => hosts.get(ip)?.internal === true && !inference.isHub(ip) && inference.label(ip) !== SHARED;
  const application = (edge: AnomalyEdge): boolean =>
    edge.client !== edge.server && eligible(edge.client) && eligible(edge.server) && !ADMIN_SERVICE_KEYS.has(serviceKey(edge));

  // Answered application use, by server and service, by client and service, and each host's served services.
  const clientsOn = new Map<string, Set<string>>();
  const serversOn = new Map<string, Set<string>>();
  const flowsOn = new Map<string, number>();
  const served = new Map<string, Map<string, Set<string>>>();
  const candidates: AnomalyEdge[] = [];
  for (const edge of edges) {
    if (!application(edge)) continue;
    const service = serviceKey(edge);
    flowsOn.set(`${edge.client}|${service}`, (flowsOn.get(`${edge.client}|${service}`) ?? 0) + edge.flows);
    candidates.push(edge);
    if (edge.action === Action.deny) continue;
    getOrAdd(clientsOn, `${edge.server}|${service}`, () => new Set<string>()).add(edge.client);
    getOrAdd(serversOn, `${edge.client}|${service}`, () => new Set<string>()).add(edge.server);
    getOrAdd(getOrAdd(served, edge.server, () => new Map<string, Set<string>>()), service, () => new Set<string>()).add(edge.client);
  }

  const found: Anomaly[] = [];
  const copiesOf = new Map<string, Set<string>>();
  for (const pair of groupBy(candidates, (edge) => `${edge.client}|${edge.server}|${serviceKey(edge)}`).values()) {
    const { client, server } = pair[0]!;
    if (inference.label(client) !== null && inference.label(server) !== null) continue;
    const first = firstSeen(pair);
    if (first === null || first <= baseline) continue;
    const service = serviceKey(pair[0]!);
    // Cheapest tests first: the client serves something, and uses the service on servers besides this one.
    if (!served.has(client)) continue;
    const own = without(serversOn.get(`${client}|${service}`), server);
    if (own.size === 0) continue;
    // The server's other clients, copied only once they are all copies of the client: a resolver's thousands of
    // clients are checked one by one until the first that is not (copyOf), never copied for each client.
    const clients = clientsOn.get(`${server}|${service}`) ?? new Set<string>();
    if (clients.size - (clients.has(client) ? 1 : 0) === 0) continue;
    const copy = copyOf(client, clients, served);
    if (copy === null) continue;
    const others = without(clients, client);
    // Two stacks, not one pool: none of the server's other clients uses the client's own servers.
    if ([...others].some((other) => overlaps(serversOn.get(`${other}|${service}`) ?? new Set(), own))) continue;
    let pairFlows = 0;
    for (const edge of pair) pairFlows += edge.flows;
    const total = flowsOn.get(`${client}|${service}`) ?? 0;
    if (pairFlows > options.crossMaxFlowShare * total) continue;
    for (const other of others) getOrAdd(copiesOf, client, () => new Set<string>()).add(other);
    found.push(
      crossingAnomaly(
        pair,
        (refused) =>
          `a host of one copy of an application ${refused ? 'tried to reach (refused)' : 'reached'} the other copy's server:` +
          ` it and ${others.size} other client${others.size === 1 ? '' : 's'} of this server each serve ${labelOf(copy.service)} to clients of their own` +
          ` (${copy.ownClients} and ${copy.theirClients} hosts, none shared) and use ${labelOf(service)} on servers of their own` +
          ` (${own.size} for this host, none used by the others); this pair is ${Math.round((100 * pairFlows) / Math.max(total, 1))}% of its flows of that service`,
      ),
    );
  }
  // A stray reaches one or two of the other copy's servers; a host that
  // reaches more works with both copies by design. The other copy's servers
  // are those its hosts use for a service the client has servers of its
  // own for (the directory both copies use is neither's).
  const tried = groupBy(candidates, (edge) => edge.client);
  const reaches = new Map<string, number>();
  const reach = (client: string): number => getOrAdd(reaches, client, () => reachOf(client));
  const reachOf = (client: string): number => {
    const copies = copiesOf.get(client)!;
    const reached = new Set<string>();
    for (const edge of tried.get(client)!) {
      const service = serviceKey(edge);
      const theirs = (other: string): ReadonlySet<string> => serversOn.get(`${other}|${service}`) ?? new Set<string>();
      if (![...copies].some((other) => theirs(other).has(edge.server))) continue;
      const mine = serversOn.get(`${client}|${service}`) ?? new Set<string>();
      if ([...mine].some((server) => ![...copies].some((other) => theirs(other).has(server)))) reached.add(edge.server);
    }
    return reached.size;
  };
  return found.filter((anomaly) => reach(anomaly.src) <= options.crossMaxServers).sort((a, b) => compareText(a.src, b.src) || compareText(a.dst, b.dst));
}

/**
 * The service `client` and every one of `others` (`client` itself skipped)
 * serve to disjoint, non-empty sets of clients (neither serving the other),
 * with the sizes of those sets; null when some other host is no such copy.
 * The first such service in sorted order names it, so the reason does not
 * depend on input order.
 */
function copyOf(
  client: string,
  others: ReadonlySet<string>,
  served: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>,
): { service: string; ownClients: number; theirClients: number } | null {
  const mine = served.get(client);
  if (mine === undefined) return null;
  for (const service of [...mine.keys()].sort(compareText)) {
    const ownClients = mine.get(service)!;
    const theirs = new Set<string>();
    let copies = true;
    for (const other of others) {
      if (other === client) continue;
      const their = served.get(other)?.get(service);
      if (their === undefined || their.has(client) || ownClients.has(other) || overlaps(their, ownClients)) {
        copies = false;
        break;
      }
      for (const host of their) theirs.add(host);
    }
    if (copies) return { service, ownClients: ownClients.size, theirClients: theirs.size };
  }
  return null;
}

/** The earliest first-seen time of some edges, null when none has one. */
function firstSeen(edges: readonly AnomalyEdge[]): number | null {
  let first: number | null = null;
  for (const edge of edges) if (edge.firstMs !== null && (first === null || edge.firstMs < first)) first = edge.firstMs;
  return first;
}

/** "ms-sql-s tcp/1433" for the "6/1433" keys used here. */
function labelOf(key: string): string {
  const [proto, port] = key.split('/').map(Number);
  return serviceLabel(proto!, port!);
}

function overlaps(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const member of small) if (large.has(member)) return true;
  return false;
}

function without(set: ReadonlySet<string> | undefined, one: string): Set<string> {
  const rest = new Set(set);
  rest.delete(one);
  return rest;
}
