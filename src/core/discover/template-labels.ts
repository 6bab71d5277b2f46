import type { ProfileHost } from './host-features';
import { isPodLabelKey } from '../enrich/label-keys';
import { compareText } from '../util/compare';
import { appendTo, getOrAdd } from '../util/multimap';
import { JOIN_DEFAULTS } from './join-by-identity';
import { agreedValues, keySetValue } from './workloads';

type Labels = ProfileHost['labels'];

/**
 * The labels a listed pod's profile carries, where they are not its own.
 *
 * The pods of one workload are stamped from one pod template (workloads.ts),
 * so a pod whose application labels disagree with the value its workload's
 * pods agree on carries someone else's template: a pod relabelled by hand,
 * a manifest copied from another service. Identity already follows the
 * workload's vote (agreedValues), but a profile built on the pod's own
 * labels would still pull it, feature by feature, towards the service it
 * was mislabelled as, and with it the cut: a shipping replica labelled as
 * the Redis cart moved the cut far enough to merge shipping with payment,
 * two services of one port. So:
 * - an outvoted pod's profile carries the pod-list labels of a pod of its
 *   workload that carries the agreed value (the template's, the first such
 *   pod in address order, so that it never depends on input order);
 * - a pod whose value agreedValues drops as copied from another workload's
 *   template (its controller's name contradicts it, another's confirms it)
 *   has no pod-list labels in its profile: a copied label is no evidence,
 *   and a host without labels is compared on its behaviour alone.
 * Labels an inventory gives the address stay in either case: a row is a
 * record of its own, not part of any template.
 *
 * The key sets are the operational ones of JOIN_DEFAULTS.identityKeys, in
 * their order (votedKeySet says which one a pod is judged on). Hosts that
 * no pod list places in a workload, and pods that carry none of the keys,
 * keep their labels.
 */
export function templateLabels(hosts: readonly ProfileHost[]): Map<string, Labels> {
  const keySets = JOIN_DEFAULTS.identityKeys.filter(({ judge, from }) => judge === 'services' && from === undefined).map(({ keys }) => keys);
  const agreed = keySets.map((keys) => agreedValues(hosts, keys));
  const podsOf = new Map<string, ProfileHost[]>();
  for (const host of hosts) if (host.workload !== undefined) appendTo(podsOf, host.workload, host);
  const byAddress = (a: ProfileHost, b: ProfileHost): number => compareText(a.sortKey, b.sortKey) || compareText(a.ip, b.ip);
  const votedSet = new Map<string, number>();
  const replaced = new Map<string, Labels>();
  for (const index of hosts.map((_, i) => i).sort((a, b) => byAddress(hosts[a]!, hosts[b]!))) {
    const host = hosts[index]!;
    if (host.workload === undefined) continue;
    const pods = podsOf.get(host.workload)!;
    const voted = getOrAdd(votedSet, host.workload, () => votedKeySet(pods, keySets));
    const set = voted >= 0 && keySetValue(host, keySets[voted]!) !== null ? voted : keySets.findIndex((keys) => keySetValue(host, keys) !== null);
    if (set < 0) continue;
    const own = keySetValue(host, keySets[set]!);
    const value = agreed[set]!.get(index);
    if (value === own) continue;
    if (value === undefined) {
      replaced.set(host.ip, ownRecords(host));
      continue;
    }
    const template = pods.filter((other) => keySetValue(other, keySets[set]!) === value).sort(byAddress)[0];
    // agreedValues' winner is a vote among the workload's own pods, so one of them carries it.
    if (template !== undefined) replaced.set(host.ip, [...template.labels.filter(isPodListLabel), ...ownRecords(host)]);
  }
  return replaced;
}

/**
 * The key set a workload's pods are judged on: the first that most of its
 * labelled pods carry, so that a pod whose copied template also carries a
 * more specific set (a chart's `name` and `instance`, where its own
 * template has `name` alone) is judged where its workload votes. A pod that
 * does not carry it is judged on the first set it carries. -1 when no set
 * has a majority.
 */
function votedKeySet(pods: readonly ProfileHost[], keySets: readonly (readonly string[])[]): number {
  const labelled = pods.filter((pod) => keySets.some((keys) => keySetValue(pod, keys) !== null));
  return keySets.findIndex((keys) => 2 * labelled.filter((pod) => keySetValue(pod, keys) !== null).length > labelled.length);
}

/** Pod-list labels ("k8s:…", what a pod template sets) as against an inventory's rows for the address, which are a record of their own. */
const isPodListLabel = (label: { readonly key: string }): boolean => isPodLabelKey(label.key);

/** A host's labels that no pod template set: they stay whatever the template. */
const ownRecords = (host: ProfileHost): Labels => host.labels.filter((label) => !isPodListLabel(label));
