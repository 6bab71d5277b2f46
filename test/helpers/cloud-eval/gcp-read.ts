// Reads an exported gcp/firewall.tf and gcp/instance-tags.csv back, the way
// Terraform and an operator would: the Terraform through HashiCorp's own HCL
// parser (@cdktf/hcl2json, the Go hcl library compiled to wasm), never the
// target's in-memory model. Every string must be a literal: a live `${...}`
// or `%{...}` in a value read back is an error (the one expected
// interpolation is the network variable).
import { parse } from '@cdktf/hcl2json';
import { csvParse } from 'd3-dsv';
import { protocolNumber, type GcpEvalMatch, type GcpEvalRule } from './gcp-firewall-eval';

export interface GcpExportReadBack {
  readonly rules: readonly GcpEvalRule[];
  /** Network tags by instance address, from instance-tags.csv. */
  readonly instanceTags: ReadonlyMap<string, readonly string[]>;
  /** The variable the rules' network refers to. */
  readonly networkVariables: readonly string[];
  /** The `# ` comment lines of the file. */
  readonly comments: readonly string[];
}

export async function readGcpExport(firewallTf: string, instanceTagsCsv: string): Promise<GcpExportReadBack> {
  const parsed = (await parse('firewall.tf', firewallTf)) as Record<string, unknown>;
  const resources = record(record(parsed.resource ?? {}).google_compute_firewall ?? {});
  const rules: GcpEvalRule[] = [];
  for (const [label, bodies] of Object.entries(resources)) {
    for (const body of list(bodies).map(record)) rules.push(ruleOf(label, body));
  }
  const instanceTags = new Map<string, string[]>();
  for (const row of csvParse(instanceTagsCsv)) {
    const tags = (row.network_tags ?? '').split(' ').filter((tag) => tag.length > 0);
    instanceTags.set(row.address ?? '', tags);
  }
  return {
    rules,
    instanceTags,
    networkVariables: Object.keys(record(parsed.variable ?? {})),
    comments: firewallTf.split('\n').filter((line) => line.startsWith('#')),
  };
}

function ruleOf(label: string, body: Record<string, unknown>): GcpEvalRule {
  const name = literal(body.name);
  if (name !== label) throw new Error(`resource ${label} is named ${name}`);
  if (typeof body.network !== 'string' || !/^\$\{var\.[a-z_]+\}$/.test(body.network)) throw new Error(`rule ${name}: network ${String(body.network)} is not a variable`);
  const allow = list(body.allow ?? []).map(record);
  const deny = list(body.deny ?? []).map(record);
  if ((allow.length > 0) === (deny.length > 0)) throw new Error(`rule ${name}: exactly one of allow and deny`);
  const direction = body.direction === undefined ? 'INGRESS' : literal(body.direction);
  if (direction !== 'INGRESS' && direction !== 'EGRESS') throw new Error(`rule ${name}: direction ${direction}`);
  const priority = body.priority === undefined ? 1000 : body.priority;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 65535) throw new Error(`rule ${name}: priority ${String(priority)}`);
  if (body.description !== undefined) literal(body.description);
  const rule: GcpEvalRule = {
    name,
    direction,
    priority,
    action: allow.length > 0 ? 'allow' : 'deny',
    matches: [...allow, ...deny].map(matchOf),
    sourceRanges: strings(body.source_ranges),
    sourceTags: strings(body.source_tags),
    destinationRanges: strings(body.destination_ranges),
    targetTags: strings(body.target_tags),
    disabled: body.disabled === true,
    logged: logConfig(name, body.log_config),
  };
  if (direction === 'INGRESS' && rule.sourceRanges.length + rule.sourceTags.length === 0) throw new Error(`rule ${name}: an ingress rule needs source ranges or tags`);
  return rule;
}

/** A log_config block turns logging on; its metadata is one of the API's two values (FirewallLogConfig.Metadata). */
function logConfig(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  const blocks = list(value).map(record);
  if (blocks.length !== 1) throw new Error(`rule ${name}: ${blocks.length} log_config blocks`);
  const metadata = blocks[0]!.metadata === undefined ? 'INCLUDE_ALL_METADATA' : literal(blocks[0]!.metadata);
  if (metadata !== 'INCLUDE_ALL_METADATA' && metadata !== 'EXCLUDE_ALL_METADATA') throw new Error(`rule ${name}: log_config metadata ${metadata}`);
  return true;
}

function matchOf(block: Record<string, unknown>): GcpEvalMatch {
  const ports = strings(block.ports).map((text): [number, number] => {
    const [from, to] = text.split('-');
    return [Number(from), Number(to ?? from)];
  });
  return { protocol: protocolNumber(literal(block.protocol)), ports };
}

/**
 * A string of Terraform's JSON form (what hcl2json gives back) as the value
 * Terraform would use: `$${` is a literal `${` and `%%{` a literal `%{`; an
 * unescaped `${` or `%{` would be evaluated, and is refused here.
 */
export function literal(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  let out = '';
  for (let index = 0; index < value.length; index++) {
    const character = value[index]!;
    if ((character === '$' || character === '%') && value[index + 1] === character && value[index + 2] === '{') {
      out += `${character}{`;
      index += 2;
    } else if ((character === '$' || character === '%') && value[index + 1] === '{') {
      throw new Error(`a live template sequence in ${JSON.stringify(value)}`);
    } else {
      out += character;
    }
  }
  return out;
}

function strings(value: unknown): string[] {
  return value === undefined ? [] : list(value).map(literal);
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)}`);
  return value;
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}
