import { serviceText, type ProfileEdge } from './host-features';

/**
 * The replica model that rare-call-replicas.ts joins by and
 * steady-differences.ts parts by, one model for both: were
 * two sets of hosts replicas of one service, each connection that only one
 * set has would land there with the odds of that set's share of the hosts,
 * so all N of them on one side has a chance of share^N.
 */

/** A set of hosts' behaviour: connections per feature ("s|tcp/6379|g4": serves to group 4; "u|…": uses on), and its host count. */
export interface Behaviour {
  readonly flows: Map<string, number>;
  hosts: number;
}

/** The chance, were two sets replicas of one service, of every difference between them, and those differences (features). */
export interface Comparison {
  readonly chance: number;
  /** The features only one set has, with that set's connections on them. */
  readonly differences: readonly (readonly [feature: string, flows: number])[];
}

/**
 * Each unit's behaviour over `roleEdges`: `unitOf` gives a host index's unit
 * (negative: none), `peerOf` names the other end of a connection ("g4",
 * "outside"; null: the connection says nothing of this end). Edges without
 * counts are steady (infinitely many connections).
 */
export function behavioursOf(
  roleEdges: readonly ProfileEdge[],
  hostIndex: ReadonlyMap<string, number>,
  unitSizes: readonly number[],
  unitOf: (host: number) => number,
  peerOf: (ip: string, of: number, role: 's' | 'u') => string | null,
): Behaviour[] {
  const behaviours: Behaviour[] = unitSizes.map((hosts) => ({ flows: new Map(), hosts }));
  const add = (unit: number, feature: string, flows: number): void => {
    const map = behaviours[unit]!.flows;
    map.set(feature, (map.get(feature) ?? 0) + flows);
  };
  for (const edge of roleEdges) {
    const server = hostIndex.get(edge.server);
    const client = hostIndex.get(edge.client);
    const service = `${edge.proto}/${edge.port}`;
    const flows = edge.flows ?? Number.POSITIVE_INFINITY;
    const clientPeer = server === undefined || unitOf(server) < 0 ? null : peerOf(edge.client, server, 's');
    const serverPeer = client === undefined || unitOf(client) < 0 ? null : peerOf(edge.server, client, 'u');
    if (clientPeer !== null) add(unitOf(server!), `s|${service}|${clientPeer}`, flows);
    if (serverPeer !== null) add(unitOf(client!), `u|${service}|${serverPeer}`, flows);
  }
  return behaviours;
}

/**
 * A feature that says two sets serve one service to the same clients: served
 * to a group (hosts outside the groups are one peer, "outside", and two
 * unrelated services the internet uses on 443 share it), not a collector
 * service (the metrics exporter every pod offers to one Prometheus), with
 * at least `minSharedFlows` connections.
 */
export function isAnchor(feature: string, flows: number, collectors: ReadonlySet<string>, minSharedFlows: number): boolean {
  return feature.startsWith('s|') && !feature.endsWith('|outside') && !collectors.has(feature.slice(2, feature.lastIndexOf('|'))) && flows >= minSharedFlows;
}

/**
 * Null when the sets share no service served steadily to the same clients
 * (`anchors`: the features that count). `differs(feature, own, other)`
 * says whether a feature set `own` has and `other` lacks is a difference
 * (every such feature unless given).
 */
export function compareBehaviours(
  a: Behaviour,
  b: Behaviour,
  minSharedFlows: number,
  anchors: ReadonlySet<string>,
  differs: (feature: string, own: Behaviour, other: Behaviour) => boolean = () => true,
): Comparison | null {
  let anchored = false;
  for (const [feature, flows] of a.flows) {
    if (!anchors.has(feature)) continue;
    const other = b.flows.get(feature);
    if (other !== undefined && flows >= minSharedFlows && other >= minSharedFlows) anchored = true;
  }
  if (!anchored) return null;
  const total = a.hosts + b.hosts;
  // Connections only one side has, summed per side first: whole numbers, so the chance does not depend on the order of the edges.
  let logChance = 0;
  const differences: [string, number][] = [];
  for (const [one, two] of [
    [a, b],
    [b, a],
  ] as const) {
    let only = 0;
    for (const [feature, flows] of one.flows) {
      if (two.flows.has(feature) || !differs(feature, one, two)) continue;
      only += flows;
      differences.push([feature, flows]);
    }
    if (only > 0) logChance += only * Math.log(one.hosts / total);
  }
  return { chance: Math.exp(logChance), differences };
}

/** Two sets merged: their connections per feature added. */
export function mergedBehaviour(a: Behaviour, b: Behaviour): Behaviour {
  const flows = new Map(a.flows);
  for (const [feature, count] of b.flows) flows.set(feature, (flows.get(feature) ?? 0) + count);
  return { flows, hosts: a.hosts + b.hosts };
}

/** "uses tcp/6379 on {10.2.0.1 +1} (4 connections)", features in text order, the first few; `named` names a peer ("g4"). */
export function describeDifferences(differences: readonly (readonly [string, number])[], named: (peer: string) => string): string {
  const shown = 4;
  const texts = differences
    .map(([feature, flows]) => {
      const [role, service, peer] = feature.split('|') as [string, string, string];
      const [proto, port] = service.split('/').map(Number) as [number, number];
      const who = peer === 'outside' ? 'hosts outside the groups' : named(peer);
      const count = Number.isFinite(flows) ? `${flows} connection${flows === 1 ? '' : 's'}` : 'steadily';
      return `${role === 's' ? 'serves' : 'uses'} ${serviceText(proto, port)} ${role === 's' ? 'to' : 'on'} ${who} (${count})`;
    })
    .sort();
  return texts.length <= shown ? texts.join('; ') : `${texts.slice(0, shown).join('; ')}; ${texts.length - shown} more`;
}
