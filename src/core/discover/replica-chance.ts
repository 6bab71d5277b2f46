/**
 * The chances of a balanced service (calls spread evenly over its replicas
 * at random) that the replica tests share: idle-members.ts parts members
 * that took too little, idle-replicas.ts and the policy's idle-groups.ts
 * ask whether a service could have left a replica without any call.
 */

/**
 * The chance of at most `taken` of `total` connections landing on hosts that
 * hold `share` of a service's replicas (the binomial tail), 0 when the total
 * is unbounded (edges without counts are steady) and the hosts took a
 * bounded number.
 */
export function atMostChance(taken: number, total: number, share: number): number {
  if (!Number.isFinite(total)) return Number.isFinite(taken) ? 0 : 1;
  if (share <= 0 || taken >= total) return 1;
  if (share >= 1) return 0;
  // Terms C(total, i)·share^i·(1−share)^(total−i) in log space, summed up to `taken`.
  let logTerm = total * Math.log1p(-share);
  const ratio = Math.log(share) - Math.log1p(-share);
  let sum = Math.exp(logTerm);
  for (let i = 0; i < taken; i++) {
    logTerm += Math.log(total - i) - Math.log(i + 1) + ratio;
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/**
 * Whether a service of `busy` hosts that took `calls` connections could have
 * had `idle` more replicas that none reached: each call missed them with
 * odds busy/(busy+idle), all of them with (busy/(busy+idle))^calls, at
 * least `level`. A busy service cannot; one called a few times can leave
 * one replica idle, and only one called very few times several.
 */
export const couldMissAll = (calls: number, busy: number, idle: number, level: number): boolean => calls * Math.log(busy / (busy + idle)) >= Math.log(level);

/** couldMissAll for one more replica: whether a service could have left a replica of its own without a call. */
export const couldMissOneMore = (calls: number, replicas: number, level: number): boolean => couldMissAll(calls, replicas, 1, level);
