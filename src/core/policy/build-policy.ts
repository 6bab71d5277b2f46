import { compareText } from '../util/compare';
import { canonicalJson, sha256Hex } from './canonical-json';
import type { RuleGenerator, InternalGroupSpec } from './generate-rules';
import type { PolicyHost } from './policy-input';
import {
  ALL_INTERNAL,
  POLICY_FORMAT,
  POLICY_VERSION,
  type MembershipRule,
  type Policy,
  type PolicyAnalysis,
  type PolicyGroup,
  type PolicyInputFile,
  type PolicyPod,
  type PolicyService,
  type PolicySettings,
} from './policy-model';
import { serviceLabel } from './rule-builder';

export interface PolicyGroupSource extends InternalGroupSpec {
  readonly members: readonly string[];
  readonly match: MembershipRule | null;
}

export interface PolicyParts {
  readonly settings: PolicySettings;
  /** The discovery and anomaly thresholds of the run; null when the caller has none to record. */
  readonly analysis: PolicyAnalysis | null;
  readonly inputs: readonly PolicyInputFile[];
  readonly window: { readonly from: string | null; readonly to: string | null };
  readonly groups: readonly PolicyGroupSource[];
  readonly hosts: ReadonlyMap<string, PolicyHost>;
  /** The pods the analysis knew (knownPods), already in their canonical order; none when absent. */
  readonly pods?: readonly PolicyPod[];
  readonly generator: Pick<RuleGenerator, 'rules' | 'externalGroups'>;
}

/**
 * The canonical policy: groups (discovered ones, every internal host, the
 * outside networks the rules name), the services the rules open, the rules
 * in id order, a default deny, and SHA-256 digests of the inputs and of the
 * content. Nothing in it depends on the order inputs were given in.
 */
export function buildPolicy(parts: PolicyParts): Policy {
  const content = policyContent(parts);
  return { ...content, contentSha256: contentDigest(content) };
}

/** The policy without its content digest: what buildPolicy digests, and what a view that is never written needs. */
export function policyContent(parts: PolicyParts): Omit<Policy, 'contentSha256'> {
  const sortKey = (ip: string): string => parts.hosts.get(ip)?.sortKey ?? ip;
  const internal: PolicyGroup[] = parts.groups
    .filter((group) => group.members.length > 0)
    .map((group) => ({
      id: group.id,
      name: group.name,
      kind: group.kind,
      members: [...group.members].sort((a, b) => compareText(sortKey(a), sortKey(b))),
      match: group.match,
      labels: group.labels,
    }));
  const everyone: PolicyGroup = { id: ALL_INTERNAL, name: 'every internal host', kind: 'all-internal', members: [], match: { scope: 'internal' }, labels: {} };
  const groups = [...internal, everyone, ...parts.generator.externalGroups()].sort((a, b) => compareText(a.id, b.id));
  const rules = parts.generator.rules();
  const services = new Map<string, PolicyService>();
  for (const rule of rules) {
    if (!services.has(rule.service)) services.set(rule.service, { id: rule.service, proto: rule.proto, ports: rule.ports, name: serviceLabel(rule.proto, rule.ports) });
  }
  const files = [...parts.inputs].sort((a, b) => compareText(a.sha256, b.sha256) || compareText(a.name, b.name));
  const content: Omit<Policy, 'contentSha256'> = {
    format: POLICY_FORMAT,
    version: POLICY_VERSION,
    settings: parts.settings,
    analysis: parts.analysis,
    inputs: { files, sha256: inputsDigest(files) },
    window: parts.window,
    groups,
    services: [...services.values()].sort((a, b) => a.proto - b.proto || (a.ports?.from ?? -1) - (b.ports?.from ?? -1) || (a.ports?.to ?? -1) - (b.ports?.to ?? -1)),
    rules,
    defaultAction: 'deny',
    // Left out when there are none, so that a policy of hosts without pods reads and digests as before.
    ...(parts.pods !== undefined && parts.pods.length > 0 ? { pods: parts.pods } : {}),
  };
  return content;
}

/** The files' digests, sorted, one per line: the same set of files gives the same digest in any order. */
export function inputsDigest(files: readonly PolicyInputFile[]): string {
  return sha256Hex(files.map((file) => file.sha256).sort().join('\n'));
}

/** SHA-256 of the canonical JSON of a policy without its contentSha256. */
export function contentDigest(policy: Omit<Policy, 'contentSha256'> | Policy): string {
  const { contentSha256: _ignored, ...content } = policy as Policy;
  return sha256Hex(canonicalJson(content));
}

/** policy.json's text. */
export function policyJson(policy: Policy): string {
  return canonicalJson(policy);
}
