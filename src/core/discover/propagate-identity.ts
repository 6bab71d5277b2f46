import { mergeGroups } from './assemble-groups';
import { addressBlock, HOST_FEATURE_DEFAULTS, type HostFeatures } from './host-features';
import { rarity, servedServices, usedServices, weightedJaccard } from './identity-evidence';
import { JOIN_DEFAULTS } from './join-by-identity';
import { ENVIRONMENT_DEFAULTS } from './anomalies/environment-inference';

/**
 * An inventory labels part of the servers (half, at a typical client).
 * Behaviour alone splits the replicas of a tier wherever each client keeps
 * to a few of them (session-sticky balancing, client-side connection
 * pools): replica A serves web servers 1 and 2, replica B web server 3.
 * The labelled replicas of the tier rejoin by their recorded identity
 * (join-by-identity.ts); this brings the unlabelled ones to them.
 *
 * An unlabelled group joins the group of one recorded identity (env, app
 * and tier) when it does what that group does: it serves the same ports, to
 * clients of the same identities, and uses servers of the same identities.
 * Its clients are those of the ports that say what it is for: the
 * monitoring host that scrapes a file-transfer server's exporter on
 * tcp/9100 is no client of its role, and the shops' servers that pull
 * files from it over SSH use administration's port; neither makes it
 * alike to the shops' label printers, whose own port is tcp/9100.
 * A neighbour's identity is its recorded one, the one its group took in an
 * earlier round, or its address block. Two parallel applications differ in
 * whom their tiers use (their own back ends), a prod and a dev copy in
 * whom they serve and use, two services of one application in the ports
 * they serve, so none of these meet all three. Where the back ends are
 * named on one side only (or on neither), the ports they are used on
 * stand in for them: two applications' load balancers in one block, both
 * serving the edge proxy on 443, are told apart by the ports of the web
 * tiers behind them (8081 for one, 5000 for the other), which no label is
 * needed to see, and one that uses back ends is not an endpoint that uses
 * none. A group that matches two identities as well stays where
 * it is: the evidence does not say which.
 * Only inventory identities take part: a Kubernetes workload's pods are
 * named by the pod list (workloads.ts), and pod addresses say nothing.
 */
export const PROPAGATE_DEFAULTS = {
  /**
   * Each of the three shares (weighted Jaccard: a port or an identity that
   * most groups have weighs little, join-by-identity.ts) must be at least
   * this: more than half of what the two groups do, weighted, is the same.
   * Matching on all three at once is what keeps parallel applications and
   * environments apart, not the height of any one threshold.
   */
  minShare: 0.5,
  /**
   * A peer identity that at least this share of the groups have as client
   * or as server (DNS, NTP, the directory, the package mirror, the
   * monitoring host), or that is filed under a shared environment
   * (ENVIRONMENT_DEFAULTS.sharedEnvironments), names no application: every
   * tier of every application has it. Half: an application's own tier is
   * the peer of its neighbours, a handful of groups, never of most.
   */
  universalShare: 0.5,
  /** Rounds: each round's joins name more neighbours, so a tier next to a joined one can match in the next. */
  rounds: 6,
};

export type PropagateOptions = typeof PROPAGATE_DEFAULTS;

/** A client of a host, and the service ("tcp/9100") it used. */
export interface ServiceClient {
  readonly service: string;
  readonly client: string;
}

interface Signature {
  readonly services: Set<number>;
  /** The services it uses on its servers that say what it is for (ownServices). */
  readonly uses: Set<number>;
  readonly clients: Set<string>;
  readonly servers: Set<string>;
}

/**
 * `groups`: host indexes per group. `recorded`: each labelled host's
 * inventory identity. Returns the groups with the unlabelled ones that
 * match an identity merged into it, ordered by first member.
 */
export function propagateIdentity(
  features: HostFeatures,
  groups: readonly number[][],
  recorded: ReadonlyMap<number, string>,
  clientsOfHost: ReadonlyMap<number, readonly ServiceClient[]>,
  serversOfHost: ReadonlyMap<number, readonly string[]>,
  options: PropagateOptions = PROPAGATE_DEFAULTS,
): number[][] {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  let current = groups.map((members) => [...members]);
  for (let round = 0; round < options.rounds; round++) {
    const identityOfGroup = current.map((members) => groupIdentity(members, recorded));
    const hostIdentity = new Map<number, string>();
    current.forEach((members, group) => {
      const identity = identityOfGroup[group];
      if (identity !== null && identity !== undefined) for (const host of members) hostIdentity.set(host, identity);
    });
    const identityOf = (ip: string): string => {
      const index = hostIndex.get(ip);
      return (index === undefined ? undefined : hostIdentity.get(index)) ?? `${BLOCK}${addressBlock(ip) ?? ip}`;
    };
    const served = current.map((members) => servedServices(features, members));
    const roleServices = ownServices(features, served, options.universalShare);
    const used = current.map((members) => usedServices(features, members));
    const roleUses = ownServices(features, used, options.universalShare);
    const signatures = current.map((members, group): Signature => {
      const role = new Set([...roleServices(served[group]!)].map((feature) => features.features[feature]!.name));
      return {
        services: served[group]!,
        uses: roleUses(used[group]!),
        clients: new Set(members.flatMap((host) => (clientsOfHost.get(host) ?? []).filter((use) => role.has(`serves ${use.service}`)).map((use) => identityOf(use.client)))),
        servers: new Set(members.flatMap((host) => serversOfHost.get(host) ?? []).map(identityOf)),
      };
    });
    const informative = {
      clients: informativePeers(signatures.map((s) => s.clients), options.universalShare),
      servers: informativePeers(signatures.map((s) => s.servers), options.universalShare),
    };
    const serviceWeight = rarity(signatures.map((s) => s.services));
    const useWeight = rarity(signatures.map((s) => s.uses));
    const clientWeight = rarity(signatures.map((s) => s.clients));
    const serverWeight = rarity(signatures.map((s) => s.servers));
    // One group per identity to join into: the largest (the first on a tie).
    const anchorOf = new Map<string, number>();
    identityOfGroup.forEach((identity, group) => {
      if (identity === null) return;
      const anchor = anchorOf.get(identity);
      if (anchor === undefined || current[group]!.length > current[anchor]!.length) anchorOf.set(identity, group);
    });
    const into = Int32Array.from(current, (_, group) => group);
    let moved = false;
    const anchors = new Set(anchorOf.values());
    current.forEach((members, group) => {
      if (anchors.has(group)) return;
      // A part of an identity may join only that identity's group; an unlabelled group, any; a group whose
      // labelled members disagree with no majority, none (joining one identity would overrule the others).
      const ownIdentity = identityOfGroup[group] ?? null;
      if (ownIdentity === null && members.some((host) => recorded.has(host))) return;
      const own = signatures[group]!;
      const ownRole = roleServices(own.services);
      if (ownRole.size === 0) return;
      let best = -1;
      let bestScore = 0;
      let tied = false;
      for (const [identity, anchor] of anchorOf) {
        if (ownIdentity !== null && identity !== ownIdentity) continue;
        const other = signatures[anchor]!;
        const clientShare = peerShare(own.clients, other.clients, clientWeight, informative.clients);
        const serverShare = peerShare(own.servers, other.servers, serverWeight, informative.servers);
        // At least one side named on both: services and address blocks alone cannot tell parallel applications apart.
        if (!clientShare.named && !serverShare.named) continue;
        // Back ends not named on both sides: the ports they are used on still tell parallel applications apart.
        const useShare = serverShare.named || (own.uses.size === 0 && other.uses.size === 0) ? null : weightedJaccard(own.uses, other.uses, useWeight);
        const sides = [clientShare.share, serverShare.share, useShare].filter((share) => share !== null);
        const score = Math.min(weightedJaccard(ownRole, roleServices(other.services), serviceWeight), ...sides);
        if (score < options.minShare) continue;
        if (score > bestScore) [best, bestScore, tied] = [anchor, score, false];
        else if (score === bestScore) tied = true;
      }
      if (best >= 0 && !tied) {
        into[group] = best;
        moved = true;
      }
    });
    if (!moved) break;
    current = mergeGroups(current, (group) => into[group]!);
  }
  return current.sort((a, b) => a[0]! - b[0]!);
}

const BLOCK = 'in ';

/**
 * How alike two groups' peers are. Peers with an identity (recorded or
 * propagated) are compared on those alone: an unlabelled peer, known only
 * by its address block, says nothing about which application a group
 * serves, only that it is somewhere in that block. Where only one side has
 * named peers, nothing can be said (null: the other side of the group, or
 * a later round, decides); where neither has, the blocks are all there is
 * (the workstations every web tier serves).
 */
function peerShare(a: ReadonlySet<string>, b: ReadonlySet<string>, weight: (item: string) => number, informative: (item: string) => boolean): { share: number | null; named: boolean } {
  const named = (set: ReadonlySet<string>) => new Set([...set].filter((item) => !item.startsWith(BLOCK) && informative(item)));
  const [namedA, namedB] = [named(a), named(b)];
  if (namedA.size > 0 && namedB.size > 0) return { share: weightedJaccard(namedA, namedB, weight), named: true };
  if (namedA.size > 0 || namedB.size > 0) return { share: null, named: false };
  return { share: weightedJaccard(a, b, weight), named: false };
}

/**
 * The services that say what a group is for: not remote administration
 * (who manages a host), not what most groups serve (a monitoring agent).
 * A batch host that answers only RDP and the exporter serves nothing of
 * its own. The same for the services a group uses: SSH to the file server
 * or the DNS every host asks name no application.
 */
function ownServices(features: HostFeatures, sets: readonly ReadonlySet<number>[], universalShare: number): (services: ReadonlySet<number>) => Set<number> {
  const counts = new Map<number, number>();
  for (const set of sets) for (const item of set) counts.set(item, (counts.get(item) ?? 0) + 1);
  const admin = new Set<string>(HOST_FEATURE_DEFAULTS.adminServices);
  // A feature's name is "serves tcp/443" or "uses tcp/443": its service is the second word.
  const keep = (feature: number): boolean => (counts.get(feature) ?? 0) < universalShare * sets.length && !admin.has(features.features[feature]!.name.split(' ')[1]!);
  return (services) => new Set([...services].filter(keep));
}

/** Peer identities that name an application: neither most groups' peer, nor filed under a shared environment. */
function informativePeers(sets: readonly ReadonlySet<string>[], universalShare: number): (item: string) => boolean {
  const counts = new Map<string, number>();
  for (const set of sets) for (const item of set) counts.set(item, (counts.get(item) ?? 0) + 1);
  const shared = new Set(ENVIRONMENT_DEFAULTS.sharedEnvironments.map((env) => `env=${env}`));
  return (item) => (counts.get(item) ?? 0) < universalShare * sets.length && !shared.has(item.split(' ')[0]!);
}

/** The identity most labelled members record (JOIN_DEFAULTS.minIdentityShare of them), or null. */
function groupIdentity(members: readonly number[], recorded: ReadonlyMap<number, string>): string | null {
  const counts = new Map<string, number>();
  let labelled = 0;
  for (const host of members) {
    const value = recorded.get(host);
    if (value === undefined) continue;
    labelled++;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  let top: string | null = null;
  let topCount = 0;
  for (const [value, count] of counts) if (count > topCount || (count === topCount && top !== null && value < top)) [top, topCount] = [value, count];
  return top !== null && topCount >= JOIN_DEFAULTS.minIdentityShare * labelled ? top : null;
}
