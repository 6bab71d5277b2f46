import { getExpressionAst, parse } from '@cdktf/hcl2json';
import { csvParse } from 'd3-dsv';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { INTERNAL_CIDRS } from '../../../src/core/enrich/address-scope';
import { hclComment, hclString } from '../../../src/core/export/hcl-string';
import type { GcpFirewallConfig, GcpFirewallRule } from '../../../src/core/export/gcp-model';
import { networkTag, ruleNameStem } from '../../../src/core/export/gcp-names';
import { GCP_ALLOW_PRIORITY, GCP_DENY_ALL_PRIORITY, gcpTarget } from '../../../src/core/export/gcp-target';
import { GCP_LIMITS, rfc1035, validateGcpFirewall } from '../../../src/core/export/gcp-validate';
import { ruleSummary } from '../../../src/core/export/rule-summary';
import { printableAscii } from '../../../src/core/export/safe-text';
import type { GcpEvalRule } from '../../helpers/cloud-eval/gcp-firewall-eval';
import { literal, readGcpExport } from '../../helpers/cloud-eval/gcp-read';
import { group, handPolicy, rule } from '../policy/fixtures';
import { HOSTILE, hostilePolicy } from './hostile-policy';

// The gcp target on hand-made policies: tags and where they go, one address
// family per rule, Google's per-rule limits, the deny-all, what is left
// open or closed and said so, hostile text, and determinism. Files are read
// back through HashiCorp's HCL parser, not string matching alone.

const EVIDENCE = { flows: 40, bytes: 1, firstSeen: '2026-01-05T08:00:00Z', lastSeen: '2026-01-06T17:00:00Z', clients: 2, servers: 1, edges: [], steps: [] };
const web = group('g1', ['10.0.1.10', '10.0.1.11', 'fd00::11']);
const app = group('g2', ['10.0.2.20']);
const db = group('g3', ['10.0.3.30'], { match: { label: { key: 'tier', value: 'db' } } });
const batch = group('g4', ['10.0.4.40'], { match: { cidr: '10.0.4.0/28' } });
const outside = group('ext:198.51.100.0/24', ['198.51.100.7', '2001:db8::7'], { kind: 'external' });
const policy = handPolicy(
  [web, app, db, batch, outside],
  [
    rule('g1', 'g2', 6, { from: 8443, to: 8443 }, { evidence: EVIDENCE }),
    rule('g2', 'g3', 6, { from: 5432, to: 5432 }),
    rule('g3', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
    rule('g1', 'g3', 6, { from: 5432, to: 5432 }, { state: 'rejected' }),
    rule('g2', 'ext:198.51.100.0/24', 6, { from: 443, to: 443 }),
    rule('ext:198.51.100.0/24', 'g1', 6, { from: 443, to: 443 }, { window: { days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' } }),
    rule('g4', 'g2', 17, { from: 7000, to: 7010 }, { identity: { label: { key: 'team', value: 'batch' } } }),
    rule('internal', 'g1', 1, null),
    rule('internal', 'g2', 17, { from: 53, to: 53 }),
    rule('g2', 'internal', 6, { from: 9100, to: 9100 }),
    rule('g1', 'g4', 47, null),
  ],
);

const fileOf = (output: ReturnType<typeof gcpTarget>, path: string): string => output.files.find((file) => file.path === path)!.content;
const readBack = (output: ReturnType<typeof gcpTarget>) => readGcpExport(fileOf(output, 'gcp/firewall.tf'), fileOf(output, 'gcp/instance-tags.csv'));
const rulesOf = (rules: readonly GcpEvalRule[], policyRule: string): GcpEvalRule[] => rules.filter((entry) => entry.name.startsWith(`${ruleNameStem(policyRule)}-`));
const familyOf = (range: string): string => ipaddr.parseCIDR(range)[0].kind();

describe('gcp target', () => {
  const output = gcpTarget(policy);

  it('writes firewall.tf and instance-tags.csv, one network tag per internal group on its listed hosts', async () => {
    expect(output.files.map((file) => file.path)).toEqual(['gcp/firewall.tf', 'gcp/instance-tags.csv']);
    const { instanceTags, networkVariables } = await readBack(output);
    expect(networkVariables).toEqual(['flowfence_network']);
    expect([...instanceTags]).toEqual([
      ['10.0.1.10', [networkTag('g1')]],
      ['10.0.1.11', [networkTag('g1')]],
      ['10.0.2.20', [networkTag('g2')]],
      ['10.0.3.30', [networkTag('g3')]],
      ['10.0.4.40', [networkTag('g4')]],
      ['fd00::11', [networkTag('g1')]],
    ]);
    for (const id of ['g1', 'g2', 'g3', 'g4']) expect(rfc1035(networkTag(id))).toEqual([]);
  });

  it('puts the server group\'s tag in target_tags and the client group\'s in source_tags', async () => {
    const { rules } = await readBack(output);
    const [webToApp, ...others] = rulesOf(rules, 'g1>g2:tcp/8443');
    expect(others).toEqual([]);
    expect(webToApp).toMatchObject({ direction: 'INGRESS', action: 'allow', priority: GCP_ALLOW_PRIORITY, sourceTags: [networkTag('g1')], sourceRanges: [], targetTags: [networkTag('g2')], matches: [{ protocol: 6, ports: [[8443, 8443]] }] });
    // A group with a CIDR membership rule: its tag and its range, in one rule (the API matches ranges OR tags).
    expect(rulesOf(rules, 'g4>g2:udp/7000-7010')).toEqual([expect.objectContaining({ sourceTags: [networkTag('g4')], sourceRanges: ['10.0.4.0/28'], matches: [{ protocol: 17, ports: [[7000, 7010]] }] })]);
    // Every internal host as servers: every instance, no target tags.
    expect(rulesOf(rules, 'g2>internal:tcp/9100')).toEqual([expect.objectContaining({ sourceTags: [networkTag('g2')], targetTags: [] })]);
    // A protocol without a name is written as its number.
    expect(rulesOf(rules, 'g1>g4:47')).toEqual([expect.objectContaining({ matches: [{ protocol: 47, ports: [] }] })]);
    const tf = fileOf(output, 'gcp/firewall.tf');
    expect(tf).toContain('    ports    = ["7000-7010"]');
    expect(tf).toMatch(/\n {2}description += "g1>g2:tcp\/8443: 40 flows, 2 clients to 1 servers, 2026-01-05\.\.2026-01-06"\n/);
  });

  it('never mixes IPv4 and IPv6 in a rule: outside networks and every internal range split by family', async () => {
    const { rules } = await readBack(output);
    for (const entry of rules) expect(new Set(entry.sourceRanges.map(familyOf)).size, entry.name).toBeLessThanOrEqual(1);
    const fromOutside = rulesOf(rules, 'ext:198.51.100.0/24>g1:tcp/443');
    expect(fromOutside.map((entry) => [entry.name.slice(-2), entry.sourceRanges])).toEqual([
      ['v4', ['198.51.100.0/24']],
      ['v6', ['2001:db8::7/128']],
    ]);
    const dns = rulesOf(rules, 'internal>g2:udp/53');
    expect(dns.map((entry) => entry.sourceRanges.map(familyOf)[0])).toEqual(['ipv4', 'ipv6']);
    expect(dns.flatMap((entry) => entry.sourceRanges).length).toBe(INTERNAL_CIDRS.length);
    // ICMP has no IPv6 rule.
    expect(rulesOf(rules, 'internal>g1:icmp').map((entry) => [entry.name.slice(-2), entry.matches])).toEqual([['v4', [{ protocol: 1, ports: [] }]]]);
  });

  it('ends with a deny of all ingress per family above the implied rules, below every allow', async () => {
    const { rules } = await readBack(output);
    const denies = rules.filter((entry) => entry.action === 'deny');
    expect(denies.map((entry) => [entry.name, entry.priority, entry.sourceRanges, entry.matches, entry.targetTags])).toEqual([
      ['ff-deny-all-ingress-v4', GCP_DENY_ALL_PRIORITY, ['0.0.0.0/0'], [{ protocol: 'all', ports: [] }], []],
      ['ff-deny-all-ingress-v6', GCP_DENY_ALL_PRIORITY, ['::/0'], [{ protocol: 'all', ports: [] }], []],
    ]);
    expect(GCP_DENY_ALL_PRIORITY).toBeLessThan(65534);
    for (const entry of rules.filter((candidate) => candidate.action === 'allow')) expect(entry.priority).toBeLessThan(GCP_DENY_ALL_PRIORITY);
    expect(rules.every((entry) => entry.direction === 'INGRESS')).toBe(true);
  });

  it('exports just-in-time rules closed: no rule, a comment of what opening it adds, and a note', async () => {
    const { rules, comments } = await readBack(output);
    expect(rulesOf(rules, 'g3>g2:tcp/22')).toEqual([]);
    expect(comments).toContain(`# just-in-time, closed: g3>g2:tcp/22 would allow instances tagged ${networkTag('g3')} to instances tagged ${networkTag('g2')} on tcp/22 (${ruleNameStem('g3>g2:tcp/22')}-tags)`);
    expect(output.notes).toContainEqual({ target: 'gcp', rule: 'g3>g2:tcp/22', what: 'just-in-time access', action: 'left-closed', instead: expect.stringContaining('closed') });
  });

  it('says per rule what it could not express and what it did instead', () => {
    const byRule = (id: string) => output.notes.filter((note) => note.rule === id).map((note) => [note.action, note.what]);
    expect(byRule('g1>g3:tcp/5432')).toEqual([['skipped', 'a rule the analyst rejected']]);
    expect(byRule('g2>ext:198.51.100.0/24:tcp/443')).toEqual([['left-open', 'traffic to an outside network']]);
    expect(byRule('ext:198.51.100.0/24>g1:tcp/443')).toEqual([['left-open', 'time window Mon–Fri 08:00–18:00 UTC']]);
    expect(byRule('g4>g2:udp/7000-7010')).toEqual([['left-open', 'identity condition team=batch']]);
    // g3 places hosts by label: as clients only its tagged member, as servers likewise.
    expect(byRule('g3>g2:tcp/22')).toContainEqual(['narrowed', 'clients placed by rule (hosts labelled tier=db)']);
    expect(output.notes).toContainEqual(expect.objectContaining({ rule: null, action: 'narrowed', what: "servers placed by g3's membership rule (hosts labelled tier=db)" }));
    expect(output.notes).toContainEqual(expect.objectContaining({ rule: null, action: 'left-open', what: 'egress (traffic the instances send)' }));
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
    expect(output.rulesSkipped).toBe(2);
  });

  it('splits a rule whose ranges pass Google\'s per-rule limit into several', async () => {
    // 600 outside addresses no CIDR can merge (every other address), in a group named by no network.
    const many = Array.from({ length: 600 }, (_, index) => `198.51.${100 + Math.floor(index / 100)}.${2 * (index % 100) + 1}`);
    const wide = handPolicy([app, group('far', many, { kind: 'external' })], [rule('far', 'g2', 6, { from: 443, to: 443 })]);
    const { rules } = await readBack(gcpTarget(wide));
    const split = rulesOf(rules, 'far>g2:tcp/443');
    expect(split.map((entry) => [entry.name.slice(-4), entry.sourceRanges.length])).toEqual([
      ['v4-1', GCP_LIMITS.sourceRangesPerRule],
      ['v4-2', GCP_LIMITS.sourceRangesPerRule],
      ['v4-3', 600 - 2 * GCP_LIMITS.sourceRangesPerRule],
    ]);
    expect(new Set(split.flatMap((entry) => entry.sourceRanges)).size).toBe(600);
  });

  it('is the same whatever order the policy lists groups and rules in', () => {
    const shuffled = { ...policy, groups: [...policy.groups].reverse(), rules: [...policy.rules].reverse() };
    expect(gcpTarget(shuffled).files).toEqual(output.files);
  });
});

describe('gcp names', () => {
  it('are RFC 1035 labels of at most 63 characters, different for ids that read alike', () => {
    const ids = ['g3>g7:tcp/443', 'G3-g7 tcp 443', 'g3-g7-tcp-443', '', '---', '9lives', `${'x'.repeat(500)}"\n\${a}`, ...HOSTILE];
    const tags = ids.map(networkTag);
    const stems = ids.map(ruleNameStem);
    expect(new Set(tags).size).toBe(ids.length);
    expect(new Set(stems).size).toBe(ids.length);
    for (const name of [...tags, ...stems.map((stem) => `${stem}-tags-99`)]) expect(rfc1035(name), name).toEqual([]);
  });
});

describe('gcp validation', () => {
  const valid: GcpFirewallRule = { name: 'ff-a', direction: 'INGRESS', priority: 1000, action: 'allow', matches: [{ protocol: 'tcp', ports: ['443'] }], sourceRanges: ['10.0.0.0/8'], family: 'ipv4', sourceTags: [], targetTags: ['ff-t'], description: 'x' };
  const config = (rules: GcpFirewallRule[], instanceTags: string[] = ['ff-t']): GcpFirewallConfig => ({ header: [], networkVariable: 'n', tags: [{ tag: 'ff-t', group: 'g1', groupName: 'g1' }], rules, closed: [], instances: [{ address: '10.0.0.1', group: 'g1', tags: instanceTags }] });
  const problems = (changes: Partial<GcpFirewallRule>): string[] => validateGcpFirewall(config([{ ...valid, ...changes }]));

  it('accepts what Google accepts', () => {
    expect(validateGcpFirewall(config([valid, { ...valid, name: 'ff-b', sourceRanges: [], family: null, sourceTags: ['ff-t'], matches: [{ protocol: '47', ports: [] }] }]))).toEqual([]);
  });

  it('refuses what Google refuses', () => {
    expect(problems({ name: 'Ff_a' })).toHaveLength(1);
    expect(problems({ name: `f${'a'.repeat(63)}` })).toHaveLength(1);
    expect(problems({ name: 'ff-' })).toHaveLength(1);
    expect(problems({ priority: 65536 })).toHaveLength(1);
    expect(problems({ priority: 1.5 })).toHaveLength(1);
    expect(problems({ sourceRanges: [], family: null })).toHaveLength(1);
    expect(problems({ sourceRanges: ['10.0.0.0/8', 'fd00::/8'] })).toEqual(['rule ff-a: mixes IPv4 and IPv6 source ranges']);
    expect(problems({ sourceRanges: ['10.0.0.1/8'] })).toHaveLength(1);
    expect(problems({ sourceRanges: Array.from({ length: 257 }, (_, index) => `10.0.${index >> 8}.${index & 255}/32`) })).toHaveLength(1);
    expect(problems({ sourceTags: Array.from({ length: 31 }, (_, index) => `t${index}`) })).toHaveLength(1);
    expect(problems({ targetTags: Array.from({ length: 71 }, (_, index) => `t${index}`) })).toHaveLength(1);
    expect(problems({ targetTags: ['UPPER'] })).toHaveLength(1);
    expect(problems({ matches: [{ protocol: 'icmp', ports: ['1'] }] })).toHaveLength(1);
    expect(problems({ matches: [{ protocol: 'tcp', ports: ['10-9'] }] })).toHaveLength(1);
    expect(problems({ matches: [{ protocol: 'tcp', ports: ['65536'] }] })).toHaveLength(1);
    expect(problems({ matches: [{ protocol: 'gre', ports: [] }] })).toHaveLength(1);
    expect(problems({ matches: [{ protocol: '256', ports: [] }] })).toHaveLength(1);
    expect(problems({ matches: [] })).toHaveLength(1);
    expect(problems({ description: 'x'.repeat(GCP_LIMITS.descriptionLength + 1) })).toHaveLength(1);
    expect(problems({ description: 'caf\u00e9' })).toHaveLength(1);
    expect(validateGcpFirewall(config([valid, valid]))).toHaveLength(1);
    expect(validateGcpFirewall(config([valid], Array.from({ length: 65 }, () => 'ff-t')))).toEqual(['instance 10.0.0.1: 65 network tags, more than 64', 'instance 10.0.0.1: the same network tag twice']);
    expect(validateGcpFirewall(config([valid], ['ff-unknown']))).toEqual(['instance 10.0.0.1: tag ff-unknown stands for no group']);
  });
});

describe('gcp export of hostile text', () => {
  /** Every string literal of every resource, as the HCL parser read it. */
  function stringsOf(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(stringsOf);
    if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
    return [];
  }

  it('parses, and holds every hostile value only as literal text', async () => {
    const hostile = hostilePolicy();
    const output = gcpTarget(hostile);
    const tf = fileOf(output, 'gcp/firewall.tf');
    const parsed = await parse('firewall.tf', tf);
    // Exactly the resources written: nothing injected by a comment or a string.
    expect(Object.keys(parsed).sort()).toEqual(['resource', 'variable']);
    const resources = parsed.resource.google_compute_firewall as Record<string, unknown[]>;
    expect(tf.match(/^resource /gm)!.length).toBe(Object.keys(resources).length);
    for (const value of stringsOf(resources)) {
      if (value === '${var.flowfence_network}' || value.length === 0) continue;
      // HashiCorp's own expression parser: a template of literal parts only, no interpolation or directive.
      const ast = await getExpressionAst('firewall.tf', JSON.stringify(value));
      expect(ast?.children?.every((child) => child.type === 'literalValue') ?? ast?.type === 'literalValue', value).toBe(true);
      expect(() => literal(value)).not.toThrow();
    }
    const { rules } = await readBack(output);
    const from4 = hostile.rules.find((entry) => entry.from.startsWith('g4"'))!;
    const description = Object.values(resources).map((bodies) => bodies[0] as { name: string; description: string }).find((body) => body.name.startsWith(ruleNameStem(from4.id)))!.description;
    expect(literal(description)).toBe(printableAscii(ruleSummary(from4)));
    expect(rules.find((entry) => entry.name.startsWith(ruleNameStem(from4.id)))!.sourceTags).toEqual([networkTag(from4.from)]);
    // Comments stay one line each, and the CSV reads back with the group id as data.
    for (const line of tf.split('\n')) expect(line.startsWith('#') || line === '' || /^[\x20-\x7e]*$/.test(line), line).toBe(true);
    const rows = csvParse(fileOf(output, 'gcp/instance-tags.csv'));
    expect(rows.find((row) => row.address === '10.0.4.40')).toEqual({ address: '10.0.4.40', network_tags: networkTag(from4.from), group: from4.from });
  });

  it('keeps a group id written as Terraform interpolation and directives as text', async () => {
    const evil = 'g${file("/etc/passwd")}%{ if true }x%{ endif }';
    const hostile = handPolicy([app, group(evil, ['10.0.9.9'], { name: '${var.flowfence_network}' })], [rule(evil, 'g2', 6, { from: 443, to: 443 })]);
    const output = gcpTarget(hostile);
    const parsed = await parse('firewall.tf', fileOf(output, 'gcp/firewall.tf'));
    const bodies = Object.values(parsed.resource.google_compute_firewall as Record<string, { description: string; source_tags?: string[] }[]>).map((entry) => entry[0]!);
    const allow = bodies.find((body) => body.source_tags !== undefined)!;
    expect(literal(allow.description)).toBe(`${evil}>g2:tcp/443: 0 flows, 0 clients to 0 servers`);
    expect(allow.source_tags).toEqual([networkTag(evil)]);
    const ast = await getExpressionAst('firewall.tf', JSON.stringify(allow.description));
    expect(ast?.children?.map((child) => child.type)).toEqual(['literalValue']);
  });

  it('hclString keeps any text a literal that HCL reads back unchanged', async () => {
    const texts = [...HOSTILE, '${file("/etc/passwd")}', '%{ for x in y }${x}%{ endfor }', '$${already}', '$$${x}', '%%{x', 'end$', 'end%', '$', '\\${x}', 'nul\u0000bell\u0007del\u007f', 'line\u2028sep', 'emoji \u{1F600}', '"\\"'];
    const source = texts.map((text, index) => `v${index} = ${hclString(text)}`).join('\n');
    const parsed = await parse('strings.tf', source);
    texts.forEach((text, index) => expect(literal(parsed[`v${index}`]), JSON.stringify(text)).toBe(text));
    // The reader refuses a live interpolation, so the check above can fail.
    const live = await parse('live.tf', 'v = "${var.x}"');
    expect(() => literal(live.v)).toThrow(/live template/);
  });

  it('hclComment keeps a comment on its line', () => {
    expect(hclComment('a\nresource "x" "y" {}')).toBe('# a?resource "x" "y" {}');
  });
});
