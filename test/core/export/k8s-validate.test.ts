import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../../../src/core/export/k8s-model';
import { dns1123Label, dns1123Subdomain, labelValue, qualifiedName, validateNetworkPolicy } from '../../../src/core/export/k8s-validate';

// The API server's NetworkPolicy validation, ported: each rule refuses what
// kubectl apply would refuse, with the field's path.

const base: NetworkPolicy = { name: 'flowfence-g1', namespace: 'shop', labels: {}, annotations: {}, podSelector: { matchLabels: { app: 'web' } }, ingress: [], egress: [], remarks: [] };
const withPorts = (ports: NetworkPolicyPort[]): NetworkPolicy => ({ ...base, ingress: [{ comment: '', peers: [{ podSelector: {} }], ports }] });
const withPeers = (peers: NetworkPolicyPeer[]): NetworkPolicy => ({ ...base, egress: [{ comment: '', peers, ports: [] }] });

describe('validateNetworkPolicy', () => {
  it('accepts a well-formed policy', () => {
    expect(validateNetworkPolicy(withPorts([{ protocol: 'TCP', port: 80 }, { protocol: 'UDP', port: 1000, endPort: 2000 }, { protocol: 'SCTP' }]))).toEqual([]);
  });

  it('checks protocol, port 1–65535, and endPort only with port and at least port', () => {
    expect(validateNetworkPolicy(withPorts([{ protocol: 'ICMP' as never, port: 80 }]))).toEqual(['spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"']);
    expect(validateNetworkPolicy(withPorts([{ protocol: 'TCP', port: 0 }]))).toEqual(['spec.ingress[0].ports[0].port: must be between 1 and 65535, inclusive']);
    expect(validateNetworkPolicy(withPorts([{ protocol: 'TCP', port: 65536 }]))).toHaveLength(1);
    expect(validateNetworkPolicy(withPorts([{ protocol: 'TCP', port: 90, endPort: 80 }]))).toEqual(['spec.ingress[0].ports[0].endPort: must be greater than or equal to `port`']);
    expect(validateNetworkPolicy(withPorts([{ protocol: 'TCP', endPort: 80 }]))).toEqual(['spec.ingress[0].ports[0].endPort: may not be specified when `port` is not specified']);
  });

  it('checks names: DNS-1123 subdomain for the name, label for the namespace', () => {
    expect(validateNetworkPolicy({ ...base, name: 'Flowfence_G1' })[0]).toMatch(/^metadata.name: a lowercase RFC 1123 subdomain/);
    expect(validateNetworkPolicy({ ...base, namespace: 'shop.example' })[0]).toMatch(/^metadata.namespace: a lowercase RFC 1123 label/);
    expect(dns1123Label('a'.repeat(64))).toContain('must be no more than 63 characters');
    expect(dns1123Subdomain('a.b-c.d')).toEqual([]);
  });

  it('checks peers: at least one selector, ipBlock alone, CIDRs canonical, except a strict subset', () => {
    expect(validateNetworkPolicy(withPeers([{}]))).toEqual(['spec.egress[0].to[0]: must specify a peer']);
    expect(validateNetworkPolicy(withPeers([{ podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }]))).toEqual(['spec.egress[0].to[0]: may not specify both ipBlock and another peer']);
    expect(validateNetworkPolicy(withPeers([{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', 'fd00::/8'] } }]))).toEqual(['spec.egress[0].to[0].ipBlock.except[1]: must be a strict subset of `cidr`']);
    expect(validateNetworkPolicy(withPeers([{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }]))).toHaveLength(1);
    expect(validateNetworkPolicy(withPeers([{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }]))).toHaveLength(1);
    expect(validateNetworkPolicy(withPeers([{ ipBlock: { cidr: '10.0.0.1/8' } }]))[0]).toMatch(/ipBlock.cidr: must be a valid CIDR value/);
    expect(validateNetworkPolicy(withPeers([{ ipBlock: { cidr: '' } }]))).toEqual(['spec.egress[0].to[0].ipBlock.cidr: Required value']);
    expect(validateNetworkPolicy(withPeers([{ ipBlock: { cidr: 'fd00::/8' } }]))).toEqual([]);
  });

  it('checks label selectors: keys, values, and the operators\' values', () => {
    expect(validateNetworkPolicy({ ...base, podSelector: { matchLabels: { 'app/x/y': 'web' } } })).toHaveLength(1);
    expect(validateNetworkPolicy({ ...base, podSelector: { matchLabels: { app: 'web server' } } })).toHaveLength(1);
    expect(validateNetworkPolicy({ ...base, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } })).toEqual(["spec.podSelector.matchExpressions[0].values: must be specified when `operator` is 'In' or 'NotIn'"]);
    expect(validateNetworkPolicy({ ...base, podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] } })).toHaveLength(1);
    expect(qualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(qualifiedName('-app')).toHaveLength(1);
    expect(labelValue('')).toEqual([]);
    expect(labelValue('a'.repeat(64))).toHaveLength(1);
  });

  it('keeps annotations under the API server\'s 256 KiB', () => {
    expect(validateNetworkPolicy({ ...base, annotations: { 'flowfence.io/x': 'a'.repeat(300 * 1024) } })).toEqual(['metadata.annotations: may not be more than 262144 bytes']);
  });
});
