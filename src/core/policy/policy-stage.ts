import type { Discovery } from '../discover/discover-groups';
import { MS_PER_HOUR } from '../ingest/door';
import type { SqlPort } from '../store/sql-port';
import { buildPolicy, type PolicyGroupSource } from './build-policy';
import { computeExposure, type Exposure } from './exposure';
import { RuleGenerator } from './generate-rules';
import { evaluateHoldout, type Holdout } from './holdout';
import { ALL_HOURS, loadFlaggedEdges, loadPolicyEdges, loadPolicyHosts, loadPolicyLogons } from './load-policy-input';
import { parseMembershipRule } from './membership';
import { policyEdgeKey, type PolicyEdge, type PolicyHost, type PolicyLogon } from './policy-input';
import type { StaticPolicyParts } from './whatif/whatif-session';
import { DEFAULT_POLICY_SETTINGS, type Policy, type PolicyAnalysis, type PolicyInputFile, type PolicyPod, type PolicySettings } from './policy-model';
import { countVerdicts, escapedEdges, PolicyEvaluator, simulate, type EscapedEdge, type SimulationCounts } from './simulate';

export interface PolicyStageOptions {
  readonly settings?: PolicySettings;
  /** The discovery and anomaly thresholds the groups and flags came from, recorded in the policy (null by default: not recorded). */
  readonly analysis?: PolicyAnalysis | null;
  /** Learn from flows before this time (epoch ms) and replay the later ones. */
  readonly trainUntilMs?: number;
  /** The pods the analysis knew, recorded in the policy for the targets that select pods (k8s, cilium). */
  readonly pods?: readonly PolicyPod[];
}

export interface PolicyStage {
  readonly policy: Policy;
  readonly simulation: SimulationCounts;
  readonly escaped: readonly EscapedEdge[];
  readonly exposure: Exposure;
  readonly holdout: Holdout | null;
  /** What the policy was made of, for the workbench to regroup it (whatif/): kept in memory, never written. */
  readonly material: PolicyMaterial;
}

/** The inputs of rule generation and replay, as policyStage loaded them. */
export interface PolicyMaterial {
  readonly edges: readonly PolicyEdge[];
  readonly replay: readonly PolicyEdge[];
  readonly flagged: ReadonlySet<string>;
  readonly hosts: ReadonlyMap<string, PolicyHost>;
  readonly logons: readonly PolicyLogon[];
  readonly groups: readonly PolicyGroupSource[];
  readonly assignment: ReadonlyMap<string, string>;
  /** The policy file's parts a regrouping leaves alone. */
  readonly parts: StaticPolicyParts;
}

/** The hour a train/replay split falls on: flows of the hour containing it are replayed. */
export const trainSplitHour = (ms: number): number => Math.floor(ms / MS_PER_HOUR);

/**
 * Policy from discovery's groups and the edges they were learned from, then
 * replayed: on the same flows, or with a hold-out on the flows after
 * trainUntil. Exposure is measured over the internal hosts of the training window
 * (those on flagged edges only left out: internalHostsOf).
 */
export async function policyStage(db: SqlPort, discovery: Discovery, inputs: readonly PolicyInputFile[], options: PolicyStageOptions = {}): Promise<PolicyStage> {
  const settings = options.settings ?? DEFAULT_POLICY_SETTINGS;
  const split = options.trainUntilMs === undefined ? null : trainSplitHour(options.trainUntilMs);
  const [hosts, logons, flagged] = await Promise.all([loadPolicyHosts(db), loadPolicyLogons(db), loadFlaggedEdges(db)]);
  const trainEdges = await loadPolicyEdges(db, split === null ? ALL_HOURS : { from: null, to: split });
  const groups: PolicyGroupSource[] = discovery.groups.map((group) => ({
    id: group.id,
    name: group.name,
    kind: group.kind,
    labels: group.labels,
    members: group.members,
    match: parseMembershipRule(group.rule),
  }));
  const assignment = new Map(discovery.assignments.map((entry) => [entry.ip, entry.groupId]));
  const generator = new RuleGenerator({ edges: trainEdges, flagged, hosts, groups, assignment, logons, settings });
  const parts: StaticPolicyParts = { settings, analysis: options.analysis ?? null, inputs, window: windowOf(trainEdges), hosts, pods: options.pods ?? [] };
  const policy = buildPolicy({ ...parts, groups, generator });
  const evaluator = PolicyEvaluator.of(policy);
  const replayEdges = split === null ? trainEdges : await loadPolicyEdges(db, { from: split, to: null });
  const verdicts = simulate(evaluator, replayEdges, hosts);
  const internal = internalHostsOf(trainEdges, hosts, flagged);
  return {
    policy,
    simulation: countVerdicts(verdicts),
    escaped: escapedEdges(verdicts, hosts),
    exposure: computeExposure(internal, (host) => evaluator.resolver.place(host).group, policy.rules, settings),
    holdout: split === null ? null : evaluateHoldout(verdicts, generator.edges),
    material: { edges: trainEdges, replay: replayEdges, flagged, hosts, logons, groups, assignment, parts },
  };
}

function windowOf(edges: readonly PolicyEdge[]): { from: string | null; to: string | null } {
  let first = Infinity;
  let last = -Infinity;
  for (const edge of edges) {
    if (edge.firstMs !== null) first = Math.min(first, edge.firstMs);
    if (edge.lastMs !== null) last = Math.max(last, edge.lastMs);
  }
  return { from: Number.isFinite(first) ? new Date(first).toISOString() : null, to: Number.isFinite(last) ? new Date(last).toISOString() : null };
}

/**
 * Internal addresses on the edges, in canonical order. An address seen only
 * on `flagged` edges (the dark addresses a sweep probed) is no host of the
 * estate: counting it would let a rule open to every internal host look
 * wider by every address an attacker tried.
 */
export function internalHostsOf(edges: readonly PolicyEdge[], hosts: ReadonlyMap<string, PolicyHost>, flagged: ReadonlySet<string> = new Set()): PolicyHost[] {
  const seen = new Map<string, PolicyHost>();
  for (const edge of edges) {
    if (flagged.size > 0 && flagged.has(policyEdgeKey(edge))) continue;
    for (const ip of [edge.client, edge.server]) {
      const host = hosts.get(ip);
      if (host !== undefined && host.scope === 'internal') seen.set(ip, host);
    }
  }
  return [...seen.values()].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}
