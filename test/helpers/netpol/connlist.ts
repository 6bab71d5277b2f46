// Renders the connectivity of a set of manifests in the golden "connlist"
// format of np-guard/netpol-analyzer (see netpol-goldens/SOURCE.txt):
//   <src> => <dst> : <conn>
// with workload peers, external IPv4 ranges cut at the policies' ipBlock
// boundaries, and connection sets as maximal port ranges per protocol.
import {
  ALL_CONNECTIONS,
  NETPOL_PROTOCOLS,
  NO_CONNECTIONS,
  NetpolEvaluator,
  asArray,
  ipBlockRanges,
  isFullConnections,
  isRecord,
  unionConnections,
  type NetpolConnections,
  type NetpolPeer,
  type NetpolPod,
} from './evaluator';
import { type ManifestPod, type Manifests } from './manifests';

const IPV4_LAST = (1n << 32n) - 1n;

/** A line's peer: a workload with the pods it stands for, or an external IPv4 range. */
interface WorkloadPeer {
  readonly name: string;
  readonly pods: readonly NetpolPod[];
}
interface ExternalRange {
  readonly name: string;
  /** Every address of the range is treated alike by every ipBlock, so one address represents it. */
  readonly representative: string;
}

/** <namespace>/<name>[<Kind>]: a pod stands for its controller (not followed further up), unless that is a Node (static pod). */
export function podPeerName({ pod, controller }: ManifestPod): string {
  if (controller === undefined || controller.kind === 'Node') return `${pod.namespace}/${pod.name}[Pod]`;
  return `${pod.namespace}/${controller.name}[${controller.kind ?? 'Pod'}]`;
}

/** "All Connections", or "SCTP ..,TCP ..,UDP .." with maximal ranges; "" when nothing is allowed. */
export function formatConnections(conn: NetpolConnections): string {
  if (isFullConnections(conn)) return 'All Connections';
  return NETPOL_PROTOCOLS.filter((p) => conn[p].length > 0)
    .map((p) => `${p} ${conn[p].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`)
    .join(',');
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

/** Pods with equal namespace, labels and ports are indistinguishable to every policy: evaluate one of them. */
function podSignature(pod: NetpolPod): string {
  const labels = Object.entries(pod.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([pod.namespace, labels, pod.ports]);
}

function workloadPeers(manifests: Manifests): WorkloadPeer[] {
  const byName = new Map<string, Map<string, NetpolPod>>();
  const add = (name: string, pod: NetpolPod): void => {
    let pods = byName.get(name);
    if (pods === undefined) byName.set(name, (pods = new Map()));
    const signature = podSignature(pod);
    if (!pods.has(signature)) pods.set(signature, pod);
  };
  for (const { kind, pod } of manifests.workloads) add(`${pod.namespace}/${pod.name}[${kind}]`, pod);
  // All pods of one owner collapse into a single peer.
  for (const pod of manifests.pods) add(podPeerName(pod), pod.pod);
  return [...byName].map(([name, pods]) => ({ name, pods: [...pods.values()] }));
}

/** The ipBlocks of every policy's ingress `from` (direction 'ingress') or egress `to` ('egress'), as IPv4 ranges. */
function ipBlockBoundaries(policies: readonly unknown[], direction: 'ingress' | 'egress'): bigint[] {
  const cuts = new Set<bigint>([0n]);
  const peersField = direction === 'ingress' ? 'from' : 'to';
  for (const policy of policies) {
    const spec = isRecord(policy) && isRecord(policy.spec) ? policy.spec : {};
    for (const rule of asArray(spec[direction])) {
      for (const peer of isRecord(rule) ? asArray(rule[peersField]) : []) {
        if (!isRecord(peer) || peer.ipBlock === undefined || peer.ipBlock === null) continue;
        for (const range of ipBlockRanges(peer.ipBlock)) {
          if (range.family !== 4) continue;
          cuts.add(range.first);
          if (range.last < IPV4_LAST) cuts.add(range.last + 1n);
        }
      }
    }
  }
  return [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The elementary ranges between consecutive cuts of 0.0.0.0-255.255.255.255 (adjacent ranges are not merged). */
function externalRanges(policies: readonly unknown[], direction: 'ingress' | 'egress'): ExternalRange[] {
  const cuts = ipBlockBoundaries(policies, direction);
  return cuts.map((first, i) => {
    const last = i + 1 < cuts.length ? cuts[i + 1]! - 1n : IPV4_LAST;
    return { name: `${ipv4Text(first)}-${ipv4Text(last)}[External]`, representative: ipv4Text(first) };
  });
}

/** The union over every (src, dst) combination: a peer allows what any of its pods allows. */
function unionOver(evaluator: NetpolEvaluator, sources: readonly NetpolPeer[], destinations: readonly NetpolPeer[]): NetpolConnections {
  let conn = NO_CONNECTIONS;
  for (const src of sources) {
    for (const dst of destinations) {
      conn = unionConnections(conn, evaluator.connections(src, dst));
      if (isFullConnections(conn)) return ALL_CONNECTIONS;
    }
  }
  return conn;
}

/** The golden lines for a loaded case, sorted by byte order; pairs with nothing allowed are omitted. */
export function connlistLines(manifests: Manifests): string[] {
  const evaluator = new NetpolEvaluator(manifests.namespaces, manifests.policies);
  const workloads = workloadPeers(manifests);
  const lines: string[] = [];
  const emit = (src: string, dst: string, conn: NetpolConnections): void => {
    const text = formatConnections(conn);
    if (text !== '') lines.push(`${src} => ${dst} : ${text}`);
  };
  const asPeers = (w: WorkloadPeer): NetpolPeer[] => w.pods.map((pod) => ({ pod }));

  for (const src of workloads) {
    for (const dst of workloads) {
      // A workload is never paired with itself, even with several pods.
      if (src.name !== dst.name) emit(src.name, dst.name, unionOver(evaluator, asPeers(src), asPeers(dst)));
    }
  }
  // Sources are cut by ingress ipBlocks, destinations by egress ipBlocks; IP to IP is never listed.
  for (const range of externalRanges(manifests.policies, 'ingress')) {
    for (const dst of workloads) emit(range.name, dst.name, unionOver(evaluator, [{ ip: range.representative }], asPeers(dst)));
  }
  for (const range of externalRanges(manifests.policies, 'egress')) {
    for (const src of workloads) emit(src.name, range.name, unionOver(evaluator, asPeers(src), [{ ip: range.representative }]));
  }
  return lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
