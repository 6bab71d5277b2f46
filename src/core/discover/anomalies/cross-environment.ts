import { ADMIN_SERVICE_KEYS, serviceKey } from '../../flow/admin-services';
import { Action } from '../../flow/record';
import { compareText } from '../../util/compare';
import { getOrAdd, groupBy } from '../../util/multimap';
import { type EnvironmentBasis, type EnvironmentInference, SHARED, topVote, type Votes } from './environment-inference';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, crossingAnomaly } from './types';

export const CROSS_ENVIRONMENT_DEFAULTS = {
  /**
   * A crossing is rare: the client uses at most this many servers of the
   * other environment. One stray connection string reaches one or two
   * servers; a host that uses several servers of the other environment is a
   * bridge by design (or sits in the wrong environment), not a stray.
   */
  crossMaxServers: 2,
  /**
   * …and the server has at most this many clients of the client's
   * environment. When more hosts of an environment use one server of the
   * other, it is a service they share (unlabelled as such), not a mistake.
   * Only answered use counts towards either limit: a shared service
   * answers, and refused attempts are crossings however many hosts make
   * them. The same limit holds for the service over all the other
   * environment's servers: a service spread over several nodes (a log
   * store whose nodes each take part of the estate) has few clients per
   * node, and more hosts of an environment using it is still sharing.
   */
  crossMaxClients: 3,
  /**
   * …and carries at most this share of the client's flows: a host most of
   * whose traffic goes to the other environment belongs there (or is
   * mislabelled); one that strays into it does so on the side.
   */
  crossMaxFlowShare: 0.5,
} as const;

export type CrossEnvironmentOptions = { readonly [K in keyof typeof CROSS_ENVIRONMENT_DEFAULTS]: number };

/**
 * A host of one environment (labelled, or inferred with enough confidence)
 * using a server of another where its other peers are (almost) all in its
 * own environment and the pair is rare. Refused attempts count. Shared
 * environments and infrastructure used by most hosts are never crossings;
 * external hosts never take part.
 */
export function findCrossEnvironment(
  edges: readonly AnomalyEdge[],
  hosts: ReadonlyMap<string, AnomalyHost>,
  inference: EnvironmentInference,
  options: CrossEnvironmentOptions,
): Anomaly[] {
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  // Hubs and bridges serve every environment: neither a crossing's end nor a server "of" an environment.
  const settled = (ip: string): boolean => isInternal(ip) && !inference.isHub(ip) && !inference.isBridge(ip);
  const eligible = (ip: string): boolean => settled(ip) && inference.label(ip) !== SHARED;
  const candidates = edges.filter((edge) => edge.client !== edge.server && eligible(edge.client) && eligible(edge.server));
  if (candidates.length === 0) return [];

  // Each host's flows, and each client's servers and each server's clients by (label or inferred) environment.
  const flowsOf = new Map<string, number>();
  const pairFlows = new Map<string, number>();
  const byEnv = (map: Map<string, Map<string, Set<string>>>, host: string, env: string | null, other: string): void => {
    if (env === null || env === SHARED) return;
    let envs = map.get(host);
    if (envs === undefined) map.set(host, (envs = new Map()));
    let set = envs.get(env);
    if (set === undefined) envs.set(env, (set = new Set()));
    set.add(other);
  };
  const serving = new Set<string>();
  // Each server's answered application clients (hubs, bridges and hosts of a shared environment left out).
  const appClients = new Map<string, Set<string>>();
  const serversByEnv = new Map<string, Map<string, Set<string>>>();
  const clientsByEnv = new Map<string, Map<string, Set<string>>>();
  // Per "client env|server env|proto/port": the clients that use the service on any server of that environment,
  // each end placed as the candidates below are (a shared server's peers are split, so it has no settled environment).
  const serviceClients = new Map<string, Set<string>>();
  // The environments each host administers (answered admin sessions): a jump host of several is an admin station.
  const administered = new Map<string, Set<string>>();
  // Who counts as a host of an environment, when counting a server's clients
  // or a client's servers: a labelled host whose other application peers
  // (almost) all sit in one other environment counts there. Inventories
  // carry stale and wrong labels (a host re-purposed, a copy-pasted row), and
  // one mislabelled user of a shared service would otherwise leave the
  // service with one fewer user of its environment, under crossMaxClients.
  // The peer being counted is left out of the host's own votes, as the
  // candidates' ends are judged below.
  const envOf = (host: string, peer: string): string | null => contradictedLabel(inference, host, peer) ?? inference.envOf(host);
  const leans = new Map<string, string | null>();
  const lean = (host: string, peer: string): string | null =>
    contradictedLabel(inference, host, peer) ?? getOrAdd(leans, host, () => provisionalEnv(inference, host, []));
  for (const edge of edges) {
    flowsOf.set(edge.client, (flowsOf.get(edge.client) ?? 0) + edge.flows);
    if (edge.server !== edge.client) flowsOf.set(edge.server, (flowsOf.get(edge.server) ?? 0) + edge.flows);
    const pair = `${edge.client}|${edge.server}`;
    pairFlows.set(pair, (pairFlows.get(pair) ?? 0) + edge.flows);
    if (!settled(edge.client) || !settled(edge.server) || edge.client === edge.server || edge.action === Action.deny) continue;
    if (ADMIN_SERVICE_KEYS.has(serviceKey(edge))) {
      const env = inference.envOf(edge.server);
      if (env !== null && env !== SHARED) getOrAdd(administered, edge.client, () => new Set<string>()).add(env);
    }
    serving.add(edge.server);
    // A shared environment's host (monitoring scraping an exporter, a backup agent) uses servers of every environment for none of them.
    if (!ADMIN_SERVICE_KEYS.has(serviceKey(edge)) && inference.label(edge.client) !== SHARED) getOrAdd(appClients, edge.server, () => new Set<string>()).add(edge.client);
    byEnv(serversByEnv, edge.client, envOf(edge.server, edge.client), edge.server);
    byEnv(clientsByEnv, edge.server, envOf(edge.client, edge.server), edge.client);
    getOrAdd(serviceClients, `${lean(edge.client, edge.server)}|${lean(edge.server, edge.client)}|${edge.proto}/${edge.port}`, () => new Set<string>()).add(edge.client);
  }

  const anomalies: Anomaly[] = [];
  for (const all of groupBy(candidates, (edge) => `${edge.client}|${edge.server}`).values()) {
    const { client, server } = all[0]!;
    // One team administers every environment from the same jump hosts: a
    // host that administers hosts of two environments or more is an admin
    // station, and its admin sessions cross by design (lateral-movement.ts
    // watches them). A server that opens one RDP session into the other
    // environment administers only that one, and stays a crossing.
    const station = (administered.get(client)?.size ?? 0) >= 2;
    const pair = station ? all.filter((edge) => !ADMIN_SERVICE_KEYS.has(serviceKey(edge))) : all;
    if (pair.length === 0) continue;
    // Provisional environments, each end leaving the other out of its votes.
    const envA = provisionalEnv(inference, client, [server]);
    const envB = provisionalEnv(inference, server, [client]);
    if (envA === null || envB === null || envA === envB || envA === SHARED || envB === SHARED) continue;
    // Rare: few servers of B for the client, few clients of A for the server.
    // (Sizes first: a scanner has thousands of servers in each environment.)
    const crossed = withOne(serversByEnv.get(client)?.get(envB), server, options.crossMaxServers);
    const crossing = crossed === null ? null : withOne(clientsByEnv.get(server)?.get(envA), client, options.crossMaxClients);
    if (crossed === null || crossing === null) continue;
    // A stray connection string reaches a server its own environment uses.
    // A server that answers application use by hosts of the client's
    // environment alone (each placed as the client is, the server left out of
    // its votes: a database's wrong label must not make its own clients
    // strangers) is theirs (a test application's own database), whatever its
    // label or address block say. Refused attempts and admin sessions stay
    // crossings.
    const ownUse = pair.every((edge) => edge.action !== Action.deny && !ADMIN_SERVICE_KEYS.has(serviceKey(edge)));
    if (ownUse && ![...(appClients.get(server) ?? [])].some((other) => !crossing.has(other) && provisionalEnv(inference, other, [server]) !== envA)) continue;
    if (pair.some((edge) => edge.action !== Action.deny && withOne(serviceClients.get(`${envA}|${envB}|${edge.proto}/${edge.port}`), client, options.crossMaxClients) === null)) continue;
    // Each end confirmed by its other peers: the client's all but its few
    // servers of B (they are the crossings being judged; a host split between
    // environments is no stray), the server's all but its few clients of A.
    const basisA = confirm(inference, client, envA, inference.votes(client, crossed));
    // A host that serves no one is a user of environments, not a member of
    // one: a workstation uses prod and, for a developer, dev as well. Its
    // peers alone do not place it; an unlabelled one needs its address block
    // to agree (a dev batch host sits in the dev block).
    if (basisA !== null && !basisA.labelled && basisA.block === null && !serving.has(client)) continue;
    const basisB = basisA === null ? null : confirm(inference, server, envB, inference.votes(server, crossing));
    if (basisA === null || basisB === null) continue;
    let crossFlows = 0;
    for (const other of crossed) crossFlows += pairFlows.get(`${client}|${other}`) ?? 0;
    const total = flowsOf.get(client) ?? 0;
    if (crossFlows > options.crossMaxFlowShare * total) continue;
    anomalies.push(
      crossingAnomaly(
        pair,
        (refused) =>
          `${envA} host ${refused ? 'tried to reach (refused)' : 'reached'} a ${envB} host; client: ${describe(basisA)}; server: ${describe(basisB)};` +
          ` the client uses ${crossed.size} ${envB} server${crossed.size === 1 ? '' : 's'} (${Math.round((100 * crossFlows) / Math.max(total, 1))}% of its flows)` +
          ` and the server has ${crossing.size} ${envA} client${crossing.size === 1 ? '' : 's'}`,
      ),
    );
  }
  return anomalies.sort((a, b) => compareText(a.src, b.src) || compareText(a.dst, b.dst));
}

/** A host's environment as the candidates are judged: its label, else its peers' top vote (leaving out `without`), else its address block. */
function provisionalEnv(inference: EnvironmentInference, host: string, without: readonly string[]): string | null {
  return inference.label(host) ?? topVote(inference.votes(host, without)).env ?? inference.blockOf(host).env;
}

/**
 * The environment a labelled host's application peers but `peer` agree on
 * when it is not its label (at least envMinPeers of them, envPeerShare of
 * those with a known environment, as an unlabelled host is inferred), else
 * null.
 */
function contradictedLabel(inference: EnvironmentInference, host: string, peer: string): string | null {
  const label = inference.label(host);
  if (label === null || label === SHARED) return null;
  const top = topVote(inference.votes(host, [peer]));
  const { envMinPeers, envPeerShare } = inference.options;
  return top.env !== null && top.env !== label && top.total >= envMinPeers && top.count >= envPeerShare * top.total ? top.env : null;
}

/** `set` with `one` added, or null when that holds more than `max`. */
function withOne(set: ReadonlySet<string> | undefined, one: string, max: number): Set<string> | null {
  const size = (set?.size ?? 0) + (set?.has(one) === true ? 0 : 1);
  return size > max ? null : new Set(set).add(one);
}

/** `env` for `host`: its label with its other peers (almost) all agreeing, or what they and its address infer. */
function confirm(inference: EnvironmentInference, host: string, env: string, votes: Votes): EnvironmentBasis | null {
  if (inference.label(host) === null) {
    const basis = inference.infer(host, votes);
    return basis !== null && basis.env === env ? basis : null;
  }
  if (inference.label(host) !== env) return null;
  const top = topVote(votes);
  const agree = votes.get(env) ?? 0;
  if (top.total > 0 && agree < inference.options.envPeerShare * top.total) return null;
  return { env, labelled: true, peers: top.total > 0 ? { agree, known: top.total } : null, block: null };
}

function describe(basis: EnvironmentBasis): string {
  const peers = basis.peers === null ? null : `${basis.peers.agree} of ${basis.peers.known} other application peers ${basis.env}`;
  const block = basis.block === null ? null : `address block ${basis.block.cidr} (${basis.block.agree} of ${basis.block.labelled} labelled hosts ${basis.env})`;
  if (basis.labelled) return `labelled ${basis.env}${peers === null ? '' : `, ${peers}`}`;
  return `inferred ${basis.env} from ${[peers, block].filter((part) => part !== null).join(' and ')}`;
}
