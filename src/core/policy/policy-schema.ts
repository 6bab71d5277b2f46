import { Ajv, type ErrorObject } from 'ajv';
import { parseCidr } from '../enrich/address-scope';
import { POLICY_FORMAT, POLICY_VERSION, type Policy, type TimeWindow } from './policy-model';

/**
 * JSON Schema (draft-07) of policy.json, version 1. The same object is
 * published as resources/policy.schema.json (a test keeps them equal) and
 * validates every policy file the CLI reads back. Ajv was chosen because it
 * is the reference validator for JSON Schema, maintained and dependency-light;
 * it compiles the schema once per process.
 */

const nonNegative = { type: 'number', minimum: 0 } as const;
const isoOrNull = { type: ['string', 'null'] } as const;
const label = {
  type: 'object',
  required: ['key', 'value'],
  additionalProperties: false,
  properties: { key: { type: 'string' }, value: { type: 'string' } },
} as const;
const portRange = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: { from: { type: 'integer', minimum: 0, maximum: 65535 }, to: { type: 'integer', minimum: 0, maximum: 65535 } },
} as const;
const namedServices = {
  type: 'array',
  items: {
    type: 'object',
    required: ['proto', 'port', 'name'],
    additionalProperties: false,
    properties: { proto: { type: 'integer', minimum: 0, maximum: 255 }, port: { type: 'integer', minimum: 0, maximum: 65535 }, name: { type: 'string' } },
  },
} as const;
const timeWindow = {
  type: 'object',
  required: ['days', 'fromHour', 'toHour', 'timezone'],
  additionalProperties: false,
  properties: {
    days: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 6 }, uniqueItems: true },
    fromHour: { type: 'integer', minimum: 0, maximum: 23 },
    toHour: { type: 'integer', minimum: 1, maximum: 24 },
    timezone: { const: 'UTC' },
  },
} as const;

export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://flowfence.invalid/schema/policy-v1.json',
  title: 'Flowfence policy',
  description:
    'Groups with membership rules, the services they use, allow rules between groups with their evidence, and a default deny. Canonical: keys sorted, lists in a total order, byte-identical for the same inputs.',
  type: 'object',
  required: ['format', 'version', 'settings', 'inputs', 'window', 'groups', 'services', 'rules', 'defaultAction', 'contentSha256'],
  additionalProperties: false,
  properties: {
    format: { const: POLICY_FORMAT },
    version: { const: POLICY_VERSION },
    settings: {
      type: 'object',
      description: 'The thresholds rule generation used.',
      required: [
        'liftMinShare',
        'liftMinGroups',
        'rangeMinPorts',
        'rangeMinDensity',
        'externalPrefixV4',
        'externalPrefixV6',
        'adminServices',
        'roleDependentAdminServices',
        'directoryServices',
        'roleMinShare',
        'roleMinGroups',
        'roleMinClientsPerServer',
        'adminGroupPattern',
        'businessHours',
        'windowMinHours',
        'internalCidrs',
      ],
      additionalProperties: false,
      properties: {
        liftMinShare: { type: 'number', minimum: 0, maximum: 1 },
        liftMinGroups: { type: 'integer', minimum: 1 },
        rangeMinPorts: { type: 'integer', minimum: 2 },
        rangeMinDensity: { type: 'number', minimum: 0, maximum: 1 },
        externalPrefixV4: { type: 'integer', minimum: 0, maximum: 32 },
        externalPrefixV6: { type: 'integer', minimum: 0, maximum: 128 },
        adminServices: { ...namedServices, description: 'Services that administer hosts: just-in-time from groups that are not admin groups, unless the service is the server group\u2019s role.' },
        roleDependentAdminServices: {
          ...namedServices,
          description: 'Admin services that are also the everyday role of some servers (SMB, RPC): not just-in-time on a group whose role they are. The other admin services are remote administration.',
        },
        directoryServices: { ...namedServices, description: 'A group serving one of these to roleMinGroups other groups is a directory server: its role-dependent services used by roleMinGroups groups are its role.' },
        roleMinShare: { type: 'number', minimum: 0, maximum: 1, description: 'A role-dependent service is a group\u2019s role when used by at least this share of the other internal groups (and roleMinGroups).' },
        roleMinGroups: { type: 'integer', minimum: 1, description: 'Other internal groups that must use a role-dependent service on a group for it to be that group\u2019s role.' },
        roleMinClientsPerServer: {
          type: 'number',
          minimum: 0,
          description: 'A role-dependent service is also a group\u2019s role when used by at least this many distinct internal client hosts per server host (and roleMinGroups groups).',
        },
        adminGroupPattern: { type: 'string' },
        businessHours: timeWindow,
        windowMinHours: { type: 'integer', minimum: 0, description: 'Distinct hours of the week (of 168) the evidence must cover.' },
        internalCidrs: { type: 'array', items: { type: 'string' }, description: 'Ranges treated as internal besides the private ones.' },
      },
    },
    inputs: {
      type: 'object',
      required: ['files', 'sha256'],
      additionalProperties: false,
      properties: {
        files: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'bytes', 'sha256'],
            additionalProperties: false,
            properties: { name: { type: 'string' }, bytes: { type: 'integer', minimum: 0 }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
          },
        },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the files\u2019 digests, sorted, one per line.' },
      },
    },
    window: {
      type: 'object',
      required: ['from', 'to'],
      additionalProperties: false,
      properties: { from: isoOrNull, to: isoOrNull },
    },
    groups: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'kind', 'members', 'match', 'labels'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          name: { type: 'string' },
          kind: { enum: ['application', 'infrastructure', 'clients', 'all-internal', 'external'] },
          members: { type: 'array', items: { type: 'string' } },
          match: {
            oneOf: [
              { type: 'null' },
              { type: 'object', required: ['label'], additionalProperties: false, properties: { label } },
              { type: 'object', required: ['cidr'], additionalProperties: false, properties: { cidr: { type: 'string' } } },
              { type: 'object', required: ['hostnamePrefix'], additionalProperties: false, properties: { hostnamePrefix: { type: 'string', minLength: 1 } } },
              { type: 'object', required: ['scope'], additionalProperties: false, properties: { scope: { const: 'internal' } } },
            ],
          },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    services: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'proto', 'ports', 'name'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          proto: { type: 'integer', minimum: 0, maximum: 255 },
          ports: { oneOf: [{ type: 'null' }, portRange] },
          name: { type: ['string', 'null'] },
        },
      },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'from', 'to', 'service', 'proto', 'ports', 'window', 'identity', 'jit', 'state', 'evidence'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          from: { type: 'string' },
          to: { type: 'string' },
          service: { type: 'string' },
          proto: { type: 'integer', minimum: 0, maximum: 255 },
          ports: { oneOf: [{ type: 'null' }, portRange] },
          window: { oneOf: [{ type: 'null' }, timeWindow] },
          identity: {
            oneOf: [{ type: 'null' }, { type: 'object', required: ['label'], additionalProperties: false, properties: { label } }],
          },
          jit: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['requesters'],
                additionalProperties: false,
                properties: {
                  requesters: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['user', 'logons'],
                      additionalProperties: false,
                      properties: { user: { type: 'string' }, logons: nonNegative },
                    },
                  },
                },
              },
            ],
          },
          state: { enum: ['proposed', 'approved', 'rejected'] },
          evidence: {
            type: 'object',
            required: ['flows', 'bytes', 'firstSeen', 'lastSeen', 'clients', 'servers', 'edges', 'steps'],
            additionalProperties: false,
            properties: {
              flows: nonNegative,
              bytes: nonNegative,
              firstSeen: isoOrNull,
              lastSeen: isoOrNull,
              clients: { type: 'integer', minimum: 0 },
              servers: { type: 'integer', minimum: 0 },
              edges: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['client', 'server', 'port', 'flows', 'bytes', 'firstSeen', 'lastSeen'],
                  additionalProperties: false,
                  properties: {
                    client: { type: 'string' },
                    server: { type: 'string' },
                    port: { type: 'integer', minimum: -1, maximum: 65535 },
                    flows: nonNegative,
                    bytes: nonNegative,
                    firstSeen: isoOrNull,
                    lastSeen: isoOrNull,
                  },
                },
              },
              steps: {
                type: 'array',
                description: 'Each generalisation that widened the rule; on an admin service also why it is or is not just-in-time (just-in-time, role, admin-group).',
                items: {
                  type: 'object',
                  required: ['step', 'detail'],
                  additionalProperties: false,
                  properties: {
                    step: { enum: ['group', 'lift', 'port-range', 'external-cidr', 'just-in-time', 'role', 'admin-group', 'time-window'] },
                    detail: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    defaultAction: { const: 'deny' },
    contentSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
} as const;

let compiled: ReturnType<Ajv['compile']> | null = null;

export class PolicyFileError extends Error {}

/** Parses and validates a policy file's text; throws PolicyFileError naming the first problems. */
export function parsePolicy(text: string, source: string): Policy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(`${source}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  const version = (value as { version?: unknown } | null)?.version;
  if (format !== POLICY_FORMAT) throw new PolicyFileError(`${source}: not a Flowfence policy (format is ${JSON.stringify(format)}, expected "${POLICY_FORMAT}")`);
  if (version !== POLICY_VERSION) throw new PolicyFileError(`${source}: policy version ${JSON.stringify(version)} is not supported (this Flowfence reads version ${POLICY_VERSION})`);
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(POLICY_SCHEMA);
  if (!compiled(value)) throw new PolicyFileError(`${source}: does not match the policy schema: ${describeErrors(compiled.errors ?? [])}`);
  const policy = value as Policy;
  checkReferences(policy, source);
  return policy;
}

function describeErrors(errors: readonly ErrorObject[]): string {
  // oneOf reports one error per branch; the first few distinct messages say enough.
  const messages = [
    ...new Set(
      errors.map((error) => {
        const extra = error.keyword === 'additionalProperties' ? ` ("${String((error.params as { additionalProperty?: unknown }).additionalProperty)}")` : '';
        return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${extra}`;
      }),
    ),
  ];
  return messages.slice(0, 5).join('; ') + (messages.length > 5 ? ` (and ${messages.length - 5} more)` : '');
}

/** What the schema cannot say: ids are unique and rules name groups and services that exist. */
function checkReferences(policy: Policy, source: string): void {
  const groups = new Set<string>();
  for (const group of policy.groups) {
    if (groups.has(group.id)) throw new PolicyFileError(`${source}: group id "${group.id}" appears twice`);
    groups.add(group.id);
    if (group.match !== null && 'cidr' in group.match && parseCidr(group.match.cidr) === null) {
      throw new PolicyFileError(`${source}: group ${group.id}: "${group.match.cidr}" is not a CIDR`);
    }
  }
  checkWindow(policy.settings.businessHours, `${source}: settings.businessHours`);
  for (const cidr of policy.settings.internalCidrs) {
    if (parseCidr(cidr) === null) throw new PolicyFileError(`${source}: settings.internalCidrs: "${cidr}" is not a CIDR`);
  }
  const services = new Set(policy.services.map((service) => service.id));
  const rules = new Set<string>();
  for (const rule of policy.rules) {
    if (rules.has(rule.id)) throw new PolicyFileError(`${source}: rule id "${rule.id}" appears twice`);
    rules.add(rule.id);
    for (const [field, id] of [['from', rule.from], ['to', rule.to]] as const) {
      if (!groups.has(id)) throw new PolicyFileError(`${source}: rule ${rule.id}: ${field} names group "${id}", which the policy does not define`);
    }
    if (!services.has(rule.service)) throw new PolicyFileError(`${source}: rule ${rule.id}: service "${rule.service}" is not defined`);
    if (rule.ports !== null && rule.ports.from > rule.ports.to) throw new PolicyFileError(`${source}: rule ${rule.id}: port range ${rule.ports.from}-${rule.ports.to} is reversed`);
    if (rule.window !== null) checkWindow(rule.window, `${source}: rule ${rule.id}: window`);
  }
}

/** Windows do not wrap past midnight: an overnight window is two rules (22–24 and 0–6). */
function checkWindow(window: TimeWindow, where: string): void {
  if (window.fromHour >= window.toHour) {
    throw new PolicyFileError(`${where}: ${window.fromHour}:00–${window.toHour}:00 is empty or wraps past midnight (split it into two rules)`);
  }
}
