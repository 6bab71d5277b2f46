import { describe, expect, it } from 'vitest';
import type { AzureNsgTemplate } from '../../../src/core/export/azure-nsg-model';
import { AZURE_NAME, armText, groupResourceName, securityRuleName } from '../../../src/core/export/azure-nsg-names';
import { azureNsgTarget } from '../../../src/core/export/azure-nsg-target';
import { validateAzureTemplate } from '../../../src/core/export/azure-nsg-validate';
import type { Policy } from '../../../src/core/policy/policy-model';
import { armLiteralText, readArmString, stringValues } from '../../helpers/cloud-eval/azure-arm-read';
import type { ArmResource, ArmSecurityRule, ArmTemplate } from '../../helpers/cloud-eval/azure-nsg-evaluator';
import { group, handPolicy, rule } from '../policy/fixtures';
import { HOSTILE, hostilePolicy } from './hostile-policy';

// The azure-nsg target on hand-made policies: ASGs and NSGs per group, both
// sides of each rule, priorities with room and the Deny-all rules after
// them, ASGs for internal peers and merged prefixes for the rest, Azure's
// limits reported, just-in-time rules closed, hostile text kept as data
// (ARM expressions included) and the same output whatever the order.

const web = group('g1', ['10.0.1.10', '10.0.1.11', 'fd00::11']);
const app = group('g2', ['10.0.2.20']);
const db = group('g3', ['10.0.3.30'], { match: { label: { key: 'tier', value: 'db' } } });
const outside = group('ext:198.51.100.0/24', ['198.51.100.7'], { kind: 'external' });
const other = group('ext:203.0.113.0/24', ['203.0.113.5'], { kind: 'external' });
const policy = handPolicy(
  [web, app, db, outside, other],
  [
    rule('g1', 'g2', 6, { from: 8443, to: 8443 }, { evidence: { flows: 40, bytes: 1, firstSeen: '2026-01-05T08:00:00Z', lastSeen: '2026-01-06T17:00:00Z', clients: 2, servers: 1, edges: [], steps: [] } }),
    rule('g2', 'g3', 6, { from: 5432, to: 5432 }),
    rule('g2', 'g3', 17, { from: 5000, to: 5100 }),
    rule('g3', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
    rule('g1', 'g3', 6, { from: 5433, to: 5433 }, { state: 'rejected' }),
    rule('g2', 'ext:198.51.100.0/24', 6, { from: 443, to: 443 }),
    rule('ext:198.51.100.0/24', 'g1', 6, { from: 443, to: 443 }, { window: { days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' } }),
    rule('g1', 'g2', 6, { from: 9090, to: 9090 }, { identity: { label: { key: 'tier', value: 'front' } } }),
    rule('internal', 'g1', 1, null),
    rule('internal', 'g3', 6, { from: 389, to: 389 }),
    rule('g1', 'g2', 132, null),
    rule('ext:203.0.113.0/24', 'ext:198.51.100.0/24', 6, { from: 25, to: 25 }),
  ],
);

function templateOf(target: Policy): ArmTemplate {
  const output = azureNsgTarget(target);
  expect(output.files.map((file) => file.path)).toEqual(['azure-nsg/azuredeploy.json']);
  return JSON.parse(output.files[0]!.content) as ArmTemplate;
}
const output = azureNsgTarget(policy);
const template = templateOf(policy);
const resource = (name: string): ArmResource => template.resources.find((entry) => entry.name === name)!;
const rulesOf = (nsg: string, direction: 'Inbound' | 'Outbound'): ArmSecurityRule[] => resource(nsg).properties.securityRules!.filter((entry) => entry.properties.direction === direction);
const ruleFor = (nsg: string, direction: 'Inbound' | 'Outbound', id: string): ArmSecurityRule[] => rulesOf(nsg, direction).filter((entry) => entry.properties.description?.startsWith(`${id}:`));
const asgRef = (name: string) => [{ id: `[resourceId('Microsoft.Network/applicationSecurityGroups', '${name}')]` }];

describe('azure-nsg target', () => {
  it('writes an ARM template with one ASG and one NSG per internal group, ASGs first', () => {
    const raw = template as unknown as Record<string, unknown>;
    expect(raw.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    expect(raw.contentVersion).toBe('1.0.0.0');
    expect(template.resources.map((entry) => `${entry.type.split('/')[1]} ${entry.name}`)).toEqual([
      'applicationSecurityGroups asg-g1',
      'applicationSecurityGroups asg-g2',
      'applicationSecurityGroups asg-g3',
      'networkSecurityGroups nsg-g1',
      'networkSecurityGroups nsg-g2',
      'networkSecurityGroups nsg-g3',
    ]);
    expect((resource('nsg-g2') as unknown as { dependsOn: string[] }).dependsOn).toEqual(["[resourceId('Microsoft.Network/applicationSecurityGroups', 'asg-g1')]", "[resourceId('Microsoft.Network/applicationSecurityGroups', 'asg-g2')]", "[resourceId('Microsoft.Network/applicationSecurityGroups', 'asg-g3')]"]);
    expect(resource('asg-g1').comments).toContain('10.0.1.10, 10.0.1.11, fd00::11');
  });

  it('opens each rule on both sides: Inbound Allow on the server\'s NSG, Outbound Allow on the client\'s, ASGs for internal peers', () => {
    const [inbound] = ruleFor('nsg-g2', 'Inbound', 'g1>g2:tcp/8443');
    expect(inbound!.properties).toEqual({
      description: 'g1>g2:tcp/8443: 40 flows, 2 clients to 1 servers, 2026-01-05..2026-01-06',
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '8443',
      sourceApplicationSecurityGroups: asgRef('asg-g1'),
      destinationApplicationSecurityGroups: asgRef('asg-g2'),
      access: 'Allow',
      priority: 100,
      direction: 'Inbound',
    });
    const [outbound] = ruleFor('nsg-g1', 'Outbound', 'g1>g2:tcp/8443');
    expect(outbound!.properties).toMatchObject({ sourceApplicationSecurityGroups: asgRef('asg-g1'), destinationApplicationSecurityGroups: asgRef('asg-g2'), access: 'Allow', direction: 'Outbound' });
    // A port range is "from-to".
    expect(ruleFor('nsg-g3', 'Inbound', 'g2>g3:udp/5000-5100')[0]!.properties).toMatchObject({ protocol: 'Udp', destinationPortRange: '5000-5100' });
  });

  it('names outside networks and the all-internal group by merged prefixes, one rule per address family', () => {
    // The outside network's member lies in its /24: merged into one prefix.
    expect(ruleFor('nsg-g2', 'Outbound', 'g2>ext:198.51.100.0/24:tcp/443').map((entry) => entry.properties.destinationAddressPrefix)).toEqual(['198.51.100.0/24']);
    expect(ruleFor('nsg-g1', 'Inbound', 'ext:198.51.100.0/24>g1:tcp/443').map((entry) => entry.properties.sourceAddressPrefix)).toEqual(['198.51.100.0/24']);
    const ldap = ruleFor('nsg-g3', 'Inbound', 'internal>g3:tcp/389');
    expect(ldap.map((entry) => entry.properties.sourceAddressPrefixes)).toEqual([
      ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
      ['::1/128', 'fc00::/7', 'fe80::/10'],
    ]);
    expect(ldap.map((entry) => entry.name)).toEqual([expect.stringMatching(/^allow-in-internal-g3-tcp-389-v4-[0-9a-f]{8}$/), expect.stringMatching(/^allow-in-internal-g3-tcp-389-v6-[0-9a-f]{8}$/)]);
    // Every internal group's NSG lets its hosts out to g3's LDAP.
    for (const nsg of ['nsg-g1', 'nsg-g2', 'nsg-g3']) expect(ruleFor(nsg, 'Outbound', 'internal>g3:tcp/389').map((entry) => entry.properties.destinationApplicationSecurityGroups)).toEqual([asgRef('asg-g3')]);
    // ICMP exists in IPv4 only: no IPv6 prefixes, any port.
    expect(ruleFor('nsg-g1', 'Inbound', 'internal>g1:icmp').map((entry) => [entry.properties.protocol, entry.properties.destinationPortRange, entry.properties.sourceAddressPrefixes?.[0]])).toEqual([['Icmp', '*', '10.0.0.0/8']]);
  });

  it('gives priorities from 100 in steps of 10 per direction, and denies the rest at 4096, before AllowVnetInBound and AllowVnetOutBound', () => {
    for (const nsg of ['nsg-g1', 'nsg-g2', 'nsg-g3']) {
      for (const direction of ['Inbound', 'Outbound'] as const) {
        const rules = rulesOf(nsg, direction);
        const allows = rules.filter((entry) => entry.properties.access === 'Allow');
        expect(allows.map((entry) => entry.properties.priority)).toEqual(allows.map((_, index) => 100 + 10 * index));
        expect(rules.at(-1)).toEqual({
          name: direction === 'Inbound' ? 'deny-all-in' : 'deny-all-out',
          properties: expect.objectContaining({ protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', access: 'Deny', priority: 4096, direction }),
        });
        expect(rules.filter((entry) => entry.properties.access === 'Deny')).toHaveLength(1);
      }
    }
    // A group with no rule is shut both ways.
    const lone = templateOf(handPolicy([group('g9', ['10.0.9.9'])], []));
    expect(lone.resources[1]!.properties.securityRules!.map((entry) => entry.name)).toEqual(['deny-all-in', 'deny-all-out']);
  });

  it('closes just-in-time rules: no NSG rule, a comment on both NSGs and a note naming Defender for Cloud', () => {
    for (const nsg of ['nsg-g2', 'nsg-g3']) {
      expect(resource(nsg).properties.securityRules!.some((entry) => entry.properties.description?.startsWith('g3>g2:tcp/22'))).toBe(false);
      expect(resource(nsg).comments).toContain('just-in-time, closed: g3>g2:tcp/22 would allow g3 to g2 on tcp/22');
    }
    expect(output.notes).toContainEqual({ target: 'azure-nsg', rule: 'g3>g2:tcp/22', what: 'just-in-time access', action: 'left-closed', instead: expect.stringContaining('Microsoft Defender for Cloud') });
  });

  it('says per rule what it could not express and what it did instead', () => {
    const byRule = new Map(output.notes.filter((note) => note.rule !== null).map((note) => [`${note.rule} ${note.action}`, note]));
    expect(byRule.get('g1>g3:tcp/5433 skipped')).toMatchObject({ what: 'a rule the analyst rejected' });
    expect(byRule.get('ext:198.51.100.0/24>g1:tcp/443 left-open')).toMatchObject({ what: expect.stringContaining('time window') });
    expect(byRule.get('g1>g2:tcp/9090 left-open')).toMatchObject({ what: 'identity condition tier=front' });
    expect(byRule.get('g1>g2:132 left-closed')).toMatchObject({ what: 'protocol 132' });
    expect(byRule.get('ext:203.0.113.0/24>ext:198.51.100.0/24:tcp/25 skipped')).toBeDefined();
    // Windowed and identity rules are written, open at all hours and to every client.
    expect(ruleFor('nsg-g1', 'Inbound', 'ext:198.51.100.0/24>g1:tcp/443')).toHaveLength(1);
    expect(ruleFor('nsg-g2', 'Inbound', 'g1>g2:tcp/9090')).toHaveLength(1);
    // g3 places hosts by label: its ASG holds only the interfaces joined to it.
    expect(output.notes).toContainEqual(expect.objectContaining({ rule: null, what: 'hosts of g3 placed by rule (label tier=db)', action: 'narrowed' }));
    expect(output.notes).toContainEqual(expect.objectContaining({ rule: null, what: 'internal hosts in no group', action: 'left-open' }));
    expect(output.rulesExported).toBe(9);
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
  });

  it('reports Azure\'s limit of 1000 rules per NSG by NSG, count and limit, and closes the rules that do not fit', () => {
    const many = Array.from({ length: 1005 }, (_, index) => rule('g2', 'g1', 6, { from: 10000 + index, to: 10000 + index }));
    const big = handPolicy([group('g1', ['10.0.1.10']), group('g2', ['10.0.2.20'])], many);
    const result = azureNsgTarget(big);
    expect(result.notes).toContainEqual({ target: 'azure-nsg', rule: null, what: "nsg-g1 would need 1007 rules, above Azure's limit of 1000 rules per network security group", action: 'left-closed', instead: expect.stringContaining('the last 7 policy rules') });
    const dropped = result.notes.filter((note) => note.rule !== null && note.what.startsWith('room on nsg-g1'));
    expect(dropped.map((note) => note.rule)).toEqual(many.map((entry) => entry.id).sort().slice(-7));
    expect(result.rulesExported).toBe(998);
    expect(result.rulesExported + result.rulesSkipped).toBe(1005);
    const read = JSON.parse(result.files[0]!.content) as ArmTemplate;
    for (const nsg of read.resources.filter((entry) => entry.type.endsWith('networkSecurityGroups'))) {
      const rules = nsg.properties.securityRules!;
      expect(rules).toHaveLength(1000);
      // Too many for steps of 10: closer steps, still unique, still below the Deny-all rule.
      const inbound = rules.filter((entry) => entry.properties.direction === (nsg.name === 'nsg-g1' ? 'Inbound' : 'Outbound')).map((entry) => entry.properties.priority);
      expect(new Set(inbound).size).toBe(inbound.length);
      expect(Math.max(...inbound.slice(0, -1))).toBeLessThan(4096);
      for (const note of dropped) expect(rules.some((entry) => entry.properties.description?.startsWith(`${note.rule}:`))).toBe(false);
    }
  });

  it('reports Azure\'s limit of 4000 source addresses per NSG', () => {
    const scattered = Array.from({ length: 4001 }, (_, index) => `100.${Math.floor((2 * index) / 256)}.${(2 * index) % 256}.1`);
    const result = azureNsgTarget(handPolicy([group('g1', ['10.0.1.10']), group('scattered', scattered, { kind: 'external' })], [rule('scattered', 'g1', 6, { from: 443, to: 443 })]));
    expect(result.notes).toContainEqual(expect.objectContaining({ rule: null, what: "nsg-g1 would need 4001 source addresses and ranges, above Azure's limit of 4000 per network security group" }));
    expect(result.notes).toContainEqual(expect.objectContaining({ rule: 'scattered>g1:tcp/443', action: 'left-closed' }));
    expect(result.rulesSkipped).toBe(1);
  });

  it('keeps hostile names, ids and labels as data: valid Azure names, JSON that reads back, no template expression', () => {
    const hostile = hostilePolicy();
    const result = azureNsgTarget(hostile);
    const text = result.files[0]!.content;
    const read = JSON.parse(text) as ArmTemplate;
    for (const entry of read.resources) {
      expect(entry.name).toMatch(AZURE_NAME);
      for (const securityRule of entry.properties.securityRules ?? []) {
        expect(securityRule.name).toMatch(AZURE_NAME);
        expect(securityRule.name.length).toBeLessThanOrEqual(80);
        expect(securityRule.properties.description!.length).toBeLessThanOrEqual(140);
        expect(securityRule.properties.description).toMatch(/^[^\p{Cc}]*$/u);
      }
    }
    const groupsRead = read.resources.filter((entry) => entry.type.endsWith('applicationSecurityGroups')).map((entry) => [armLiteralText(entry.tags!['flowfence-group']!), armLiteralText(entry.tags!['flowfence-group-name']!)]);
    expect(groupsRead).toEqual(expect.arrayContaining([['g1', HOSTILE[0]], ['g2', HOSTILE[3]], ['g3', HOSTILE[5]], ['g4"\nflush ruleset\n#', 'group g4"\nflush ruleset\n#']]));
    // The only expressions are the printer's own.
    const expressions = stringValues(read).filter(({ value }) => readArmString(value).kind === 'expression').map(({ value }) => value);
    for (const expression of expressions) expect(expression).toMatch(/^\[(resourceGroup\(\)\.location|parameters\('location'\)|resourceId\('Microsoft\.Network\/applicationSecurityGroups', '[A-Za-z0-9_.-]+'\))\]$/);
    expect(result.rulesExported + result.rulesSkipped).toBe(hostile.rules.length);
  });

  it('escapes a value that ARM would read as an expression with "[[", and only such a value', () => {
    const sneaky = "[concat('x', subscription().subscriptionId)]";
    const hostile = handPolicy([group(sneaky, ['10.0.1.10'], { name: "[resourceGroup().id]" }), group('g2', ['10.0.2.20'], { name: '[not an expression' })], [rule(sneaky, 'g2', 6, { from: 80, to: 80 })]);
    const read = JSON.parse(azureNsgTarget(hostile).files[0]!.content) as ArmTemplate;
    const tagged = read.resources.filter((entry) => entry.type.endsWith('networkSecurityGroups')).map((entry) => entry.tags!);
    expect(tagged.map((tags) => tags['flowfence-group'])).toEqual([`[${sneaky}`, 'g2']);
    expect(tagged.map((tags) => tags['flowfence-group-name'])).toEqual(['[[resourceGroup().id]', '[not an expression']);
    expect(tagged.map((tags) => armLiteralText(tags['flowfence-group-name']!))).toEqual(['[resourceGroup().id]', '[not an expression']);
    expect(read.resources.map((entry) => entry.name)).toEqual([groupResourceName('asg', 'g2'), groupResourceName('asg', sneaky), groupResourceName('nsg', 'g2'), groupResourceName('nsg', sneaky)].sort());
    // Escaping never pushes a value over its limit, and a value cut short of its ']' needs none.
    expect(armText('[abc]', 5)).toBe('[abc');
    expect(armText('[ab]]', 5)).toBe('[[ab]');
    expect(armText(`[${'a'.repeat(200)}]`, 140)).toBe(`[${'a'.repeat(139)}`);
    expect(armText('[[x]', 140)).toBe('[[[x]');
    expect(armLiteralText(armText('[[x]', 140))).toBe('[[x]');
  });

  it('gives ids that differ only in case or punctuation names that never collide', () => {
    const ids = ['g1', 'G1', 'g1 ', 'g1!', 'x'.repeat(200), `${'x'.repeat(200)}y`];
    const names = ids.map((id) => groupResourceName('nsg', id));
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(ids.length);
    for (const name of names) {
      expect(name).toMatch(AZURE_NAME);
      expect(name.length).toBeLessThanOrEqual(80);
    }
    expect(names[0]).toBe('nsg-g1');
    expect(securityRuleName('Inbound', `${'a'.repeat(100)}>b:tcp/1`, 'v6')).toMatch(/^allow-in-a+-[0-9a-f]{8}$/);
  });

  it('refuses a template Azure would refuse', () => {
    const bad: AzureNsgTemplate = {
      metadata: {},
      applicationSecurityGroups: [{ name: 'asg-a', tags: {}, comments: [] }],
      networkSecurityGroups: [
        {
          name: 'nsg-a.',
          tags: { 'bad/tag': 'x' },
          comments: [],
          rules: [
            { name: 'r1', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: { kind: 'prefixes', family: 'v4', prefixes: ['10.0.0.0/8'] }, destination: { kind: 'prefixes', family: 'v6', prefixes: ['fd00::/8'] }, destinationPorts: '80', description: '' },
            { name: 'R1', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: { kind: 'asg', names: ['asg-missing'] }, destination: { kind: 'any' }, destinationPorts: '90-80', description: '' },
            { name: 'r3', priority: 4097, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', source: { kind: 'any' }, destination: { kind: 'prefixes', family: 'v4', prefixes: ['10.0.0.0/33'] }, destinationPorts: '80', description: '' },
          ],
        },
      ],
    };
    const problems = validateAzureTemplate(bad).join('\n');
    for (const expected of ['networkSecurityGroups/nsg-a.: a name holds', 'tag name "bad/tag"', 'mixes IPv4 and IPv6', 'R1: the name is taken', 'priority 100 is taken', 'asg-missing', 'port 90-80', 'priority 4097', '"10.0.0.0/33" is no address']) expect(problems).toContain(expected);
  });

  it('is the same whatever order the policy lists groups and rules in', () => {
    const shuffled = { ...policy, groups: [...policy.groups].reverse(), rules: [...policy.rules].reverse() };
    expect(azureNsgTarget(shuffled)).toEqual(output);
  });
});
