import ipaddr from 'ipaddr.js';
import { NSG_LIMITS, brokenLimit } from './azure-nsg-limits';
import type { AzureNsgTemplate, NetworkSecurityGroup, NsgEndpoint, NsgSecurityRule } from './azure-nsg-model';
import { AZURE_NAME, MAX_NAME_LENGTH } from './azure-nsg-names';

/**
 * What Azure Resource Manager and the Microsoft.Network resource provider
 * check of the resources this target writes, before deploying them:
 * names (80 characters of Azure's name pattern, unique regardless of case),
 * priorities (100–4096, unique per direction: "You can't create two
 * security rules with the same priority and direction"), protocols
 * (SecurityRulePropertiesFormat.protocol: Tcp, Udp, Icmp, Esp, Ah, *),
 * ports ("Integer or range between 0 and 65535", or *), address prefixes
 * (addresses or CIDRs, one address family per rule: Azure refuses a rule
 * that mixes them, ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies),
 * the NSG limits (azure-nsg-limits.ts), tags (at most 50 per resource,
 * names of at most 512 characters without < > % & \ ? /) and the template
 * limits ("ARM template best practices": at most 800 resources, 4 MB, 1 MB
 * per resource). The export is refused rather than written when any of it
 * fails. Returns the problems as "resource: message", none when valid.
 */
export const TEMPLATE_LIMITS = { resources: 800, bytes: 4 * 1024 * 1024, resourceBytes: 1024 * 1024 } as const;
export const PRIORITY = { min: 100, max: 4096 } as const;
const PROTOCOLS = new Set(['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*']);
const PORT = /^(?:\*|(\d{1,5})(?:-(\d{1,5}))?)$/;
const TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;

export function validateAzureTemplate(template: AzureNsgTemplate): string[] {
  const problems: string[] = [];
  const fail = (where: string, message: string): void => void problems.push(`${where}: ${message}`);
  const resources = template.applicationSecurityGroups.length + template.networkSecurityGroups.length;
  if (resources > TEMPLATE_LIMITS.resources) fail('template', `${resources} resources, above the ${TEMPLATE_LIMITS.resources} a template may hold`);

  const asgs = new Set<string>();
  for (const [kind, list] of [['applicationSecurityGroups', template.applicationSecurityGroups], ['networkSecurityGroups', template.networkSecurityGroups]] as const) {
    const seen = new Set<string>();
    for (const resource of list) {
      for (const message of nameProblems(resource.name)) fail(`${kind}/${resource.name}`, message);
      if (seen.has(resource.name.toLowerCase())) fail(`${kind}/${resource.name}`, 'the name is taken by another resource of its type (Azure ignores case)');
      seen.add(resource.name.toLowerCase());
      for (const message of tagProblems(resource.tags)) fail(`${kind}/${resource.name}`, message);
      if (kind === 'applicationSecurityGroups') asgs.add(resource.name);
    }
  }
  for (const nsg of template.networkSecurityGroups) validateNsg(nsg, asgs, (message) => fail(`networkSecurityGroups/${nsg.name}`, message));
  return problems;
}

/** The printed template's size against Resource Manager's limits (the whole file, and each resource). */
export function validateTemplateSize(text: string, resources: readonly unknown[]): string[] {
  const bytes = (value: string): number => new TextEncoder().encode(value).length;
  const problems: string[] = [];
  if (bytes(text) > TEMPLATE_LIMITS.bytes) problems.push(`template: ${bytes(text)} bytes, above the ${TEMPLATE_LIMITS.bytes} a template may have`);
  resources.forEach((resource, index) => {
    const size = bytes(JSON.stringify(resource));
    if (size > TEMPLATE_LIMITS.resourceBytes) problems.push(`resources[${index}]: ${size} bytes, above the ${TEMPLATE_LIMITS.resourceBytes} a resource definition may have`);
  });
  return problems;
}

function nameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) problems.push(`a name has 1 to ${MAX_NAME_LENGTH} characters`);
  if (!AZURE_NAME.test(name)) problems.push("a name holds alphanumerics, '_', '.' and '-', starts with an alphanumeric and ends with an alphanumeric or '_'");
  return problems;
}

function tagProblems(tags: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const names = Object.keys(tags);
  if (names.length > 50) problems.push(`${names.length} tags, above the 50 a resource may carry`);
  for (const name of names) if (name.length === 0 || name.length > 512 || TAG_NAME_FORBIDDEN.test(name)) problems.push(`tag name ${JSON.stringify(name)}: 1 to 512 characters, none of < > % & \\ ? /`);
  return problems;
}

function familyOf(prefix: string): 'v4' | 'v6' | null {
  const valid = prefix.includes('/') ? ipaddr.isValidCIDR(prefix) : ipaddr.isValid(prefix);
  if (!valid) return null;
  return (prefix.includes('/') ? ipaddr.parseCIDR(prefix)[0] : ipaddr.parse(prefix)).kind() === 'ipv4' ? 'v4' : 'v6';
}

function endpointProblems(endpoint: NsgEndpoint, asgs: ReadonlySet<string>, families: Set<string>): string[] {
  switch (endpoint.kind) {
    case 'any':
      return [];
    case 'asg': {
      const problems = endpoint.names.filter((name) => !asgs.has(name)).map((name) => `names application security group ${name}, which the template does not create`);
      if (endpoint.names.length === 0) problems.push('names no application security group');
      if (endpoint.names.length > NSG_LIMITS.asgsPerRule) problems.push(`names ${endpoint.names.length} application security groups, above Azure's ${NSG_LIMITS.asgsPerRule}`);
      return problems;
    }
    case 'prefixes': {
      const problems: string[] = [];
      if (endpoint.prefixes.length === 0) problems.push('names no address');
      for (const prefix of endpoint.prefixes) {
        const family = familyOf(prefix);
        if (family === null) problems.push(`${JSON.stringify(prefix)} is no address or CIDR`);
        else families.add(family);
      }
      return problems;
    }
  }
}

function portProblems(rule: NsgSecurityRule): string[] {
  const match = PORT.exec(rule.destinationPorts);
  if (match === null) return [`port ${JSON.stringify(rule.destinationPorts)}: a port, a range "from-to" or *`];
  if (match[1] === undefined) return [];
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  return from > 65535 || to > 65535 || from > to ? [`port ${rule.destinationPorts}: ports between 0 and 65535, the first not above the last`] : [];
}

function validateNsg(nsg: NetworkSecurityGroup, asgs: ReadonlySet<string>, fail: (message: string) => void): void {
  const names = new Set<string>();
  const priorities = new Set<string>();
  for (const rule of nsg.rules) {
    const at = (message: string): void => fail(`securityRules/${rule.name}: ${message}`);
    for (const message of nameProblems(rule.name)) at(message);
    if (names.has(rule.name.toLowerCase())) at('the name is taken by another rule of this NSG');
    names.add(rule.name.toLowerCase());
    if (!Number.isInteger(rule.priority) || rule.priority < PRIORITY.min || rule.priority > PRIORITY.max) at(`priority ${rule.priority} is not between ${PRIORITY.min} and ${PRIORITY.max}`);
    if (priorities.has(`${rule.direction}|${rule.priority}`)) at(`priority ${rule.priority} is taken by another ${rule.direction} rule`);
    priorities.add(`${rule.direction}|${rule.priority}`);
    if (!PROTOCOLS.has(rule.protocol)) at(`protocol ${JSON.stringify(rule.protocol)} is none of Tcp, Udp, Icmp, Esp, Ah, *`);
    for (const message of portProblems(rule)) at(message);
    const families = new Set<string>();
    for (const message of endpointProblems(rule.source, asgs, families)) at(`source ${message}`);
    for (const message of endpointProblems(rule.destination, asgs, families)) at(`destination ${message}`);
    if (families.size > 1) at('mixes IPv4 and IPv6 prefixes, which Azure refuses in one rule');
  }
  const limit = brokenLimit(
    nsg.rules.map((rule) => ({ ruleId: rule.name, source: rule.source, destination: rule.destination })),
    0,
  );
  if (limit !== null) fail(limit);
}
