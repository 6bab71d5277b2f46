import { Ajv, type ErrorObject } from 'ajv';
import { parseJsonText } from '../util/json-text';
import { ANOMALY_DEFAULTS } from '../discover/anomalies';
import { DISCOVERY_SETTING_SOURCES, LATER_DISCOVERY_BAGS } from '../discover/discovery-settings';
import { parseCidr } from '../enrich/address-scope';
import { canonicalJson, sha256Hex } from './canonical-json';
import { migratePolicy, PolicyFileError } from './policy-migration';
import { stageProblem } from './enforcement-stage';
import { matchCidrs } from './membership';
import { POLICY_FORMAT, POLICY_VERSION, type Policy, type TimeWindow } from './policy-model';

export { PolicyFileError };

/**
 * JSON Schema (draft-07) of policy.json, version 2. The same object is
 * published as resources/policy.schema.json (a test keeps them equal) and
 * validates every policy file the CLI reads back, older versions once
 * migrated (policy-migration.ts). Ajv was chosen because it is the reference
 * validator for JSON Schema, maintained and dependency-light; it compiles
 * the schema once per process.
 */

const nonNegative = { type: 'number', minimum: 0 } as const;
const isoOrNull = { type: ['string', 'null'] } as const;
const label = {
  type: 'object',
  required: ['key', 'value'],
  additionalProperties: false,
  properties: { key: { type: 'string' }, value: { type: 'string' } },
} as const;
/** A decision's fields (RuleDecision): on a rule, and in each audit entry. */
const decisionProperties = {
  by: { type: 'string', minLength: 1 },
  at: { type: 'string', minLength: 1 },
  why: { type: 'string', minLength: 1 },
  ticket: { type: ['string', 'null'] },
  expires: isoOrNull,
  evidenceSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
} as const;
const decisionRequired = ['by', 'at', 'why', 'ticket', 'expires', 'evidenceSha256'] as const;
/** A group's stage setting (StageSetting): on the group, and in each stage audit entry with the setting it replaced. */
const stageSettingProperties = {
  stage: { enum: ['observe', 'selective', 'enforce'], description: 'observe: nothing blocked, would-be drops logged; selective: only the listed services enforced; enforce: default deny.' },
  services: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, description: 'selective: the ids of the services (policy.services) enforced on the group; empty for the other stages.' },
  canary: { type: 'boolean', description: 'The group moves first in the proposed promotion order.' },
  override: { type: 'boolean', description: 'The promotion gate may propose the next stage before its quiet days have passed (the decision says why).' },
} as const;
const stageSettingRequired = ['stage', 'services', 'canary', 'override'] as const;
/** Who set a stage, when, why, under which change ticket (StageDecision). */
const stageDecisionProperties = {
  by: { type: 'string', minLength: 1 },
  at: { type: 'string', minLength: 1 },
  why: { type: 'string', minLength: 1 },
  ticket: { type: ['string', 'null'] },
} as const;
const stageDecisionRequired = ['by', 'at', 'why', 'ticket'] as const;
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

/** A recorded setting: a number, string or flag, or a list or object of them. */
const settingRef = { $ref: '#/definitions/setting' } as const;
const setting = {
  description: 'A recorded threshold or setting: a number, string or flag, or a list or object of them.',
  anyOf: [
    { type: 'number' },
    { type: 'string' },
    { type: 'boolean' },
    { type: 'array', items: settingRef },
    { type: 'object', additionalProperties: settingRef },
  ],
} as const;
/**
 * One algorithm's DEFAULTS object: setting name to value. Open (any name,
 * no required names): the record is for people checking a run, readers act
 * on none of it, and a threshold added later must not make today's files
 * invalid.
 */
const settingsBag = (description: string) => ({ type: 'object', description, additionalProperties: settingRef }) as const;
const discoveryBags = Object.fromEntries(Object.entries(DISCOVERY_SETTING_SOURCES).map(([name, source]) => [name, settingsBag(`${source}.`)]));
/** The anomaly thresholds are flat: numbers, and the list of shared environment names. */
const anomalyProperties = Object.fromEntries(
  Object.entries(ANOMALY_DEFAULTS).map(([name, value]) => [name, Array.isArray(value) ? { type: 'array', items: { type: 'string' } } : { type: 'number' }]),
);
const analysis = {
  description:
    'The thresholds discovery and anomaly detection ran with, so the groups and the flagged traffic the rules rest on can be checked and reproduced; null when not recorded (a policy migrated from version 1). Readers act on none of it.',
  oneOf: [
    { type: 'null' },
    {
      type: 'object',
      required: ['discovery', 'anomalies'],
      additionalProperties: false,
      properties: {
        discovery: {
          type: 'object',
          description: 'Each discovery algorithm\u2019s DEFAULTS object, named after what it decides, and the cut asked for.',
          required: [...Object.keys(DISCOVERY_SETTING_SOURCES).filter((name) => !(LATER_DISCOVERY_BAGS as readonly string[]).includes(name)), 'clusters'],
          additionalProperties: false,
          properties: {
            ...discoveryBags,
            clusters: { type: ['integer', 'null'], minimum: 1, description: 'The number of clusters asked for (a moved dendrogram cut); null when the silhouette chose the cut.' },
          },
        },
        anomalies: {
          type: 'object',
          description: 'ANOMALY_DEFAULTS (anomalies.ts and the detectors under anomalies/) with the run\u2019s overrides applied. Thresholds added later appear as further properties.',
          properties: anomalyProperties,
          additionalProperties: settingRef,
        },
      },
    },
  ],
} as const;

export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://flowfence.invalid/schema/policy-v2.json',
  title: 'Flowfence policy',
  description:
    'Groups with membership rules, the services they use, allow rules between groups with their evidence, and a default deny. Canonical: keys sorted, lists in a total order, byte-identical for the same inputs. Version 2; version-1 files are read by migrating them (settings gain the admin-role thresholds, analysis is null).',
  type: 'object',
  definitions: { setting },
  required: ['format', 'version', 'settings', 'analysis', 'inputs', 'window', 'groups', 'services', 'rules', 'defaultAction', 'contentSha256'],
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
        'liftMinHostShare',
        'rangeMinPorts',
        'rangeMinDensity',
        'externalPrefixV4',
        'externalPrefixV6',
        'publicMinNetworks',
        'adminServices',
        'roleDependentAdminServices',
        'directoryServices',
        'roleMinShare',
        'roleMinGroups',
        'roleMinClientsPerServer',
        'adminGroupPattern',
        'adminStationMinHosts',
        'businessHours',
        'windowMinHours',
        'internalCidrs',
      ],
      additionalProperties: false,
      properties: {
        liftMinShare: { type: 'number', minimum: 0, maximum: 1 },
        liftMinGroups: { type: 'integer', minimum: 1 },
        liftMinHostShare: { type: 'number', minimum: 0, maximum: 1, description: 'A lifted service\u2019s user groups hold at least this share of the internal hosts outside its server group.' },
        rangeMinPorts: { type: 'integer', minimum: 2 },
        rangeMinDensity: { type: 'number', minimum: 0, maximum: 1 },
        externalPrefixV4: { type: 'integer', minimum: 0, maximum: 32 },
        externalPrefixV6: { type: 'integer', minimum: 0, maximum: 128 },
        publicMinNetworks: {
          type: 'integer',
          minimum: 1,
          description: 'A host\u2019s service used from at least this many outside networks is public (one rule from any outside address); a host\u2019s use of a service on at least this many is open (one rule to any outside address).',
        },
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
        adminStationMinHosts: {
          type: 'integer',
          minimum: 1,
          description: 'A group that is not an admin group and opened remote administration on at least this many internal hosts outside it gets one just-in-time rule to every internal host.',
        },
        businessHours: timeWindow,
        windowMinHours: { type: 'integer', minimum: 0, description: 'Distinct hours of the week (of 168) the evidence must cover.' },
        internalCidrs: { type: 'array', items: { type: 'string' }, description: 'Ranges treated as internal besides the private ones.' },
      },
    },
    analysis,
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
            properties: {
              name: { type: 'string' },
              bytes: { type: 'integer', minimum: 0 },
              sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
              pushdown: {
                type: 'object',
                description: 'A flowfence-edges file: the pushdown query that computed it in the warehouse (its SHA-256) and the source it read.',
                required: ['querySha256', 'source'],
                additionalProperties: false,
                properties: { querySha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, source: { type: 'string' } },
              },
            },
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
              {
                type: 'object',
                description: 'Address blocks that hold only the members, where no one rule is exact (membership-rule.ts): new hosts in them join the group.',
                required: ['cidrs'],
                additionalProperties: false,
                properties: { cidrs: { type: 'array', minItems: 1, items: { type: 'string' } } },
              },
              { type: 'object', required: ['hostnamePrefix'], additionalProperties: false, properties: { hostnamePrefix: { type: 'string', minLength: 1 } } },
              { type: 'object', required: ['scope'], additionalProperties: false, properties: { scope: { const: 'internal' } } },
            ],
          },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          stage: {
            type: 'object',
            description: 'How far enforcement on this internal group has gone (flowfence stage); absent: enforce, as every policy before stages.',
            required: [...stageSettingRequired, 'decision'],
            additionalProperties: false,
            properties: {
              ...stageSettingProperties,
              decision: { type: 'object', required: [...stageDecisionRequired], additionalProperties: false, properties: stageDecisionProperties },
            },
          },
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
          decision: {
            type: 'object',
            description: 'The owner\u2019s decision that set the state (flowfence attest --import): who, when, why, ticket, expiry, and the evidence digest it was made on.',
            required: [...decisionRequired],
            additionalProperties: false,
            properties: decisionProperties,
          },
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
                    step: { enum: ['group', 'lift', 'port-range', 'external-cidr', 'just-in-time', 'role', 'admin-group', 'time-window', 'idle-replica', 'companion'] },
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
    pods: {
      type: 'array',
      description: 'The cluster\u2019s pods the analysis knew (pod lists, and pods the flow records named), for the targets that select pods by label (k8s, cilium).',
      items: {
        type: 'object',
        required: ['namespace', 'pod', 'ips', 'labels', 'owner', 'hostIp', 'hostNetwork', 'source'],
        additionalProperties: false,
        properties: {
          namespace: { type: 'string' },
          pod: { type: 'string' },
          ips: { type: 'array', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          owner: {
            oneOf: [
              { type: 'null' },
              { type: 'object', required: ['kind', 'name'], additionalProperties: false, properties: { kind: { type: 'string' }, name: { type: 'string' } } },
            ],
          },
          hostIp: { type: ['string', 'null'] },
          hostNetwork: { type: 'boolean' },
          source: { enum: ['pod-list', 'flows'] },
        },
      },
    },
    audit: {
      type: 'array',
      description: 'Every owner\u2019s rule decision (attest --import) and analyst\u2019s stage decision (flowfence stage) applied to this policy, oldest first; both only append to it.',
      items: {
        oneOf: [
          {
            type: 'object',
            required: ['rule', 'state', ...decisionRequired, 'importedAt', 'source'],
            additionalProperties: false,
            properties: {
              rule: { type: 'string', minLength: 1 },
              state: { enum: ['approved', 'rejected'] },
              ...decisionProperties,
              importedAt: { type: 'string', minLength: 1 },
              source: {
                type: 'object',
                required: ['name', 'sha256'],
                additionalProperties: false,
                properties: { name: { type: 'string' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
              },
            },
          },
          {
            type: 'object',
            description: 'A stage decision: the setting made on a group, the one it replaced, who, when, why.',
            required: ['group', ...stageSettingRequired, ...stageDecisionRequired, 'previous'],
            additionalProperties: false,
            properties: {
              group: { type: 'string', minLength: 1 },
              ...stageSettingProperties,
              ...stageDecisionProperties,
              previous: { type: 'object', required: [...stageSettingRequired], additionalProperties: false, properties: stageSettingProperties },
            },
          },
        ],
      },
    },
    contentSha256: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
      description: 'SHA-256 of the canonical JSON of the policy without this field, as the file was written (before any migration).',
    },
  },
} as const;

let compiled: ReturnType<Ajv['compile']> | null = null;

/** A policy file as read: the policy at POLICY_VERSION, and what reading it found. */
export interface PolicyFile {
  readonly policy: Policy;
  /** The version the file was written in when older than POLICY_VERSION (it was migrated on reading); null when current. */
  readonly migratedFrom: number | null;
  /** What the migration filled in, one sentence each (empty when current). */
  readonly migration: readonly string[];
  /** The file's content no longer matches its contentSha256: edited after it was generated. */
  readonly edited: boolean;
}

/**
 * Parses a policy file's text, migrates an older version (policy-migration.ts)
 * and validates the result against the schema and the references between its
 * parts; throws PolicyFileError naming the first problems and where they are.
 */
export function readPolicyFile(text: string, source: string): PolicyFile {
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (error) {
    throw new PolicyFileError(`${source}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== POLICY_FORMAT) throw new PolicyFileError(`${source}: not a Flowfence policy (format is ${JSON.stringify(format)}, expected "${POLICY_FORMAT}")`);
  const object = value as Record<string, unknown>;
  // The digest covers the file as written, so it is checked before a migration adds to it.
  const edited = !digestMatches(object);
  const { migratedFrom, notes } = migratePolicy(object, source);
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(POLICY_SCHEMA);
  if (!compiled(object)) {
    const read = migratedFrom === null ? '' : ` (version ${migratedFrom}, read as version ${POLICY_VERSION})`;
    throw new PolicyFileError(`${source}: does not match the policy schema${read}: ${describeErrors(compiled.errors ?? [])}`);
  }
  const policy = object as unknown as Policy;
  checkReferences(policy, source);
  return { policy, migratedFrom, migration: notes, edited };
}

/** readPolicyFile's policy alone. */
export function parsePolicy(text: string, source: string): Policy {
  return readPolicyFile(text, source).policy;
}

/** contentSha256 against the canonical JSON of the rest, as build-policy.ts computes it; false when either is missing or malformed. */
function digestMatches(value: Record<string, unknown>): boolean {
  const { contentSha256, ...content } = value;
  return typeof contentSha256 === 'string' && sha256Hex(canonicalJson(content)) === contentSha256;
}

function describeErrors(errors: readonly ErrorObject[]): string {
  // oneOf reports one error per branch; the first few distinct messages say enough.
  const messages = [
    ...new Set(
      errors.map((error) => {
        const extra =
          error.keyword === 'additionalProperties'
            ? ` ("${String((error.params as { additionalProperty?: unknown }).additionalProperty)}")`
            : error.keyword === 'enum'
              ? `: ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((value) => JSON.stringify(value)).join(', ')}`
              : error.keyword === 'const'
                ? `: ${JSON.stringify((error.params as { allowedValue?: unknown }).allowedValue)}`
                : '';
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
    for (const cidr of matchCidrs(group.match)) {
      if (parseCidr(cidr) === null) throw new PolicyFileError(`${source}: group ${group.id}: "${cidr}" is not a CIDR`);
    }
  }
  checkWindow(policy.settings.businessHours, `${source}: settings.businessHours`);
  const services = new Set(policy.services.map((service) => service.id));
  for (const group of policy.groups) {
    const problem = group.stage === undefined ? null : stageProblem(group, group.stage, services);
    if (problem !== null) throw new PolicyFileError(`${source}: group ${group.id}: ${problem}`);
  }
  for (const cidr of policy.settings.internalCidrs) {
    if (parseCidr(cidr) === null) throw new PolicyFileError(`${source}: settings.internalCidrs: "${cidr}" is not a CIDR`);
  }
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
