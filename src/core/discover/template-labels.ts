import type { ProfileHost } from './host-features';
import { compareText } from '../util/compare';
import { findLabel } from '../enrich/label-keys';
import { JOIN_DEFAULTS } from './join-by-identity';
import { agreedValues } from './workloads';

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
 * - an outvoted pod's profile carries the labels of a pod of its workload
 *   that carries the agreed value (the template's, the first such pod in
 *   address order, so that it never depends on input order);
 * - a pod whose value agreedValues drops as copied from another workload's
 *   template (its controller's name contradicts it, another's confirms it)
 *   has no labels in its profile: a copied label is no evidence, and a
 *   host without labels is compared on its behaviour alone.
 *
 * The key sets are the operational ones of JOIN_DEFAULTS.identityKeys, in
 * their order: a pod is judged on the first one it carries. Hosts that no
 * pod list places in a workload, and pods that carry none of the keys, keep
 * their labels: an inventory's rows are records of one host each, with no
 * template to vote.
 */
export function templateLabels(hosts: readonly ProfileHost[]): Map<string, Labels> {
  const keySets = JOIN_DEFAULTS.identityKeys.filter(({ judge, from }) => judge === 'services' && from === undefined).map(({ keys }) => keys);
  const agreed = keySets.map((keys) => agreedValues(hosts, keys));
  const replaced = new Map<string, Labels>();
  hosts.forEach((host, index) => {
    if (host.workload === undefined) return;
    const set = keySets.findIndex((keys) => ownValue(host, keys) !== null);
    if (set < 0) return;
    const own = ownValue(host, keySets[set]!);
    const value = agreed[set]!.get(index);
    if (value === own) return;
    if (value === undefined) {
      replaced.set(host.ip, []);
      return;
    }
    const template = hosts
      .filter((other) => other.workload === host.workload && ownValue(other, keySets[set]!) === value)
      .sort((a, b) => compareText(a.sortKey, b.sortKey) || compareText(a.ip, b.ip))[0];
    // agreedValues' winner is a vote among the workload's own pods, so one of them carries it.
    if (template !== undefined) replaced.set(host.ip, template.labels);
  });
  return replaced;
}

/** A host's value of a key set, spelt as agreedValues spells it ("key=value key=value"); null unless it carries every key. */
function ownValue(host: ProfileHost, keys: readonly string[]): string | null {
  const found = keys.map((key) => findLabel(host.labels, key)?.value ?? null);
  return found.some((value) => value === null) ? null : keys.map((key, i) => `${key}=${found[i]}`).join(' ');
}
