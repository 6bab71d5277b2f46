import { Document, isMap } from 'yaml';
import type { CiliumNetworkPolicy, CiliumPeers, CiliumRule } from './cilium-model';
import { printableAscii } from './safe-text';

/**
 * CiliumNetworkPolicies as one multi-document YAML file for `kubectl apply
 * -f`. The yaml library writes every value (quoting what YAML would read as
 * something else); each rule's evidence is a comment above it, one line per
 * policy rule it carries, made printable ASCII so no input value can end
 * the comment.
 */
export function printCiliumNetworkPolicies(header: readonly string[], policies: readonly CiliumNetworkPolicy[]): string {
  const documents = policies.map((policy, index) => {
    // No anchors and aliases for objects used twice (a port in two rules): plain YAML for every tool that reads it.
    const document = new Document(objectOf(policy), { aliasDuplicateObjects: false });
    const remarks = [...(index === 0 ? header : []), ...policy.remarks];
    if (remarks.length > 0) document.commentBefore = commentOf(remarks);
    for (const [direction, rules] of [['ingress', policy.ingress], ['egress', policy.egress]] as const) {
      rules.forEach((rule, ruleIndex) => {
        const node = document.getIn(['spec', direction, ruleIndex], true);
        if (isMap(node)) node.commentBefore = commentOf(rule.comments);
      });
    }
    return document.toString({ lineWidth: 0 });
  });
  return documents.join('---\n');
}

function commentOf(lines: readonly string[]): string {
  return lines.map((line) => ` ${printableAscii(line)}`).join('\n');
}

const PEER_FIELDS: Readonly<Record<CiliumPeers['kind'], string>> = { endpoints: 'Endpoints', cidrs: 'CIDRSet', entities: 'Entities', services: 'Services' };

function peersValue(peers: CiliumPeers): readonly unknown[] {
  switch (peers.kind) {
    case 'endpoints':
      return peers.selectors;
    case 'cidrs':
      return peers.cidrs;
    case 'entities':
      return peers.entities;
    case 'services':
      return peers.services;
  }
}

function ruleObject(rule: CiliumRule, prefix: 'from' | 'to'): Record<string, unknown> {
  const object: Record<string, unknown> = { [`${prefix}${PEER_FIELDS[rule.peers.kind]}`]: peersValue(rule.peers) };
  if (rule.toPorts.length > 0) object.toPorts = rule.toPorts;
  return object;
}

function objectOf(policy: CiliumNetworkPolicy): Record<string, unknown> {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: policy.name, namespace: policy.namespace, labels: policy.labels, annotations: policy.annotations },
    spec: {
      endpointSelector: policy.endpointSelector,
      // Explicit, for both directions: the default would leave a direction without rules open.
      enableDefaultDeny: policy.enableDefaultDeny,
      ingress: policy.ingress.map((rule) => ruleObject(rule, 'from')),
      egress: policy.egress.map((rule) => ruleObject(rule, 'to')),
    },
  };
}
