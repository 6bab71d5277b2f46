// An independent evaluator of Cilium's L3/L4 network policy for pods,
// written from Cilium's documentation and sources (pkg/policy/api,
// pkg/policy/utils, pkg/labelsfilter) alone. It must never import from src/.
//
// What it models:
// - A pod's identity: its labels (source "k8s") that the default label
//   filter keeps, plus k8s:io.kubernetes.pod.namespace.
// - Selectors: keys "source:key" (no source: any); matchLabels and
//   matchExpressions (In, NotIn, Exists, DoesNotExist). The endpointSelector
//   of a CiliumNetworkPolicy applies in the policy's namespace only; a
//   fromEndpoints/toEndpoints selector that names no namespace is limited
//   to the policy's namespace too.
// - Entities: cluster and all select pods; world, host, remote-node, none…
//   do not. CIDR sets never select pods (cluster identities), only outside
//   addresses.
// - A rule with no peer field at all selects every peer; a peer field that
//   is an empty list selects none.
// - toPorts: absent or empty, every port; else any entry's ports, each a
//   port (0: every port) up to endPort, of protocol TCP/UDP/SCTP or ANY.
// - Default deny per direction: an endpoint is default deny in a direction
//   when a policy selecting it says enableDefaultDeny for it, or leaves it
//   unsaid and has a rule of that direction. Then only a matching rule of a
//   policy selecting it allows; otherwise everything is allowed.
// A connection between pods needs the client's egress and the server's
// ingress. Anything outside this model (deny rules, L7 rules, ICMP rules,
// toServices, more than 40 ports, two peer kinds in one rule) throws.
import ipaddr from 'ipaddr.js';

export type CiliumProtocolName = 'TCP' | 'UDP' | 'SCTP';

export interface CiliumPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type CiliumPeer = { readonly pod: CiliumPod } | { readonly ip: string };

interface IdentityLabel {
  readonly source: string;
  readonly key: string;
  readonly value: string;
}

// The default label filter: patterns match from the key's start; a label stays unless an ignoring pattern matches more of it than any keeping one.
const LABEL_FILTER: readonly { readonly pattern: RegExp; readonly keep: boolean }[] = [
  { pattern: /^io\.kubernetes\.pod\.namespace/, keep: true },
  { pattern: /^io\.cilium\.k8s\.namespace\.labels/, keep: true },
  { pattern: /^app\.kubernetes\.io/, keep: true },
  { pattern: /^io\.kubernetes/, keep: false },
  { pattern: /^kubernetes\.io/, keep: false },
  { pattern: /^.*beta\.kubernetes\.io/, keep: false },
  { pattern: /^k8s\.io/, keep: false },
  { pattern: /^pod-template-generation/, keep: false },
  { pattern: /^pod-template-hash/, keep: false },
  { pattern: /^controller-revision-hash/, keep: false },
  { pattern: /^annotation/, keep: false },
  { pattern: /^etcd_node/, keep: false },
];

function keptByFilter(key: string): boolean {
  let kept = 0;
  let dropped = 0;
  for (const { pattern, keep } of LABEL_FILTER) {
    const length = pattern.exec(key)?.[0].length;
    if (length === undefined) continue;
    if (keep) kept = Math.max(kept, length);
    else dropped = dropped === 0 ? length : Math.min(dropped, length);
  }
  return dropped === 0 || kept > dropped;
}

const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';

function identityOf(pod: CiliumPod): IdentityLabel[] {
  const labels = Object.entries(pod.labels).filter(([key]) => key !== NAMESPACE_KEY && keptByFilter(key)).map(([key, value]) => ({ source: 'k8s', key, value }));
  return [...labels, { source: 'k8s', key: NAMESPACE_KEY, value: pod.namespace }];
}

// ---------------------------------------------------------------- narrowing

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list: ${JSON.stringify(value)}`);
  return value;
}

function onlyKeys(object: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(object)) if (!allowed.includes(key)) throw new Error(`${what}: ${key} is outside the model`);
}

// ---------------------------------------------------------------- selectors

type Matcher = (identity: readonly IdentityLabel[]) => boolean;

function parseKey(text: string): { source: string; key: string } {
  const colon = text.indexOf(':');
  return colon < 0 ? { source: 'any', key: text } : { source: text.slice(0, colon), key: text.slice(colon + 1) };
}

function valuesOf(identity: readonly IdentityLabel[], selectorKey: string): string[] {
  const { source, key } = parseKey(selectorKey);
  return identity.filter((label) => label.key === key && (source === 'any' || label.source === source)).map((label) => label.value);
}

function compileSelector(selector: unknown, what: string): { matches: Matcher; namesNamespace: boolean } {
  if (!isRecord(selector)) throw new Error(`${what}: malformed selector ${JSON.stringify(selector)}`);
  onlyKeys(selector, ['matchLabels', 'matchExpressions'], what);
  const tests: Matcher[] = [];
  const keys: string[] = [];
  const matchLabels = selector.matchLabels ?? {};
  if (!isRecord(matchLabels)) throw new Error(`${what}: malformed matchLabels`);
  for (const [key, value] of Object.entries(matchLabels)) {
    keys.push(key);
    tests.push((identity) => valuesOf(identity, key).includes(String(value)));
  }
  for (const expression of list(selector.matchExpressions ?? [], `${what}.matchExpressions`)) {
    if (!isRecord(expression) || typeof expression.key !== 'string') throw new Error(`${what}: malformed matchExpression`);
    const key = expression.key;
    keys.push(key);
    const values = new Set(list(expression.values ?? [], `${what}.values`).map(String));
    switch (expression.operator) {
      case 'In':
        tests.push((identity) => valuesOf(identity, key).some((value) => values.has(value)));
        break;
      case 'NotIn':
        tests.push((identity) => !valuesOf(identity, key).some((value) => values.has(value)));
        break;
      case 'Exists':
        tests.push((identity) => valuesOf(identity, key).length > 0);
        break;
      case 'DoesNotExist':
        tests.push((identity) => valuesOf(identity, key).length === 0);
        break;
      default:
        throw new Error(`${what}: unknown operator ${JSON.stringify(expression.operator)}`);
    }
  }
  const namesNamespace = keys.some((key) => parseKey(key).key === NAMESPACE_KEY && ['k8s', 'any'].includes(parseKey(key).source));
  return { matches: (identity) => tests.every((test) => test(identity)), namesNamespace };
}

/** A peer selector of a policy in `namespace`: limited to that namespace unless it names one. */
function peerSelector(selector: unknown, namespace: string, what: string): Matcher {
  const { matches, namesNamespace } = compileSelector(selector, what);
  if (namesNamespace) return matches;
  return (identity) => matches(identity) && valuesOf(identity, `k8s:${NAMESPACE_KEY}`).includes(namespace);
}

// ---------------------------------------------------------------- rules

const ENTITIES_WITH_PODS = new Set(['cluster', 'all']);
const ENTITIES = new Set(['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver']);

interface CompiledRule {
  readonly peer: (peer: CiliumPeer) => boolean;
  readonly port: (protocol: CiliumProtocolName, port: number) => boolean;
}

function cidrMatcher(entries: readonly unknown[], what: string): (ip: string) => boolean {
  const blocks = entries.map((entry) => {
    if (!isRecord(entry) || typeof entry.cidr !== 'string') throw new Error(`${what}: malformed CIDR rule`);
    onlyKeys(entry, ['cidr', 'except'], what);
    return { cidr: ipaddr.parseCIDR(entry.cidr), except: list(entry.except ?? [], `${what}.except`).map((text) => ipaddr.parseCIDR(String(text))) };
  });
  return (ip) => {
    const address = ipaddr.parse(ip);
    const inside = (cidr: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean => address.kind() === cidr[0].kind() && address.match(cidr);
    return blocks.some((block) => inside(block.cidr) && !block.except.some(inside));
  };
}

function compilePorts(toPorts: unknown, what: string): CompiledRule['port'] {
  if (toPorts === undefined) return () => true;
  const entries = list(toPorts, what);
  if (entries.length === 0) return () => true;
  const tests = entries.map((entry, index) => {
    if (!isRecord(entry)) throw new Error(`${what}[${index}]: malformed`);
    onlyKeys(entry, ['ports'], `${what}[${index}]`);
    const ports = list(entry.ports ?? [], `${what}[${index}].ports`);
    if (ports.length > 40) throw new Error(`${what}[${index}]: too many ports, the max is 40`);
    if (ports.length === 0) return () => true;
    return (protocol: CiliumProtocolName, port: number): boolean =>
      ports.some((raw) => {
        if (!isRecord(raw) || typeof raw.port !== 'string' || !/^[0-9]+$/.test(raw.port)) throw new Error(`${what}: a port must be a numeric string: ${JSON.stringify(raw)}`);
        const from = Number(raw.port);
        const to = raw.endPort === undefined ? from : Number(raw.endPort);
        const wanted = raw.protocol ?? 'ANY';
        if (!['TCP', 'UDP', 'SCTP', 'ANY'].includes(String(wanted))) throw new Error(`${what}: protocol ${String(wanted)}`);
        if (wanted !== 'ANY' && wanted !== protocol) return false;
        return from === 0 || (port >= from && port <= to);
      });
  });
  return (protocol, port) => tests.some((test) => test(protocol, port));
}

function compileRule(rule: unknown, direction: 'ingress' | 'egress', namespace: string, what: string): CompiledRule {
  if (!isRecord(rule)) throw new Error(`${what}: malformed rule`);
  const prefix = direction === 'ingress' ? 'from' : 'to';
  onlyKeys(rule, [`${prefix}Endpoints`, `${prefix}CIDRSet`, `${prefix}CIDR`, `${prefix}Entities`, 'toPorts'], what);
  const present = [`${prefix}Endpoints`, `${prefix}CIDRSet`, `${prefix}CIDR`, `${prefix}Entities`].filter((key) => rule[key] !== undefined && rule[key] !== null);
  if (present.length > 1) throw new Error(`${what}: combining ${present.join(' and ')} is not supported`);
  const port = compilePorts(rule.toPorts, `${what}.toPorts`);
  if (present.length === 0) return { peer: () => true, port };
  const field = present[0]!;
  const values = list(rule[field], `${what}.${field}`);
  if (field.endsWith('Endpoints')) {
    const selectors = values.map((selector, index) => peerSelector(selector, namespace, `${what}.${field}[${index}]`));
    return { peer: (peer) => 'pod' in peer && selectors.some((matches) => matches(identityOf(peer.pod))), port };
  }
  if (field.endsWith('Entities')) {
    for (const entity of values) if (!ENTITIES.has(String(entity))) throw new Error(`${what}: unsupported entity ${String(entity)}`);
    const withPods = values.some((entity) => ENTITIES_WITH_PODS.has(String(entity)));
    const world = values.some((entity) => entity === 'world' || entity === 'all');
    return { peer: (peer) => ('pod' in peer ? withPods : world), port };
  }
  const inside = field.endsWith('CIDRSet') ? cidrMatcher(values, `${what}.${field}`) : cidrMatcher(values.map((cidr) => ({ cidr: String(cidr).includes('/') ? cidr : `${String(cidr)}/${String(cidr).includes(':') ? 128 : 32}` })), `${what}.${field}`);
  return { peer: (peer) => 'ip' in peer && inside(peer.ip), port };
}

// ---------------------------------------------------------------- policies

interface CompiledPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly selects: (pod: CiliumPod) => boolean;
  readonly defaultDeny: { readonly ingress: boolean; readonly egress: boolean };
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

function compilePolicy(document: unknown): CompiledPolicy {
  if (!isRecord(document) || document.apiVersion !== 'cilium.io/v2' || document.kind !== 'CiliumNetworkPolicy') throw new Error(`not a cilium.io/v2 CiliumNetworkPolicy: ${JSON.stringify(document).slice(0, 200)}`);
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const name = String(metadata.name);
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
  const spec = document.spec;
  if (!isRecord(spec)) throw new Error(`${name}: no spec`);
  onlyKeys(spec, ['endpointSelector', 'enableDefaultDeny', 'ingress', 'egress', 'description'], name);
  const subject = compileSelector(spec.endpointSelector, `${name}.endpointSelector`);
  const ingress = list(spec.ingress ?? [], `${name}.ingress`).map((rule, index) => compileRule(rule, 'ingress', namespace, `${name}.ingress[${index}]`));
  const egress = list(spec.egress ?? [], `${name}.egress`).map((rule, index) => compileRule(rule, 'egress', namespace, `${name}.egress[${index}]`));
  const explicit = isRecord(spec.enableDefaultDeny) ? spec.enableDefaultDeny : {};
  const defaultDeny = {
    ingress: typeof explicit.ingress === 'boolean' ? explicit.ingress : ingress.length > 0,
    egress: typeof explicit.egress === 'boolean' ? explicit.egress : egress.length > 0,
  };
  // The endpointSelector applies in the policy's own namespace only.
  return { name, namespace, selects: (pod) => pod.namespace === namespace && subject.matches(identityOf(pod)), defaultDeny, ingress, egress };
}

export class CiliumEvaluator {
  private readonly policies: readonly CompiledPolicy[];

  constructor(documents: readonly unknown[]) {
    this.policies = documents.map(compilePolicy);
  }

  /** The policies selecting a pod, by name, for diagnostics. */
  selecting(pod: CiliumPod): string[] {
    return this.policies.filter((policy) => policy.selects(pod)).map((policy) => `${policy.namespace}/${policy.name}`);
  }

  private allowsDirection(subject: CiliumPod, direction: 'ingress' | 'egress', peer: CiliumPeer, protocol: CiliumProtocolName, port: number): boolean {
    const selecting = this.policies.filter((policy) => policy.selects(subject));
    if (!selecting.some((policy) => policy.defaultDeny[direction])) return true;
    return selecting.some((policy) => policy[direction].some((rule) => rule.peer(peer) && rule.port(protocol, port)));
  }

  /** Would Cilium let `client` open a connection to `server` on protocol/port? Both ends must allow it. */
  allows(client: CiliumPeer, server: CiliumPeer, protocol: CiliumProtocolName, port: number): boolean {
    const egress = 'pod' in client ? this.allowsDirection(client.pod, 'egress', server, protocol, port) : true;
    const ingress = 'pod' in server ? this.allowsDirection(server.pod, 'ingress', client, protocol, port) : true;
    return egress && ingress;
  }
}
