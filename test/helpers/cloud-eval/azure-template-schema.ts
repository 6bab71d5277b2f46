// A JSON Schema (draft-07, for ajv) of the parts of an ARM deployment
// template the azure-nsg export writes, from Azure's own documentation
// rather than from the exporter: the template's top level (deploymentTemplate
// 2019-04-01), Microsoft.Network/applicationSecurityGroups and
// networkSecurityGroups resources, and their securityRules
// (SecurityRulePropertiesFormat): names of 1–80 characters of Azure's name
// pattern, priorities 100–4096, protocols Tcp/Udp/Icmp/Esp/Ah/*, ports
// "n", "from-to" or *, descriptions of at most 140 characters, on each side
// exactly one of an address prefix, a list of prefixes or up to 10
// application security groups, at most 1,000 rules, tags of at most 256
// characters. What a schema cannot say (unique priorities per direction, one
// address family per rule, ASGs that exist) the evaluator checks as it reads.

const NAME = { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$' } as const;
const ASG_ID_PATTERN = "^\\[resourceId\\('Microsoft\\.Network/applicationSecurityGroups', '[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?'\\)\\]$";
const PORT_RANGE = { type: 'string', pattern: '^(?:\\*|[0-9]{1,5}(?:-[0-9]{1,5})?)$' } as const;
const ADDRESS_PREFIX = { type: 'string', pattern: '^(?:\\*|VirtualNetwork|AzureLoadBalancer|Internet|[0-9A-Fa-f:.]+(?:/[0-9]{1,3})?)$' } as const;
const LOCATION = { const: "[parameters('location')]" } as const;
const API_VERSION = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;

/** Exactly one way of naming one side of a rule. */
const oneSide = (side: 'source' | 'destination') => ({
  oneOf: [`${side}AddressPrefix`, `${side}AddressPrefixes`, `${side}ApplicationSecurityGroups`].map((name) => ({ required: [name], properties: { [name]: true } })),
});

export const AZURE_NSG_TEMPLATE_SCHEMA = {
  $id: 'https://flowfence.test/azure-nsg-template.json',
  type: 'object',
  required: ['$schema', 'contentVersion', 'resources'],
  additionalProperties: false,
  properties: {
    $schema: { const: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#' },
    contentVersion: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$' },
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        location: {
          type: 'object',
          required: ['type'],
          additionalProperties: false,
          properties: { type: { const: 'string' }, defaultValue: { type: 'string' }, metadata: { type: 'object', properties: { description: { type: 'string' } } } },
        },
      },
    },
    resources: { type: 'array', maxItems: 800, items: { oneOf: [{ $ref: '#/definitions/applicationSecurityGroup' }, { $ref: '#/definitions/networkSecurityGroup' }] } },
  },
  definitions: {
    tags: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { minLength: 1, maxLength: 512, pattern: '^[^<>%&\\\\?/]+$' },
      additionalProperties: { type: 'string', maxLength: 256 },
    },
    asgReference: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: { id: { type: 'string', pattern: ASG_ID_PATTERN } },
    },
    applicationSecurityGroup: {
      type: 'object',
      required: ['type', 'apiVersion', 'name', 'location', 'properties'],
      additionalProperties: false,
      properties: {
        type: { const: 'Microsoft.Network/applicationSecurityGroups' },
        apiVersion: API_VERSION,
        name: NAME,
        location: LOCATION,
        tags: { $ref: '#/definitions/tags' },
        comments: { type: 'string' },
        properties: { type: 'object', additionalProperties: false },
      },
    },
    securityRule: {
      type: 'object',
      required: ['name', 'properties'],
      additionalProperties: false,
      properties: {
        name: NAME,
        properties: {
          type: 'object',
          required: ['protocol', 'sourcePortRange', 'destinationPortRange', 'access', 'priority', 'direction'],
          additionalProperties: false,
          properties: {
            description: { type: 'string', maxLength: 140 },
            protocol: { enum: ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'] },
            sourcePortRange: PORT_RANGE,
            destinationPortRange: PORT_RANGE,
            sourceAddressPrefix: ADDRESS_PREFIX,
            sourceAddressPrefixes: { type: 'array', minItems: 1, items: ADDRESS_PREFIX },
            sourceApplicationSecurityGroups: { type: 'array', minItems: 1, maxItems: 10, items: { $ref: '#/definitions/asgReference' } },
            destinationAddressPrefix: ADDRESS_PREFIX,
            destinationAddressPrefixes: { type: 'array', minItems: 1, items: ADDRESS_PREFIX },
            destinationApplicationSecurityGroups: { type: 'array', minItems: 1, maxItems: 10, items: { $ref: '#/definitions/asgReference' } },
            access: { enum: ['Allow', 'Deny'] },
            priority: { type: 'integer', minimum: 100, maximum: 4096 },
            direction: { enum: ['Inbound', 'Outbound'] },
          },
          allOf: [oneSide('source'), oneSide('destination')],
        },
      },
    },
    networkSecurityGroup: {
      type: 'object',
      required: ['type', 'apiVersion', 'name', 'location', 'properties'],
      additionalProperties: false,
      properties: {
        type: { const: 'Microsoft.Network/networkSecurityGroups' },
        apiVersion: API_VERSION,
        name: NAME,
        location: LOCATION,
        tags: { $ref: '#/definitions/tags' },
        comments: { type: 'string' },
        dependsOn: { type: 'array', items: { type: 'string', pattern: ASG_ID_PATTERN } },
        properties: {
          type: 'object',
          required: ['securityRules'],
          additionalProperties: false,
          properties: { securityRules: { type: 'array', maxItems: 1000, items: { $ref: '#/definitions/securityRule' } } },
        },
      },
    },
  },
} as const;
