import type { PolicyEdge } from './policy-input';
import type { EdgeVerdict } from './simulate';

/**
 * A hold-out replay split into what the policy would break and what is
 * genuinely new: an escaped edge whose service (server, protocol, port) the
 * training window never saw used is drift, not a mistake of the policy.
 */
export interface Holdout {
  /** Replayed edges allowed today. */
  readonly replayedEdges: number;
  /**
   * Escaped edges of services seen in training: legitimate traffic the
   * policy would break. Edges held back by a closed just-in-time rule are
   * blocked by design and counted in jitEdges instead.
   */
  readonly escapedEdges: number;
  readonly escapedFlows: number;
  /** escapedEdges / replayedEdges, new services left out of both. */
  readonly wouldBreakRate: number;
  /** Distinct services first used after the split that the policy blocks (drift). */
  readonly newServices: number;
  readonly newServiceEdges: number;
  /** Known-service edges waiting on a just-in-time rule. */
  readonly jitEdges: number;
}

const serviceOf = (edge: PolicyEdge): string => `${edge.server}|${edge.proto}|${edge.port}`;

export function evaluateHoldout(verdicts: readonly EdgeVerdict[], trainingEdges: readonly PolicyEdge[]): Holdout {
  const known = new Set(trainingEdges.map(serviceOf));
  const newServices = new Set<string>();
  let replayed = 0;
  let newServiceEdges = 0;
  let escapedEdges = 0;
  let escapedFlows = 0;
  let jitEdges = 0;
  for (const verdict of verdicts) {
    if (verdict.verdict === 'rejected') continue;
    const service = serviceOf(verdict.edge);
    const isNew = !known.has(service);
    if (isNew) {
      if (verdict.verdict === 'escaped') {
        newServices.add(service);
        newServiceEdges++;
      }
      continue;
    }
    replayed++;
    if (verdict.cause === 'just-in-time') jitEdges++;
    else if (verdict.verdict === 'escaped') {
      escapedEdges++;
      escapedFlows += verdict.escapedFlows;
    }
  }
  return { replayedEdges: replayed, escapedEdges, escapedFlows, wouldBreakRate: replayed === 0 ? 0 : escapedEdges / replayed, newServices: newServices.size, newServiceEdges, jitEdges };
}
