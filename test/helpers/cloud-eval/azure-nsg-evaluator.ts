import { containsCidr } from 'cidr-tools';
import ipaddr from 'ipaddr.js';
import { armLiteralText, asgNameOfExpression } from './azure-arm-read';

// A small interpreter of Azure network security groups, written from
// Azure's documentation ("Azure network security groups overview",
// "Application security groups"), for reading an exported ARM template back
// independently of the exporter:
// - a connection from a client to a server passes when the client's NSG
//   (if its network interface has one) lets it out and the server's NSG (if
//   any) lets it in; a network interface without an NSG filters nothing;
// - in each NSG, the rules of that direction are taken by priority, lowest
//   number first, and the first whose protocol, destination port, source
//   and destination match decides (Allow or Deny);
// - after the custom rules come Azure's default rules: inbound
//   AllowVNetInBound (65000), AllowAzureLoadBalancerInBound (65001),
//   DenyAllInbound (65500); outbound AllowVnetOutBound (65000),
//   AllowInternetOutBound (65001), DenyAllOutBound (65500);
// - NSGs are stateful: the reply of an allowed connection is let through by
//   its flow record, so only the direction that opens a connection is
//   evaluated, and a reply needs no rule;
// - an application security group matches the addresses of the network
//   interfaces joined to it, an address prefix the addresses it contains;
//   the service tags VirtualNetwork (the virtual network's address space),
//   AzureLoadBalancer (168.63.129.16) and Internet (everything outside the
//   virtual network) are understood, and * is any address.
// It checks what Azure checks at deployment that a JSON Schema cannot
// (priorities unique per direction, ASGs that exist, one address family per
// rule) and throws on a template Azure would refuse.

export interface ArmAsgReference {
  readonly id: string;
}

export interface ArmSecurityRuleProperties {
  readonly description?: string;
  readonly protocol: string;
  readonly sourcePortRange: string;
  readonly destinationPortRange: string;
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: readonly string[];
  readonly sourceApplicationSecurityGroups?: readonly ArmAsgReference[];
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: readonly string[];
  readonly destinationApplicationSecurityGroups?: readonly ArmAsgReference[];
  readonly access: 'Allow' | 'Deny';
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
}

export interface ArmSecurityRule {
  readonly name: string;
  readonly properties: ArmSecurityRuleProperties;
}

export interface ArmResource {
  readonly type: string;
  readonly name: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly comments?: string;
  readonly properties: { readonly securityRules?: readonly ArmSecurityRule[] };
}

/** The shape the JSON Schema (azure-template-schema.ts) guarantees of a template. */
export interface ArmTemplate {
  readonly resources: readonly ArmResource[];
}

/** Where the template's resources sit: the hosts whose network interfaces joined each ASG, and the NSG each host's interface carries. */
export interface NsgPlacement {
  readonly asgMembers: ReadonlyMap<string, ReadonlySet<string>>;
  readonly nsgOfHost: ReadonlyMap<string, string>;
}

export interface NsgDecision {
  readonly nsg: string;
  readonly rule: string;
  readonly access: 'Allow' | 'Deny';
}

export interface ConnectionVerdict {
  readonly allowed: boolean;
  /** The client's NSG's decision on the way out; null when its interface has no NSG. */
  readonly outbound: NsgDecision | null;
  /** The server's NSG's decision on the way in; null when its interface has no NSG. */
  readonly inbound: NsgDecision | null;
}

type AddressMatch = (ip: string) => boolean;

interface ReadRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  /** IP protocol numbers, null for any. */
  readonly protocol: number | null;
  /** Destination port ranges, null for any. */
  readonly ports: readonly (readonly [number, number])[] | null;
  readonly source: AddressMatch;
  readonly destination: AddressMatch;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number | null>> = { Tcp: 6, Udp: 17, Icmp: 1, Esp: 50, Ah: 51, '*': null };
const AZURE_LOAD_BALANCER = '168.63.129.16/32';

export class AzureNsgEvaluator {
  private readonly rules = new Map<string, ReadRule[]>();
  private readonly virtualNetwork: AddressMatch;

  constructor(
    template: ArmTemplate,
    private readonly placement: NsgPlacement,
    options: { readonly virtualNetwork: readonly string[] },
  ) {
    this.virtualNetwork = (ip) => options.virtualNetwork.some((prefix) => inPrefix(prefix, ip));
    const asgs = new Set(template.resources.filter((resource) => resource.type === 'Microsoft.Network/applicationSecurityGroups').map((resource) => resource.name));
    for (const resource of template.resources) {
      if (resource.type !== 'Microsoft.Network/networkSecurityGroups') continue;
      const read = (resource.properties.securityRules ?? []).map((rule) => this.readRule(resource.name, rule, asgs));
      const seen = new Set<string>();
      for (const rule of read) {
        const key = `${rule.direction}|${rule.priority}`;
        if (seen.has(key)) throw new Error(`${resource.name}: two ${rule.direction} rules at priority ${rule.priority}`);
        seen.add(key);
      }
      this.rules.set(resource.name, [...read, ...this.defaults()].sort((a, b) => a.priority - b.priority));
    }
    for (const [ip, nsg] of placement.nsgOfHost) if (!this.rules.has(nsg)) throw new Error(`${ip} carries ${nsg}, which the template does not create`);
  }

  /** Whether a new connection from client to server on protocol and port (negative for none) gets through both NSGs it crosses. */
  connect(client: string, server: string, proto: number, port: number): ConnectionVerdict {
    const outbound = this.decide(this.placement.nsgOfHost.get(client) ?? null, 'Outbound', client, server, proto, port);
    const inbound = this.decide(this.placement.nsgOfHost.get(server) ?? null, 'Inbound', client, server, proto, port);
    return { allowed: (outbound?.access ?? 'Allow') === 'Allow' && (inbound?.access ?? 'Allow') === 'Allow', outbound, inbound };
  }

  private decide(nsg: string | null, direction: 'Inbound' | 'Outbound', client: string, server: string, proto: number, port: number): NsgDecision | null {
    if (nsg === null) return null;
    for (const rule of this.rules.get(nsg)!) {
      if (rule.direction !== direction) continue;
      if (rule.protocol !== null && rule.protocol !== proto) continue;
      if (rule.ports !== null && !rule.ports.some(([from, to]) => port >= from && port <= to)) continue;
      if (!rule.source(client) || !rule.destination(server)) continue;
      return { nsg, rule: rule.name, access: rule.access };
    }
    throw new Error(`${nsg}: no rule matched, not even a default one`);
  }

  private defaults(): ReadRule[] {
    const any: AddressMatch = () => true;
    const vnet = this.virtualNetwork;
    const rule = (name: string, priority: number, direction: ReadRule['direction'], access: ReadRule['access'], source: AddressMatch, destination: AddressMatch): ReadRule => ({ name, priority, direction, access, protocol: null, ports: null, source, destination });
    return [
      rule('AllowVNetInBound', 65000, 'Inbound', 'Allow', vnet, vnet),
      rule('AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', (ip) => inPrefix(AZURE_LOAD_BALANCER, ip), any),
      rule('DenyAllInbound', 65500, 'Inbound', 'Deny', any, any),
      rule('AllowVnetOutBound', 65000, 'Outbound', 'Allow', vnet, vnet),
      rule('AllowInternetOutBound', 65001, 'Outbound', 'Allow', any, (ip) => !vnet(ip)),
      rule('DenyAllOutBound', 65500, 'Outbound', 'Deny', any, any),
    ];
  }

  private readRule(nsg: string, rule: ArmSecurityRule, asgs: ReadonlySet<string>): ReadRule {
    const where = `${nsg}/${rule.name}`;
    const properties = rule.properties;
    if (!(properties.protocol in PROTOCOL_NUMBERS)) throw new Error(`${where}: unknown protocol ${properties.protocol}`);
    if (armLiteralText(properties.sourcePortRange) !== '*') throw new Error(`${where}: a source port is never set by this export`);
    const families = new Set<string>();
    const side = (prefix: string | undefined, prefixes: readonly string[] | undefined, groups: readonly ArmAsgReference[] | undefined): AddressMatch => {
      if (groups !== undefined) {
        const names = groups.map((group) => {
          const name = asgNameOfExpression(group.id);
          if (name === null || !asgs.has(name)) throw new Error(`${where}: ${group.id} names no ASG of the template`);
          return name;
        });
        return (ip) => names.some((name) => this.placement.asgMembers.get(name)?.has(ip) === true);
      }
      const list = (prefix === undefined ? (prefixes ?? []) : [prefix]).map(armLiteralText);
      const matches = list.map((entry) => this.addressMatch(entry, where, families));
      return (ip) => matches.some((match) => match(ip));
    };
    const source = side(properties.sourceAddressPrefix, properties.sourceAddressPrefixes, properties.sourceApplicationSecurityGroups);
    const destination = side(properties.destinationAddressPrefix, properties.destinationAddressPrefixes, properties.destinationApplicationSecurityGroups);
    if (families.size > 1) throw new Error(`${where}: IPv4 and IPv6 prefixes in one rule, which Azure refuses`);
    return {
      name: rule.name,
      priority: properties.priority,
      direction: properties.direction,
      access: properties.access,
      protocol: PROTOCOL_NUMBERS[properties.protocol]!,
      ports: readPorts(armLiteralText(properties.destinationPortRange), where),
      source,
      destination,
    };
  }

  private addressMatch(entry: string, where: string, families: Set<string>): AddressMatch {
    if (entry === '*') return () => true;
    if (entry === 'VirtualNetwork') return this.virtualNetwork;
    if (entry === 'AzureLoadBalancer') return (ip) => inPrefix(AZURE_LOAD_BALANCER, ip);
    if (entry === 'Internet') return (ip) => !this.virtualNetwork(ip);
    const valid = entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
    if (!valid) throw new Error(`${where}: ${entry} is no address prefix`);
    families.add(ipaddr.parse(entry.split('/')[0]!).kind());
    return (ip) => inPrefix(entry, ip);
  }
}

function inPrefix(prefix: string, ip: string): boolean {
  return containsCidr(prefix, ip);
}

function readPorts(text: string, where: string): (readonly [number, number])[] | null {
  if (text === '*') return null;
  return text.split(',').map((part) => {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (match === null) throw new Error(`${where}: port range ${text}`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > to || to > 65535) throw new Error(`${where}: port range ${text}`);
    return [from, to] as const;
  });
}
