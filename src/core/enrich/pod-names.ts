import type { OwnerRef } from './kubernetes';

/**
 * The controller a pod's name says it came from, for pod lists and flow
 * exports that carry names but no owner references (a trimmed
 * `kubectl get pods` dump, a hand-written inventory, a Hubble endpoint
 * before 0.11). Controllers name their pods by fixed rules, so a name is a
 * fact the cluster wrote, not one someone typed:
 * - a Deployment's pods are `<deployment>-<template hash>-<suffix>`, both
 *   parts from Kubernetes' safe alphabet (no vowels, no 0, 1 or 3, so no
 *   word a person would type matches it by chance);
 * - `metadata.generateName` is the prefix the controller asked for: a
 *   ReplicaSet's `<deployment>-<hash>-`, a DaemonSet's or Job's `<name>-`.
 * Other names (a StatefulSet's `web-0`, a bare pod) say nothing certain and
 * leave the pod its own workload.
 */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const REPLICA_SET_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const REPLICA_SET_PREFIX = new RegExp(`^(.+)-${SAFE}{6,10}-$`);

/** The Deployment a pod's name shows it belongs to, or null. */
export function ownerFromPodName(pod: string): OwnerRef | null {
  const match = REPLICA_SET_POD.exec(pod);
  return match === null ? null : { kind: 'Deployment', name: match[1]! };
}

/** The controller a pod's generateName names: its Deployment when the prefix is a ReplicaSet's, else the prefix's own name. */
export function ownerFromGenerateName(prefix: string): OwnerRef | null {
  if (!prefix.endsWith('-') || prefix.length < 2) return null;
  const match = REPLICA_SET_PREFIX.exec(prefix);
  // Which kind asked for a bare `<name>-` prefix (DaemonSet, Job, a custom controller) the prefix does not say.
  return match === null ? { kind: 'Controller', name: prefix.slice(0, -1) } : { kind: 'Deployment', name: match[1]! };
}
