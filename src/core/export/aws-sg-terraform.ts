import type { SecurityGroup, SecurityGroupSet, SgRule } from './aws-sg-model';
import { hclComment, hclString, HCL_IDENTIFIER } from './hcl-string';

/**
 * The security groups as Terraform for the hashicorp/aws provider (5.0 or
 * later): one `aws_security_group` per group with no inline rules (so
 * Terraform removes EC2's default allow-all egress rule when it creates
 * the group), one `aws_vpc_security_group_ingress_rule` or
 * `aws_vpc_security_group_egress_rule` per rule, and an output naming the
 * groups each host's interface must carry. Values are written through a
 * small typed HCL model: every string from the policy goes through
 * hclString, every reference is checked to be made of identifiers.
 */
export function printTerraform(set: SecurityGroupSet, closed: readonly string[]): string {
  const names = new Map(set.groups.map((group) => [group.group, group.resourceName]));
  const idOf = (group: string): HclValue => reference('aws_security_group', names.get(group)!, 'id');
  const blocks: string[] = [
    [...set.header, ...closed].map(hclComment).join('\n'),
    block(['terraform'], [], [block(['required_providers'], [['aws', object([['source', text('hashicorp/aws')], ['version', text('>= 5.0')]])]])]),
    block(['variable', 'vpc_id'], [
      ['description', text('The VPC the security groups are created in')],
      ['type', reference('string')],
    ]),
  ];
  for (const group of set.groups) {
    blocks.push([...group.remarks.map(hclComment), securityGroupBlock(group)].join('\n'));
    // A staged group's fixed rule carries no policy rule: its comment says what it is instead.
    for (const rule of group.rules) blocks.push([hclComment(rule.policyRules.length > 0 ? rule.policyRules.join(', ') : rule.description), ruleBlock(group, rule, idOf)].join('\n'));
  }
  blocks.push(
    block(['output', 'security_group_ids_by_address'], [
      ['description', text('The security groups each host\'s network interface must carry, by the host\'s address')],
      ['value', object(set.attachments.map((attachment) => [attachment.address, list(attachment.groups.map(idOf))]))],
    ]),
  );
  return `${blocks.join('\n\n')}\n`;
}

function securityGroupBlock(group: SecurityGroup): string {
  return block(['resource', 'aws_security_group', group.resourceName], [
    ['name', text(group.name)],
    ['description', text(group.description)],
    ['vpc_id', reference('var', 'vpc_id')],
    ['tags', object(Object.entries(group.tags).map(([key, value]) => [key, text(value)]))],
  ]);
}

function ruleBlock(group: SecurityGroup, rule: SgRule, idOf: (group: string) => HclValue): string {
  const { permission, peer } = rule;
  const attributes: [string, HclValue][] = [
    ['security_group_id', reference('aws_security_group', group.resourceName, 'id')],
    ['description', text(rule.description)],
    ['ip_protocol', text(permission.protocol)],
  ];
  if (permission.fromPort !== null) attributes.push(['from_port', number(permission.fromPort)]);
  if (permission.toPort !== null) attributes.push(['to_port', number(permission.toPort)]);
  if (peer.kind === 'group') attributes.push(['referenced_security_group_id', idOf(peer.group)]);
  else attributes.push([peer.family === 'ipv4' ? 'cidr_ipv4' : 'cidr_ipv6', text(peer.cidr)]);
  return block(['resource', rule.direction === 'ingress' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule', rule.resourceName], attributes);
}

/** The HCL values the file holds: literals, references (traversals) and collections of them. */
type HclValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'reference'; readonly path: readonly string[] }
  | { readonly kind: 'list'; readonly items: readonly HclValue[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, HclValue])[] };

const text = (value: string): HclValue => ({ kind: 'string', value });
const list = (items: readonly HclValue[]): HclValue => ({ kind: 'list', items });
const object = (entries: readonly (readonly [string, HclValue])[]): HclValue => ({ kind: 'object', entries });

function number(value: number): HclValue {
  if (!Number.isInteger(value)) throw new Error(`not an integer: ${value}`);
  return { kind: 'number', value };
}

function reference(...path: string[]): HclValue {
  for (const part of path) if (!HCL_IDENTIFIER.test(part)) throw new Error(`not an HCL identifier: ${JSON.stringify(part)}`);
  return { kind: 'reference', path };
}

const INDENT = '  ';

function value(item: HclValue, depth: number): string {
  switch (item.kind) {
    case 'string':
      return hclString(item.value);
    case 'number':
      return String(item.value);
    case 'reference':
      return item.path.join('.');
    case 'list':
      return `[${item.items.map((entry) => value(entry, depth)).join(', ')}]`;
    case 'object': {
      if (item.entries.length === 0) return '{}';
      const pad = INDENT.repeat(depth + 1);
      // Keys are always quoted: a quoted key is a literal, whatever it holds.
      return `{\n${attributeLines(item.entries.map(([key, entry]) => [hclString(key), entry]), depth + 1).map((line) => `${pad}${line}`).join('\n')}\n${INDENT.repeat(depth)}}`;
    }
  }
}

/**
 * `name = value` lines as terraform fmt writes them: the signs of a run of
 * one-line attributes aligned, a value over several lines ending the run
 * and left unpadded.
 */
function attributeLines(attributes: readonly (readonly [string, HclValue])[], depth: number): string[] {
  const rendered = attributes.map(([name, item]) => ({ name, text: value(item, depth) }));
  const lines: string[] = [];
  let run: { name: string; text: string }[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map(({ name }) => name.length));
    lines.push(...run.map(({ name, text }) => `${name.padEnd(width)} = ${text}`));
    run = [];
  };
  for (const attribute of rendered) {
    if (!attribute.text.includes('\n')) {
      run.push(attribute);
      continue;
    }
    flush();
    lines.push(`${attribute.name} = ${attribute.text}`);
  }
  flush();
  return lines;
}

/** A block: its type and labels, attributes, then nested blocks. */
function block(labels: readonly string[], attributes: readonly (readonly [string, HclValue])[], nested: readonly string[] = []): string {
  const [type, ...rest] = labels;
  if (!HCL_IDENTIFIER.test(type!)) throw new Error(`not an HCL block type: ${JSON.stringify(type)}`);
  for (const [name] of attributes) if (!HCL_IDENTIFIER.test(name)) throw new Error(`not an HCL attribute name: ${JSON.stringify(name)}`);
  const lines = [...attributeLines(attributes, 1), ...nested.flatMap((inner) => inner.split('\n'))].map((line) => `${INDENT}${line}`);
  const head = [type!, ...rest.map(hclString)].join(' ');
  return lines.length === 0 ? `${head} {}` : `${head} {\n${lines.join('\n')}\n}`;
}
