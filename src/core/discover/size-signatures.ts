import { groupIndexOfHosts, groupLabel } from './assemble-groups';
import { appendTo, getOrAdd } from '../util/multimap';
import { serviceText, type HostFeatures } from './host-features';
import type { JoinNote } from './join-note';

/**
 * Two services can be structurally equivalent: the same callers on the same
 * port, the same (or no) back ends, like DeathStarBench's unique-id and
 * media services, both called only by compose-post on 9090, or Bookinfo's
 * details and reviews-v1, both called only by productpage and calling
 * nothing. Who talks to whom cannot tell them apart; what they say can. The
 * replicas of one service answer the same clients' same requests with
 * messages of the same sizes, however the calls are balanced across them,
 * while two services answering different requests rarely exchange messages
 * of the same size.
 *
 * So a group splits where its servers, for the same client and service,
 * exchange a clearly and consistently different number of bytes per
 * connection: the hourly means of ln(bytes per connection) of two parts
 * differ by more than a fixed factor, and by many standard errors (hours
 * are the samples, so their spread, whatever the size distribution, sets
 * the bar). Servers without enough hours for a comparison stay with the
 * largest part: missing evidence is no evidence.
 *
 * A record of many packets is no exchange but a slice of a session or a
 * stream, cut by the exporter's timeouts (an operator station polling a
 * controller for days, a scraper's keep-alive connection): its bytes say
 * how long the slice ran and how often the session was polled, and each
 * packet what one device holds, not which service answers. Such edges give
 * no sample.
 */
export const SIZE_SIGNATURE_DEFAULTS = {
  /**
   * Hours of traffic (samples) a server needs on one client and service before
   * its size is compared: fewer give no reliable spread.
   */
  minHours: 6,
  /**
   * Parts differ by at least this factor in bytes per connection. Replicas of
   * one service answering the same clients see the same requests; balancing,
   * caching and session stickiness move a replica's mean by a few percent, not
   * by half. A factor of 1.5 is a different kind of message.
   */
  minRatio: 1.5,
  /**
   * …and by at least this many standard errors of the difference. With a
   * spread known exactly this is a one-in-millions chance; estimated from a
   * few dozen hours that are not independent of each other it is nearer one
   * in thousands, so it is the floor on the factor above that keeps
   * replicas together, and this that keeps a large factor on few, scattered
   * hours from splitting anything.
   */
  minZ: 5,
  /**
   * The least spread of ln(bytes per connection) assumed between hours (1%):
   * hours of identical sizes (one fixed request, one fixed answer) would
   * otherwise make any difference, however small, "significant".
   */
  minSpread: 0.01,
  /**
   * An edge whose records carry at least this many packets each, over the
   * learning window, is a session (module comment) and gives no sample. One
   * request and its answer, even of a few hundred kilobytes, take fewer; a
   * slice of a session polled every second, cut at the usual one- to
   * thirty-minute active timeouts, takes more.
   */
  sessionPackets: 200,
} as const;

export type SizeSignatureOptions = { readonly [K in keyof typeof SIZE_SIGNATURE_DEFAULTS]: number };

/** Per client→server service over the learning window: ln(bytes per connection) per hour, as count, sum and sum of squares. */
export interface EdgeSizeStats {
  readonly client: string;
  readonly server: string;
  readonly proto: number;
  readonly port: number;
  readonly hours: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/** Why a host was parted from others of its group: a sentence for its reason, and a host of its own part (the note holds while they share a group). */
export interface SizeNote extends JoinNote {
  /** The part's mean bytes per connection on that client and service: what names it apart from its namesakes. */
  readonly bytes: number;
}

/** One client and service on which a group's servers were compared, and each compared server's level and mean. */
interface SplitKey {
  readonly client: string;
  readonly service: string;
  readonly levelOf: ReadonlyMap<number, number>;
  readonly samples: ReadonlyMap<number, Sample>;
}

interface Sample {
  n: number;
  sum: number;
  sumSquares: number;
}

const mean = (sample: Sample): number => sample.sum / sample.n;

/**
 * The spread of hours around their server's mean, pooled over the servers
 * compared (replicas share it, and one server's few hours can look
 * deceptively tight by chance), never below `minSpread`'s.
 */
function pooledVariance(samples: readonly Sample[], minSpread: number): number {
  let squares = 0;
  let freedom = 0;
  for (const sample of samples) {
    squares += Math.max(0, sample.sumSquares - (sample.sum * sample.sum) / sample.n);
    freedom += sample.n - 1;
  }
  return Math.max(freedom === 0 ? 0 : squares / freedom, minSpread * minSpread);
}

/**
 * Splits each group where its servers' size signatures for one client host
 * and service
 * differ (module comment). `sameIdentity(a, b)`: hosts whose labels make
 * them one application, never split (nor are the pods of one workload). Returns the groups, split, ordered by
 * first member.
 */
export function splitBySizeSignature(
  features: HostFeatures,
  groups: readonly (readonly number[])[],
  stats: readonly EdgeSizeStats[],
  sameIdentity: (a: number, b: number) => boolean,
  options: SizeSignatureOptions = SIZE_SIGNATURE_DEFAULTS,
): { groups: number[][]; notes: Map<number, SizeNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  // Per group, per key (client's group or address, service): each server's pooled hourly sample.
  const byGroup = new Map<number, Map<string, Map<number, Sample>>>();
  for (const edge of stats) {
    const server = hostIndex.get(edge.server);
    if (server === undefined || groupOf[server]! < 0 || edge.hours === 0) continue;
    // One client host at a time: the clients of one group can make different calls on one port (a node's
    // health checks and a load generator's requests), and a server's mean would then follow its mix of them.
    const key = `${edge.client}|${edge.proto}/${edge.port}`;
    let keys = byGroup.get(groupOf[server]!);
    if (keys === undefined) byGroup.set(groupOf[server]!, (keys = new Map()));
    let servers = keys.get(key);
    if (servers === undefined) keys.set(key, (servers = new Map()));
    const sample = servers.get(server) ?? { n: 0, sum: 0, sumSquares: 0 };
    sample.n += edge.hours;
    sample.sum += edge.sum;
    sample.sumSquares += edge.sumSquares;
    servers.set(server, sample);
  }
  const result: number[][] = [];
  const notes = new Map<number, SizeNote>();
  groups.forEach((members, group) => {
    const keys = byGroup.get(group);
    if (members.length < 2 || keys === undefined) {
      result.push([...members]);
      return;
    }
    const { parts, splitKeys } = splitGroup(features, members, keys, sameIdentity, options);
    result.push(...parts);
    if (parts.length > 1) for (const [host, note] of partNotes(features, parts, splitKeys)) notes.set(host, note);
  });
  return { groups: result.sort((a, b) => a[0]! - b[0]!), notes };
}

/** Each part's hosts: parted from the largest other part, on the first key where the two differ, with the sizes. */
function partNotes(features: HostFeatures, parts: readonly (readonly number[])[], splitKeys: readonly SplitKey[]): Map<number, SizeNote> {
  const notes = new Map<number, SizeNote>();
  const named = (part: readonly number[]): string => groupLabel(features.hosts[part[0]!]!.ip, part.length);
  for (const part of parts) {
    const other = parts.filter((candidate) => candidate !== part).sort((a, b) => b.length - a.length || a[0]! - b[0]!)[0]!;
    for (const key of splitKeys) {
      const levels = (hosts: readonly number[]) => new Set(hosts.flatMap((host) => (key.levelOf.has(host) ? [key.levelOf.get(host)!] : [])));
      const [own, theirs] = [levels(part), levels(other)];
      if (own.size === 0 || theirs.size === 0 || [...own].some((level) => theirs.has(level))) continue;
      const pooled = (hosts: readonly number[]) => {
        const sampled = hosts.flatMap((host) => (key.samples.has(host) ? [key.samples.get(host)!] : []));
        const n = sampled.reduce((sum, sample) => sum + sample.n, 0);
        return { bytes: Math.exp(sampled.reduce((sum, sample) => sum + sample.sum, 0) / n), n };
      };
      const [mine, yours] = [pooled(part), pooled(other)];
      const text = `parted from ${named(other)} by what it says: connections from ${key.client} on ${key.service} carry ${Math.round(mine.bytes)} bytes here (over ${mine.n} hours) against ${Math.round(yours.bytes)} bytes there (over ${yours.n} hours)`;
      for (const host of part) notes.set(host, { text, partner: part[0]!, bytes: mine.bytes });
      break;
    }
  }
  return notes;
}

/** One group's parts: every key's split refines the partition; hosts no key places join the largest part. */
function splitGroup(
  features: HostFeatures,
  members: readonly number[],
  keys: ReadonlyMap<string, Map<number, Sample>>,
  sameIdentity: (a: number, b: number) => boolean,
  options: SizeSignatureOptions,
): { parts: number[][]; splitKeys: SplitKey[] } {
  const minLog = Math.log(options.minRatio);
  // Each sampled host's level on every key that split: key index → level.
  const levelsOf = new Map<number, Map<number, number>>();
  const splitKeys: SplitKey[] = [];
  for (const [key, servers] of [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const sampled = [...servers].filter(([, sample]) => sample.n >= options.minHours).sort((a, b) => mean(a[1]) - mean(b[1]) || a[0] - b[0]);
    if (sampled.length < 2) continue;
    // Levels: runs of the sorted means, broken where two neighbours differ clearly and significantly.
    const variance = pooledVariance(sampled.map(([, sample]) => sample), options.minSpread);
    let level = 0;
    const levelOf = new Map<number, number>([[sampled[0]![0], 0]]);
    for (let i = 1; i < sampled.length; i++) {
      const [, before] = sampled[i - 1]!;
      const [, after] = sampled[i]!;
      const gap = mean(after) - mean(before);
      if (gap >= minLog && gap / Math.sqrt(variance / before.n + variance / after.n) >= options.minZ) level++;
      levelOf.set(sampled[i]![0], level);
    }
    if (level === 0) continue;
    const [client, service] = key.split('|') as [string, string];
    const [proto, port] = service.split('/').map(Number) as [number, number];
    splitKeys.push({ client, service: serviceText(proto, port), levelOf, samples: new Map(sampled) });
    for (const [host, value] of levelOf) getOrAdd(levelsOf, host, () => new Map()).set(splitKeys.length - 1, value);
  }
  if (levelsOf.size === 0) return { parts: [[...members]], splitKeys };
  // Parts: hosts that no key sets at different levels. A host missing from a key (too few hours there)
  // is no different on it, so it joins a part it agrees with everywhere it was sampled; hosts sampled
  // on more keys are placed first, and a host that fits several parts joins the largest.
  const placed = [...levelsOf].sort((a, b) => b[1].size - a[1].size || a[0] - b[0]);
  const parts: { members: number[]; levels: Map<number, number> }[] = [];
  for (const [host, levels] of placed) {
    const fits = parts.filter((part) => [...levels].every(([key, level]) => (part.levels.get(key) ?? level) === level));
    const part = fits.sort((a, b) => b.members.length - a.members.length)[0];
    if (part === undefined) parts.push({ members: [host], levels: new Map(levels) });
    else {
      part.members.push(host);
      for (const [key, level] of levels) part.levels.set(key, level);
    }
  }
  // Pods of one workload are replicas by construction (workloads.ts), whatever their sizes, and so are
  // hosts that labels name as one application: their parts unite, an unsampled host's included.
  const unsampled = members.filter((host) => !levelsOf.has(host));
  const united = uniteSameIdentity([...parts.map((part) => part.members), ...unsampled.map((host) => [host])], (a, b) => {
    const workload = features.hosts[a]!.workload;
    return (workload !== undefined && workload === features.hosts[b]!.workload) || sameIdentity(a, b);
  });
  // Unsampled hosts that no identity placed: missing evidence is no evidence, they stay with the largest part.
  const withSamples = united.filter((part) => part.some((host) => levelsOf.has(host)));
  const alone = united.filter((part) => !part.some((host) => levelsOf.has(host))).flat();
  if (withSamples.length < 2) return { parts: [[...members]], splitKeys };
  for (const part of withSamples) part.sort((a, b) => a - b);
  withSamples.sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  withSamples[0]!.push(...alone);
  return { parts: withSamples.map((part) => part.sort((a, b) => a - b)), splitKeys };
}

/** Parts that share an identity (one host of each labelled as the same application) stay one part. */
function uniteSameIdentity(parts: readonly number[][], sameIdentity: (a: number, b: number) => boolean): number[][] {
  const parent = parts.map((_, index) => index);
  const find = (part: number): number => {
    while (parent[part] !== part) part = parent[part] = parent[parent[part]!]!;
    return part;
  };
  for (let a = 0; a < parts.length; a++) {
    for (let b = a + 1; b < parts.length; b++) {
      if (find(a) === find(b)) continue;
      if (parts[a]!.some((x) => parts[b]!.some((y) => sameIdentity(x, y)))) parent[find(b)] = find(a);
    }
  }
  const united = new Map<number, number[]>();
  parts.forEach((part, index) => appendTo(united, find(index), ...part));
  return [...united.values()];
}
