/**
 * A typed `networking.k8s.io/v1` NetworkPolicy: what the k8s target builds
 * and k8s-print.ts prints. Field names are the API's own.
 */

export type K8sProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface IpBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

export interface NetworkPolicyPort {
  readonly protocol: K8sProtocol;
  /** Always a number: named ports depend on each pod's containers, so they are never written. */
  readonly port?: number;
  readonly endPort?: number;
}

/** An ingress (peers = from) or egress (peers = to) rule, with the line of evidence printed above it. */
export interface NetworkPolicyRule {
  readonly comment: string;
  readonly peers: readonly NetworkPolicyPeer[];
  readonly ports: readonly NetworkPolicyPort[];
}

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podSelector: LabelSelector;
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
  /** Lines printed above the object: rules left closed (just-in-time) and what opening them adds. */
  readonly remarks: readonly string[];
}
