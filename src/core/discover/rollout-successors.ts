import { groupIndexOfHosts, groupLabel } from './assemble-groups';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { conflicting, groupIdentity } from './role-equivalence';
import { roleEdgesOf } from './role-edges';
import { probersOf } from './idle-replicas';
import { compareText } from '../util/compare';
import { getOrAdd } from '../util/multimap';
import type { JoinNote } from './join-note';

/**
 * Pods that a rollout replaced. A Deployment's update starts new pods on new
 * addresses and stops the old ones; a pod list taken after the capture names
 * only the new ones, and a capture never says that the old addresses were
 * the same service. On behaviour alone an old pod is any service its
 * clients use on that port (every Thrift service a front end calls on 9090
 * looks alike), so it lands with a look-alike and its own service loses a
 * rule for nothing, while the look-alike gains one.
 *
 * Time tells them apart. A host lives from its first record to its last,
 * on any edge discovery reads (refused, flagged and broadcast traffic
 * aside): a pod still scraped, or still calling its back ends, has not gone.
 * A host that left part-way through the capture, while hosts that had not
 * been there before began serving the same services (each to at least one
 * of its clients) within `handoverMs`, was replaced by them: its clients
 * moved over at that moment. It joins the group of its successors when they
 * all sit in one group. Where labels name only the old side (a pod list
 * from before the capture), the successors join it instead; the side is
 * decided once for all the old hosts of a group. Groups that labels name
 * differently never join, and where successors sit in several groups (two
 * look-alike services rolled out in the same hour, told apart by behaviour)
 * nothing moves: the moment no longer says which. A silence counts only
 * where the host's own rate of records says it should have been heard from
 * (`minMissedRecords`): a pod called five times a day is often silent for
 * hours.
 *
 * Idle pods of the service go and come with the busy ones: a host that
 * served no role of its own and left (or came) within the handover of the
 * replacements of exactly one service joins that service's group, when it
 * answered and used nothing that the pods on that side did not (the same
 * scraper, the same control plane). A workstation that shut down then
 * answered helpdesk's RDP and used file shares, which no pod did.
 *
 * Services are the ones that say what a host is for (role-edges.ts):
 * probes, scrapes and remote administration are not compared, since every
 * pod has them and they say nothing of which service took over.
 */
export const ROLLOUT_SUCCESSOR_DEFAULTS = {
  /**
   * How close the last service of the old host and the first of its
   * successors must be. A rolling update replaces a Deployment in seconds
   * to minutes, and the exports time their records by intervals of up to
   * half an hour (GCP's aggregation of at most 15 minutes, AWS's 10-minute
   * window, a NetFlow active timeout of 1 to 30 minutes): an hour covers
   * both, while a stable estate
   * seldom starts a server of the same services for the same clients in
   * the same hour that another stops. The same margin keeps hosts that
   * served from the capture's first hour, or until its last, out: they
   * were not replaced within the window.
   */
  handoverMs: 3_600_000,
  /**
   * How many of its own records a host's silence must have missed to count:
   * before its first record for a newcomer, after its last for a host that
   * left. A host seen now and then (a pod that took five calls in a day)
   * falls silent for hours by chance; at its own rate of records over its
   * lifetime, a silence that should have held this many is a chance of
   * e^−5 < 1% (Poisson), whatever the export or the traffic's volume.
   */
  minMissedRecords: 5,
};

export type RolloutSuccessorSettings = typeof ROLLOUT_SUCCESSOR_DEFAULTS;

/** A host's lifetime in the window (first and last record of any edge it is on, and how many records), and what it did. */
interface Lifetime {
  firstMs: number;
  lastMs: number;
  records: number;
  /** Clients per role service (role-edges.ts): what the host is for. */
  readonly clients: Map<string, Set<string>>;
  /** Every "service client" it answered and "service server" it used, probers' checks aside: what an idle pod is matched on. */
  readonly answered: Set<string>;
  readonly used: Set<string>;
}

/** One replacement found: the host that left, its successors, and the group the service ends in. */
interface Rollout {
  readonly old: number;
  readonly leftMs: number;
  readonly cameMs: number;
  readonly successors: readonly number[];
  readonly group: number;
}

/**
 * `edges`: discovery's edges with their first and last instants (none: no
 * host moves). Returns the groups with replaced hosts joined to their
 * successors' (or successors to a labelled predecessor's), ordered by first
 * member, and why each moved host did.
 */
export function joinRolloutSuccessors(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly (readonly number[])[],
  identityOf: (host: number) => string | null,
  settings: RolloutSuccessorSettings = ROLLOUT_SUCCESSOR_DEFAULTS,
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const unchanged = { groups: groups.map((members) => [...members]).sort((a, b) => a[0]! - b[0]!), notes: new Map<number, JoinNote>() };
  let windowFirst = Infinity;
  let windowLast = -Infinity;
  for (const edge of edges) {
    if (known(edge.firstMs)) windowFirst = Math.min(windowFirst, edge.firstMs);
    if (known(edge.lastMs)) windowLast = Math.max(windowLast, edge.lastMs);
  }
  if (!(windowLast - windowFirst > 2 * settings.handoverMs)) return unchanged;

  const lifetimes = lifetimesOf(features, edges);
  // Missed records: the host's rate over its lifetime times the silence.
  const missed = (life: Lifetime, silenceMs: number): boolean => (life.records * silenceMs) / Math.max(life.lastMs - life.firstMs, settings.handoverMs) >= settings.minMissedRecords;
  const left = (life: Lifetime): boolean => life.lastMs <= windowLast - settings.handoverMs && missed(life, windowLast - life.lastMs);
  const came = (life: Lifetime): boolean => life.firstMs >= windowFirst + settings.handoverMs && missed(life, life.firstMs - windowFirst);
  const serving = [...lifetimes].filter(([, life]) => life.clients.size > 0);
  const retired = serving.filter(([, life]) => left(life));
  // Newcomers by the services they serve, each list in order of arrival: a host's candidates are a slice of one list.
  const newcomers = new Map<string, [number, Lifetime][]>();
  for (const entry of serving) if (came(entry[1])) getOrAdd(newcomers, servicesKey(entry[1]), () => []).push(entry);
  for (const list of newcomers.values()) list.sort((a, b) => a[1].firstMs - b[1].firstMs || a[0] - b[0]);
  if (retired.length === 0 || newcomers.size === 0) return unchanged;

  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  const identities = groups.map((members) => groupIdentity(members, identityOf));
  // Every move is decided on the groups as given, so that no move depends on the order of another.
  const targets = new Map<number, Set<number>>();
  const reasons = new Map<number, JoinNote>();
  const move = (host: number, group: number, note: JoinNote): void => {
    getOrAdd(targets, host, () => new Set<number>()).add(group);
    if (!reasons.has(host) || note.partner < reasons.get(host)!.partner) reasons.set(host, note);
  };
  const within = `${Math.round(settings.handoverMs / 60_000)} minutes`;

  // Each host that left, with its successors: newcomers that arrived within the handover and took over its clients.
  const found: { old: number; life: Lifetime; successors: number[]; target: number }[] = [];
  for (const [old, life] of retired) {
    const list = newcomers.get(servicesKey(life)) ?? [];
    const successors: number[] = [];
    for (let at = firstAtOrAfter(list, (entry) => entry[1].firstMs, life.lastMs - settings.handoverMs); at < list.length && list[at]![1].firstMs <= life.lastMs + settings.handoverMs; at++) {
      const [host, next] = list[at]!;
      if (host !== old && sameClientele(life, next)) successors.push(host);
    }
    successors.sort((a, b) => a - b);
    const successorGroups = new Set(successors.map((host) => groupOf[host]!));
    if (successorGroups.size !== 1) continue;
    const [target] = successorGroups as Set<number>;
    if (conflicting(identityOf(old), identities[target!])) continue;
    found.push({ old, life, successors, target: target! });
  }
  // Which side moves is one decision for all the hosts of a group that one group replaced: where labels name
  // the old side only, the successors join it; otherwise the old hosts join their successors.
  const bySides = new Map<string, typeof found>();
  for (const entry of found) getOrAdd(bySides, `${groupOf[entry.old]!}|${entry.target}`, () => []).push(entry);
  const rollouts: Rollout[] = [];
  for (const entries of bySides.values()) {
    const own = groupOf[entries[0]!.old]!;
    const target = entries[0]!.target;
    const oldIdentity = groupIdentity(entries.map((entry) => entry.old), identityOf);
    if (oldIdentity === undefined) continue;
    const labelledSide = oldIdentity !== null && identities[target] === null;
    for (const { old, life, successors } of entries) {
      const cameMs = successors.reduce((earliest, host) => Math.min(earliest, lifetimes.get(host)!.firstMs), Infinity);
      rollouts.push({ old, leftMs: life.lastMs, cameMs, successors, group: labelledSide ? own : target });
      if (target === own) continue;
      const services = [...life.clients.keys()].sort(compareText).join(', ');
      const at = new Date(life.lastMs).toISOString();
      const first = successors[0]!;
      if (labelledSide) {
        const text = `took over from ${features.hosts[old]!.ip} in a rollout: that host was last seen at ${at}, and this one began serving ${services} to its clients within ${within}; labels name that side`;
        for (const successor of successors) move(successor, own, { text, partner: old });
      } else {
        const text = `replaced in a rollout by ${groupLabel(features.hosts[first]!.ip, successors.length)}: it was last seen at ${at}, and ${successors.length === 1 ? 'that host' : 'they'} began serving ${services} to its clients within ${within}`;
        move(old, target, { text, partner: first });
      }
    }
  }

  // Idle pods go and come with their service's busy ones: a host that served no role of its own, left (or
  // came) within the handover of the replacements of exactly one service, and answered and used nothing
  // that the pods on that side of the rollout did not (the same scraper on the same port, the same
  // control plane): one of its pods. A workstation or a VM reached over SSH answers what no pod does.
  const byLeaving = [...rollouts].sort((a, b) => a.leftMs - b.leftMs || a.old - b.old);
  const byComing = [...rollouts].sort((a, b) => a.cameMs - b.cameMs || a.old - b.old);
  const near = (sorted: readonly Rollout[], instant: (rollout: Rollout) => number, when: number): Rollout[] => {
    const matches: Rollout[] = [];
    for (let at = firstAtOrAfter(sorted, instant, when - settings.handoverMs); at < sorted.length && instant(sorted[at]!) <= when + settings.handoverMs; at++) matches.push(sorted[at]!);
    return matches;
  };
  const doesNoMore = (life: Lifetime, pods: readonly number[]): boolean => {
    const answered = new Set(pods.flatMap((pod) => [...lifetimes.get(pod)!.answered]));
    const used = new Set(pods.flatMap((pod) => [...lifetimes.get(pod)!.used]));
    return [...life.answered].every((pair) => answered.has(pair)) && [...life.used].every((pair) => used.has(pair));
  };
  for (const [host, life] of lifetimes) {
    if (life.answered.size === 0 || life.clients.size > 0) continue;
    const leaving = left(life) ? near(byLeaving, (rollout) => rollout.leftMs, life.lastMs).filter((rollout) => doesNoMore(life, [rollout.old])) : [];
    const coming = came(life) ? near(byComing, (rollout) => rollout.cameMs, life.firstMs).filter((rollout) => doesNoMore(life, rollout.successors)) : [];
    const services = new Set([...leaving, ...coming].map((rollout) => rollout.group));
    if (services.size !== 1) continue;
    const [group] = services as Set<number>;
    if (group === groupOf[host] || conflicting(identityOf(host), identities[group!])) continue;
    // The note tells the side that matched: leaving where it did, else arriving.
    const gone = leaving.length > 0;
    const partner = (gone ? leaving : coming).reduce((lowest, rollout) => (rollout.old < lowest.old ? rollout : lowest));
    const when = gone ? `was last seen at ${new Date(life.lastMs).toISOString()}` : `was first seen at ${new Date(life.firstMs).toISOString()}`;
    const text = `${gone ? 'left' : 'came'} with the pods of a rollout: it served no role of its own, did nothing they did not, and ${when}, within ${within} of when ${groupLabel(features.hosts[partner.successors[0]!]!.ip, partner.successors.length)} replaced ${features.hosts[partner.old]!.ip}`;
    move(host, group!, { text, partner: gone ? partner.old : partner.successors[0]! });
  }

  const into = new Int32Array(groupOf);
  const notes = new Map<number, JoinNote>();
  for (const [host, wanted] of targets) {
    // A host two rollouts claim for different groups stays where it was.
    if (wanted.size !== 1) continue;
    into[host] = [...wanted][0]!;
    notes.set(host, reasons.get(host)!);
  }
  const members = new Map<number, number[]>();
  groups.forEach((list) => {
    for (const host of list) getOrAdd(members, into[host]!, () => []).push(host);
  });
  return { groups: [...members.values()].map((list) => list.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!), notes };
}

/**
 * Every host's lifetime: a host lives while anything reaches it or it reaches anything, on the edges
 * discovery reads (refused, flagged and broadcast traffic aside): a pod still scraped or still calling its
 * back ends has not gone, however long since its last client called.
 */
function lifetimesOf(features: HostFeatures, edges: readonly ProfileEdge[]): Map<number, Lifetime> {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const probers = probersOf(edges);
  const lifetimes = new Map<number, Lifetime>();
  for (const edge of edges) {
    const { firstMs, lastMs } = edge;
    if (!known(firstMs) || !known(lastMs) || edge.client === edge.server) continue;
    const client = hostIndex.get(edge.client);
    const server = hostIndex.get(edge.server);
    const service = serviceText(edge.proto, edge.port);
    // A prober's checks say where a pod runs (its node), not what it is: they count for the lifetime only.
    const checked = probers.has(edge.client);
    if (client !== undefined) {
      const life = lifetimeOf(lifetimes, client, firstMs, lastMs, edge.flows);
      if (!checked) life.used.add(`${service} ${edge.server}`);
    }
    if (server !== undefined) {
      const life = lifetimeOf(lifetimes, server, firstMs, lastMs, edge.flows);
      if (!checked) life.answered.add(`${service} ${edge.client}`);
    }
  }
  for (const edge of roleEdgesOf(edges, { probers: true, collectors: true })) {
    const server = hostIndex.get(edge.server);
    const life = server === undefined ? undefined : lifetimes.get(server);
    if (life !== undefined) getOrAdd(life.clients, serviceText(edge.proto, edge.port), () => new Set<string>()).add(edge.client);
  }
  return lifetimes;
}

/** The host's lifetime, stretched to cover an edge seen from `firstMs` to `lastMs`, counting its records. */
function lifetimeOf(lifetimes: Map<number, Lifetime>, host: number, firstMs: number, lastMs: number, flows: number | undefined): Lifetime {
  const life = getOrAdd(lifetimes, host, () => ({ firstMs, lastMs, records: 0, clients: new Map<string, Set<string>>(), answered: new Set<string>(), used: new Set<string>() }));
  life.firstMs = Math.min(life.firstMs, firstMs);
  life.lastMs = Math.max(life.lastMs, lastMs);
  life.records += Math.max(1, flows ?? 1);
  return life;
}

/** The role services a host serves, as one key. */
const servicesKey = (life: Lifetime): string => [...life.clients.keys()].sort(compareText).join(' ');

/** The first index of `sorted` (ascending by `instant`) whose instant is at or after `from`: a binary search. */
function firstAtOrAfter<T>(sorted: readonly T[], instant: (item: T) => number, from: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (instant(sorted[middle]!) < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** An instant the export gave (records of some formats carry none). */
const known = (instant: number | null | undefined): instant is number => typeof instant === 'number';

/** The same services, each used by at least one common client: the one side took over the other's work. */
function sameClientele(old: Lifetime, next: Lifetime): boolean {
  if (old.clients.size !== next.clients.size) return false;
  for (const [service, clients] of old.clients) {
    const others = next.clients.get(service);
    if (others === undefined) return false;
    let shared = false;
    for (const client of clients) if (others.has(client)) shared = true;
    if (!shared) return false;
  }
  return true;
}
