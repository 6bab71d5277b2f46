import type { LabelSelector } from './k8s-model';

/**
 * A typed `cilium.io/v2` CiliumNetworkPolicy: what the cilium target builds
 * and cilium-print.ts prints. Field names are the CRD's own; a rule's peers
 * are one kind only, as Cilium refuses a rule that combines two
 * (pkg/policy/api/rule_validation.go: "Combining %s and %s is not supported").
 */

/** PortProtocol.protocol as the CRD enumerates it (TCP, UDP, SCTP, ANY). */
export type CiliumProtocol = 'TCP' | 'UDP' | 'SCTP' | 'ANY';

/** PortProtocol: the port is a string in the CRD (a number or a named port; Flowfence writes numbers only). */
export interface CiliumPortProtocol {
  readonly port: string;
  /** The last port of a range (Cilium 1.16 and later); absent for one port. */
  readonly endPort?: number;
  readonly protocol: CiliumProtocol;
}

/** A toPorts entry: at most CILIUM_MAX_PORTS ports. */
export interface CiliumPortRule {
  readonly ports: readonly CiliumPortProtocol[];
}

/** The entities of pkg/policy/api/entity.go. */
export type CiliumEntity = 'all' | 'world' | 'cluster' | 'host' | 'remote-node' | 'kube-apiserver' | 'ingress' | 'init' | 'health' | 'unmanaged' | 'none';

export interface CiliumCidrRule {
  readonly cidr: string;
  readonly except?: readonly string[];
}

/** An EndpointSelector: a label selector whose keys may carry Cilium's label source ("k8s:app"). */
export type EndpointSelector = LabelSelector;

/** A Kubernetes Service by name (toServices); Flowfence never writes one, validation still refuses it with toPorts. */
export interface CiliumServiceSelector {
  readonly k8sService: { readonly serviceName: string; readonly namespace: string };
}

/** The peers of a rule: fromEndpoints/toEndpoints, fromCIDRSet/toCIDRSet, fromEntities/toEntities, or toServices. */
export type CiliumPeers =
  | { readonly kind: 'endpoints'; readonly selectors: readonly EndpointSelector[] }
  | { readonly kind: 'cidrs'; readonly cidrs: readonly CiliumCidrRule[] }
  | { readonly kind: 'entities'; readonly entities: readonly CiliumEntity[] }
  | { readonly kind: 'services'; readonly services: readonly CiliumServiceSelector[] };

/** An ingress or egress rule, with the lines of evidence printed above it. */
export interface CiliumRule {
  readonly comments: readonly string[];
  readonly peers: CiliumPeers;
  /** Empty: every port (only the rule that selects no peer is written so). */
  readonly toPorts: readonly CiliumPortRule[];
}

export interface CiliumNetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly endpointSelector: EndpointSelector;
  readonly enableDefaultDeny: { readonly ingress: boolean; readonly egress: boolean };
  readonly ingress: readonly CiliumRule[];
  readonly egress: readonly CiliumRule[];
  /** Lines printed above the object: rules left closed (just-in-time) and what opening them adds. */
  readonly remarks: readonly string[];
}

/** Ports per toPorts entry (pkg/policy/api/rule_validation.go maxPorts; the CRD's maxItems). */
export const CILIUM_MAX_PORTS = 40;
