import ipaddr from 'ipaddr.js';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from './k8s-model';

/**
 * The Kubernetes API server's validation of a NetworkPolicy, ported from
 * pkg/apis/networking/validation (ValidateNetworkPolicy and what it calls:
 * object metadata, label selectors, ports, peers, ipBlocks) and
 * apimachinery's name and label rules. An export is refused rather than
 * written when any of it fails: a file kubectl would reject is no export.
 * Returns the problems as "path: message", none when valid.
 */
export function validateNetworkPolicy(policy: NetworkPolicy): string[] {
  const errors: string[] = [];
  const fail = (path: string, message: string): void => void errors.push(`${path}: ${message}`);
  for (const message of dns1123Subdomain(policy.name)) fail('metadata.name', message);
  for (const message of dns1123Label(policy.namespace)) fail('metadata.namespace', message);
  for (const [key, value] of Object.entries(policy.labels)) {
    for (const message of qualifiedName(key)) fail(`metadata.labels[${key}]`, message);
    for (const message of labelValue(value)) fail(`metadata.labels[${key}]`, message);
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(policy.annotations)) {
    for (const message of qualifiedName(key.toLowerCase())) fail(`metadata.annotations[${key}]`, message);
    annotationBytes += utf8Length(key) + utf8Length(value);
  }
  if (annotationBytes > TOTAL_ANNOTATION_SIZE_LIMIT) fail('metadata.annotations', `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`);
  validateSelector(policy.podSelector, 'spec.podSelector', fail);
  for (const [direction, rules] of [['ingress', policy.ingress], ['egress', policy.egress]] as const) {
    rules.forEach((rule, index) => {
      const path = `spec.${direction}[${index}]`;
      rule.ports.forEach((port, portIndex) => validatePort(port, `${path}.ports[${portIndex}]`, fail));
      rule.peers.forEach((peer, peerIndex) => validatePeer(peer, `${path}.${direction === 'ingress' ? 'from' : 'to'}[${peerIndex}]`, fail));
    });
  }
  return errors;
}

type Fail = (path: string, message: string) => void;

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function dns1123Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) errors.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  return errors;
}

export function dns1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) errors.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  return errors;
}

/** A label or annotation key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function qualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'"];
  const errors: string[] = [];
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...dns1123Subdomain(prefix).map((message) => `prefix part ${message}`));
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) errors.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return errors;
}

export function labelValue(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) errors.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return errors;
}

function validateSelector(selector: LabelSelector, path: string, fail: Fail): void {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    for (const message of qualifiedName(key)) fail(`${path}.matchLabels`, `${key}: ${message}`);
    for (const message of labelValue(value)) fail(`${path}.matchLabels`, `${value}: ${message}`);
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    for (const message of qualifiedName(expression.key)) fail(`${at}.key`, message);
    const values = expression.values ?? [];
    if ((expression.operator === 'In' || expression.operator === 'NotIn') && values.length === 0) fail(`${at}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\'');
    if ((expression.operator === 'Exists' || expression.operator === 'DoesNotExist') && values.length > 0) fail(`${at}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'');
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator)) fail(`${at}.operator`, `not a valid selector operator ${expression.operator}`);
    values.forEach((value, valueIndex) => {
      for (const message of labelValue(value)) fail(`${at}.values[${valueIndex}]`, message);
    });
  });
}

function validPort(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

function validatePort(port: NetworkPolicyPort, path: string, fail: Fail): void {
  if (!['TCP', 'UDP', 'SCTP'].includes(port.protocol)) fail(`${path}.protocol`, `Unsupported value: "${port.protocol}": supported values: "TCP", "UDP", "SCTP"`);
  if (port.port !== undefined) {
    for (const message of validPort(port.port)) fail(`${path}.port`, message);
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) fail(`${path}.endPort`, 'must be greater than or equal to `port`');
      for (const message of validPort(port.endPort)) fail(`${path}.endPort`, message);
    }
  } else if (port.endPort !== undefined) {
    fail(`${path}.endPort`, 'may not be specified when `port` is not specified');
  }
}

function validatePeer(peer: NetworkPolicyPeer, path: string, fail: Fail): void {
  let count = 0;
  if (peer.podSelector !== undefined) {
    count++;
    validateSelector(peer.podSelector, `${path}.podSelector`, fail);
  }
  if (peer.namespaceSelector !== undefined) {
    count++;
    validateSelector(peer.namespaceSelector, `${path}.namespaceSelector`, fail);
  }
  if (peer.ipBlock !== undefined) {
    count++;
    validateIpBlock(peer.ipBlock.cidr, peer.ipBlock.except ?? [], `${path}.ipBlock`, fail);
  }
  if (count === 0) fail(path, 'must specify a peer');
  else if (count > 1 && peer.ipBlock !== undefined) fail(path, 'may not specify both ipBlock and another peer');
}

/** A CIDR as the API server accepts it, and as Flowfence writes it: canonical, host bits zero. */
function parseStrictCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  if (!ipaddr.isValidCIDR(text)) return null;
  const [address, bits] = ipaddr.parseCIDR(text);
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  return network.toString() === address.toString() && `${address.toString()}/${bits}` === text ? [address, bits] : null;
}

function validateIpBlock(cidr: string, except: readonly string[], path: string, fail: Fail): void {
  if (cidr === '') {
    fail(`${path}.cidr`, 'Required value');
    return;
  }
  const outer = parseStrictCidr(cidr);
  if (outer === null) {
    fail(`${path}.cidr`, `must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64) in canonical form: ${cidr}`);
    return;
  }
  except.forEach((text, index) => {
    const inner = parseStrictCidr(text);
    if (inner === null) {
      fail(`${path}.except[${index}]`, `must be a valid CIDR value in canonical form: ${text}`);
      return;
    }
    if (inner[0].kind() !== outer[0].kind() || !inner[0].match(outer) || outer[1] >= inner[1]) fail(`${path}.except[${index}]`, 'must be a strict subset of `cidr`');
  });
}
