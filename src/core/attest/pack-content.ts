import type { MeasureTrend } from '../measures/measure-trend';
import { ALL_INTERNAL, type Policy, type PolicyRule } from '../policy/policy-model';
import { compareText } from '../util/compare';
import type { OwnerGroups } from './owners';
import type { PackAnomaly, PackChanges, PackContent, PackCoverage, PackMember, PackReplay, PackRule } from './pack-model';
import { ruleEvidenceSha256 } from './rule-digest';

/** What the analysis folder and the replay add to the policy, each optional: a pack says what it could not show. */
export interface PackSources {
  /** groups.csv of the analysis: why each host is in its group. */
  readonly reasons: ReadonlyMap<string, string> | null;
  /** anomalies.csv of the analysis. */
  readonly anomalies: readonly PackAnomaly[] | null;
  /** The previously attested policy, to list what changed since. */
  readonly previous: Policy | null;
  /** Per owner (by slug): the replay of flows given to attest. */
  readonly replay: ReadonlyMap<string, PackReplay> | null;
  readonly coverage: PackCoverage | null;
  readonly generatedAt: string;
  /** The estate's measures of success (measures/), charted in every pack's report; absent or null: not measured. */
  readonly measures?: MeasureTrend | null;
}

/** The rules touching a set of groups: those from or to one of them, and those from or to every internal host. */
export function rulesTouching(policy: Policy, groupIds: ReadonlySet<string>): { rule: PolicyRule; side: PackRule['side'] }[] {
  const touching: { rule: PolicyRule; side: PackRule['side'] }[] = [];
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    const serves = groupIds.has(rule.to) || rule.to === ALL_INTERNAL;
    const uses = groupIds.has(rule.from) || rule.from === ALL_INTERNAL;
    // A rule between two groups of others that only "internal" links to this owner is not theirs to certify.
    const own = groupIds.has(rule.to) || groupIds.has(rule.from);
    if (!own) continue;
    touching.push({ rule, side: serves && uses ? 'both' : serves ? 'serves' : 'uses' });
  }
  return touching;
}

export function packContent(policy: Policy, owner: OwnerGroups, ownerLabel: string, sources: PackSources): PackContent {
  const ids = new Set(owner.groups.map((group) => group.id));
  const names = new Map(policy.groups.map((group) => [group.id, group.name]));
  const members: PackMember[] = owner.groups.flatMap((group) => [...group.members].sort(compareText).map((ip) => ({ ip, group: group.id, reason: sources.reasons === null ? null : (sources.reasons.get(ip) ?? '') })));
  const memberSet = new Set(members.map((member) => member.ip));
  const rules: PackRule[] = rulesTouching(policy, ids).map(({ rule, side }) => ({
    rule,
    side,
    fromName: names.get(rule.from) ?? (rule.from === ALL_INTERNAL ? 'every internal host' : rule.from),
    toName: names.get(rule.to) ?? (rule.to === ALL_INTERNAL ? 'every internal host' : rule.to),
    evidenceSha256: ruleEvidenceSha256(rule),
  }));
  const anomalies = sources.anomalies === null ? null : sources.anomalies.filter((anomaly) => memberSet.has(anomaly.src) || memberSet.has(anomaly.dst));
  return {
    owner: owner.owner,
    slug: owner.slug,
    ownerLabel,
    policySha256: policy.contentSha256,
    generatedAt: sources.generatedAt,
    groups: owner.groups,
    members,
    rules,
    anomalies,
    replay: sources.replay?.get(owner.slug) ?? null,
    coverage: sources.coverage,
    changes: sources.previous === null ? null : changesSince(sources.previous, policy, ids),
    measures: sources.measures ?? null,
  };
}

/** Rules of the owner's groups added, removed or changed (another evidence digest) since the previous policy. */
export function changesSince(previous: Policy, current: Policy, groupIds: ReadonlySet<string>): PackChanges {
  const digests = (policy: Policy): Map<string, string> => new Map(rulesTouching(policy, groupIds).map(({ rule }) => [rule.id, ruleEvidenceSha256(rule)]));
  const before = digests(previous);
  const after = digests(current);
  const sorted = (ids: Iterable<string>): string[] => [...ids].sort(compareText);
  return {
    previousSha256: previous.contentSha256,
    added: sorted([...after.keys()].filter((id) => !before.has(id))),
    removed: sorted([...before.keys()].filter((id) => !after.has(id))),
    changed: sorted([...after].filter(([id, digest]) => before.has(id) && before.get(id) !== digest).map(([id]) => id)),
  };
}
