import { compareText } from '../util/compare';
import type { ApplicationSecurityGroup, AzureNsgTemplate, NetworkSecurityGroup, NsgEndpoint, NsgSecurityRule } from './azure-nsg-model';
import { AZURE_NAME, armLiteral, armText } from './azure-nsg-names';

/**
 * An ARM template (`azure-nsg/azuredeploy.json`) from the typed model, for
 * `az deployment group create --template-file`. The file is JSON.stringify
 * of a plain object, so JSON escaping is right by construction; on top of
 * that every literal string goes through armLiteral/armText, so that no
 * value from the policy is ever read as a template expression. The only
 * expressions are the printer's own, built from names that match Azure's
 * name pattern (no quote can end their string arguments).
 */

export const DEPLOYMENT_TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
export const CONTENT_VERSION = '1.0.0.0';
/** A Microsoft.Network API version with every securityRules field used here (ASGs, prefix lists, Esp and Ah). */
export const NETWORK_API_VERSION = '2024-05-01';
/** SecurityRulePropertiesFormat.description: "A description for this rule. Restricted to 140 chars." */
export const MAX_DESCRIPTION = 140;
/** Azure tags: a value has at most 256 characters ("Use tags to organize your Azure resources", Limitations). */
export const MAX_TAG_VALUE = 256;

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

const LOCATION = "[parameters('location')]";

/** A resourceId() expression for an ASG: only for names Azure would accept, which hold no quote or bracket. */
function asgId(name: string): string {
  if (!AZURE_NAME.test(name)) throw new Error(`not an Azure resource name, refused in a template expression: ${JSON.stringify(name)}`);
  return `[resourceId('Microsoft.Network/applicationSecurityGroups', '${name}')]`;
}

/** Description text on one line: control characters (line breaks, tabs, NUL) become '?'. */
const oneLine = (text: string): string => text.replace(/\p{Cc}/gu, '?');

function tags(values: Readonly<Record<string, string>>): Json {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, armText(value, MAX_TAG_VALUE)]));
}

function side(prefix: 'source' | 'destination', endpoint: NsgEndpoint): Record<string, Json> {
  switch (endpoint.kind) {
    case 'any':
      return { [`${prefix}AddressPrefix`]: '*' };
    case 'prefixes':
      return endpoint.prefixes.length === 1 ? { [`${prefix}AddressPrefix`]: armLiteral(endpoint.prefixes[0]!) } : { [`${prefix}AddressPrefixes`]: endpoint.prefixes.map(armLiteral) };
    case 'asg':
      return { [`${prefix}ApplicationSecurityGroups`]: endpoint.names.map((name) => ({ id: asgId(name) })) };
  }
}

function ruleObject(rule: NsgSecurityRule): Json {
  return {
    name: rule.name,
    properties: {
      description: armText(oneLine(rule.description), MAX_DESCRIPTION),
      protocol: rule.protocol,
      sourcePortRange: '*',
      destinationPortRange: rule.destinationPorts,
      ...side('source', rule.source),
      ...side('destination', rule.destination),
      access: rule.access,
      priority: rule.priority,
      direction: rule.direction,
    },
  };
}

function referencedAsgs(nsg: NetworkSecurityGroup): string[] {
  const names = new Set<string>();
  for (const rule of nsg.rules) for (const endpoint of [rule.source, rule.destination]) if (endpoint.kind === 'asg') for (const name of endpoint.names) names.add(name);
  return [...names].sort(compareText);
}

function asgObject(asg: ApplicationSecurityGroup): Json {
  return {
    type: 'Microsoft.Network/applicationSecurityGroups',
    apiVersion: NETWORK_API_VERSION,
    name: asg.name,
    location: LOCATION,
    tags: tags(asg.tags),
    comments: armLiteral(asg.comments.join('\n')),
    properties: {},
  };
}

function nsgObject(nsg: NetworkSecurityGroup): Json {
  return {
    type: 'Microsoft.Network/networkSecurityGroups',
    apiVersion: NETWORK_API_VERSION,
    name: nsg.name,
    location: LOCATION,
    tags: tags(nsg.tags),
    comments: armLiteral(nsg.comments.join('\n')),
    // The ASGs a rule names must exist before the NSG that names them.
    dependsOn: referencedAsgs(nsg).map(asgId),
    properties: { securityRules: nsg.rules.map(ruleObject) },
  };
}

/** The template as a plain object, resources in the model's order (ASGs first: NSGs depend on them). */
export interface TemplateObject {
  readonly [key: string]: Json;
  readonly resources: readonly Json[];
}

export function templateObject(template: AzureNsgTemplate): TemplateObject {
  return {
    $schema: DEPLOYMENT_TEMPLATE_SCHEMA,
    contentVersion: CONTENT_VERSION,
    metadata: Object.fromEntries(Object.entries(template.metadata).map(([key, value]) => [key, armLiteral(value)])),
    parameters: {
      location: { type: 'string', defaultValue: '[resourceGroup().location]', metadata: { description: 'Region of the security groups: that of the virtual network they protect.' } },
    },
    resources: [...template.applicationSecurityGroups.map(asgObject), ...template.networkSecurityGroups.map(nsgObject)],
  };
}

export function printTemplateObject(object: TemplateObject): string {
  return `${JSON.stringify(object, null, 2)}\n`;
}

export function printAzureTemplate(template: AzureNsgTemplate): string {
  return printTemplateObject(templateObject(template));
}
