import type { HostFeatures, ProfileEdge } from './host-features';

/**
 * Which groups a pod list keeps apart whatever their behaviour. A pod list
 * names every pod alive when it was taken, and Flowfence reads it as taken
 * after the capture (as rollout-successors.ts does): a host the list does
 * not name, still heard near the capture's end, was alive when the list was
 * taken and is therefore no pod of any workload the list names. A group
 * whose every member is a listed pod (one workload's replicas, as the list
 * says) and a group holding such an unlisted host are two services, however
 * alike their calls: Bookinfo's unlisted `details` pods, which the product
 * page calls on 9080 like the listed `reviews-v1` pods, are no reviews
 * replicas, and joining them would let `details` call `ratings`.
 *
 * A host that fell silent earlier may have been a pod replaced before the
 * list was taken (an old replica of a rollout), so it proves nothing, nor
 * does any host where the export gives no times. Where no host is listed,
 * nothing is kept apart.
 */
export function listedApart(features: Pick<HostFeatures, 'hosts'>, edges: readonly ProfileEdge[], aliveMs: number): (a: readonly number[], b: readonly number[]) => boolean {
  const never = (): boolean => false;
  if (!features.hosts.some((host) => host.workload !== undefined)) return never;
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const lastHeard = new Float64Array(features.hosts.length).fill(Number.NEGATIVE_INFINITY);
  let windowLast = Number.NEGATIVE_INFINITY;
  for (const edge of edges) {
    const last = edge.lastMs;
    if (typeof last !== 'number') continue;
    windowLast = Math.max(windowLast, last);
    for (const ip of [edge.client, edge.server]) {
      const index = hostIndex.get(ip);
      if (index !== undefined && last > lastHeard[index]!) lastHeard[index] = last;
    }
  }
  if (!Number.isFinite(windowLast)) return never;
  const listed = (host: number): boolean => features.hosts[host]!.workload !== undefined;
  const unlistedAlive = (host: number): boolean => !listed(host) && lastHeard[host]! >= windowLast - aliveMs;
  const allListed = (members: readonly number[]): boolean => members.length > 0 && members.every(listed);
  return (a, b) => (allListed(a) && b.some(unlistedAlive)) || (allListed(b) && a.some(unlistedAlive));
}
