// An independent evaluator of Kubernetes networking.k8s.io/v1 NetworkPolicy,
// written from the Kubernetes API semantics alone. It exists to check the
// product's policy code from the outside, so it must never import from src/.
import ipaddr from 'ipaddr.js';

export type NetpolProtocol = 'TCP' | 'UDP' | 'SCTP';
export interface NetpolPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name?: string; readonly containerPort: number; readonly protocol: NetpolProtocol }[];
}
export interface NetpolNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}
/** ip: an IPv4 (or IPv6) address outside the cluster. */
export type NetpolPeer = { readonly pod: NetpolPod } | { readonly ip: string };

/** Alphabetical, which is also the order of the golden connection strings. */
export const NETPOL_PROTOCOLS: readonly NetpolProtocol[] = ['SCTP', 'TCP', 'UDP'];
export const MIN_PORT = 1;
export const MAX_PORT = 65_535;
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const DEFAULT_NAMESPACE = 'default';

// ---------------------------------------------------------------- port sets

/** Inclusive port ranges, ascending, disjoint and never adjacent (each is maximal). */
export type PortRanges = readonly (readonly [number, number])[];
/** The ports allowed per protocol. */
export type NetpolConnections = Readonly<Record<NetpolProtocol, PortRanges>>;

const FULL_RANGE: PortRanges = [[MIN_PORT, MAX_PORT]];
export const ALL_CONNECTIONS: NetpolConnections = { SCTP: FULL_RANGE, TCP: FULL_RANGE, UDP: FULL_RANGE };
export const NO_CONNECTIONS: NetpolConnections = { SCTP: [], TCP: [], UDP: [] };

/** Sorts and merges overlapping or adjacent ranges, so equal sets always print the same. */
function normalizeRanges(ranges: readonly (readonly [number, number])[]): PortRanges {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function intersectRanges(a: PortRanges, b: PortRanges): PortRanges {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    const lo = Math.max(alo, blo);
    const hi = Math.min(ahi, bhi);
    if (lo <= hi) out.push([lo, hi]);
    if (ahi < bhi) i++;
    else j++;
  }
  return out;
}

export function unionConnections(a: NetpolConnections, b: NetpolConnections): NetpolConnections {
  return {
    SCTP: normalizeRanges([...a.SCTP, ...b.SCTP]),
    TCP: normalizeRanges([...a.TCP, ...b.TCP]),
    UDP: normalizeRanges([...a.UDP, ...b.UDP]),
  };
}

export function intersectConnections(a: NetpolConnections, b: NetpolConnections): NetpolConnections {
  return { SCTP: intersectRanges(a.SCTP, b.SCTP), TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP) };
}

export function isFullConnections(c: NetpolConnections): boolean {
  return NETPOL_PROTOCOLS.every((p) => c[p].length === 1 && c[p][0]![0] === MIN_PORT && c[p][0]![1] === MAX_PORT);
}

// ---------------------------------------------------------------- addresses

/** An inclusive range of addresses of one family, as integers (bigint covers IPv6). */
export interface AddressRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

function addressValue(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

export function parseAddress(text: string): { readonly family: 4 | 6; readonly value: bigint } {
  const addr = ipaddr.parse(text.trim());
  return { family: addr.kind() === 'ipv4' ? 4 : 6, value: addressValue(addr) };
}

/** A CIDR as a range; host bits set below the prefix are ignored, as Go's net.ParseCIDR does. */
function cidrRange(text: string): AddressRange {
  const [addr, prefix] = ipaddr.parseCIDR(text.trim());
  const family = addr.kind() === 'ipv4' ? 4 : 6;
  const bits = BigInt(family === 4 ? 32 : 128);
  const hostBits = bits - BigInt(prefix);
  const hostMask = (1n << hostBits) - 1n;
  const first = addressValue(addr) & ~hostMask;
  return { family, first, last: first | hostMask };
}

function subtractRange(from: readonly AddressRange[], cut: AddressRange): AddressRange[] {
  const out: AddressRange[] = [];
  for (const r of from) {
    if (r.family !== cut.family || cut.last < r.first || cut.first > r.last) {
      out.push(r);
      continue;
    }
    if (r.first < cut.first) out.push({ family: r.family, first: r.first, last: cut.first - 1n });
    if (cut.last < r.last) out.push({ family: r.family, first: cut.last + 1n, last: r.last });
  }
  return out;
}

/** The addresses of an ipBlock ({cidr, except}) as contiguous ranges: cidr minus every except. */
export function ipBlockRanges(ipBlock: unknown): AddressRange[] {
  if (!isRecord(ipBlock) || typeof ipBlock.cidr !== 'string') throw new Error(`ipBlock without a cidr: ${JSON.stringify(ipBlock)}`);
  let ranges = [cidrRange(ipBlock.cidr)];
  for (const except of asArray(ipBlock.except)) {
    if (typeof except !== 'string') throw new Error(`ipBlock except is not a string: ${JSON.stringify(except)}`);
    ranges = subtractRange(ranges, cidrRange(except));
  }
  return ranges;
}

// ---------------------------------------------------------------- narrowing

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Kubernetes treats a missing list, null and [] alike; anything else that is not a list is malformed. */
export function asArray(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)}`);
  return value;
}

/** Label keys and values are strings; YAML may have typed an unquoted value as a number or boolean. */
export function labelValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

// ---------------------------------------------------------------- selectors

type Labels = Readonly<Record<string, string>>;
type LabelMatcher = (labels: Labels) => boolean;

function hasLabel(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** A metav1.LabelSelector: all of matchLabels and matchExpressions must hold; {} (or null) selects everything. */
function compileSelector(selector: unknown): LabelMatcher {
  if (selector === undefined || selector === null) return () => true;
  if (!isRecord(selector)) throw new Error(`malformed label selector: ${JSON.stringify(selector)}`);
  const tests: LabelMatcher[] = [];
  const matchLabels = selector.matchLabels ?? {};
  if (!isRecord(matchLabels)) throw new Error(`malformed matchLabels: ${JSON.stringify(matchLabels)}`);
  for (const [key, raw] of Object.entries(matchLabels)) {
    const value = labelValue(raw);
    tests.push((labels) => hasLabel(labels, key) && labels[key] === value);
  }
  for (const expr of asArray(selector.matchExpressions)) {
    if (!isRecord(expr) || typeof expr.key !== 'string') throw new Error(`malformed matchExpression: ${JSON.stringify(expr)}`);
    const key = expr.key;
    const values = new Set(asArray(expr.values).map(labelValue));
    switch (expr.operator) {
      case 'In':
        tests.push((labels) => hasLabel(labels, key) && values.has(labels[key]));
        break;
      case 'NotIn':
        // A pod without the key satisfies NotIn (apimachinery's selection.NotIn semantics).
        tests.push((labels) => !hasLabel(labels, key) || !values.has(labels[key]));
        break;
      case 'Exists':
        tests.push((labels) => hasLabel(labels, key));
        break;
      case 'DoesNotExist':
        tests.push((labels) => !hasLabel(labels, key));
        break;
      default:
        throw new Error(`unknown matchExpression operator: ${JSON.stringify(expr.operator)}`);
    }
  }
  return (labels) => tests.every((test) => test(labels));
}

// ---------------------------------------------------------------- policies

type CompiledPeer =
  | { readonly kind: 'pods'; readonly namespaces: LabelMatcher | 'policy-namespace'; readonly pods: LabelMatcher }
  | { readonly kind: 'ip'; readonly ranges: readonly AddressRange[] };

interface CompiledPort {
  readonly protocol: NetpolProtocol;
  /** undefined = every port of the protocol; a string is a named port. */
  readonly port: number | string | undefined;
  readonly endPort: number | undefined;
}

interface CompiledRule {
  /** 'all' when from/to is missing or empty: every pod and every external address. */
  readonly peers: readonly CompiledPeer[] | 'all';
  /** 'all' when ports is missing or empty. */
  readonly ports: readonly CompiledPort[] | 'all';
}

type Direction = 'ingress' | 'egress';

interface CompiledPolicy {
  readonly namespace: string;
  readonly selects: LabelMatcher;
  /** undefined when the policy does not affect that direction; [] isolates without allowing anything. */
  readonly ingress: readonly CompiledRule[] | undefined;
  readonly egress: readonly CompiledRule[] | undefined;
}

function parseProtocol(value: unknown): NetpolProtocol {
  if (value === undefined || value === null) return 'TCP';
  if (value === 'TCP' || value === 'UDP' || value === 'SCTP') return value;
  throw new Error(`unknown protocol: ${JSON.stringify(value)}`);
}

function compilePeer(peer: unknown): CompiledPeer {
  if (!isRecord(peer)) throw new Error(`malformed policy peer: ${JSON.stringify(peer)}`);
  const hasSelectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock !== undefined && peer.ipBlock !== null) {
    if (hasSelectors) throw new Error(`policy peer mixes ipBlock and selectors: ${JSON.stringify(peer)}`);
    return { kind: 'ip', ranges: ipBlockRanges(peer.ipBlock) };
  }
  if (!hasSelectors) throw new Error(`policy peer selects nothing: ${JSON.stringify(peer)}`);
  return {
    kind: 'pods',
    // podSelector alone means pods of the policy's own namespace.
    namespaces: peer.namespaceSelector === undefined ? 'policy-namespace' : compileSelector(peer.namespaceSelector),
    pods: compileSelector(peer.podSelector),
  };
}

function compilePort(entry: unknown): CompiledPort {
  if (!isRecord(entry)) throw new Error(`malformed policy port: ${JSON.stringify(entry)}`);
  const { port, endPort } = entry;
  if (port !== undefined && port !== null && typeof port !== 'number' && typeof port !== 'string') {
    throw new Error(`malformed port: ${JSON.stringify(port)}`);
  }
  if (endPort !== undefined && endPort !== null && typeof endPort !== 'number') throw new Error(`malformed endPort: ${JSON.stringify(endPort)}`);
  return { protocol: parseProtocol(entry.protocol), port: port ?? undefined, endPort: endPort ?? undefined };
}

function compileRule(rule: unknown, peersField: 'from' | 'to'): CompiledRule {
  if (!isRecord(rule)) throw new Error(`malformed policy rule: ${JSON.stringify(rule)}`);
  const peers = asArray(rule[peersField]);
  const ports = asArray(rule.ports);
  return {
    peers: peers.length === 0 ? 'all' : peers.map(compilePeer),
    ports: ports.length === 0 ? 'all' : ports.map(compilePort),
  };
}

function compilePolicy(policy: unknown): CompiledPolicy {
  if (!isRecord(policy)) throw new Error('a NetworkPolicy must be an object');
  const metadata = isRecord(policy.metadata) ? policy.metadata : {};
  const spec = isRecord(policy.spec) ? policy.spec : {};
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : DEFAULT_NAMESPACE;
  const types = asArray(spec.policyTypes);
  // Without policyTypes the API server defaults to Ingress, plus Egress when egress rules exist.
  const affectsIngress = types.length === 0 ? true : types.includes('Ingress');
  const affectsEgress = types.length === 0 ? asArray(spec.egress).length > 0 : types.includes('Egress');
  return {
    namespace,
    selects: compileSelector(spec.podSelector),
    ingress: affectsIngress ? asArray(spec.ingress).map((rule) => compileRule(rule, 'from')) : undefined,
    egress: affectsEgress ? asArray(spec.egress).map((rule) => compileRule(rule, 'to')) : undefined,
  };
}

// ---------------------------------------------------------------- evaluator

/** The ports a rule opens; named ports resolve against the destination pod (an external address has none). */
function rulePorts(rule: CompiledRule, destination: NetpolPod | undefined): NetpolConnections {
  if (rule.ports === 'all') return ALL_CONNECTIONS;
  const ranges: Record<NetpolProtocol, [number, number][]> = { SCTP: [], TCP: [], UDP: [] };
  for (const entry of rule.ports) {
    if (entry.port === undefined) ranges[entry.protocol].push([MIN_PORT, MAX_PORT]);
    else if (typeof entry.port === 'number') ranges[entry.protocol].push([entry.port, entry.endPort ?? entry.port]);
    else {
      for (const cp of destination?.ports ?? []) {
        if (cp.name === entry.port && cp.protocol === entry.protocol) ranges[entry.protocol].push([cp.containerPort, cp.containerPort]);
      }
    }
  }
  return { SCTP: normalizeRanges(ranges.SCTP), TCP: normalizeRanges(ranges.TCP), UDP: normalizeRanges(ranges.UDP) };
}

function inRanges(ranges: PortRanges, port: number): boolean {
  return ranges.some(([lo, hi]) => lo <= port && port <= hi);
}

export class NetpolEvaluator {
  private readonly policies: readonly CompiledPolicy[];
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly selectingCache = new WeakMap<NetpolPod, Record<Direction, readonly CompiledPolicy[]>>();
  private readonly addressCache = new Map<string, { readonly family: 4 | 6; readonly value: bigint }>();

  constructor(namespaces: readonly NetpolNamespace[], policies: readonly unknown[] /* parsed NetworkPolicy objects as plain JS */) {
    for (const ns of namespaces) {
      // The API server labels every namespace with its own name; manifests written by hand may omit it.
      this.namespaceLabels.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.labels[NAMESPACE_NAME_LABEL] ?? ns.name });
    }
    this.policies = policies.map(compilePolicy);
  }

  /** Is a connection initiated by src to dst on proto/port allowed by BOTH src's egress side and dst's ingress side? */
  allows(src: NetpolPeer, dst: NetpolPeer, proto: NetpolProtocol, port: number): boolean {
    return inRanges(this.connections(src, dst)[proto], port);
  }

  /** Every protocol/port that src may open towards dst (egress side of src intersected with ingress side of dst). */
  connections(src: NetpolPeer, dst: NetpolPeer): NetpolConnections {
    const dstPod = 'pod' in dst ? dst.pod : undefined;
    // An external address has no policies of its own, so its side allows everything.
    const egress = 'pod' in src ? this.side('egress', src.pod, dst, dstPod) : ALL_CONNECTIONS;
    if (NETPOL_PROTOCOLS.every((p) => egress[p].length === 0)) return NO_CONNECTIONS;
    const ingress = dstPod !== undefined ? this.side('ingress', dstPod, src, dstPod) : ALL_CONNECTIONS;
    return intersectConnections(egress, ingress);
  }

  /** What `subject`'s policies of one direction allow with `remote`; not isolated (all allowed) when none selects it. */
  private side(direction: Direction, subject: NetpolPod, remote: NetpolPeer, destination: NetpolPod | undefined): NetpolConnections {
    const selecting = this.selecting(subject)[direction];
    if (selecting.length === 0) return ALL_CONNECTIONS;
    let allowed = NO_CONNECTIONS;
    for (const policy of selecting) {
      for (const rule of policy[direction] ?? []) {
        if (rule.peers !== 'all' && !rule.peers.some((peer) => this.peerMatches(peer, policy.namespace, remote))) continue;
        allowed = unionConnections(allowed, rulePorts(rule, destination));
      }
    }
    return allowed;
  }

  private selecting(pod: NetpolPod): Record<Direction, readonly CompiledPolicy[]> {
    let cached = this.selectingCache.get(pod);
    if (cached === undefined) {
      const mine = this.policies.filter((p) => p.namespace === pod.namespace && p.selects(pod.labels));
      cached = { ingress: mine.filter((p) => p.ingress !== undefined), egress: mine.filter((p) => p.egress !== undefined) };
      this.selectingCache.set(pod, cached);
    }
    return cached;
  }

  private peerMatches(peer: CompiledPeer, policyNamespace: string, remote: NetpolPeer): boolean {
    if ('pod' in remote) {
      // ipBlocks describe addresses outside the cluster: they never match a pod.
      if (peer.kind !== 'pods') return false;
      const pod = remote.pod;
      const namespaceOk =
        peer.namespaces === 'policy-namespace' ? pod.namespace === policyNamespace : peer.namespaces(this.labelsOfNamespace(pod.namespace));
      return namespaceOk && peer.pods(pod.labels);
    }
    if (peer.kind !== 'ip') return false;
    const addr = this.address(remote.ip);
    return peer.ranges.some((r) => r.family === addr.family && r.first <= addr.value && addr.value <= r.last);
  }

  private labelsOfNamespace(name: string): Labels {
    // A namespace with no Namespace object still exists, labelled with its name only.
    return this.namespaceLabels.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  private address(ip: string): { readonly family: 4 | 6; readonly value: bigint } {
    let addr = this.addressCache.get(ip);
    if (addr === undefined) {
      addr = parseAddress(ip);
      this.addressCache.set(ip, addr);
    }
    return addr;
  }
}
