import { compareText } from '../util/compare';
import { CallLog, type ObservedCall } from './observed-calls';

/**
 * A pod that flow records name by themselves (Cilium Hubble's endpoints
 * carry namespace, pod name, labels and workload): as good as a pod list
 * for naming and grouping the addresses the records use.
 */
export interface ObservedPod {
  readonly ip: string;
  readonly namespace: string;
  readonly pod: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The controller (Hubble's `workloads`, or a ReplicaSet read from the pod's name), or null. */
  readonly owner: { readonly kind: string; readonly name: string } | null;
}

/**
 * The distinct pods one file names. A capture repeats the same few
 * endpoints on every record; a hostile or huge one could name millions, so
 * the count is bounded: beyond MAX_OBSERVED_PODS the rest are counted, not
 * kept, and the file's report says so.
 */
export const MAX_OBSERVED_PODS = 100_000;

export class ObservedPods {
  private readonly byKey = new Map<string, ObservedPod>();
  /** Records naming a pod beyond the bound (a pod named twice counts twice: the dropped ones are not kept to tell). */
  overflow = 0;
  /** Set for one piece of a split file: calls are only logged, to be replayed into the file's collector (observed-calls.ts). */
  private readonly log: CallLog<[ObservedPod]> | null;

  constructor(recording = false) {
    this.log = recording ? new CallLog() : null;
  }

  add(pod: ObservedPod, times = 1): void {
    if (this.log !== null) {
      this.log.note(JSON.stringify(pod), [pod]);
      return;
    }
    const key = `${pod.ip}\u0000${pod.namespace}\u0000${pod.pod}`;
    const known = this.byKey.get(key);
    if (known !== undefined) {
      // Records of one pod may carry more labels later (an L7 record, a newer agent): keep the fuller one.
      if (fullerPod(pod, known)) this.byKey.set(key, pod);
      return;
    }
    if (this.byKey.size >= MAX_OBSERVED_PODS) {
      this.overflow += times;
      return;
    }
    this.byKey.set(key, pod);
  }

  /** The calls logged while recording, since the last time they were taken. */
  takeCalls(): ObservedCall<[ObservedPod]>[] {
    return this.log?.take() ?? [];
  }

  /** In a stable order (address, namespace, name), whatever the order of the records. */
  list(): ObservedPod[] {
    return [...this.byKey.entries()].sort((a, b) => compareText(a[0], b[0])).map(([, pod]) => pod);
  }
}

type PodFacts = Pick<ObservedPod, 'labels' | 'owner'>;

/**
 * Whether `a` says more about a pod than `b`: more labels, then an owner;
 * between equals, a fixed order of their text, so that which record came
 * first never matters.
 */
export function fullerPod(a: PodFacts, b: PodFacts): boolean {
  const labels = Object.keys(a.labels).length - Object.keys(b.labels).length;
  if (labels !== 0) return labels > 0;
  if ((a.owner === null) !== (b.owner === null)) return a.owner !== null;
  return compareText(factsText(a), factsText(b)) < 0;
}

const factsText = (facts: PodFacts): string =>
  JSON.stringify([Object.entries(facts.labels).sort((x, y) => compareText(x[0], y[0])), facts.owner === null ? null : [facts.owner.kind, facts.owner.name]]);
