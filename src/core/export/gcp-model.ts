/**
 * A typed set of Google Cloud VPC firewall rules: what the gcp target
 * builds from the policy, gcp-validate.ts checks against the product's own
 * rules and gcp-print.ts prints as Terraform `google_compute_firewall`
 * resources. Field names follow the Terraform resource's arguments.
 */

/** What a firewall rule matches: a protocol name ("tcp") or number ("47"), and ports as "443" or "7000-7010" (none: every port). */
export interface GcpProtocolMatch {
  readonly protocol: string;
  readonly ports: readonly string[];
}

export type GcpAddressFamily = 'ipv4' | 'ipv6';

export interface GcpFirewallRule {
  /** The rule's name in the project, also its Terraform resource label. */
  readonly name: string;
  /** Always INGRESS: the export leaves egress to GCP's implied allow (see gcp-target.ts). */
  readonly direction: 'INGRESS';
  readonly priority: number;
  readonly action: 'allow' | 'deny';
  /** The `allow` (or `deny`) blocks. */
  readonly matches: readonly GcpProtocolMatch[];
  /** CIDRs of one address family only. A client matches the rule by sourceRanges OR by sourceTags. */
  readonly sourceRanges: readonly string[];
  /** The family of sourceRanges; null for a rule that matches by source tags only. */
  readonly family: GcpAddressFamily | null;
  /** Tags of the client instances (their primary interface's addresses). */
  readonly sourceTags: readonly string[];
  /** Instances the rule applies to; empty: every instance in the network. */
  readonly targetTags: readonly string[];
  /** The policy rule's id and evidence (printable ASCII, cut to the target's length). */
  readonly description: string;
  /** Firewall Rules Logging on (log_config, with all metadata): a staged group's would-be drops, logged as they pass. */
  readonly log?: true;
}

/** A network tag and the policy group it stands for. */
export interface GcpNetworkTag {
  readonly tag: string;
  readonly group: string;
  readonly groupName: string;
}

/** An instance address and the tags it must carry for the rules to reach it. */
export interface GcpInstanceTags {
  readonly address: string;
  readonly group: string;
  readonly tags: readonly string[];
}

export interface GcpFirewallConfig {
  /** Lines of the file's header comment. */
  readonly header: readonly string[];
  /** The Terraform variable that names the VPC network the rules belong to. */
  readonly networkVariable: string;
  readonly tags: readonly GcpNetworkTag[];
  readonly rules: readonly GcpFirewallRule[];
  /** Lines about rules left closed (just-in-time) and what opening them adds. */
  readonly closed: readonly string[];
  readonly instances: readonly GcpInstanceTags[];
}
