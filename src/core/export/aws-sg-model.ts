/**
 * A typed set of AWS VPC security groups: what the aws-sg target builds from
 * the policy, aws-sg-validate.ts checks against EC2's own rules and quotas,
 * and aws-sg-terraform.ts and aws-sg-cloudformation.ts print. Field names
 * follow the EC2 API (IpProtocol, FromPort, ToPort).
 */

export type SgDirection = 'ingress' | 'egress';

export type SgFamily = 'ipv4' | 'ipv6';

/**
 * What a rule matches at layer 4, as EC2 writes it. `protocol` is "tcp",
 * "udp", "icmp" or "icmpv6" by name and any other protocol by number ("47").
 * Ports are a TCP or UDP range, or an ICMP type (from) and code (to), -1
 * meaning all; null for other protocols, where EC2 matches every port.
 */
export interface SgPermission {
  readonly protocol: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
}

/** The other end of a rule: hosts carrying a security group (an internal group of the policy) or a CIDR. */
export type SgPeer = { readonly kind: 'group'; readonly group: string } | { readonly kind: 'cidr'; readonly family: SgFamily; readonly cidr: string };

/** One EC2 security group rule: one Terraform rule resource, one CloudFormation rule resource. */
export interface SgRule {
  readonly direction: SgDirection;
  readonly permission: SgPermission;
  readonly peer: SgPeer;
  /** The policy rules it carries: several when their peers were merged into one CIDR or one reference; none for a staged group's fixed rule. */
  readonly policyRules: readonly string[];
  /** Their ids and evidence in EC2's description characters, cut to its length. */
  readonly description: string;
  /** The Terraform resource label. */
  readonly resourceName: string;
  /** The CloudFormation logical id, for a rule that is a resource of its own (one that references a group; CIDR rules are embedded in their group). */
  readonly logicalId: string;
}

export interface SecurityGroup {
  /** The policy group it stands for ("g12", or "internal" for every internal host); "" (STAGED_GROUP) for the one the staged groups share. */
  readonly group: string;
  /** EC2 GroupName: unique in the VPC, made from the group id only so that it never changes (a new name replaces the group). */
  readonly name: string;
  /** EC2 GroupDescription, also from the id only: Terraform and CloudFormation replace a group whose description changes. */
  readonly description: string;
  readonly resourceName: string;
  readonly logicalId: string;
  /** Tags (EC2 accepts any characters in them): the group id and the policy digest. */
  readonly tags: Readonly<Record<string, string>>;
  /** Comment lines printed above the group: its name, its members, the just-in-time rules left closed on it. */
  readonly remarks: readonly string[];
  /** Ingress and egress rules, ingress first, each in a stable order. */
  readonly rules: readonly SgRule[];
}

/** A host and the security groups (policy group ids) its network interface must carry. */
export interface SgAttachment {
  readonly address: string;
  readonly groups: readonly string[];
}

export interface SecurityGroupSet {
  /** Lines of the files' header comment. */
  readonly header: readonly string[];
  readonly groups: readonly SecurityGroup[];
  readonly attachments: readonly SgAttachment[];
}
