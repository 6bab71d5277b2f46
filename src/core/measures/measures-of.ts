import { lapsedCertifications } from '../attest/decisions';
import { policyEdgeKey, type PolicyEdge } from '../policy/policy-input';
import { computeDrift } from '../policy/drift';
import { GroupStages, isStageable } from '../policy/enforcement-stage';
import { DEFAULT_BLAST_HOPS } from '../policy/exposure';
import type { Policy } from '../policy/policy-model';
import { internalHostsOf } from '../policy/policy-stage';
import { PolicyEvaluator } from '../policy/simulate';
import {
  MEASURE_DEFAULTS,
  type AnomalyFigures,
  type BeforeAfter,
  type Certifications,
  type HostsPerStage,
  type Measure,
  type MeasureSettings,
  type MeasureSnapshot,
  type Measures,
  type SnapshotFlows,
  type UnusedRules,
  type DriftRate,
} from './measures-model';
import { exposureByStage } from './stage-reachability';

const MS_PER_DAY = 86_400_000;
export const MS_PER_WEEK = 7 * MS_PER_DAY;

/** Why a snapshot without flows cannot give a measure: reachability, drift and use are measured on traffic. */
export const NEEDS_FLOWS = 'needs flows: a policy.json alone has no edges (give a workspace, .flowfence)';
export const NEEDS_WORKSPACE = 'needs a workspace: anomalies and the analyst\'s acceptances are kept in a .flowfence, not in policy.json';

/** The measures of one snapshot (see measures-model.ts). */
export function measuresOf(snapshot: MeasureSnapshot, settings: MeasureSettings = MEASURE_DEFAULTS): Measures {
  const { policy, flows } = snapshot;
  const at = snapshotAt(snapshot);
  const reach = flows === null ? null : reachability(policy, flows);
  return {
    snapshot: { name: snapshot.name, at, window: policy.window, policySha256: policy.contentSha256 },
    reachablePairs: reach?.pairs ?? { unavailable: NEEDS_FLOWS },
    adminPaths: reach?.admin ?? { unavailable: NEEDS_FLOWS },
    blastRadius: reach === null ? { unavailable: NEEDS_FLOWS } : { hops: DEFAULT_BLAST_HOPS, mean: reach.blastMean, max: reach.blastMax },
    hostsPerStage: hostsPerStage(policy, flows),
    certifications: certifications(policy, at),
    drift: flows === null ? { unavailable: NEEDS_FLOWS } : driftRate(policy, flows),
    unusedRules: flows === null ? { unavailable: NEEDS_FLOWS } : unusedRules(policy, flows, settings.unusedDays),
    anomalies: anomalyFigures(snapshot),
  };
}

/**
 * When a snapshot stands: the end of its data (the last flow replayed, or
 * the policy's learning window without flows). Trends order snapshots by
 * it, and certifications are judged at it, so a snapshot's figures never
 * depend on the day the report was made.
 */
export function snapshotAt(snapshot: MeasureSnapshot): string | null {
  const last = snapshot.flows === null ? null : spanOf(snapshot.flows.replay).last;
  if (last !== null) return new Date(last).toISOString();
  return snapshot.policy.window.to;
}

function reachability(policy: Policy, flows: SnapshotFlows): { pairs: BeforeAfter; admin: BeforeAfter; blastMean: BeforeAfter; blastMax: BeforeAfter } {
  const internal = internalHostsOf(flows.edges, flows.hosts, flows.flagged);
  const resolver = PolicyEvaluator.of(policy).resolver;
  const { fullEnforcement, currentStage } = exposureByStage(policy, internal, (host) => resolver.place(host).group);
  // The flat network: every internal host reaches every other on every service, admin ones included.
  const flat = fullEnforcement.flatPairs;
  const flatReach = internal.length === 0 ? 0 : internal.length - 1;
  return {
    pairs: { flat, currentStage: currentStage.policyPairs, fullEnforcement: fullEnforcement.policyPairs },
    admin: { flat, currentStage: currentStage.adminPaths, fullEnforcement: fullEnforcement.adminPaths },
    blastMean: { flat: flatReach, currentStage: currentStage.blastRadius.mean, fullEnforcement: fullEnforcement.blastRadius.mean },
    blastMax: { flat: flatReach, currentStage: currentStage.blastRadius.max, fullEnforcement: fullEnforcement.blastRadius.max },
  };
}

function hostsPerStage(policy: Policy, flows: SnapshotFlows | null): HostsPerStage {
  const stages = GroupStages.of(policy);
  const count = { observe: 0, selective: 0, enforce: 0, ungrouped: 0 };
  const stageable = new Set(policy.groups.filter(isStageable).map((group) => group.id));
  const tally = (group: string | null): void => {
    if (group === null || !stageable.has(group)) count.ungrouped++;
    else count[stages.setting(group).stage]++;
  };
  let source: HostsPerStage['source'];
  if (flows !== null) {
    source = 'flows';
    const resolver = PolicyEvaluator.of(policy).resolver;
    for (const host of internalHostsOf(flows.edges, flows.hosts, flows.flagged)) tally(resolver.place(host).group);
  } else {
    source = 'policy-members';
    // A host listed in two groups counts once, in the first group listing it (groups come in id order).
    const seen = new Set<string>();
    for (const group of policy.groups) {
      if (!stageable.has(group.id)) continue;
      for (const ip of group.members) {
        if (seen.has(ip)) continue;
        seen.add(ip);
        tally(group.id);
      }
    }
  }
  const hosts = count.observe + count.selective + count.enforce + count.ungrouped;
  const share = (n: number): number => (hosts === 0 ? 0 : n / hosts);
  return { source, hosts, count, share: { observe: share(count.observe), selective: share(count.selective), enforce: share(count.enforce), ungrouped: share(count.ungrouped) } };
}

function certifications(policy: Policy, at: string | null): Certifications {
  const certified = policy.rules.filter((rule) => rule.state === 'approved' && rule.decision !== undefined);
  return {
    certified: certified.length,
    // Judged at the snapshot's date, by the same test drift uses for today.
    expired: at === null ? 0 : lapsedCertifications(policy, at).length,
    withoutExpiry: certified.filter((rule) => rule.decision!.expires === null).length,
    decertified: policy.rules.filter((rule) => rule.state === 'rejected' && rule.decision !== undefined).length,
    undecided: policy.rules.filter((rule) => rule.decision === undefined).length,
    asOf: at,
  };
}

function driftRate(policy: Policy, flows: SnapshotFlows): Measure<DriftRate> {
  const drift = computeDrift(policy, flows.replay, flows.hosts);
  const newEdges = new Set(drift.blocked.map((edge) => `${edge.client}|${edge.server}|${edge.proto}|${edge.port ?? -1}`)).size;
  const { first, last } = spanOf(flows.replay);
  const weeks = first === null || last === null ? 0 : (last - first) / MS_PER_WEEK;
  return { newEdges, weeks, perWeek: weeks > 0 ? newEdges / weeks : null };
}

function unusedRules(policy: Policy, flows: SnapshotFlows, days: number): Measure<UnusedRules> {
  const { first, last } = spanOf(flows.replay);
  if (first === null || last === null) return { unavailable: 'no replayed flow has a time' };
  const since = last - days * MS_PER_DAY;
  const recent = flows.replay.filter((edge) => edge.lastMs !== null && edge.lastMs >= since);
  const rules = computeDrift(policy, recent, flows.hosts).unusedRules.map((rule) => rule.id);
  return { count: rules.length, days, windowDays: Math.min(days, (last - first) / MS_PER_DAY), rules };
}

function anomalyFigures(snapshot: MeasureSnapshot): Measure<AnomalyFigures> {
  if (snapshot.anomalies === null) return { unavailable: NEEDS_WORKSPACE };
  return { found: snapshot.anomalies.found, open: snapshot.anomalies.found - snapshot.anomalies.accepted };
}

/** First and last flow time over edges (null when none has one). */
export function spanOf(edges: readonly PolicyEdge[]): { first: number | null; last: number | null } {
  let first = Infinity;
  let last = -Infinity;
  for (const edge of edges) {
    if (edge.firstMs !== null) first = Math.min(first, edge.firstMs);
    if (edge.lastMs !== null) last = Math.max(last, edge.lastMs);
  }
  return { first: Number.isFinite(first) ? first : null, last: Number.isFinite(last) ? last : null };
}

/** Every edge key (client|server|proto|port) of a snapshot's flows, learned and replayed. */
export function edgeKeysOf(flows: SnapshotFlows): Set<string> {
  const keys = new Set<string>();
  for (const edge of flows.edges) keys.add(policyEdgeKey(edge));
  for (const edge of flows.replay) keys.add(policyEdgeKey(edge));
  return keys;
}
