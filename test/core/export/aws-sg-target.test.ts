import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { SecurityGroupSet, SgRule } from '../../../src/core/export/aws-sg-model';
import { cloudFormationGroupId, ec2Text, securityGroupName, terraformGroupName } from '../../../src/core/export/aws-sg-names';
import { planSecurityGroups } from '../../../src/core/export/aws-sg-plan';
import { countRules, quotaProblems } from '../../../src/core/export/aws-sg-quotas';
import { awsSecurityGroupUsage, awsSgTarget } from '../../../src/core/export/aws-sg-target';
import { validateSecurityGroups } from '../../../src/core/export/aws-sg-validate';
import { hclString } from '../../../src/core/export/hcl-string';
import type { Policy, PolicyGroup, PolicyRule } from '../../../src/core/policy/policy-model';
import { readCloudFormation } from '../../helpers/cloud-eval/aws-cloudformation-reader';
import { awsHostilePolicy, TEMPLATE_INJECTION } from '../../helpers/cloud-eval/aws-hostile-policy';
import { CLOUDFORMATION_SECURITY_GROUP_SCHEMA } from '../../helpers/cloud-eval/aws-cloudformation-schema';
import { AwsSecurityGroupEvaluator } from '../../helpers/cloud-eval/aws-sg-evaluator';
import { literal, readTerraform } from '../../helpers/cloud-eval/aws-terraform-reader';
import { group, handPolicy, prng, rule, shuffle } from '../policy/fixtures';
import { HOSTILE } from './hostile-policy';

// The aws-sg target on small hand-made policies: references inside the
// VPC and CIDRs outside it, both directions per rule, the quotas (IPv4 and
// IPv6 counted apart, exact merging, widening, leaving out, the report),
// just-in-time rules closed, what security groups cannot say noted, hostile
// text kept as data in HCL and JSON, and byte-identical output.

const external = (cidr: string, members: readonly string[] = []): PolicyGroup => group(`ext:${cidr}`, members, { kind: 'external', match: { cidr } });

const basic = handPolicy(
  [group('g1', ['10.0.1.10', 'fd00::10']), group('g2', ['10.0.2.20']), group('g3', ['10.0.3.30']), external('198.51.100.0/24', ['198.51.100.7'])],
  [
    rule('g1', 'g2', 6, { from: 443, to: 443 }, { evidence: { flows: 9, bytes: 1, firstSeen: '2026-01-05T10:00:00Z', lastSeen: '2026-01-06T10:00:00Z', clients: 1, servers: 1, edges: [], steps: [] } }),
    rule('ext:198.51.100.0/24', 'g2', 6, { from: 443, to: 443 }),
    rule('g2', 'ext:198.51.100.0/24', 6, { from: 25, to: 25 }),
    rule('internal', 'g3', 17, { from: 53, to: 53 }),
    rule('g1', 'g3', 1, null),
    rule('g1', 'g3', 58, null),
    rule('g1', 'g3', 47, null),
  ],
);

const rulesOf = (set: SecurityGroupSet, groupId: string): readonly SgRule[] => set.groups.find((entry) => entry.group === groupId)!.rules;
const files = (policy: Policy) => {
  const output = awsSgTarget(policy);
  return { output, tf: output.files.find((file) => file.path === 'aws-sg/main.tf')!.content, json: output.files.find((file) => file.path === 'aws-sg/template.json')?.content };
};

describe('aws-sg: security groups from the policy', () => {
  const { set } = planSecurityGroups(basic);

  it('gives every internal group a security group, and one for every internal host when a rule is on all of them', () => {
    expect(set.groups.map((entry) => entry.group)).toEqual(['g1', 'g2', 'g3', 'internal']);
    expect(set.attachments).toEqual([
      { address: '10.0.1.10', groups: ['g1', 'internal'] },
      { address: '10.0.2.20', groups: ['g2', 'internal'] },
      { address: '10.0.3.30', groups: ['g3', 'internal'] },
      { address: 'fd00::10', groups: ['g1', 'internal'] },
    ]);
  });

  it('references groups inside the VPC: ingress on the server group, egress on the client group', () => {
    const ingress = rulesOf(set, 'g2').find((entry) => entry.direction === 'ingress' && entry.peer.kind === 'group')!;
    expect(ingress).toMatchObject({ permission: { protocol: 'tcp', fromPort: 443, toPort: 443 }, peer: { kind: 'group', group: 'g1' }, policyRules: ['g1>g2:tcp/443'] });
    expect(ingress.description).toBe('g1_g2:tcp/443: 9 flows, 1 clients to 1 servers, 2026-01-05..2026-01-06');
    expect(rulesOf(set, 'g1').filter((entry) => entry.permission.protocol === 'tcp')).toMatchObject([{ direction: 'egress', peer: { kind: 'group', group: 'g2' } }]);
  });

  it('names outside networks and every internal host by CIDR, and gives outside networks no rule of their own', () => {
    expect(rulesOf(set, 'g2').filter((entry) => entry.peer.kind === 'cidr')).toMatchObject([
      { direction: 'ingress', peer: { cidr: '198.51.100.0/24' }, policyRules: ['ext:198.51.100.0/24>g2:tcp/443'] },
      { direction: 'egress', peer: { cidr: '198.51.100.0/24' }, policyRules: ['g2>ext:198.51.100.0/24:tcp/25'] },
    ]);
    const fromInternal = rulesOf(set, 'g3').filter((entry) => entry.permission.protocol === 'udp');
    expect(fromInternal.map((entry) => (entry.peer.kind === 'cidr' ? entry.peer.cidr : null)).sort()).toEqual(['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10']);
    expect(rulesOf(set, 'internal')).toMatchObject([{ direction: 'egress', permission: { protocol: 'udp', fromPort: 53, toPort: 53 }, peer: { kind: 'group', group: 'g3' } }]);
  });

  it('writes ICMP by name with type and code -1, only to its own address family, and other protocols by number without ports', () => {
    const g3 = rulesOf(set, 'g3').filter((entry) => entry.direction === 'ingress' && entry.peer.kind === 'group');
    expect(g3.map((entry) => entry.permission)).toEqual([
      { protocol: '47', fromPort: null, toPort: null },
      { protocol: 'icmp', fromPort: -1, toPort: -1 },
      { protocol: 'icmpv6', fromPort: -1, toPort: -1 },
    ]);
    const icmp = planSecurityGroups(handPolicy([group('g1', ['10.0.1.10']), external('2001:db8::/48')], [rule('ext:2001:db8::/48', 'g1', 1, null), rule('ext:2001:db8::/48', 'g1', 58, null)]));
    expect(icmp.set.groups[0]!.rules).toMatchObject([{ permission: { protocol: 'icmpv6' }, peer: { cidr: '2001:db8::/48' } }]);
    expect(icmp.notes.find((note) => note.rule === 'ext:2001:db8::/48>g1:icmp')).toMatchObject({ action: 'left-closed' });
    expect(icmp.rulesExported + icmp.rulesSkipped).toBe(2);
  });

  it('counts IPv4 and IPv6 rules apart, a reference in both, and the closed egress rule of the CloudFormation template', () => {
    expect(countRules(rulesOf(set, 'g3'))).toEqual({ inboundIpv4: 6 + 3, inboundIpv6: 3 + 3, outboundIpv4: 1, outboundIpv6: 0 });
    expect(countRules(rulesOf(set, 'g2'))).toEqual({ inboundIpv4: 2, inboundIpv6: 1, outboundIpv4: 1, outboundIpv6: 0 });
    // g1 egress: three references to g3 and one to g2 count in both families, plus the closed rule in IPv4.
    expect(countRules(rulesOf(set, 'g1'))).toEqual({ inboundIpv4: 0, inboundIpv6: 0, outboundIpv4: 5, outboundIpv6: 4 });
  });

  it('merges touching CIDRs of one permission into one rule that carries every policy rule', () => {
    const policy = handPolicy(
      [group('g1', ['10.0.1.10']), external('198.51.100.0/25', ['198.51.100.7']), external('198.51.100.128/25'), external('203.0.113.0/24')],
      [rule('ext:198.51.100.0/25', 'g1', 6, { from: 443, to: 443 }), rule('ext:198.51.100.128/25', 'g1', 6, { from: 443, to: 443 }), rule('ext:203.0.113.0/24', 'g1', 6, { from: 443, to: 443 })],
    );
    expect(planSecurityGroups(policy).set.groups[0]!.rules).toMatchObject([
      { peer: { cidr: '198.51.100.0/24' }, policyRules: ['ext:198.51.100.0/25>g1:tcp/443', 'ext:198.51.100.128/25>g1:tcp/443'] },
      { peer: { cidr: '203.0.113.0/24' }, policyRules: ['ext:203.0.113.0/24>g1:tcp/443'] },
    ]);
  });
});

describe('aws-sg: quotas', () => {
  /** n outside /24 networks, each with a rule to g1 on tcp/443 (and `flows` flows). */
  const crowded = (networks: readonly string[]) =>
    handPolicy(
      [group('g1', ['10.0.1.10']), ...networks.map((cidr) => external(cidr))],
      networks.map((cidr, index) => rule(`ext:${cidr}`, 'g1', 6, { from: 443, to: 443 }, { evidence: { flows: 100 - index, bytes: 0, firstSeen: null, lastSeen: null, clients: 1, servers: 1, edges: [], steps: [] } })),
    );

  it('widens CIDRs of one permission into a common supernet when that fits the quota, and notes each rule', () => {
    const policy = crowded(['198.51.0.0/24', '198.51.2.0/24', '198.51.4.0/24', '198.51.9.0/24', '198.51.200.0/24']);
    const plan = planSecurityGroups(policy, { rulesPerSecurityGroup: 3 });
    expect(plan.rulesExported).toBe(5);
    const cidrs = plan.set.groups[0]!.rules.map((entry) => (entry.peer.kind === 'cidr' ? entry.peer.cidr : ''));
    expect(cidrs.length).toBeLessThanOrEqual(3);
    expect(cidrs).toContain('198.51.200.0/24');
    // Every network the policy names is still allowed: widening only adds.
    const network = readCloudFormation(JSON.parse(awsSgTarget(policy, { quotas: { rulesPerSecurityGroup: 3 } }).files[1]!.content));
    const evaluator = new AwsSecurityGroupEvaluator(network);
    for (const client of ['198.51.0.9', '198.51.2.9', '198.51.4.9', '198.51.9.9', '198.51.200.9']) expect(evaluator.allows(client, '10.0.1.10', 6, 443)).toBe(true);
    expect(evaluator.allows('203.0.113.9', '10.0.1.10', 6, 443)).toBe(false);
    const widened = plan.notes.filter((note) => note.action === 'widened');
    expect(widened.filter((note) => note.rule !== null).length).toBeGreaterThanOrEqual(2);
    expect(widened.find((note) => note.rule === null)!.what).toBe('security group flowfence-g1: 5 inbound IPv4 rules after merging, the quota is 3');
    expect(plan.set.groups[0]!.rules.some((entry) => entry.description.startsWith('widened to fit the quota: '))).toBe(true);
  });

  it('leaves out the rules with the fewest flows when widening cannot fit, writes the files anyway and reports group, count and limit', () => {
    const networks = Array.from({ length: 8 }, (_, index) => `${20 + index * 10}.1.2.0/24`);
    const policy = crowded(networks);
    const output = awsSgTarget(policy, { quotas: { rulesPerSecurityGroup: 5 } });
    expect(output.rulesExported).toBe(5);
    expect(output.rulesSkipped).toBe(3);
    const skipped = output.notes.filter((note) => note.action === 'skipped');
    expect(skipped.filter((note) => note.rule !== null).map((note) => note.rule).sort()).toEqual(networks.slice(5).map((cidr) => `ext:${cidr}>g1:tcp/443`).sort());
    expect(skipped.find((note) => note.rule === null)).toMatchObject({ what: 'security group flowfence-g1: 8 inbound IPv4 rules after merging, the quota is 5' });
    expect(output.files.map((file) => file.path)).toEqual(['aws-sg/main.tf', 'aws-sg/template.json']);
    const usage = awsSecurityGroupUsage(policy, { quotas: { rulesPerSecurityGroup: 5 } });
    expect(usage.groups[0]).toMatchObject({ group: 'g1', largest: 8, needed: { inboundIpv4: 8 }, exported: { inboundIpv4: 5 } });
    expect(usage.quotas.rulesPerSecurityGroup).toBe(5);
  });

  it('reports the fullest group first against AWS\'s default quotas, and the groups per interface', () => {
    const usage = awsSecurityGroupUsage(basic);
    expect(usage.quotas).toEqual({ rulesPerSecurityGroup: 60, securityGroupsPerInterface: 5 });
    expect(usage.groups[0]).toMatchObject({ group: 'g3', largest: 9 });
    expect(usage.securityGroupsPerInterface).toBe(2);
  });

  it('refuses quotas EC2 never grants', () => {
    expect(quotaProblems({ rulesPerSecurityGroup: 300, securityGroupsPerInterface: 5 })).toEqual(['300 rules per security group times 5 security groups per network interface is more than EC2\'s 1000']);
    expect(() => awsSgTarget(basic, { quotas: { securityGroupsPerInterface: 17 } })).toThrow(/from 1 to 16/);
    const single = planSecurityGroups(basic, { securityGroupsPerInterface: 1 });
    expect(single.notes.find((note) => note.rule === 'internal>g3:udp/53')).toMatchObject({ action: 'skipped' });
    expect(single.set.attachments.every((attachment) => attachment.groups.length === 1)).toBe(true);
  });

  it('leaves template.json out, with a note, when CloudFormation would refuse the stack', () => {
    // A chain g0 → g1 → … → g259: every group far below its quota, 260 groups and 518 rules that reference a group.
    const groups = Array.from({ length: 260 }, (_, index) => group(`g${index}`, [`10.1.${Math.floor(index / 200)}.${index % 200}`]));
    const output = awsSgTarget(handPolicy(groups, groups.slice(1).map((entry, index) => rule(`g${index}`, entry.id, 6, { from: 443, to: 443 }))));
    expect(output.files.map((file) => file.path)).toEqual(['aws-sg/main.tf']);
    expect(output.notes.find((note) => note.rule === null && note.what.startsWith('a CloudFormation template of 778 resources'))).toMatchObject({ action: 'skipped' });
  });
});

describe('aws-sg: what security groups cannot express', () => {
  const policy = handPolicy(
    [group('g1', ['10.0.1.10'], { match: { label: { key: 'app', value: 'web' } } }), group('g2', ['10.0.2.20']), external('198.51.100.0/24'), external('203.0.113.0/24')],
    [
      rule('g1', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
      rule('g2', 'g1', 6, { from: 8080, to: 8080 }, { window: { days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' } }),
      rule('g2', 'g1', 6, { from: 9090, to: 9090 }, { identity: { label: { key: 'role', value: 'ops' } } }),
      rule('g2', 'g1', 6, { from: 9999, to: 9999 }, { state: 'rejected' }),
      rule('g2', 'g1', 132, { from: 3868, to: 3868 }),
      rule('g2', 'g1', 1, { from: 0, to: 8 }),
      rule('ext:198.51.100.0/24', 'ext:203.0.113.0/24', 6, { from: 443, to: 443 }),
    ],
  );
  const plan = planSecurityGroups(policy);
  const noteOf = (id: string, action: string) => plan.notes.find((note) => note.rule === id && note.action === action);

  it('exports just-in-time rules closed: no rule, a note, and a comment saying what opening it would add', () => {
    expect(plan.set.groups.flatMap((entry) => entry.rules).some((entry) => entry.policyRules.includes('g1>g2:tcp/22'))).toBe(false);
    expect(noteOf('g1>g2:tcp/22', 'left-closed')!.instead).toContain('ingress tcp 22 on flowfence-g2 from flowfence-g1, egress tcp 22 on flowfence-g1 to flowfence-g2');
    const { tf, json } = files(policy);
    expect(tf).toContain('# just-in-time, closed: g1>g2:tcp/22 would add ingress tcp 22 on flowfence-g2 from flowfence-g1, egress tcp 22 on flowfence-g1 to flowfence-g2');
    expect(json).toContain('just-in-time, closed: g1>g2:tcp/22');
    expect(new AwsSecurityGroupEvaluator(readCloudFormation(JSON.parse(json!))).allows('10.0.1.10', '10.0.2.20', 6, 22)).toBe(false);
  });

  it('leaves time windows and identity conditions open, skips rejected rules and traffic no security group sees, and notes widened protocols', () => {
    expect(noteOf('g2>g1:tcp/8080', 'left-open')!.what).toBe('time window Mon–Fri 08:00–18:00 UTC');
    expect(noteOf('g2>g1:tcp/9090', 'left-open')!.what).toBe('identity condition role=ops');
    expect(noteOf('g2>g1:tcp/9999', 'skipped')!.what).toBe('a rule the analyst rejected');
    expect(noteOf('ext:198.51.100.0/24>ext:203.0.113.0/24:tcp/443', 'skipped')).toBeDefined();
    expect(noteOf('g2>g1:132/3868', 'widened')!.instead).toContain('every port');
    expect(noteOf('g2>g1:icmp/0-8', 'widened')!.instead).toContain('all types');
    expect(noteOf('g2>g1:tcp/8080', 'narrowed')!.what).toBe('hosts placed in g1 by label app=web');
    expect(plan.rulesExported + plan.rulesSkipped).toBe(policy.rules.length);
    expect(plan.rulesSkipped).toBe(2);
  });
});

describe('aws-sg: names and text', () => {
  it('keeps ids that are names, and reduces others with a digest so that they never meet', () => {
    expect(terraformGroupName('g12')).toBe('g12');
    expect(terraformGroupName('a b')).toMatch(/^a_b__[0-9a-f]{10}$/);
    expect(terraformGroupName('a_b')).toBe('a_b');
    expect(terraformGroupName('a__b')).not.toBe('a__b');
    expect(terraformGroupName('9lives')).toMatch(/^g_9lives__/);
    expect(cloudFormationGroupId('g12')).toBe('SGg12');
    expect(cloudFormationGroupId('g-12')).toMatch(/^SGg12[0-9a-f]{10}$/);
    expect(securityGroupName('sg-1')).toBe('flowfence-sg-1');
    expect(ec2Text('g1>g2: "quoted" ${x} café\n')).toBe('g1_g2: _quoted_ ${x} caf__');
    expect(ec2Text('x'.repeat(300))).toHaveLength(255);
  });

  it('escapes HCL strings so that no value becomes a template', () => {
    expect(hclString('${file("/etc/passwd")} %{ if true }x%{ endif } $5 100%')).toBe('"$${file(\\"/etc/passwd\\")} %%{ if true }x%%{ endif } $5 100%"');
    expect(hclString('a\\b\n\u202e\u0007')).toBe('"a\\\\b\\n\u202e\\u0007"');
  });

  it('validates names, descriptions, ports, CIDRs and duplicates before printing', () => {
    const { set } = planSecurityGroups(basic);
    const [first, ...rest] = set.groups;
    const broken: SecurityGroupSet = {
      ...set,
      groups: [{ ...first!, name: 'sg-bad', description: 'caf\u00e9', rules: [...first!.rules, { ...first!.rules[0]!, description: 'a>b', permission: { protocol: 'tcp', fromPort: 10, toPort: 5 }, peer: { kind: 'cidr', family: 'ipv4', cidr: '10.0.0.1/8' } }, first!.rules[0]!] }, ...rest],
    };
    const problems = validateSecurityGroups(broken, { rulesPerSecurityGroup: 60, securityGroupsPerInterface: 5 });
    for (const expected of ['may not start with "sg-"', 'description holds characters outside', 'description holds characters outside', 'no port range', 'is not canonical', 'duplicates another rule', 'is used twice']) {
      expect(problems.some((problem) => problem.includes(expected)), expected).toBe(true);
    }
    expect(validateSecurityGroups(set, { rulesPerSecurityGroup: 60, securityGroupsPerInterface: 5 })).toEqual([]);
  });
});

describe('aws-sg: files', () => {
  const hostile = awsHostilePolicy();

  it('keeps hostile ids, names and labels as data in main.tf: it parses, and no value is a template', async () => {
    const { tf } = files(hostile);
    const read = await readTerraform(tf);
    const tags = [...read.groups.values()].map((entry) => entry.tags['flowfence:group']);
    expect(tags).toContain('g4"\nflush ruleset\n#');
    expect(tags).toContain(TEMPLATE_INJECTION);
    expect(tf).toContain('"$${file(\\"/etc/passwd\\")}%%{ if true }\\"\\n"');
    for (const description of read.descriptions) expect(description).toMatch(/^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/);
    expect(read.descriptions.some((description) => description.includes('${file(_/etc/passwd_)}_{ if true }__'))).toBe(true);
    // A comment never spills onto a line of its own.
    expect(tf.split('\n').some((line) => line.startsWith('flush ruleset') || line.startsWith('+1'))).toBe(false);
    expect(() => literal('${file("x")}', 'probe')).toThrow(/template/);
  });

  it('keeps hostile text as data in template.json: it parses, passes the schema, and holds the ids exactly', () => {
    const { json } = files(hostile);
    const template = JSON.parse(json!) as { Resources: Record<string, { Type: string; Properties: { Tags?: { Key: string; Value: string }[] } }> };
    const validate = new Ajv({ allErrors: true, strictTuples: false }).compile(CLOUDFORMATION_SECURITY_GROUP_SCHEMA);
    expect(validate(template), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const tags = Object.values(template.Resources).flatMap((resource) => resource.Properties.Tags ?? []).filter((tag) => tag.Key === 'flowfence:group').map((tag) => tag.Value);
    expect(tags).toEqual(expect.arrayContaining(['g4"\nflush ruleset\n#', TEMPLATE_INJECTION]));
    expect(JSON.stringify(template)).toContain(JSON.stringify(HOSTILE[0]).slice(1, -1));
  });

  it('writes the same bytes whatever the order of groups and rules', () => {
    const random = prng(7);
    const once = files(hostile).output.files;
    for (let round = 0; round < 3; round++) {
      const shuffled = { ...hostile, groups: shuffle(random, hostile.groups), rules: shuffle(random, hostile.rules as PolicyRule[]) };
      expect(files(shuffled).output.files).toEqual(once);
    }
  });

  it('main.tf and template.json give the same answers', async () => {
    const { tf, json } = files(basic);
    const terraform = new AwsSecurityGroupEvaluator((await readTerraform(tf)).network);
    const cloudFormation = new AwsSecurityGroupEvaluator(readCloudFormation(JSON.parse(json!)));
    const probes: [string, string, number, number][] = [
      ['10.0.1.10', '10.0.2.20', 6, 443],
      ['fd00::10', '10.0.2.20', 6, 443],
      ['10.0.1.10', '10.0.2.20', 6, 444],
      ['198.51.100.9', '10.0.2.20', 6, 443],
      ['10.0.2.20', '198.51.100.9', 6, 25],
      ['10.0.2.20', '198.51.100.9', 6, 443],
      ['10.0.1.10', '10.0.3.30', 17, 53],
      ['10.77.0.1', '10.0.3.30', 17, 53],
      ['10.0.1.10', '10.0.3.30', 1, 8],
      ['10.0.1.10', '10.0.3.30', 47, -1],
      ['10.0.3.30', '10.0.1.10', 47, -1],
    ];
    const answers = probes.map(([client, server, proto, port]) => terraform.allows(client, server, proto, port));
    expect(answers).toEqual([true, true, false, true, true, false, true, true, true, true, false]);
    expect(probes.map(([client, server, proto, port]) => cloudFormation.allows(client, server, proto, port))).toEqual(answers);
  });
});
