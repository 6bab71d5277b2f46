import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostsOf } from '../../../src/core/export/group-addresses';
import { stageServers } from './stage-servers';
import { azureNsgTarget } from '../../../src/core/export/azure-nsg-target';
import type { TargetOutput } from '../../../src/core/export/export-types';
import { Action } from '../../../src/core/flow/record';
import type { PolicyEdge, PolicyHost } from '../../../src/core/policy/policy-input';
import type { Policy } from '../../../src/core/policy/policy-model';
import { PolicyEvaluator, type EdgeVerdict } from '../../../src/core/policy/simulate';
import { compareText } from '../../../src/core/util/compare';
import { analyseDemo } from '../../helpers/demo-analysis';
import { armLiteralText } from '../../helpers/cloud-eval/azure-arm-read';
import { AzureNsgEvaluator, type ArmTemplate, type NsgPlacement } from '../../helpers/cloud-eval/azure-nsg-evaluator';
import { AZURE_NSG_TEMPLATE_SCHEMA } from '../../helpers/cloud-eval/azure-template-schema';
import { UNUSED_PORT, UNSEEN_INTERNAL, UNSEEN_OUTSIDE, unseenEdge } from '../../helpers/proof-edges';

// The exported ARM template lets through exactly what the simulator permits.
// The demo's policy, learned by the real engine, is exported; the template
// is read back from its text (JSON.parse, never the exporter's model),
// checked against a JSON Schema of what Azure accepts (test tree), and
// interpreted by a small NSG evaluator written from Azure's documentation
// (test/helpers/cloud-eval): each group's hosts carry its NSG and are the
// members of its ASG, found by the tags the template gives them. Every
// observed edge and edges the policy never saw (another client on the same
// service, an unused port, addresses in no group on either side) must get
// the simulator's verdict, read through what the export report says the
// target does instead (time windows and identity conditions left open).

const ASG_TYPE = 'Microsoft.Network/applicationSecurityGroups';
/** The virtual network's address space: Azure's VirtualNetwork service tag, which AllowVnetInBound opens. */
const VIRTUAL_NETWORK = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

interface Case {
  readonly edge: PolicyEdge;
  readonly kind: 'observed' | 'unseen';
}

interface Setup {
  readonly policy: Policy;
  readonly output: TargetOutput;
  readonly template: ArmTemplate;
  readonly placement: NsgPlacement;
  readonly simulator: PolicyEvaluator;
  readonly hosts: ReadonlyMap<string, PolicyHost>;
  readonly leftOpen: ReadonlySet<string>;
  /** Hosts of internal groups: the ones whose network interfaces carry an NSG of the export. */
  readonly grouped: ReadonlySet<string>;
  readonly cases: readonly Case[];
  /** A staged group's outbound traffic that no internal group's stage decides: its NSG leaves it open (stage-open-out), as its notes say. */
  readonly outboundOpen: (verdict: EdgeVerdict) => boolean;
}

const keyOf = (edge: Pick<PolicyEdge, 'client' | 'server' | 'proto' | 'port'>): string => `${edge.client}|${edge.server}|${edge.proto}|${edge.port}`;

/** Which hosts joined each ASG and carry each NSG: the group named by the resource's tag, read as Resource Manager reads it. */
function placementOf(template: ArmTemplate, policy: Policy): NsgPlacement {
  const members = new Map(policy.groups.map((group) => [group.id, group.members]));
  const asgMembers = new Map<string, Set<string>>();
  const nsgOfHost = new Map<string, string>();
  for (const resource of template.resources) {
    const group = armLiteralText(resource.tags!['flowfence-group']!);
    const hosts = members.get(group);
    if (hosts === undefined) throw new Error(`${resource.name} is tagged with ${group}, no group of the policy`);
    if (resource.type === ASG_TYPE) asgMembers.set(resource.name, new Set(hosts));
    else for (const ip of hosts) nsgOfHost.set(ip, resource.name);
  }
  return { asgMembers, nsgOfHost };
}

/**
 * What Azure must do with an edge: the simulator's verdict, through the
 * export's documented substitutes: rules whose time window or identity
 * condition is left open, and traffic between hosts of no internal group
 * (no NSG of the export is in its path: the "internal hosts in no group"
 * note).
 */
function expectation(verdict: EdgeVerdict, leftOpen: ReadonlySet<string>, grouped: ReadonlySet<string>, outboundOpen: (verdict: EdgeVerdict) => boolean): { expected: boolean; why: string } {
  if (!grouped.has(verdict.edge.client) && !grouped.has(verdict.edge.server)) return { expected: true, why: 'neither end is in an internal group: no NSG of the export filters it, left open' };
  if (verdict.verdict === 'permitted') return { expected: true, why: verdict.loggedFlows > 0 ? `logged and let through: ${verdict.reason}` : `permitted by ${verdict.rule}` };
  if (outboundOpen(verdict)) return { expected: true, why: `a staged group's outbound traffic, left open by the export (stage-open-out): ${verdict.reason}` };
  if ((verdict.cause === 'window' || verdict.cause === 'identity') && verdict.rule !== null && leftOpen.has(verdict.rule)) return { expected: true, why: `${verdict.cause} of ${verdict.rule}, left open by the export` };
  return { expected: false, why: `${verdict.cause ?? verdict.verdict}: ${verdict.reason}` };
}

function casesOf(policy: Policy, material: { edges: readonly PolicyEdge[]; replay: readonly PolicyEdge[]; hosts: ReadonlyMap<string, PolicyHost> }): Case[] {
  const observed = new Map<string, PolicyEdge>();
  for (const edge of [...material.edges, ...material.replay]) if (edge.client !== edge.server) observed.set(keyOf(edge), { ...edge, action: Action.allow });
  const cases: Case[] = [...observed.values()].sort((a, b) => compareText(keyOf(a), keyOf(b))).map((edge) => ({ edge, kind: 'observed' }));
  const internal = [...material.hosts.values()].filter((host) => host.scope === 'internal').map((host) => host.ip).sort(compareText);
  const groupOf = new Map(policy.groups.flatMap((group) => group.members.map((ip) => [ip, group.id] as const)));
  const services = new Map<string, PolicyEdge>();
  for (const edge of observed.values()) if (!services.has(`${edge.server}|${edge.proto}|${edge.port}`)) services.set(`${edge.server}|${edge.proto}|${edge.port}`, edge);
  const unseen = (edge: PolicyEdge): void => void cases.push({ edge, kind: 'unseen' });
  for (const edge of [...services.values()].sort((a, b) => compareText(keyOf(a), keyOf(b)))) {
    // Another client on the same service: from another group, that never used it.
    const stranger = internal.find((ip) => ip !== edge.server && groupOf.get(ip) !== groupOf.get(edge.client) && !observed.has(keyOf({ ...edge, client: ip })));
    if (stranger !== undefined) unseen(unseenEdge(stranger, edge.server, edge.proto, edge.port));
    unseen(unseenEdge(UNSEEN_INTERNAL, edge.server, edge.proto, edge.port));
    unseen(unseenEdge(UNSEEN_OUTSIDE, edge.server, edge.proto, edge.port));
    unseen(unseenEdge(edge.client, UNSEEN_INTERNAL, edge.proto, edge.port));
    for (const proto of [6, 17]) unseen(unseenEdge(edge.client, edge.server, proto, UNUSED_PORT));
  }
  return cases;
}

let setup: Setup | null = null;

async function build(staged: boolean): Promise<Setup> {
  const { material } = (await analyseDemo()).policy;
  let policy = (await analyseDemo()).policy.policy;
  if (staged) {
    const groupOfIp = hostsOf(policy);
    const served = [...material.edges].filter((edge) => groupOfIp.has(edge.server)).sort((a, b) => compareText(a.server, b.server));
    policy = stageServers(policy, [...new Set(served.map((edge) => edge.server))], served);
  }
  const output = azureNsgTarget(policy);
  const stagedIds = new Set([...(output.stages?.observed ?? []), ...(output.stages?.selective ?? [])].map((entry) => entry.group));
  const memberOf = hostsOf(policy);
  const outboundOpen = (verdict: EdgeVerdict): boolean => {
    const client = memberOf.get(verdict.edge.client)?.id;
    if (client === undefined || !stagedIds.has(client)) return false;
    // No group filters it (a server in no group), or the client's own selective stage does (a server outside): stage-open-out lets it out.
    return verdict.stageGroup === null || (verdict.stageGroup === client && output.notes.some((note) => note.action === 'left-open' && note.what === `selective group ${client}: its outbound traffic to outside networks`));
  };
  const text = output.files.find((file) => file.path === 'azure-nsg/azuredeploy.json')!.content;
  const parsed: unknown = JSON.parse(text);
  const validate = new Ajv({ allErrors: true, strict: true }).compile(AZURE_NSG_TEMPLATE_SCHEMA);
  if (!validate(parsed)) throw new Error(`the template does not match the schema: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
  const template = parsed as ArmTemplate;
  const built: Setup = {
    outboundOpen,
    policy,
    output,
    template,
    placement: placementOf(template, policy),
    simulator: PolicyEvaluator.of(policy),
    hosts: material.hosts,
    leftOpen: new Set(output.notes.filter((note) => note.action === 'left-open' && note.rule !== null).map((note) => note.rule!)),
    grouped: new Set(policy.groups.filter((group) => group.kind !== 'external' && group.kind !== 'all-internal').flatMap((group) => group.members)),
    cases: casesOf(policy, material),
  };
  expect(output.notes).toContainEqual(expect.objectContaining({ rule: null, what: 'internal hosts in no group', action: 'left-open' }));
  return built;
}

beforeAll(async () => {
  setup = await build(false);
}, 240_000);

/** Every case the evaluator and the simulator disagree on, for one reading of the template. */
function disagreements(current: Setup, template: ArmTemplate): { disagreements: string[]; allowed: number; denied: number } {
  const azure = new AzureNsgEvaluator(template, current.placement, { virtualNetwork: VIRTUAL_NETWORK });
  const found: string[] = [];
  let allowed = 0;
  let denied = 0;
  for (const { edge, kind } of current.cases) {
    const { expected, why } = expectation(current.simulator.verdict(edge, current.hosts), current.leftOpen, current.grouped, current.outboundOpen);
    const verdict = azure.connect(edge.client, edge.server, edge.proto, edge.port);
    if (verdict.allowed) allowed++;
    else denied++;
    if (verdict.allowed !== expected) {
      const decided = [verdict.outbound, verdict.inbound].filter((decision) => decision !== null).map((decision) => `${decision!.nsg}/${decision!.rule} ${decision!.access}`).join(', ');
      found.push(`${kind} ${edge.client} → ${edge.server} ${edge.proto}/${edge.port}: Azure ${verdict.allowed ? 'allows' : 'denies'} (${decided || 'no NSG'}); simulator: ${why}`);
    }
  }
  return { disagreements: found, allowed, denied };
}

describe('azure-nsg export of the demo, read back and interpreted as Azure would', () => {
  it('carries or notes every rule, and writes one ASG and one NSG per internal group', () => {
    const { policy, output, template } = setup!;
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
    const internal = policy.groups.filter((group) => group.kind !== 'external' && group.kind !== 'all-internal').length;
    expect(template.resources.filter((resource) => resource.type === ASG_TYPE)).toHaveLength(internal);
    expect(template.resources.filter((resource) => resource.type === 'Microsoft.Network/networkSecurityGroups')).toHaveLength(internal);
  });

  it('tries observed and never-seen edges, allowed and denied', () => {
    const { cases } = setup!;
    expect(cases.filter((entry) => entry.kind === 'observed').length).toBeGreaterThan(500);
    expect(cases.filter((entry) => entry.kind === 'unseen').length).toBeGreaterThan(200);
  });

  it('lets through exactly the edges the simulator permits', () => {
    const outcome = disagreements(setup!, setup!.template);
    expect(outcome.disagreements.slice(0, 20)).toEqual([]);
    expect(outcome.allowed).toBeGreaterThan(100);
    expect(outcome.denied).toBeGreaterThan(100);
  });

  it('needs its Deny-all rules: without them Azure\'s AllowVnetInBound and AllowVnetOutBound let unlisted traffic through', () => {
    const { template } = setup!;
    const withoutDeny: ArmTemplate = {
      resources: template.resources.map((resource) => ({
        ...resource,
        properties: { ...resource.properties, securityRules: resource.properties.securityRules?.filter((rule) => rule.properties.access !== 'Deny') },
      })),
    };
    const outcome = disagreements(setup!, withoutDeny);
    expect(outcome.disagreements.length).toBeGreaterThan(50);
    expect(outcome.disagreements.every((line) => line.includes('Azure allows'))).toBe(true);
  });
});

describe('azure-nsg export of the demo with an observed and a selective group, interpreted as Azure would', () => {
  let staged: Setup | null = null;
  beforeAll(async () => {
    staged = await build(true);
  }, 240_000);

  it('expresses both stages by priority: the selective group denies its listed service, the open rules sit just above the Deny-all', () => {
    const { output, template } = staged!;
    expect(output.stages?.observed).toHaveLength(1);
    expect(output.stages?.selective).toHaveLength(1);
    const rules = template.resources.flatMap((resource) => resource.properties.securityRules ?? []);
    expect(rules.filter((rule) => rule.name === 'stage-open-in').map((rule) => rule.properties.priority)).toEqual([4095, 4095]);
    expect(rules.some((rule) => rule.name.startsWith('stage-deny-in-') && rule.properties.access === 'Deny')).toBe(true);
  });

  it('lets through exactly the edges the simulator permits under the stages', () => {
    const outcome = disagreements(staged!, staged!.template);
    expect(outcome.disagreements.slice(0, 20)).toEqual([]);
    expect(outcome.denied).toBeGreaterThan(50);
  });
});
