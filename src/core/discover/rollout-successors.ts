import { groupIndexOfHosts, groupLabel } from './assemble-groups';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { conflicting, groupIdentity } from './role-equivalence';
import { roleEdgesOf } from './role-edges';
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
 * on any edge (a pod still scraped, or still calling its back ends, has not
 * gone). A host that left part-way through the capture, while hosts that
 * had not been there before began serving exactly the same services to the
 * same clients within `handoverMs`, was replaced by them: its clients moved
 * over at that moment. It joins the group of its successors when they all
 * sit in one group. Where labels name only one side (a pod list from before
 * the capture names the old pods, not the new), the unlabelled side joins
 * the labelled one. Groups that labels name differently never join, and
 * where successors sit in several groups (two services rolled out at once)
 * nothing moves: the coincidence of time no longer says which. A silence
 * counts only where the host's own rate of records says it should have
 * been heard from (`minMissedRecords`): a pod called five times a day is
 * often silent for hours.
 *
 * Idle pods of the service go and come with the busy ones: a host that
 * answered only probes and scrapes and left (or came) within the handover
 * of the replacements of exactly one service joins that service's group.
 *
 * Services are the ones that say what a host is for (role-edges.ts):
 * probes, scrapes and remote administration are not compared, since every
 * pod has them and they say nothing of which service took over.
 */
export const ROLLOUT_SUCCESSOR_DEFAULTS = {
  /**
   * How close the last service of the old host and the first of its
   * successors must be. A rolling update replaces a Deployment in seconds
   * to minutes, and the exports time their records by intervals of at most
   * 15 minutes (GCP's aggregation, AWS's 10-minute window, a NetFlow active
   * timeout of 1 to 30 minutes): an hour covers both, while a stable estate
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

/** A host's lifetime in the window (first and last record of any edge it is on, and how many records), and its clients per role service. */
interface Lifetime {
  firstMs: number;
  lastMs: number;
  records: number;
  /** It answered anything, probes and scrapes included: a pod, not a workstation. */
  answers: boolean;
  readonly clients: Map<string, Set<string>>;
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

  // A host lives while anything reaches it or it reaches anything: a pod still scraped or still calling
  // its back ends has not gone, however long since its last client called.
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const lifetimes = new Map<number, Lifetime>();
  for (const edge of edges) {
    if (!known(edge.firstMs) || !known(edge.lastMs) || edge.client === edge.server) continue;
    for (const host of [hostIndex.get(edge.client), hostIndex.get(edge.server)]) {
      if (host === undefined) continue;
      const life = getOrAdd(lifetimes, host, () => ({ firstMs: edge.firstMs!, lastMs: edge.lastMs!, records: 0, answers: false, clients: new Map<string, Set<string>>() }));
      if (host === hostIndex.get(edge.server)) life.answers = true;
      life.firstMs = Math.min(life.firstMs, edge.firstMs);
      life.lastMs = Math.max(life.lastMs, edge.lastMs);
      life.records += Math.max(1, edge.flows ?? 1);
    }
  }
  for (const edge of roleEdgesOf(edges, { probers: true, collectors: true })) {
    const server = hostIndex.get(edge.server);
    const life = server === undefined ? undefined : lifetimes.get(server);
    if (life !== undefined) getOrAdd(life.clients, serviceText(edge.proto, edge.port), () => new Set<string>()).add(edge.client);
  }
  // Missed records: the host's rate over its lifetime times the silence.
  const missed = (life: Lifetime, silenceMs: number): boolean => (life.records * silenceMs) / Math.max(life.lastMs - life.firstMs, settings.handoverMs) >= settings.minMissedRecords;
  const left = (life: Lifetime): boolean => life.lastMs <= windowLast - settings.handoverMs && missed(life, windowLast - life.lastMs);
  const came = (life: Lifetime): boolean => life.firstMs >= windowFirst + settings.handoverMs && missed(life, life.firstMs - windowFirst);
  const serving = [...lifetimes].filter(([, life]) => life.clients.size > 0);
  const retired = serving.filter(([, life]) => left(life));
  const newcomers = serving.filter(([, life]) => came(life));
  if (retired.length === 0 || newcomers.length === 0) return unchanged;

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
  // Each replacement found: when the old host left, when its successors came, and the group the service ends in.
  const rollouts: { readonly old: number; readonly leftMs: number; readonly cameMs: number; readonly successors: readonly number[]; readonly group: number }[] = [];
  for (const [old, life] of retired) {
    const successors = newcomers
      .filter(([host, next]) => host !== old && Math.abs(next.firstMs - life.lastMs) <= settings.handoverMs && sameClientele(life, next))
      .map(([host]) => host)
      .sort((a, b) => a - b);
    const successorGroups = new Set(successors.map((host) => groupOf[host]!));
    if (successorGroups.size !== 1) continue;
    const [target] = successorGroups as Set<number>;
    const own = groupOf[old]!;
    if (conflicting(identityOf(old), identities[target!])) continue;
    const labelledSide = identityOf(old) !== null && identities[target!] === null;
    rollouts.push({ old, leftMs: life.lastMs, cameMs: successors.reduce((earliest, host) => Math.min(earliest, lifetimes.get(host)!.firstMs), Infinity), successors, group: labelledSide ? own : target! });
    if (target === own) continue;
    const services = [...life.clients.keys()].sort(compareText).join(', ');
    const at = new Date(life.lastMs).toISOString();
    const first = successors[0]!;
    if (labelledSide) {
      const text = `took over from ${features.hosts[old]!.ip} in a rollout: that host was last seen at ${at}, and this one began serving ${services} to its clients within ${within}; labels name that side`;
      for (const successor of successors) move(successor, own, { text, partner: old });
    } else {
      const text = `replaced in a rollout by ${groupLabel(features.hosts[first]!.ip, successors.length)}: it was last seen at ${at}, and ${successors.length === 1 ? 'that host' : 'they'} began serving ${services} to its clients within ${within}`;
      move(old, target!, { text, partner: first });
    }
  }

  // Idle pods go and come with their service's busy ones: a host that answered only probes and scrapes, and
  // left (or came) within the handover of the replacements of exactly one service, was one of its pods.
  for (const [host, life] of lifetimes) {
    if (!life.answers || life.clients.size > 0) continue;
    const gone = left(life);
    const arrived = came(life);
    if (!gone && !arrived) continue;
    const matching = rollouts.filter((rollout) => (gone && Math.abs(rollout.leftMs - life.lastMs) <= settings.handoverMs) || (arrived && Math.abs(rollout.cameMs - life.firstMs) <= settings.handoverMs));
    const services = new Set(matching.map((rollout) => rollout.group));
    if (services.size !== 1) continue;
    const [group] = services as Set<number>;
    if (group === groupOf[host] || conflicting(identityOf(host), identities[group!])) continue;
    const partner = matching.reduce((lowest, rollout) => (rollout.old < lowest.old ? rollout : lowest));
    const when = gone ? `was last seen at ${new Date(life.lastMs).toISOString()}` : `was first seen at ${new Date(life.firstMs).toISOString()}`;
    const text = `${gone ? 'left' : 'came'} with the pods of a rollout: it answered only probes and scrapes, and ${when}, within ${within} of when ${groupLabel(features.hosts[partner.successors[0]!]!.ip, partner.successors.length)} replaced ${features.hosts[partner.old]!.ip}`;
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

/** An instant the export gave (records of some formats carry none). */
const known = (instant: number | null | undefined): instant is number => typeof instant === 'number';

/** The same services, each used by at least one common client: the one side took over the other's work. */
function sameClientele(old: Lifetime, next: Lifetime): boolean {
  if (old.clients.size !== next.clients.size) return false;
  for (const [service, clients] of old.clients) {
    const others = next.clients.get(service);
    if (others === undefined || ![...clients].some((client) => others.has(client))) return false;
  }
  return true;
}
