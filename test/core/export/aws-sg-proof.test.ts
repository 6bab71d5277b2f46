import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsSgTarget } from '../../../src/core/export/aws-sg-target';
import { Action } from '../../../src/core/flow/record';
import type { PolicyEdge, PolicyHost } from '../../../src/core/policy/policy-input';
import type { Policy } from '../../../src/core/policy/policy-model';
import { PolicyEvaluator, type EdgeVerdict } from '../../../src/core/policy/simulate';
import { hostsOf } from '../../../src/core/export/group-addresses';
import { stageServers } from './stage-servers';
import { compareText } from '../../../src/core/util/compare';
import { readCloudFormation } from '../../helpers/cloud-eval/aws-cloudformation-reader';
import { CLOUDFORMATION_SECURITY_GROUP_SCHEMA } from '../../helpers/cloud-eval/aws-cloudformation-schema';
import { AwsSecurityGroupEvaluator, type AwsNetwork, type AwsRule } from '../../helpers/cloud-eval/aws-sg-evaluator';
import { awsHostilePolicy } from '../../helpers/cloud-eval/aws-hostile-policy';
import { readTerraform } from '../../helpers/cloud-eval/aws-terraform-reader';
import { cfnLint, cfnLintProblem, terraformCheck, terraformProblem } from '../../helpers/cloud-eval/aws-tools';
import { analyseDemo } from '../../helpers/demo-analysis';
import { UNUSED_PORT, UNSEEN_INTERNAL, UNSEEN_OUTSIDE, unseenEdge } from '../../helpers/proof-edges';

// The exported security groups allow exactly what the simulator permits.
// The demo's policy, learned by the real engine, is exported by the aws-sg
// target; main.tf is read back with HashiCorp's HCL parser and
// template.json with JSON.parse (and checked against a JSON Schema of the
// resource types), each by a reader in the test tree that knows nothing of
// the exporter's model; an independent security-group evaluator then
// answers, for every observed edge and for edges the policy never saw
// (another client on the same service, an unused port, addresses in no
// group and outside every network), whether EC2 would let the connection
// through. Its answer must be the simulator's (PolicyEvaluator), read
// through what the export report says the target does instead where it
// cannot express a rule (time windows and identity conditions left open).

const TERRAFORM = terraformProblem();
const CFN_LINT = cfnLintProblem();
if (TERRAFORM !== null) console.warn(`terraform validate of the aws-sg export skipped: ${TERRAFORM}`);
if (CFN_LINT !== null) console.warn(`cfn-lint of the aws-sg export skipped: ${CFN_LINT}`);


interface Case {
  readonly edge: PolicyEdge;
  readonly kind: 'observed' | 'unseen';
  readonly expected: boolean;
  readonly why: string;
}

const key = (edge: Pick<PolicyEdge, 'client' | 'server' | 'proto' | 'port'>): string => `${edge.client}|${edge.server}|${edge.proto}|${edge.port}`;

/** Observed edges and edges the policy never saw, each with the simulator's answer read through the export's notes. */
function casesOf(policy: Policy, edges: readonly PolicyEdge[], hosts: ReadonlyMap<string, PolicyHost>, attached: ReadonlySet<string>, leftOpen: ReadonlySet<string>, openGroups: ReadonlySet<string> = new Set()): Case[] {
  const groupOf = hostsOf(policy);
  // A group left open (staged): what its stage decides, and its hosts' traffic to addresses no group serves, is allowed.
  const leftOpenEdge = (verdict: EdgeVerdict): boolean => (verdict.stageGroup === null ? openGroups.has(groupOf.get(verdict.edge.client)?.id ?? '') : openGroups.has(verdict.stageGroup));
  const simulator = PolicyEvaluator.of(policy);
  const observed = new Map<string, PolicyEdge>();
  for (const edge of edges) if (edge.client !== edge.server) observed.set(key(edge), { ...edge, action: Action.allow });
  const cases: Case[] = [];
  const tried = new Set<string>();
  const add = (edge: PolicyEdge, kind: Case['kind']): void => {
    if (tried.has(key(edge)) || edge.client === edge.server) return;
    tried.add(key(edge));
    const verdict = simulator.verdict(edge, hosts);
    const open = (verdict.cause === 'window' || verdict.cause === 'identity') && verdict.rule !== null && leftOpen.has(verdict.rule);
    const stagedOpen = verdict.verdict !== 'permitted' && leftOpenEdge(verdict);
    cases.push({ edge, kind, expected: verdict.verdict === 'permitted' || open || stagedOpen, why: open ? `${verdict.cause} of ${verdict.rule}, left open by the export` : stagedOpen ? `group left open (staged): ${verdict.reason}` : verdict.reason });
  };
  const sorted = [...observed.values()].sort((a, b) => compareText(key(a), key(b)));
  for (const edge of sorted) add(edge, 'observed');

  const internal = [...attached].sort(compareText);
  const clientGroups = new Set<string>();
  for (const edge of sorted) {
    if (attached.has(edge.server)) {
      // Another host on the same service, an address in no group, one outside every network, the same client on an unused port.
      const stranger = internal.find((ip) => ip !== edge.server && !observed.has(key({ ...edge, client: ip })) && simulator.verdict(unseenEdge(ip, edge.server, edge.proto, edge.port), hosts).verdict !== 'permitted');
      if (stranger !== undefined) add(unseenEdge(stranger, edge.server, edge.proto, edge.port), 'unseen');
      add(unseenEdge(UNSEEN_INTERNAL, edge.server, edge.proto, edge.port), 'unseen');
      add(unseenEdge(UNSEEN_OUTSIDE, edge.server, edge.proto, edge.port), 'unseen');
      if (edge.port >= 0) for (const proto of [6, 17]) add(unseenEdge(edge.client, edge.server, proto, UNUSED_PORT), 'unseen');
    }
    if (attached.has(edge.client)) {
      // Each client group once towards an address in no group, and towards one outside every network.
      const group = `${edge.client}|${edge.proto}|${edge.port}`;
      if (clientGroups.has(group)) continue;
      clientGroups.add(group);
      add(unseenEdge(edge.client, UNSEEN_INTERNAL, edge.proto, edge.port), 'unseen');
      add(unseenEdge(edge.client, UNSEEN_OUTSIDE, edge.proto, edge.port), 'unseen');
    }
  }
  return cases;
}

function disagreementsOf(network: AwsNetwork, cases: readonly Case[]): string[] {
  const aws = new AwsSecurityGroupEvaluator(network);
  return cases
    .filter((entry) => aws.governs(entry.edge.client, entry.edge.server))
    .filter((entry) => aws.allows(entry.edge.client, entry.edge.server, entry.edge.proto, entry.edge.port) !== entry.expected)
    .map((entry) => `${entry.kind} ${entry.edge.client} → ${entry.edge.server} ${entry.edge.proto}/${entry.edge.port}: security groups ${entry.expected ? 'deny' : 'allow'} it; simulator: ${entry.why}`);
}

/**
 * Groups, rules and attachments sorted, so two readings of one network
 * compare equal; without the egress rule that matches no packet (ICMP type
 * 252 to the limited broadcast address), which only the CloudFormation
 * template needs (EC2 would otherwise add its allow-all egress rule).
 */
function canonical(network: AwsNetwork): unknown {
  const matchesNothing = (rule: AwsRule): boolean => rule.protocol === 'icmp' && rule.fromPort === 252 && rule.peer.kind === 'cidr' && rule.peer.cidr === '255.255.255.255/32';
  const rules = (list: readonly AwsRule[]): string[] => list.filter((rule) => !matchesNothing(rule)).map((rule) => JSON.stringify(rule)).sort(compareText);
  return {
    groups: [...network.groups.values()].map((group) => ({ name: group.name, ingress: rules(group.ingress), egress: rules(group.egress) })).sort((a, b) => compareText(a.name, b.name)),
    attachments: [...network.attachments].map(([address, groups]) => [address, [...groups].sort(compareText)]).sort((a, b) => compareText(String(a[0]), String(b[0]))),
  };
}

describe('aws-sg export of the demo policy, read back by an independent security-group evaluator', () => {
  let terraform: AwsNetwork;
  let cloudFormation: AwsNetwork;
  let template: Record<string, unknown>;
  /** The demo's files and a hostile policy's, for the vendors' own checkers. */
  let outputs: { name: string; tf: string; json: string }[] = [];
  let cases: Case[] = [];
  let governed: Case[] = [];

  beforeAll(async () => {
    const analysis = await analyseDemo();
    const { policy, material } = analysis.policy;
    const output = awsSgTarget(policy);
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
    const leftOpen = new Set(output.notes.filter((note) => note.action === 'left-open' && note.rule !== null).map((note) => note.rule!));
    terraform = (await readTerraform(output.files.find((file) => file.path === 'aws-sg/main.tf')!.content)).network;
    template = JSON.parse(output.files.find((file) => file.path === 'aws-sg/template.json')!.content) as Record<string, unknown>;
    cloudFormation = readCloudFormation(template);
    const hostile = awsSgTarget(awsHostilePolicy());
    const fileOf = (files: typeof output.files, path: string): string => files.find((file) => file.path === path)!.content;
    // The demo staged: its open security groups' protocol -1 rules go through the vendors' checks too.
    const groupOfIp = hostsOf(policy);
    const served = [...material.edges].filter((edge) => groupOfIp.has(edge.server)).sort((a, b) => compareText(a.server, b.server));
    const staged = awsSgTarget(stageServers(policy, [...new Set(served.map((edge) => edge.server))], served));
    outputs = [
      { name: 'demo', tf: fileOf(output.files, 'aws-sg/main.tf'), json: fileOf(output.files, 'aws-sg/template.json') },
      { name: 'hostile', tf: fileOf(hostile.files, 'aws-sg/main.tf'), json: fileOf(hostile.files, 'aws-sg/template.json') },
      { name: 'staged', tf: fileOf(staged.files, 'aws-sg/main.tf'), json: fileOf(staged.files, 'aws-sg/template.json') },
    ];
    cases = casesOf(policy, [...material.edges, ...material.replay], material.hosts, new Set(terraform.attachments.keys()), leftOpen);
    const aws = new AwsSecurityGroupEvaluator(terraform);
    governed = cases.filter((entry) => aws.governs(entry.edge.client, entry.edge.server));
  }, 240_000);

  it('template.json is valid by the JSON Schema of the resource types it holds', () => {
    const ajv = new Ajv({ allErrors: true, strictTuples: false });
    const validate = ajv.compile(CLOUDFORMATION_SECURITY_GROUP_SCHEMA);
    expect(validate(template), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
  });

  it('main.tf and template.json describe the same security groups, rules and attachments', () => {
    expect(canonical(cloudFormation)).toEqual(canonical(terraform));
    expect(terraform.groups.size).toBeGreaterThan(10);
  });

  it('tries observed and never-seen edges, allowed and denied, nearly all of them decided by the security groups', () => {
    expect(governed.filter((entry) => entry.kind === 'observed').length).toBeGreaterThan(500);
    expect(governed.filter((entry) => entry.kind === 'unseen').length).toBeGreaterThan(500);
    for (const expected of [true, false]) expect(governed.some((entry) => entry.expected === expected)).toBe(true);
    expect(governed.some((entry) => entry.kind === 'observed' && !entry.expected)).toBe(true);
    // Only edges with no security group at either end are not tried: there are none among the observed ones.
    expect(cases.filter((entry) => entry.kind === 'observed' && !governed.includes(entry))).toEqual([]);
  });

  it.each(['terraform', 'cloudformation'] as const)('%s: the security groups allow exactly the edges the simulator permits', (format) => {
    expect(disagreementsOf(format === 'terraform' ? terraform : cloudFormation, governed).slice(0, 20)).toEqual([]);
  });

  it('would notice a broken export: a group keeping EC2\'s allow-all egress, a group that lost its ingress rules', () => {
    const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const [logicalId] = Object.entries(resources).find(([, resource]) => resource.Type === 'AWS::EC2::SecurityGroup' && resource.Properties.GroupName === 'flowfence-g38')!;
    const withoutClosedEgress = { ...template, Resources: { ...resources, [logicalId]: { ...resources[logicalId]!, Properties: { ...resources[logicalId]!.Properties, SecurityGroupEgress: [] } } } };
    expect(disagreementsOf(readCloudFormation(withoutClosedEgress), governed).length).toBeGreaterThan(0);
    const busiest = [...terraform.groups.values()].sort((a, b) => b.ingress.length - a.ingress.length)[0]!;
    const withoutIngress: AwsNetwork = { ...terraform, groups: new Map([...terraform.groups, [busiest.name, { ...busiest, ingress: [] }]]) };
    expect(disagreementsOf(withoutIngress, governed).length).toBeGreaterThan(0);
  });

  it.skipIf(TERRAFORM !== null)('terraform fmt finds nothing to change and terraform validate (the hashicorp/aws provider\'s schema) accepts main.tf (skipped without terraform and a mirrored provider)', () => {
    for (const { name, tf } of outputs) {
      const { fmt, validate } = terraformCheck(tf);
      expect(fmt.ok, `${name}: ${fmt.output}`).toBe(true);
      expect(validate.ok, `${name}: ${validate.output}`).toBe(true);
    }
  }, 240_000);

  it.skipIf(CFN_LINT !== null)('cfn-lint finds no error in template.json (skipped without cfn-lint)', () => {
    for (const { name, json } of outputs) {
      // W3687 says ports are ignored for icmpv6; EC2 documents the opposite ("For icmpv6, the port range is optional;
      // if you omit the port range, traffic for all types and codes is allowed"), and main.tf writes them too.
      const findings = cfnLint(json).filter((match) => !(match.rule === 'W3687' && match.message.includes("'icmpv6'")));
      expect(findings, name).toEqual([]);
    }
  }, 240_000);
});

describe('aws-sg export of the demo policy with an observed and a selective group: both left open, read back by the same evaluator', () => {
  let governed: Case[] = [];
  let network: AwsNetwork;
  let openGroups = new Set<string>();

  beforeAll(async () => {
    const analysis = await analyseDemo();
    const { material } = analysis.policy;
    const groupOfIp = hostsOf(analysis.policy.policy);
    const served = [...material.edges].filter((edge) => groupOfIp.has(edge.server)).sort((a, b) => compareText(a.server, b.server));
    const policy = stageServers(analysis.policy.policy, [...new Set(served.map((edge) => edge.server))], served);
    const output = awsSgTarget(policy);
    openGroups = new Set(output.stages?.leftOpen.map((entry) => entry.group) ?? []);
    const leftOpen = new Set(output.notes.filter((note) => note.action === 'left-open' && note.rule !== null).map((note) => note.rule!));
    network = (await readTerraform(output.files.find((file) => file.path === 'aws-sg/main.tf')!.content)).network;
    expect(canonical(readCloudFormation(JSON.parse(output.files.find((file) => file.path === 'aws-sg/template.json')!.content) as Record<string, unknown>))).toEqual(canonical(network));
    const aws = new AwsSecurityGroupEvaluator(network);
    governed = casesOf(policy, [...material.edges, ...material.replay], material.hosts, new Set(network.attachments.keys()), leftOpen, openGroups).filter((entry) => aws.governs(entry.edge.client, entry.edge.server));
  }, 240_000);

  it('names both staged groups as left open, and tries edges that only the open groups let through', () => {
    expect(openGroups.size).toBe(2);
    expect(governed.some((entry) => entry.why.startsWith('group left open'))).toBe(true);
    expect(governed.some((entry) => !entry.expected)).toBe(true);
  });

  it('security groups allow exactly what the simulator permits, staged groups read as open', () => {
    expect(disagreementsOf(network, governed).slice(0, 20)).toEqual([]);
  });
});
