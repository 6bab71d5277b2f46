import { ADMIN_SERVICE_KEYS, serviceKey } from '../../flow/admin-services';
import { Action } from '../../flow/record';
import { compareText } from '../../util/compare';
import { groupBy } from '../../util/multimap';
import { type EnvironmentInference, SHARED } from './environment-inference';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, crossingAnomaly } from './types';

export const ZONE_DEFAULTS = {
  /**
   * An address block (/16, /48: environment-inference.ts) is a zone when at
   * least this many answered application host pairs stay inside it: the
   * tiers of a couple of applications talking among themselves. Blocks of
   * workstations (which talk to servers, not to each other), a DMZ of two
   * web servers or a block of a few shared services fall short, and say
   * nothing about where a boundary runs.
   */
  zoneMinInternalPairs: 10,
  /**
   * Two zones keep apart when the host pairs between them (either
   * direction, answered or refused) are at most this share of the pairs
   * inside the smaller one: within one environment an application's tiers
   * and neighbours make most of its pairs, so a boundary crossed by one
   * pair for every three that stay inside is a boundary, and its crossings
   * are strays (a connection string left pointing at the other
   * environment). The share, not a count, because strays grow with the
   * number of applications that have a copy in each environment.
   */
  zoneCrossShare: 1 / 3,
} as const;

export type ZoneOptions = { readonly [K in keyof typeof ZONE_DEFAULTS]: number } & {
  readonly crossMaxFlowShare: number;
  readonly crossMaxServers: number;
  readonly crossMaxClients: number;
};

/**
 * Crossings between environments that no label names: two address blocks
 * whose hosts talk among themselves (zones) and otherwise almost never to
 * each other, and the few host pairs that do. Behaviour alone finds the dev
 * server using a prod database where the inventory is missing, partial or
 * wrong. Each end must be a stray: the client reaches few hosts of the
 * other zone, the server is reached by few of the client's. Hubs (used by most hosts), admin sessions and shared-labelled
 * hosts are no crossing; nor is a pair whose ends are both labelled with
 * one environment (the labels say the two blocks are one environment), nor
 * a client whose traffic mostly goes to the other zone (it belongs there).
 */
export function findZoneCrossings(
  edges: readonly AnomalyEdge[],
  hosts: ReadonlyMap<string, AnomalyHost>,
  inference: EnvironmentInference,
  options: ZoneOptions,
): Anomaly[] {
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  const application = (edge: AnomalyEdge): boolean =>
    edge.client !== edge.server && isInternal(edge.client) && isInternal(edge.server) && !ADMIN_SERVICE_KEYS.has(serviceKey(edge)) && !inference.isHub(edge.client) && !inference.isHub(edge.server);
  const blockOf = (ip: string): string => inference.blockOf(ip).cidr;

  // Distinct host pairs (either direction) inside each block and between each two blocks.
  const inside = new Map<string, Set<string>>();
  const between = new Map<string, Set<string>>();
  const flowsOf = new Map<string, number>();
  const add = (map: Map<string, Set<string>>, key: string, pair: string): void => {
    let set = map.get(key);
    if (set === undefined) map.set(key, (set = new Set()));
    set.add(pair);
  };
  const candidates: AnomalyEdge[] = [];
  for (const edge of edges) {
    flowsOf.set(edge.client, (flowsOf.get(edge.client) ?? 0) + edge.flows);
    if (!application(edge)) continue;
    const [a, b] = [blockOf(edge.client), blockOf(edge.server)];
    if (a === '' || b === '') continue;
    const pair = compareText(edge.client, edge.server) < 0 ? `${edge.client}|${edge.server}` : `${edge.server}|${edge.client}`;
    if (a === b) {
      if (edge.action !== Action.deny) add(inside, a, pair);
    } else {
      add(between, blockPairKey(a, b), pair);
      candidates.push(edge);
    }
  }
  const isZone = (block: string): boolean => (inside.get(block)?.size ?? 0) >= options.zoneMinInternalPairs;
  // Each crossing host's peers on the other side: a stray reaches few of them (cross-environment.ts's limits).
  const across = new Map<string, Set<string>>();
  for (const edge of candidates) {
    add(across, `${edge.client}>${blockOf(edge.server)}`, edge.server);
    add(across, `${edge.server}<${blockOf(edge.client)}`, edge.client);
  }

  // Strays first; then one pass over the edges for their clients' flows into each block (not one pass per stray).
  const strays: { pair: AnomalyEdge[]; client: string; a: string; b: string; crossing: number }[] = [];
  for (const pair of groupBy(candidates, (edge) => `${edge.client}|${edge.server}`).values()) {
    const { client, server } = pair[0]!;
    const [a, b] = [blockOf(client), blockOf(server)];
    const crossing = between.get(blockPairKey(a, b))!;
    if (!isZone(a) || !isZone(b)) continue;
    if (crossing.size > options.zoneCrossShare * Math.min(inside.get(a)!.size, inside.get(b)!.size)) continue;
    if (across.get(`${client}>${b}`)!.size > options.crossMaxServers || across.get(`${server}<${a}`)!.size > options.crossMaxClients) continue;
    const [labelA, labelB] = [inference.label(client), inference.label(server)];
    if (labelA === SHARED || labelB === SHARED || (labelA !== null && labelA === labelB)) continue;
    strays.push({ pair, client, a, b, crossing: crossing.size });
  }
  const strayClients = new Set(strays.map((stray) => stray.client));
  const flowsToBlock = new Map<string, number>();
  for (const edge of edges) {
    if (!strayClients.has(edge.client)) continue;
    const key = `${edge.client}>${blockOf(edge.server)}`;
    flowsToBlock.set(key, (flowsToBlock.get(key) ?? 0) + edge.flows);
  }

  const anomalies: Anomaly[] = [];
  for (const { pair, client, a, b, crossing } of strays) {
    const crossFlows = flowsToBlock.get(`${client}>${b}`) ?? 0;
    const total = flowsOf.get(client) ?? 0;
    if (crossFlows > options.crossMaxFlowShare * total) continue;
    anomalies.push(
      crossingAnomaly(
        pair,
        (refused) =>
          `a host of address block ${a} ${refused ? 'tried to reach (refused)' : 'reached'} a host of ${b};` +
          ` the two blocks keep apart: ${inside.get(a)!.size} and ${inside.get(b)!.size} application pairs inside each, ${crossing} between them` +
          ` (${Math.round((100 * crossFlows) / Math.max(total, 1))}% of the client's flows)`,
      ),
    );
  }
  return anomalies.sort((x, y) => compareText(x.src, y.src) || compareText(x.dst, y.dst));
}

const blockPairKey = (a: string, b: string): string => (compareText(a, b) < 0 ? `${a} ${b}` : `${b} ${a}`);
