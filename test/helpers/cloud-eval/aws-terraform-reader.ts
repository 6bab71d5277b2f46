// Reads security groups back from Terraform text, independently of the
// exporter: HashiCorp's own HCL parser (@cdktf/hcl2json, the hcl library
// compiled to wasm) turns the file into Terraform's JSON form, and this
// reader resolves the references itself. In that form a literal string
// still holds HCL's template escapes ("$${" for a literal "${"), and any
// unescaped "${" or "%{" is a template Terraform would evaluate: a value
// that is not exactly one of the references this reader accepts is an
// injection, and reading fails.
import { parse } from '@cdktf/hcl2json';
import type { AwsNetwork, AwsRule, AwsSecurityGroup } from './aws-sg-evaluator';

type Json = Record<string, unknown>;

const GROUP_REFERENCE = /^\$\{aws_security_group\.([A-Za-z_][A-Za-z0-9_-]*)\.id\}$/;
const ALLOWED_REFERENCES = [GROUP_REFERENCE, /^\$\{var\.vpc_id\}$/, /^\$\{string\}$/];

/** The text of a literal string in Terraform's JSON form; throws on a template that would be evaluated. */
export function literal(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: not a string: ${JSON.stringify(value)}`);
  if (/(?<![$])\$\{|(?<![%])%\{/.test(value.replaceAll('$${', '').replaceAll('%%{', ''))) throw new Error(`${where}: a template Terraform would evaluate: ${JSON.stringify(value)}`);
  return value.replaceAll('$${', '${').replaceAll('%%{', '%{');
}

/** Every string in the parsed file: each is a literal or one of the references the export writes. */
export function templatesIn(value: unknown, where = ''): string[] {
  if (typeof value === 'string') {
    if (ALLOWED_REFERENCES.some((pattern) => pattern.test(value))) return [];
    literal(value, where);
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => templatesIn(item, `${where}[${index}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [...(key.includes('${') ? [key] : []), ...templatesIn(item, `${where}.${key}`)]);
  return [];
}

const blocksOf = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : value === undefined ? [] : [value as Json]);

export interface TerraformRead {
  readonly network: AwsNetwork;
  readonly parsed: Json;
  /** Each security group's resource: name, description and tags, read back as literals. */
  readonly groups: ReadonlyMap<string, { readonly resource: string; readonly description: string; readonly tags: Readonly<Record<string, string>> }>;
  /** Each rule resource's description, read back as a literal. */
  readonly descriptions: readonly string[];
}

export async function readTerraform(text: string): Promise<TerraformRead> {
  const parsed = (await parse('main.tf', text)) as Json;
  const templates = templatesIn(parsed);
  if (templates.length > 0) throw new Error(`template keys: ${templates.join(', ')}`);
  const resources = (parsed.resource ?? {}) as Record<string, Record<string, unknown>>;
  const nameOf = new Map<string, string>();
  const groups = new Map<string, { ingress: AwsRule[]; egress: AwsRule[] }>();
  const about = new Map<string, { resource: string; description: string; tags: Record<string, string> }>();
  for (const [resource, blocks] of Object.entries(resources.aws_security_group ?? {})) {
    const [body, ...more] = blocksOf(blocks);
    if (body === undefined || more.length > 0) throw new Error(`aws_security_group.${resource} is declared ${more.length + 1} times`);
    const name = literal(body.name, `aws_security_group.${resource}.name`);
    if (groups.has(name)) throw new Error(`two security groups named ${name}`);
    nameOf.set(resource, name);
    // Terraform removes EC2's default allow-all egress rule from a group it creates; inline blocks would be its only rules.
    groups.set(name, { ingress: blocksOf(body.ingress).flatMap((rule) => inline(rule)), egress: blocksOf(body.egress).flatMap((rule) => inline(rule)) });
    const tags = Object.fromEntries(Object.entries((blocksOf(body.tags)[0] ?? {}) as Json).map(([key, value]) => [literal(key, 'tag key'), literal(value, `tag ${key}`)]));
    about.set(name, { resource, description: literal(body.description, `aws_security_group.${resource}.description`), tags });
  }
  const groupOf = (reference: unknown, where: string): string => {
    const match = typeof reference === 'string' ? GROUP_REFERENCE.exec(reference) : null;
    const name = match === null ? undefined : nameOf.get(match[1]!);
    if (name === undefined) throw new Error(`${where}: ${JSON.stringify(reference)} is no reference to a security group of the file`);
    return name;
  };
  const descriptions: string[] = [];
  for (const [type, direction] of [['aws_vpc_security_group_ingress_rule', 'ingress'], ['aws_vpc_security_group_egress_rule', 'egress']] as const) {
    for (const [resource, blocks] of Object.entries(resources[type] ?? {})) {
      for (const body of blocksOf(blocks)) {
        const where = `${type}.${resource}`;
        const peers = [body.cidr_ipv4, body.cidr_ipv6, body.referenced_security_group_id, body.prefix_list_id].filter((value) => value !== undefined);
        if (peers.length !== 1) throw new Error(`${where}: ${peers.length} peers, EC2 takes exactly one`);
        const rule: AwsRule = {
          protocol: literal(body.ip_protocol, `${where}.ip_protocol`),
          fromPort: port(body.from_port, where),
          toPort: port(body.to_port, where),
          peer: body.referenced_security_group_id !== undefined ? { kind: 'group', group: groupOf(body.referenced_security_group_id, where) } : { kind: 'cidr', cidr: literal(body.cidr_ipv4 ?? body.cidr_ipv6, where) },
        };
        groups.get(groupOf(body.security_group_id, where))![direction].push(rule);
        descriptions.push(literal(body.description, `${where}.description`));
      }
    }
  }
  const output = blocksOf(((parsed.output ?? {}) as Json).security_group_ids_by_address)[0];
  if (output === undefined) throw new Error('no output security_group_ids_by_address');
  const attachments = new Map<string, string[]>();
  for (const [address, ids] of Object.entries(output.value as Json)) attachments.set(literal(address, 'attachment address'), (ids as unknown[]).map((id) => groupOf(id, `attachment of ${address}`)));
  const network: AwsNetwork = { groups: new Map([...groups].map(([name, rules]): [string, AwsSecurityGroup] => [name, { name, ...rules }])), attachments };
  return { network, parsed, groups: about, descriptions };
}

function port(value: unknown, where: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`${where}: port ${JSON.stringify(value)} is no integer`);
  return value;
}

function inline(body: Json): AwsRule[] {
  const protocol = String(body.protocol);
  return [...((body.cidr_blocks as string[] | undefined) ?? []), ...((body.ipv6_cidr_blocks as string[] | undefined) ?? [])].map((cidr) => ({ protocol, fromPort: body.from_port as number, toPort: body.to_port as number, peer: { kind: 'cidr', cidr } }));
}
