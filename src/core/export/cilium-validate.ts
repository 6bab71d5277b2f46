import ipaddr from 'ipaddr.js';
import { CILIUM_NAMESPACE_KEY } from './cilium-labels';
import { CILIUM_MAX_PORTS, type CiliumEntity, type CiliumNetworkPolicy, type CiliumPortRule, type CiliumRule, type EndpointSelector } from './cilium-model';
import { dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from './k8s-validate';

/**
 * What the API server (the CiliumNetworkPolicy CRD's schema) and the Cilium
 * agent (pkg/policy/api/rule_validation.go, Rule.Sanitize) would refuse,
 * checked before anything is written: names, namespace, labels and
 * annotations as for any object; selector keys (an optional label source,
 * then a qualified name) and values; the endpointSelector never naming the
 * namespace (Kubernetes forbids it there); one kind of peer per rule;
 * entities of the CRD's enumeration; CIDRs canonical, excepts inside them;
 * toServices only at egress and never with toPorts; at most
 * CILIUM_MAX_PORTS ports per toPorts entry, each port a number 1–65535
 * written as a string (the CRD types it so), endPort within port–65535,
 * protocols of the CRD's enumeration; and at least one rule in some
 * direction (the CRD requires a section, and Cilium 1.17 refuses a policy
 * whose sections are all empty). Returns "path: message", none when valid.
 */
export function validateCiliumNetworkPolicy(policy: CiliumNetworkPolicy): string[] {
  const errors: string[] = [];
  const fail = (path: string, message: string): void => void errors.push(`${path}: ${message}`);
  for (const message of dns1123Subdomain(policy.name)) fail('metadata.name', message);
  for (const message of dns1123Label(policy.namespace)) fail('metadata.namespace', message);
  for (const [key, value] of Object.entries(policy.labels)) {
    for (const message of [...qualifiedName(key), ...labelValue(value)]) fail(`metadata.labels[${key}]`, message);
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(policy.annotations)) {
    for (const message of qualifiedName(key.toLowerCase())) fail(`metadata.annotations[${key}]`, message);
    annotationBytes += new TextEncoder().encode(key + value).length;
  }
  if (annotationBytes > 256 * 1024) fail('metadata.annotations', 'may not be more than 262144 bytes');
  validateSelector(policy.endpointSelector, 'spec.endpointSelector', fail);
  if (selectorKeys(policy.endpointSelector).some(isNamespaceKey)) fail('spec.endpointSelector', 'may not select the namespace: the policy applies in its own namespace only');
  if (policy.ingress.length + policy.egress.length === 0) fail('spec', 'needs at least one ingress or egress rule');
  policy.ingress.forEach((rule, index) => validateRule(rule, `spec.ingress[${index}]`, 'ingress', fail));
  policy.egress.forEach((rule, index) => validateRule(rule, `spec.egress[${index}]`, 'egress', fail));
  return errors;
}

type Fail = (path: string, message: string) => void;

const ENTITIES: ReadonlySet<CiliumEntity> = new Set(['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver']);
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP', 'ANY']);
const SOURCES = new Set(['k8s', 'any', 'reserved', 'container', 'cidr', 'unspec']);

function validateRule(rule: CiliumRule, path: string, direction: 'ingress' | 'egress', fail: Fail): void {
  const prefix = direction === 'ingress' ? 'from' : 'to';
  const { peers } = rule;
  switch (peers.kind) {
    case 'endpoints':
      if (peers.selectors.length === 0) fail(`${path}.${prefix}Endpoints`, 'an empty list selects nothing: write fromEntities [none] for that');
      peers.selectors.forEach((selector, index) => validateSelector(selector, `${path}.${prefix}Endpoints[${index}]`, fail));
      break;
    case 'cidrs':
      if (peers.cidrs.length === 0) fail(`${path}.${prefix}CIDRSet`, 'an empty list selects nothing: write fromEntities [none] for that');
      peers.cidrs.forEach((rule, index) => validateCidrRule(rule.cidr, rule.except ?? [], `${path}.${prefix}CIDRSet[${index}]`, fail));
      break;
    case 'entities':
      if (peers.entities.length === 0) fail(`${path}.${prefix}Entities`, 'an empty list: write [none] to select nothing');
      for (const entity of peers.entities) if (!ENTITIES.has(entity)) fail(`${path}.${prefix}Entities`, `unsupported entity: ${entity}`);
      break;
    case 'services':
      if (direction === 'ingress') fail(`${path}`, 'toServices is an egress peer only');
      if (rule.toPorts.length > 0) fail(`${path}`, 'Combining ToServices and ToPorts is not supported yet');
      break;
  }
  rule.toPorts.forEach((entry, index) => validatePortRule(entry, `${path}.toPorts[${index}]`, fail));
}

function validatePortRule(entry: CiliumPortRule, path: string, fail: Fail): void {
  if (entry.ports.length === 0) fail(`${path}.ports`, 'an entry without ports opens every port: leave toPorts out instead');
  if (entry.ports.length > CILIUM_MAX_PORTS) fail(`${path}.ports`, `too many ports, the max is ${CILIUM_MAX_PORTS}`);
  entry.ports.forEach((port, index) => {
    const at = `${path}.ports[${index}]`;
    // Flowfence writes numbers only; the CRD would also take a named port, which depends on each pod's containers.
    const number = /^[0-9]{1,5}$/.test(port.port) ? Number(port.port) : Number.NaN;
    if (!(number >= 1 && number <= 65535) || String(number) !== port.port) fail(`${at}.port`, `must be a port number 1–65535 as a string: ${port.port}`);
    if (port.endPort !== undefined && !(Number.isInteger(port.endPort) && port.endPort >= number && port.endPort <= 65535)) fail(`${at}.endPort`, `must be an integer from port (${port.port}) to 65535: ${port.endPort}`);
    if (!PROTOCOLS.has(port.protocol)) fail(`${at}.protocol`, `Unsupported value: "${port.protocol}": supported values: "TCP", "UDP", "SCTP", "ANY"`);
  });
}

function selectorKeys(selector: EndpointSelector): string[] {
  return [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((expression) => expression.key)];
}

function isNamespaceKey(key: string): boolean {
  return key === CILIUM_NAMESPACE_KEY || key === 'any:io.kubernetes.pod.namespace' || key === 'io.kubernetes.pod.namespace';
}

/** A selector key: an optional Cilium label source and ":", then a Kubernetes label key. */
function keyProblems(key: string): string[] {
  const colon = key.indexOf(':');
  if (colon >= 0 && !SOURCES.has(key.slice(0, colon))) return [`unknown label source "${key.slice(0, colon)}"`];
  return qualifiedName(colon >= 0 ? key.slice(colon + 1) : key);
}

function validateSelector(selector: EndpointSelector, path: string, fail: Fail): void {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    for (const message of keyProblems(key)) fail(`${path}.matchLabels`, `${key}: ${message}`);
    for (const message of labelValue(value)) fail(`${path}.matchLabels`, `${value}: ${message}`);
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    for (const message of keyProblems(expression.key)) fail(`${at}.key`, message);
    const values = expression.values ?? [];
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator)) fail(`${at}.operator`, `not a valid selector operator ${expression.operator}`);
    if ((expression.operator === 'In' || expression.operator === 'NotIn') && values.length === 0) fail(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'");
    if ((expression.operator === 'Exists' || expression.operator === 'DoesNotExist') && values.length > 0) fail(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    values.forEach((value, valueIndex) => {
      for (const message of labelValue(value)) fail(`${at}.values[${valueIndex}]`, message);
    });
  });
}

/** A CIDR as Flowfence writes it: prefix notation (CIDRRule requires it), host bits zero, the address in its canonical text. */
function canonicalCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  if (!ipaddr.isValidCIDR(text)) return null;
  const [address, bits] = ipaddr.parseCIDR(text);
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  const canonical = address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
  return network.toString() === address.toString() && `${canonical}/${bits}` === text ? [address, bits] : null;
}

function validateCidrRule(cidr: string, except: readonly string[], path: string, fail: Fail): void {
  const outer = canonicalCidr(cidr);
  if (outer === null) {
    fail(`${path}.cidr`, `must be a CIDR in canonical form (10.9.8.0/24, 2001:db8::/64, 10.0.0.5/32): ${cidr}`);
    return;
  }
  except.forEach((text, index) => {
    const inner = canonicalCidr(text);
    if (inner === null) fail(`${path}.except[${index}]`, `must be a CIDR in canonical form: ${text}`);
    else if (inner[0].kind() !== outer[0].kind() || !inner[0].match(outer) || inner[1] < outer[1]) fail(`${path}.except[${index}]`, `allow CIDR prefix ${cidr} does not contain exclude CIDR prefix ${text}`);
  });
}
