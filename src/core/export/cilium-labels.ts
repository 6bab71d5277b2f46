import type { LabelSelector, LabelSelectorRequirement } from './k8s-model';

/**
 * How Cilium sees a pod's labels. Cilium builds a pod's security identity
 * from its Kubernetes labels, each with the source "k8s", plus
 * `k8s:io.kubernetes.pod.namespace`; selectors match only those identity
 * labels. Not every label makes it into the identity: the default label
 * filter (pkg/labelsfilter/filter.go, defaultLabelPrefixCfg) leaves out
 * keys starting with io.kubernetes, kubernetes.io, k8s.io, …beta.kubernetes.io,
 * pod-template-generation, pod-template-hash, controller-revision-hash,
 * annotation or etcd_node, but keeps app.kubernetes.io. A selector on a left
 * out label would never match, so groups are selected by identity labels only.
 */

/** The namespace of a pod, as the label Cilium matches in fromEndpoints and toEndpoints. */
export const CILIUM_NAMESPACE_KEY = 'k8s:io.kubernetes.pod.namespace';
/** A Kubernetes label as a selector key with its source, so no label of another source can match it. */
export const ciliumKey = (key: string): string => `k8s:${key}`;

interface LabelPrefix {
  readonly pattern: RegExp;
  readonly ignore: boolean;
}

// Each pattern matches from the key's start; among those that match, the longest inclusive match must exceed the shortest ignoring one.
const DEFAULT_LABEL_PREFIXES: readonly LabelPrefix[] = [
  { pattern: /^io\.kubernetes\.pod\.namespace/, ignore: false },
  { pattern: /^io\.cilium\.k8s\.namespace\.labels/, ignore: false },
  { pattern: /^app\.kubernetes\.io/, ignore: false },
  { pattern: /^io\.kubernetes/, ignore: true },
  { pattern: /^kubernetes\.io/, ignore: true },
  { pattern: /^.*beta\.kubernetes\.io/, ignore: true },
  { pattern: /^k8s\.io/, ignore: true },
  { pattern: /^pod-template-generation/, ignore: true },
  { pattern: /^pod-template-hash/, ignore: true },
  { pattern: /^controller-revision-hash/, ignore: true },
  { pattern: /^annotation.*/, ignore: true },
  { pattern: /^etcd_node/, ignore: true },
];

/** Is a pod label part of its Cilium identity under the default label filter? */
export function inCiliumIdentity(key: string): boolean {
  let included = 0;
  let ignored = 0;
  for (const prefix of DEFAULT_LABEL_PREFIXES) {
    const match = prefix.pattern.exec(key);
    if (match === null) continue;
    const length = match[0].length;
    if (prefix.ignore) ignored = ignored === 0 ? length : Math.min(ignored, length);
    else included = Math.max(included, length);
  }
  // No inclusive prefix is configured beyond the defaults, so a label is kept unless an ignoring prefix matches more of it.
  return ignored === 0 || included > ignored;
}

/** A pod's labels that are part of its Cilium identity. */
export function ciliumIdentityLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => inCiliumIdentity(key)));
}

/** A selector on pod labels (plain Kubernetes keys) with each key given the "k8s" source. */
export function withCiliumKeys(selector: LabelSelector): LabelSelector {
  const out: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] } = {};
  if (selector.matchLabels !== undefined) out.matchLabels = Object.fromEntries(Object.entries(selector.matchLabels).map(([key, value]) => [ciliumKey(key), value]));
  if (selector.matchExpressions !== undefined) out.matchExpressions = selector.matchExpressions.map((expression) => ({ ...expression, key: ciliumKey(expression.key) }));
  return out;
}
