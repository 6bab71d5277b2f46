import type { HostFeatures, ProfileHost } from './host-features';
import { compareText } from '../util/compare';
import { appendTo } from '../util/multimap';
import { findLabel } from '../enrich/label-keys';

/**
 * Kubernetes workloads. The pods of one Deployment, StatefulSet or DaemonSet
 * are stamped from one pod template by their controller: the same image,
 * the same configuration, the same Service in front. The pod list names
 * that controller for every pod it lists (owner references, generateName),
 * which is a fact the cluster keeps, unlike a label someone typed. So:
 * - replicas of one workload are one replica set whatever peers their few
 *   calls happened to meet (each cart replica holding its connections to
 *   one Redis replica is still one cart service);
 * - they end in one group;
 * - when their labels disagree (a pod template copied from another service,
 *   a pod relabelled by hand), the workload's pods vote.
 */

/** Host indexes per workload, for workloads with at least two hosts, in order of first host. */
export function workloadMembers(hosts: readonly ProfileHost[]): number[][] {
  const byWorkload = new Map<string, number[]>();
  hosts.forEach((host, index) => {
    if (host.workload !== undefined) appendTo(byWorkload, host.workload, index);
  });
  return [...byWorkload.values()].filter((members) => members.length > 1);
}

/**
 * Each host's value of a key set ("key=value key=value"), for hosts that
 * carry every key. The pods of one workload share one value: the one most
 * of them carry. A tie is broken by the value the workload's own name
 * contains (Deployments are named after their app: `reviews-v1` for
 * `app: reviews`, `<release>-<chart>` for a chart's name), then by the value
 * more hosts carry overall, then by text, so that it never depends on input
 * order.
 *
 * A workload's value that its own name does not contain, while another
 * workload carrying the same value is named after it, is a label copied from
 * that workload's template (a single-replica `productpage-v1` labelled
 * `ratings` beside the `ratings-v1` pods): its hosts get no value, and the
 * workload's own name identifies them (workloadIdentities). A workload of
 * one pod has no replicas to outvote such a label, and on a port several
 * services share, the label would join it to the other service.
 */
export function agreedValues(hosts: readonly ProfileHost[], keys: readonly string[]): Map<number, string> {
  const values = new Map<number, string>();
  const carriers = new Map<string, number>();
  hosts.forEach((host, index) => {
    const value = keySetValue(host, keys);
    if (value === null) return;
    values.set(index, value);
    carriers.set(value, (carriers.get(value) ?? 0) + 1);
  });
  for (const members of workloadMembers(hosts)) {
    const votes = new Map<string, number>();
    for (const host of members) {
      const value = values.get(host);
      if (value !== undefined) votes.set(value, (votes.get(value) ?? 0) + 1);
    }
    if (votes.size < 2) {
      // One value among the labelled pods: the unlabelled pods of the workload share it.
      const [only] = votes.keys();
      if (only !== undefined) for (const host of members) values.set(host, only);
      continue;
    }
    const ownName = hosts[members[0]!]!.workload!.split('/').pop()!.toLowerCase();
    const named = (value: string): number => (namesValue(value, ownName) ? 1 : 0);
    const [winner] = [...votes].sort(
      (a, b) => b[1] - a[1] || named(b[0]) - named(a[0]) || (carriers.get(b[0]) ?? 0) - (carriers.get(a[0]) ?? 0) || compareText(a[0], b[0]),
    )[0]!;
    for (const host of members) values.set(host, winner);
  }
  dropCopiedValues(hosts, values);
  return values;
}

/** A host's own value of a key set, "key=value key=value"; null unless it carries every key. */
export function keySetValue(host: Pick<ProfileHost, 'labels'>, keys: readonly string[]): string | null {
  const found = keys.map((key) => findLabel(host.labels, key)?.value ?? null);
  return found.some((value) => value === null) ? null : keys.map((key, i) => `${key}=${found[i]}`).join(' ');
}

/** A host's controller from its workload ("namespace/Kind/name", as load-discovery-input.ts builds it); null for a bare pod or a host of no workload. */
function controllerOf(host: ProfileHost): { readonly namespace: string; readonly name: string } | null {
  if (host.workload === undefined) return null;
  const [namespace, kind, ...rest] = host.workload.split('/');
  return namespace === undefined || kind === undefined || kind === 'Pod' || rest.length === 0 ? null : { namespace, name: rest.join('/') };
}

/** The name a host's controller goes by, lower case (controllerOf). */
const workloadName = (host: ProfileHost): string | null => controllerOf(host)?.name.toLowerCase() ?? null;

/** True when one of a key-set value's label values ("k=v k=v") is in `name`. An empty value is in every name: it names nothing. */
function namesValue(value: string, name: string): boolean {
  return value.split(' ').some((pair) => {
    const text = pair.slice(pair.indexOf('=') + 1).toLowerCase();
    return text !== '' && name.includes(text);
  });
}

/** Drops the values that their hosts' workload name contradicts while another carrier's name confirms them (see agreedValues). */
function dropCopiedValues(hosts: readonly ProfileHost[], values: Map<number, string>): void {
  const confirmed = new Set<string>();
  for (const [index, value] of values) {
    const name = workloadName(hosts[index]!);
    if (name !== null && namesValue(value, name)) confirmed.add(value);
  }
  for (const [index, value] of [...values]) {
    const name = workloadName(hosts[index]!);
    if (name !== null && confirmed.has(value) && !namesValue(value, name)) values.delete(index);
  }
}

/**
 * Each listed pod's identity from its controller, for pods whose labels
 * name no app: "workload=<namespace>/<name>". A Deployment, StatefulSet or
 * DaemonSet is one piece of software (one image, one pod template), so two
 * of them are two services however alike their pods look on the wire (two
 * idle pods that only the kubelet probed). Versions of one service are
 * Deployments named `<app>-v<n>` by the common convention (Bookinfo's
 * reviews-v1…v3 behind one Service), so the version suffix is dropped and
 * they share one identity. A bare pod (no controller known) has none: its
 * name is whatever someone typed.
 */
export function workloadIdentities(hosts: readonly ProfileHost[]): Map<number, string> {
  const identities = new Map<number, string>();
  hosts.forEach((host, index) => {
    const controller = controllerOf(host);
    if (controller !== null) identities.set(index, `workload=${controller.namespace}/${controller.name.replace(VERSION_SUFFIX, '')}`);
  });
  return identities;
}

/** `-v2`, `-v10`: a version's Deployment of one service. */
const VERSION_SUFFIX = /-v\d+$/;

/**
 * Every workload's hosts in one group: the one that holds more of them than
 * any other, whose other members behaviour put with most of the workload.
 * Where no group does (a tie), behaviour gave the workload no place, and its
 * hosts form a group of their own. Groups left empty are dropped; the rest
 * keep their order, new groups come last.
 */
export function keepWorkloadsTogether(features: Pick<HostFeatures, 'hosts'>, groups: readonly (readonly number[])[]): number[][] {
  const groupOf = new Int32Array(features.hosts.length).fill(-1);
  groups.forEach((members, group) => {
    for (const host of members) groupOf[host] = group;
  });
  let next = groups.length;
  for (const members of workloadMembers(features.hosts)) {
    const counts = new Map<number, number>();
    for (const host of members) if (groupOf[host]! >= 0) counts.set(groupOf[host]!, (counts.get(groupOf[host]!) ?? 0) + 1);
    if (counts.size < 2) continue;
    const [first, second] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const target = first![1] > second![1] ? first![0] : next++;
    for (const host of members) if (groupOf[host]! >= 0) groupOf[host] = target;
  }
  const regrouped = Array.from({ length: next }, () => [] as number[]);
  groupOf.forEach((group, host) => {
    if (group >= 0) regrouped[group]!.push(host);
  });
  return regrouped.filter((members) => members.length > 0);
}

/**
 * Groups that hold pods of several operational identities (Kubernetes app
 * labels: each value is a Service's selector, so two values are two
 * services) split into one group per identity. Hosts without the label go
 * with the largest part: a missing label is no evidence, and behaviour put
 * them with these hosts. `identityOf` gives a host's identity or null.
 *
 * `record` is for identities a list keeps (an inventory row may be wrong):
 * where at least `agreedShare` of the labelled members carry one identity,
 * the group has it, and a dissenting identity fewer than `minPart` members
 * carry counts as none (JOIN_DEFAULTS.minRecordedSplit). Where no identity
 * has that share, the list does not file the group as one workload:
 * - where it files every member, it files them under different workloads
 *   wholesale (a pump gateway, an access-control server and the jump hosts,
 *   each its own application), which no wrong row explains, and every
 *   identity is a part;
 * - where its rows name at least `minMixed` workloads (three: no single
 *   wrong row explains that, so two or more workloads share the group),
 *   every identity is a part, and each unlisted host joins the part of the
 *   row whose host behaves most like it (`nearest`): operator stations of
 *   three lines, alike in their Windows chatter, one row each, are told
 *   apart by the controllers each polls;
 * - otherwise the identities of `minPart` rows or more are parts, and the
 *   hosts no such part holds (unlisted, or a lone row) stay together apart
 *   from them: no record claims them, and behaviour's later steps (sizes,
 *   pools) place them better than the largest part would.
 */
export function splitByIdentity(
  groups: readonly (readonly number[])[],
  identityOf: (host: number) => string | null,
  record?: { readonly minPart: number; readonly agreedShare: number; readonly minMixed?: number; readonly nearest?: (host: number, candidates: readonly number[]) => number },
): number[][] {
  const result: number[][] = [];
  for (const members of groups) {
    const parts = new Map<string, number[]>();
    const unlabelled: number[] = [];
    for (const host of members) {
      const identity = identityOf(host);
      if (identity === null) unlabelled.push(host);
      else appendTo(parts, identity, host);
    }
    const labelled = members.length - unlabelled.length;
    const largest = Math.max(0, ...[...parts.values()].map((hosts) => hosts.length));
    const agreed = record === undefined || largest >= record.agreedShare * labelled;
    if (!agreed && record.nearest !== undefined && parts.size >= (record.minMixed ?? Number.POSITIVE_INFINITY)) {
      result.push(...splitByNearestRow(parts, unlabelled, identityOf, record.nearest));
      continue;
    }
    const wholesale = !agreed && unlabelled.length === 0;
    const minPart = record === undefined || wholesale ? 1 : record.minPart;
    for (const [identity, hosts] of parts) {
      if (hosts.length >= minPart) continue;
      unlabelled.push(...hosts);
      parts.delete(identity);
    }
    const remainderApart = !agreed && unlabelled.length > 0;
    if (parts.size + (remainderApart ? 1 : 0) < 2) {
      result.push([...members]);
      continue;
    }
    const ordered = [...parts].sort((a, b) => b[1].length - a[1].length || compareText(a[0], b[0])).map(([, hosts]) => hosts);
    if (remainderApart) ordered.push(unlabelled);
    else ordered[0]!.push(...unlabelled);
    for (const part of ordered) result.push(part.sort((a, b) => a - b));
  }
  return result.sort((a, b) => a[0]! - b[0]!);
}

/** One part per identity; each unlabelled host with the identity of the labelled host `nearest` picks for it. */
function splitByNearestRow(parts: ReadonlyMap<string, number[]>, unlabelled: readonly number[], identityOf: (host: number) => string | null, nearest: (host: number, candidates: readonly number[]) => number): number[][] {
  const rows = [...parts.values()].flat().sort((a, b) => a - b);
  const split = new Map([...parts].map(([identity, hosts]) => [identity, [...hosts]]));
  for (const host of unlabelled) split.get(identityOf(nearest(host, rows))!)!.push(host);
  return [...split.values()].map((hosts) => hosts.sort((a, b) => a - b));
}
