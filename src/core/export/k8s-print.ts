import { Document, isMap } from 'yaml';
import type { NetworkPolicy, NetworkPolicyRule } from './k8s-model';
import { printableAscii } from './safe-text';

/**
 * NetworkPolicies as one multi-document YAML file for `kubectl apply -f`.
 * The yaml library writes every value (quoting what YAML would read as
 * something else); each rule's evidence is a comment line above it, made
 * printable ASCII so that no input value can end the comment.
 */
export function printNetworkPolicies(header: readonly string[], policies: readonly NetworkPolicy[]): string {
  const documents = policies.map((policy, index) => {
    // No anchors and aliases: one object used twice (a rule's ports on both sides) is written out twice, as every tool reads it.
    const document = new Document(objectOf(policy), { aliasDuplicateObjects: false });
    const remarks = [...(index === 0 ? header : []), ...policy.remarks];
    if (remarks.length > 0) document.commentBefore = remarks.map((line) => ` ${printableAscii(line)}`).join('\n');
    for (const [direction, rules] of [['ingress', policy.ingress], ['egress', policy.egress]] as const) {
      rules.forEach((rule, ruleIndex) => {
        const node = document.getIn(['spec', direction, ruleIndex], true);
        if (isMap(node)) node.commentBefore = ` ${printableAscii(rule.comment)}`;
      });
    }
    return document.toString({ lineWidth: 0 });
  });
  return documents.join('---\n');
}

function ruleObject(rule: NetworkPolicyRule, peersKey: 'from' | 'to'): Record<string, unknown> {
  // No ports: every port and protocol of the peers (a staged group left open), as the API reads a missing list.
  return rule.ports.length === 0 ? { [peersKey]: rule.peers } : { [peersKey]: rule.peers, ports: rule.ports };
}

function objectOf(policy: NetworkPolicy): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: policy.name, namespace: policy.namespace, labels: policy.labels, annotations: policy.annotations },
    spec: {
      podSelector: policy.podSelector,
      // Both directions, always: the selected pods are default-deny both ways, and only the rules below open anything.
      policyTypes: ['Ingress', 'Egress'],
      ingress: policy.ingress.map((rule) => ruleObject(rule, 'from')),
      egress: policy.egress.map((rule) => ruleObject(rule, 'to')),
    },
  };
}
