import { ADMIN_SERVICE_KEYS, serviceKey } from '../../flow/admin-services';
import { Action } from '../../flow/record';
import { addressBlock } from '../../net/address-block';
import { compareText } from '../../util/compare';
import type { AnomalyEdge, AnomalyHost } from './types';

/**
 * Each internal host's environment: its label when it has one, else what
 * its behaviour and address say. Application peers (clients it serves,
 * servers it uses; never infrastructure everyone uses, admin sessions or
 * refused attempts) vote with their own environment, labelled or inferred
 * in an earlier round (label propagation over the client→server graph);
 * the labelled hosts of its address block (/16, /48) lean it their way.
 * A host whose peers are split between environments is not inferred.
 */
export const ENVIRONMENT_DEFAULTS = {
  /** Environment values every environment may use: never a crossing, never a vote. */
  sharedEnvironments: ['shared', 'corp', 'common', 'infra', 'infrastructure', 'global', 'mgmt', 'management'] as readonly string[],
  /**
   * Inferred from peers when at least this share of the peers with a known
   * environment are in one ("almost all"): one stray peer in ten is the
   * kind of crossing this looks for; more is a host that serves both.
   */
  envPeerShare: 0.9,
  /** …and at least this many peers say so: one peer alone is not a pattern (with an agreeing address block it is). */
  envMinPeers: 2,
  /**
   * An address block leans one way when at least this many of its hosts are
   * labelled with a non-shared environment: two can be chance, three of a
   * kind in one block is how address plans separate environments.
   */
  envBlockMinLabelled: 3,
  /** …and at least this share of them agree (blocks that mix environments say nothing). */
  envBlockShare: 0.9,
  /** Address blocks: /16 for IPv4 and /48 for IPv6 are what sites and environments are usually carved into. */
  envIpv4BlockBits: 16,
  envIpv6BlockBits: 48,
  /**
   * A host with application peers among at least this share of the active
   * hosts is infrastructure (DNS, directory, monitoring, logging): used by
   * most, it says nothing about anyone's environment and is no crossing.
   */
  envHubShare: 0.5,
  /** Rounds of propagation: a label reaches hosts this many hops away; more hops dilute what it says. */
  envRounds: 3,
};

export type EnvironmentOptions = { readonly [K in Exclude<keyof typeof ENVIRONMENT_DEFAULTS, 'sharedEnvironments'>]: number } & {
  readonly sharedEnvironments: readonly string[];
};

/** What a host's environment rests on, for the reason text. */
export interface EnvironmentBasis {
  readonly env: string;
  readonly labelled: boolean;
  /** Peers in `env` of the peers with a known environment (inferred hosts). */
  readonly peers: { readonly agree: number; readonly known: number } | null;
  /** The address block and its labelled hosts, when it took part. */
  readonly block: { readonly cidr: string; readonly agree: number; readonly labelled: number } | null;
}

export type Votes = Map<string, number>;

/** An address block, its labelled hosts, and the environment it leans to (null: none). */
export interface BlockLean {
  readonly cidr: string;
  readonly agree: number;
  readonly labelled: number;
  readonly env: string | null;
}

export interface EnvironmentInference {
  /** The normalised environment label (lower case), 'shared' for a shared one, or null. */
  label(host: string): string | null;
  /** The final environment of a host (label, else inferred), or null. */
  envOf(host: string): string | null;
  isHub(host: string): boolean;
  /** Works with most labelled hosts of one environment and with hosts of another (findBridges): no environment's member. */
  isBridge(host: string): boolean;
  /** Application peers (internal, answered, not admin), both directions. */
  peers(host: string): ReadonlySet<string>;
  /** A host's peers' votes, leaving out `without`. */
  votes(host: string, without?: Iterable<string>): Votes;
  /** The environment the votes and the host's address block give (inference rule), or null. */
  infer(host: string, votes: Votes): EnvironmentBasis | null;
  /** The environment the address block alone gives, or null. */
  blockOf(host: string): BlockLean;
  readonly options: EnvironmentOptions;
}

export const SHARED = 'shared';

/** The top of some votes: env, its count and the total; a tie has no top. */
export function topVote(votes: Votes): { env: string | null; count: number; total: number } {
  let env: string | null = null;
  let count = 0;
  let total = 0;
  let tie = false;
  for (const [name, n] of votes) {
    total += n;
    if (n > count) {
      env = name;
      count = n;
      tie = false;
    } else if (n === count) tie = true;
  }
  return { env: tie ? null : env, count, total };
}

export function inferEnvironments(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>, options: EnvironmentOptions): EnvironmentInference {
  const shared = new Set(options.sharedEnvironments.map((env) => env.toLowerCase()));
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  const labels = new Map<string, string>();
  for (const [ip, host] of hosts) {
    if (!host.internal || host.env === null) continue;
    const env = host.env.trim().toLowerCase();
    if (env !== '') labels.set(ip, shared.has(env) ? SHARED : env);
  }

  // Address blocks: labelled hosts per block and environment.
  const blockCache = new Map<string, string | null>();
  const blockKey = (ip: string): string | null => {
    let key = blockCache.get(ip);
    if (key === undefined) blockCache.set(ip, (key = addressBlock(ip, options.envIpv4BlockBits, options.envIpv6BlockBits)));
    return key;
  };
  const blockLabels = new Map<string, Votes>();
  // Shared labels count too: a block of shared services leans shared, and a
  // host of it that misses its label is no one environment's.
  for (const [ip, env] of labels) {
    const key = blockKey(ip);
    if (key === null) continue;
    let votes = blockLabels.get(key);
    if (votes === undefined) blockLabels.set(key, (votes = new Map()));
    votes.set(env, (votes.get(env) ?? 0) + 1);
  }
  const blocks = new Map<string, BlockLean>();
  const blockOf = (host: string): BlockLean => {
    const known = blocks.get(host);
    if (known !== undefined) return known;
    const cidr = blockKey(host) ?? '';
    const votes = new Map(blockLabels.get(cidr) ?? []);
    const own = labels.get(host);
    if (own !== undefined) votes.set(own, votes.get(own)! - 1);
    // A block leans shared when nearly all its labels are shared; otherwise its
    // environment labels decide (a shared DNS server in a prod block does not
    // make the block mixed).
    const sharedCount = votes.get(SHARED) ?? 0;
    votes.delete(SHARED);
    const top = topVote(votes);
    const all = top.total + sharedCount;
    const block =
      sharedCount >= options.envBlockMinLabelled && sharedCount >= options.envBlockShare * all
        ? { cidr, agree: sharedCount, labelled: all, env: SHARED }
        : {
            cidr,
            agree: top.count,
            labelled: top.total,
            env: top.env !== null && top.total >= options.envBlockMinLabelled && top.count >= options.envBlockShare * top.total ? top.env : null,
          };
    blocks.set(host, block);
    return block;
  };

  // The application graph: internal to internal, answered, not an admin session.
  const peers = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    let set = peers.get(a);
    if (set === undefined) peers.set(a, (set = new Set()));
    set.add(b);
  };
  for (const edge of edges) {
    if (edge.action === Action.deny || edge.client === edge.server || ADMIN_SERVICE_KEYS.has(serviceKey(edge)) || !isInternal(edge.client) || !isInternal(edge.server)) continue;
    link(edge.client, edge.server);
    link(edge.server, edge.client);
  }
  const hubs = new Set<string>();
  for (const [host, set] of peers) if (set.size >= options.envHubShare * peers.size) hubs.add(host);
  const bridges = findBridges(peers, hubs, labels, options);
  // Neither a hub nor a bridge says anything about its peers' environment.
  const silent = (host: string): boolean => hubs.has(host) || bridges.has(host);

  const state = new Map<string, string>();
  for (const [ip, env] of labels) state.set(ip, env);
  const votesIn = (current: ReadonlyMap<string, string>, host: string, without: ReadonlySet<string>): Votes => {
    const votes: Votes = new Map();
    for (const peer of peers.get(host) ?? []) {
      if (silent(peer) || without.has(peer)) continue;
      const env = current.get(peer);
      if (env === undefined || env === SHARED) continue;
      votes.set(env, (votes.get(env) ?? 0) + 1);
    }
    return votes;
  };
  const infer = (host: string, votes: Votes): EnvironmentBasis | null => {
    if (hubs.has(host) || !isInternal(host)) return null;
    const top = topVote(votes);
    const block = blockOf(host);
    const blockPart = block.env === null ? null : { cidr: block.cidr, agree: block.agree, labelled: block.labelled };
    if (top.total >= options.envMinPeers) {
      // Enough peers: they decide, unless they are split or the address block says otherwise.
      if (top.env === null || top.count < options.envPeerShare * top.total) return null;
      if (block.env !== null && block.env !== top.env) return null;
      return { env: top.env, labelled: false, peers: { agree: top.count, known: top.total }, block: blockPart };
    }
    if (top.total > 0) {
      // One peer: only with an address block that agrees.
      return block.env !== null && block.env === top.env ? { env: top.env, labelled: false, peers: { agree: top.count, known: top.total }, block: blockPart } : null;
    }
    return block.env === null ? null : { env: block.env, labelled: false, peers: null, block: blockPart };
  };

  // Rounds outward from the labels: each round infers the hosts the previous
  // rounds' state allows, all from that same state (the result does not
  // depend on order), and an inferred host keeps its environment (two
  // neighbours re-judging each other would flip back and forth).
  const hostsOnEdges = new Set<string>(peers.keys());
  for (const edge of edges) {
    hostsOnEdges.add(edge.client);
    hostsOnEdges.add(edge.server);
  }
  let open = [...hostsOnEdges].filter((ip) => isInternal(ip) && !labels.has(ip) && !hubs.has(ip));
  const none: ReadonlySet<string> = new Set();
  for (let round = 0; round < options.envRounds && open.length > 0; round++) {
    const inferred: [string, string][] = [];
    for (const host of open) {
      const basis = infer(host, votesIn(state, host, none));
      if (basis !== null) inferred.push([host, basis.env]);
    }
    if (inferred.length === 0) break;
    for (const [host, env] of inferred) state.set(host, env);
    open = open.filter((host) => !state.has(host));
  }
  const final: ReadonlyMap<string, string> = state;
  const fullVotes = new Map<string, Votes>();
  return {
    label: (host) => labels.get(host) ?? null,
    envOf: (host) => final.get(host) ?? null,
    isHub: (host) => hubs.has(host),
    isBridge: (host) => bridges.has(host),
    peers: (host) => peers.get(host) ?? none,
    votes: (host, without = []) => {
      let votes = fullVotes.get(host);
      if (votes === undefined) fullVotes.set(host, (votes = votesIn(final, host, none)));
      const left = new Map(votes);
      // Leaving a peer out takes back its vote: cheap for a host with thousands of peers.
      const hostPeers = peers.get(host);
      for (const peer of new Set(without)) {
        const env = final.get(peer);
        if (hostPeers?.has(peer) !== true || silent(peer) || env === undefined || env === SHARED) continue;
        const n = left.get(env)! - 1;
        if (n === 0) left.delete(env);
        else left.set(env, n);
      }
      return left;
    },
    infer,
    blockOf,
    options,
  };
}

/**
 * Hosts that work with most of one environment and with hosts of another:
 * a backup or monitoring server, a patch or software-distribution server
 * that reaches every server of test and the prod servers alike. A CMDB
 * files them under one environment (usually production), but their peers
 * are in all of them, so their label is no evidence of their peers'
 * environment: counted as a vote, it outvotes a small test environment's
 * own peers and hides its crossings. Hubs (used by most hosts) are the same
 * idea for the whole estate. "Most" is the hub share of an environment's
 * labelled hosts, and a few is the peers an inference needs, on both
 * sides: a database with one stray client of another environment (the
 * crossing being looked for) or one mislabelled peer is no bridge, unless
 * that peer is all its environment's inventory has (then "a few" cannot be
 * shown, and a host that works with most of prod and with it is a bridge;
 * a database qualifies only where prod's labelled hosts are as few as its
 * clients, an inventory too thin to place anything). Most of
 * one environment, not of each: a patch server serves the Windows half of
 * prod and all of a small Windows test estate. The widest hosts are judged
 * first, and a bridge found no longer counts for the others: a test server
 * is no bridge for using the prod-labelled patch servers besides its own
 * environment.
 */
function findBridges(
  peers: ReadonlyMap<string, ReadonlySet<string>>,
  hubs: ReadonlySet<string>,
  labels: ReadonlyMap<string, string>,
  options: EnvironmentOptions,
): Set<string> {
  const envOf = (host: string): string | undefined => {
    const env = labels.get(host);
    return env === undefined || env === SHARED || hubs.has(host) || !peers.has(host) ? undefined : env;
  };
  const members = new Map<string, number>();
  for (const host of peers.keys()) {
    const env = envOf(host);
    if (env !== undefined) members.set(env, (members.get(env) ?? 0) + 1);
  }
  const labelledPeers = (host: string): number => {
    let n = 0;
    for (const peer of peers.get(host)!) if (envOf(peer) !== undefined) n++;
    return n;
  };
  const widest = [...peers.keys()]
    .filter((host) => !hubs.has(host))
    .map((host) => ({ host, width: labelledPeers(host) }))
    .sort((a, b) => b.width - a.width || compareText(a.host, b.host));
  const bridges = new Set<string>();
  for (const { host } of widest) {
    const touched = new Map<string, number>();
    for (const peer of peers.get(host)!) {
      const env = envOf(peer);
      if (env !== undefined && !bridges.has(peer)) touched.set(env, (touched.get(env) ?? 0) + 1);
    }
    // Most of one environment, and a few hosts of another. A few is the
    // peers an inference needs, or all of an environment with fewer
    // labelled hosts than that: a test estate whose one labelled server the
    // directory and the patch server serve as they serve most of prod.
    let most = 0;
    let few = 0;
    for (const [env, n] of touched) {
      const all = members.get(env)!;
      if (n < options.envMinPeers && !(n === all && all < options.envMinPeers)) continue;
      few++;
      if (n >= options.envMinPeers && n >= options.envHubShare * all) most++;
    }
    if (most === 0 || few < 2) continue;
    bridges.add(host);
    const own = envOf(host);
    if (own !== undefined) members.set(own, members.get(own)! - 1);
  }
  return bridges;
}
