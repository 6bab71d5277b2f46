/**
 * A typed Azure Resource Manager template of network security groups (NSGs)
 * and application security groups (ASGs): what the azure-nsg target builds
 * from the policy and azure-nsg-print.ts prints. Field names are those of
 * the Microsoft.Network resource schema (networkSecurityGroups with their
 * securityRules, applicationSecurityGroups). Names in it are valid Azure
 * names already (azure-nsg-names.ts); the free text (descriptions, tags,
 * comments) is made safe by the printer.
 */

/** The protocols a security rule can name (SecurityRulePropertiesFormat.protocol): "Tcp", "Udp", "Icmp", "Esp", "Ah" or "*" for any. */
export type NsgProtocol = 'Tcp' | 'Udp' | 'Icmp' | 'Esp' | 'Ah' | '*';

export type NsgDirection = 'Inbound' | 'Outbound';

export type NsgAccess = 'Allow' | 'Deny';

export type AddressFamily = 'v4' | 'v6';

/**
 * One side of a security rule. Azure takes either address prefixes or
 * application security groups on a side, never both, and the prefixes of
 * one rule must all be of one address family.
 */
export type NsgEndpoint =
  /** Application security groups by resource name: the network interfaces joined to them. */
  | { readonly kind: 'asg'; readonly names: readonly string[] }
  /** Addresses and CIDRs of one family, merged. */
  | { readonly kind: 'prefixes'; readonly family: AddressFamily; readonly prefixes: readonly string[] }
  /** Any address ("*"). */
  | { readonly kind: 'any' };

export interface NsgSecurityRule {
  readonly name: string;
  /** 100–4096, unique per direction in its NSG; the lower is evaluated first. */
  readonly priority: number;
  readonly direction: NsgDirection;
  readonly access: NsgAccess;
  readonly protocol: NsgProtocol;
  readonly source: NsgEndpoint;
  readonly destination: NsgEndpoint;
  /** "*", one port ("443") or a range ("8000-8100"); the source port is always any. */
  readonly destinationPorts: string;
  /** The policy rule's id and evidence (at most 140 characters once printed). */
  readonly description: string;
}

export interface NetworkSecurityGroup {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Lines of the resource's "comments": where it goes, and rules left closed with what opening them adds. */
  readonly comments: readonly string[];
  readonly rules: readonly NsgSecurityRule[];
}

export interface ApplicationSecurityGroup {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Lines of the resource's "comments": which hosts' network interfaces to join to it. */
  readonly comments: readonly string[];
}

export interface AzureNsgTemplate {
  /** The template's metadata: what made it, from which policy. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly applicationSecurityGroups: readonly ApplicationSecurityGroup[];
  readonly networkSecurityGroups: readonly NetworkSecurityGroup[];
}
