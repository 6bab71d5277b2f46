// The quality harness's measures, written here rather than taken from the
// engine (src/core/discover/adjusted-rand.ts and the engine's hold-out are
// what is being measured). Pure functions over plain data; metrics.test.ts
// checks each against values worked out by hand.

/** Adjusted Rand index (Hubert & Arabie) of two labelings of the same items. */
export function adjustedRandIndex(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new Error('labelings of different lengths');
  const n = predicted.length;
  if (n < 2) return 1;
  const pairs = (k: number): number => (k * (k - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = predicted[i]!;
    const t = truth[i]!;
    cells.set(`${p}\u0000${t}`, (cells.get(`${p}\u0000${t}`) ?? 0) + 1);
    rows.set(p, (rows.get(p) ?? 0) + 1);
    cols.set(t, (cols.get(t) ?? 0) + 1);
  }
  let index = 0;
  for (const count of cells.values()) index += pairs(count);
  let a = 0;
  for (const count of rows.values()) a += pairs(count);
  let b = 0;
  for (const count of cols.values()) b += pairs(count);
  const expected = (a * b) / pairs(n);
  const max = (a + b) / 2;
  // Both labelings all-singletons or all-one-group: agreement is perfect exactly when they are the same partition.
  if (max === expected) return index === max ? 1 : 0;
  return (index - expected) / (max - expected);
}

/**
 * Ordered pairs of distinct hosts the ideal group-level policy allows: ground
 * truth group A may reach group B (on any service) when a legitimate edge
 * joins a member of A to a member of B; every member of A then reaches every
 * member of B (within one group: every other member). Counted over `hosts`
 * only (the internal hosts the policy's exposure counts); a host without a
 * truth group is a group of its own.
 */
export function idealGroupPairs(hosts: Iterable<string>, groupOf: ReadonlyMap<string, string>, legitimate: Iterable<readonly [client: string, server: string]>): { pairs: number; groupPairs: number } {
  const counted = new Set(hosts);
  const group = (ip: string): string => groupOf.get(ip) ?? `host:${ip}`;
  const size = new Map<string, number>();
  for (const ip of counted) size.set(group(ip), (size.get(group(ip)) ?? 0) + 1);
  const allowed = new Set<string>();
  for (const [client, server] of legitimate) {
    if (client === server || !counted.has(client) || !counted.has(server)) continue;
    allowed.add(`${group(client)}\u0000${group(server)}`);
  }
  let pairs = 0;
  for (const key of allowed) {
    const [a, b] = key.split('\u0000') as [string, string];
    pairs += a === b ? size.get(a)! * (size.get(a)! - 1) : size.get(a)! * size.get(b)!;
  }
  return { pairs, groupPairs: allowed.size };
}

/**
 * The structural ceiling: the ARI over `servers` of the true grouping once
 * hosts of identical behaviour are put together, what a perfect grouper
 * that cannot part what behaves alike would score. A host's behaviour is
 * the set of its legitimate learning-window edges with each peer named by
 * its truth group (hosts without one are "outside"): whom it serves and uses,
 * on which protocol and port; of what a quarter of all servers or more do
 * (name lookups, probes, scrapes), only what most servers of its own truth
 * group also do (one lookup that went over TCP by chance tells nothing). That
 * names every peer as exactly as an oracle could, so the ceiling is
 * generous: what behaviour cannot tell apart even then (an idle MongoDB of
 * one service and of another, probed and scraped alike) no behaviour
 * grouping can. Hosts whose behaviour some host of another truth group
 * shares form one group keyed by that behaviour; every other host keeps its
 * truth group. Message sizes, timing and addresses are not behaviour here,
 * so an engine that uses them can score above it.
 */
export function structuralCeiling(servers: readonly string[], groupOf: ReadonlyMap<string, string>, legitimate: Iterable<readonly [client: string, server: string, proto: number, port: number]>): number {
  const peer = (ip: string): string => groupOf.get(ip) ?? 'outside';
  const behaviour = new Map<string, Set<string>>();
  const add = (host: string, entry: string): void => {
    let set = behaviour.get(host);
    if (set === undefined) behaviour.set(host, (set = new Set()));
    set.add(entry);
  };
  for (const [client, server, proto, port] of legitimate) {
    if (client === server) continue;
    add(server, `serves ${proto}/${port} to ${peer(client)}`);
    add(client, `uses ${proto}/${port} of ${peer(server)}`);
  }
  const truth = servers.map((ip) => groupOf.get(ip) ?? `none:${ip}`);
  // Chance is not behaviour: what most servers do (name lookups, probes, scrapes) tells
  // services apart only where it is steady, so such a feature counts for a host when
  // most of its truth group's servers share it too (one name lookup that happened to go
  // over TCP does not). Every other feature counts, however few hold it: the generous side.
  const members = new Map<string, number>();
  const holders = new Map<string, number>();
  const everywhere = new Map<string, number>();
  servers.forEach((ip, index) => {
    members.set(truth[index]!, (members.get(truth[index]!) ?? 0) + 1);
    for (const entry of behaviour.get(ip) ?? []) {
      holders.set(`${truth[index]!}\u0000${entry}`, (holders.get(`${truth[index]!}\u0000${entry}`) ?? 0) + 1);
      everywhere.set(entry, (everywhere.get(entry) ?? 0) + 1);
    }
  });
  const common = (entry: string): boolean => 4 * everywhere.get(entry)! >= servers.length;
  const signatures = servers.map((ip, index) => {
    const steady = (entry: string): boolean => !common(entry) || 2 * holders.get(`${truth[index]!}\u0000${entry}`)! > members.get(truth[index]!)!;
    return [...(behaviour.get(ip) ?? [])].filter(steady).sort().join('\n');
  });
  const truthsOf = new Map<string, Set<string>>();
  signatures.forEach((key, index) => {
    let truths = truthsOf.get(key);
    if (truths === undefined) truthsOf.set(key, (truths = new Set()));
    truths.add(truth[index]!);
  });
  const best = signatures.map((key, index) => (truthsOf.get(key)!.size > 1 ? `alike:${key}` : truth[index]!));
  return adjustedRandIndex(best, truth);
}

/** Host pairs the generated policy allows beyond the ideal one, as a share of the ideal (0.1 = 10% more). */
export function overPermission(policyPairs: number, idealPairs: number): number {
  if (idealPairs === 0) return policyPairs === 0 ? 0 : Infinity;
  return policyPairs / idealPairs - 1;
}

/** One replayed edge and what the generated policy does with it. */
export interface ReplayVerdict {
  /** "client|server|proto|port". */
  readonly key: string;
  readonly verdict: 'permitted' | 'escaped' | 'rejected';
  /** Why it escaped (the engine's cause), null when permitted. */
  readonly cause: string | null;
}

export interface WouldBreak {
  /** Legitimate replay edges of services seen in training, admin edges held by just-in-time rules excluded. */
  readonly edges: number;
  /** Of those, blocked by the policy. */
  readonly broken: number;
  /** broken / edges (0 when there are none). */
  readonly rate: number;
  /** Of the broken ones, blocked by a closed just-in-time rule although they are not remote administration. */
  readonly brokenByJit: number;
  /** Remote-administration edges (truth) waiting on a just-in-time rule: blocked by design, counted apart. */
  readonly adminJit: number;
  /** Legitimate replay edges of services never used in training (drift, counted apart), and how many are blocked. */
  readonly newServiceEdges: number;
  readonly newServiceBlocked: number;
}

/**
 * Would-break on a train/replay split. Only legitimate edges allowed today
 * count (refused ones are skipped). An edge whose service (server, protocol,
 * port) was never used in training is drift, counted apart. A remote
 * administration edge blocked by a just-in-time rule is blocked by design,
 * counted apart; every other blocked edge breaks something — a legitimate
 * edge that is not remote administration but sits behind a just-in-time rule
 * included (brokenByJit says how many). Several rows of one edge (actions)
 * count once: blocked when any row is.
 */
export function wouldBreak(replay: readonly ReplayVerdict[], legitimate: ReadonlySet<string>, admin: ReadonlySet<string>, knownServices: ReadonlySet<string>): WouldBreak {
  const byKey = new Map<string, ReplayVerdict>();
  for (const verdict of replay) {
    if (verdict.verdict === 'rejected' || !legitimate.has(verdict.key)) continue;
    const seen = byKey.get(verdict.key);
    if (seen === undefined || (seen.verdict === 'permitted' && verdict.verdict === 'escaped')) byKey.set(verdict.key, verdict);
  }
  let edges = 0;
  let broken = 0;
  let brokenByJit = 0;
  let adminJit = 0;
  let newServiceEdges = 0;
  let newServiceBlocked = 0;
  for (const [key, verdict] of byKey) {
    const [, server, proto, port] = key.split('|');
    const blocked = verdict.verdict === 'escaped';
    if (!knownServices.has(`${server}|${proto}|${port}`)) {
      newServiceEdges++;
      if (blocked) newServiceBlocked++;
      continue;
    }
    if (blocked && verdict.cause === 'just-in-time' && admin.has(key)) {
      adminJit++;
      continue;
    }
    edges++;
    if (blocked) {
      broken++;
      if (verdict.cause === 'just-in-time') brokenByJit++;
    }
  }
  return { edges, broken, rate: edges === 0 ? 0 : broken / edges, brokenByJit, adminJit, newServiceEdges, newServiceBlocked };
}

/** A planted attack (scenario.ts) and an anomaly the engine reported. */
export interface AttackLike {
  readonly kind: string;
  readonly src: string;
  readonly dsts: readonly string[];
}

export interface AnomalyLike {
  readonly kind: string;
  readonly src: string;
  readonly dst: string;
  /** Its edges, "client|server|proto|port". */
  readonly edges: readonly string[];
}

export interface AnomalyScore {
  /** Per planted kind: planted and found. */
  readonly byKind: Readonly<Record<string, { readonly planted: number; readonly found: number }>>;
  readonly planted: number;
  readonly found: number;
  /** Anomalies that match no planted attack (of any kind: a planted pair reported under another kind is not a false flag). */
  readonly falseFlags: number;
  readonly missed: readonly string[];
  readonly falseList: readonly string[];
}

/** Does the anomaly come from the attack's source and, when the attack names destinations, touch one of them? */
export function touches(attack: AttackLike, anomaly: AnomalyLike): boolean {
  if (anomaly.src !== attack.src) return false;
  if (attack.dsts.length === 0) return true;
  const dsts = new Set(attack.dsts);
  if (dsts.has(anomaly.dst)) return true;
  return anomaly.edges.some((edge) => {
    const [client, server] = edge.split('|');
    return (client === attack.src && dsts.has(server!)) || (server === attack.src && dsts.has(client!));
  });
}

export function scoreAnomalies(attacks: readonly AttackLike[], anomalies: readonly AnomalyLike[]): AnomalyScore {
  const byKind: Record<string, { planted: number; found: number }> = {};
  const missed: string[] = [];
  let found = 0;
  for (const attack of attacks) {
    const entry = (byKind[attack.kind] ??= { planted: 0, found: 0 });
    entry.planted++;
    if (anomalies.some((anomaly) => anomaly.kind === attack.kind && touches(attack, anomaly))) {
      entry.found++;
      found++;
    } else missed.push(`${attack.kind} ${attack.src}`);
  }
  const falseList = anomalies.filter((anomaly) => !attacks.some((attack) => touches(attack, anomaly))).map((anomaly) => `${anomaly.kind} ${anomaly.src} → ${anomaly.dst}`);
  return { byKind, planted: attacks.length, found, falseFlags: falseList.length, missed, falseList };
}

/** The targets of the issue, checked on the worst scenario (not the mean). */
export const TARGETS = {
  /** ARI over servers at 50% label coverage: enterprises / topologies. */
  ariEnterprise: 0.9,
  ariTopology: 0.95,
  /** ARI with no labels at all (coverage 0). */
  ariNoLabels: 0.85,
  overPermission: 0.1,
  wouldBreak: 0.005,
  falseFlags: 5,
} as const;
