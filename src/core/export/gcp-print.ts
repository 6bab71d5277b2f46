import { csvLine } from '../report/csv-line';
import { hclComment, hclString } from './hcl-string';
import type { GcpFirewallConfig, GcpFirewallRule } from './gcp-model';

/**
 * `gcp/firewall.tf`: one variable naming the VPC network, then a
 * `google_compute_firewall` resource per rule. Every value from the policy
 * goes through hclString (a literal, never a template) or hclComment; names
 * and tags are RFC 1035 labels by construction and validation; numbers are
 * integers the validation checked.
 */
export function printGcpFirewall(config: GcpFirewallConfig): string {
  const lines: string[] = [...config.header.map(hclComment), ''];
  lines.push(
    `variable "${config.networkVariable}" {`,
    '  type        = string',
    `  description = ${hclString('Name or self link of the VPC network these firewall rules belong to')}`,
    '}',
    '',
  );
  if (config.tags.length > 0) {
    lines.push(hclComment('Network tags, one per policy group (instance-tags.csv says which instance carries which):'));
    for (const tag of config.tags) lines.push(hclComment(`  ${tag.tag}: group ${tag.group} (${tag.groupName})`));
    lines.push('');
  }
  for (const line of config.closed) lines.push(hclComment(line));
  if (config.closed.length > 0) lines.push('');
  for (const rule of config.rules) lines.push(...printRule(rule, config.networkVariable), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function printRule(rule: GcpFirewallRule, networkVariable: string): string[] {
  const attributes: [string, string][] = [
    ['name', hclString(rule.name)],
    ['network', `var.${networkVariable}`],
    ['direction', hclString(rule.direction)],
    ['priority', String(rule.priority)],
    ['description', hclString(rule.description)],
  ];
  if (rule.sourceRanges.length > 0) attributes.push(['source_ranges', hclList(rule.sourceRanges)]);
  if (rule.sourceTags.length > 0) attributes.push(['source_tags', hclList(rule.sourceTags)]);
  if (rule.targetTags.length > 0) attributes.push(['target_tags', hclList(rule.targetTags)]);
  // Aligned as `terraform fmt` aligns them, so the file is already formatted.
  const width = Math.max(...attributes.map(([key]) => key.length));
  const lines = [`resource "google_compute_firewall" "${rule.name}" {`, ...attributes.map(([key, value]) => `  ${key.padEnd(width)} = ${value}`)];
  for (const match of rule.matches) {
    lines.push('', `  ${rule.action} {`, `    protocol = ${hclString(match.protocol)}`);
    if (match.ports.length > 0) lines.push(`    ports    = ${hclList(match.ports)}`);
    lines.push('  }');
  }
  if (rule.log === true) lines.push('', '  log_config {', `    metadata = ${hclString('INCLUDE_ALL_METADATA')}`, '  }');
  lines.push('}');
  return lines;
}

function hclList(values: readonly string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

export const INSTANCE_TAGS_HEADER = ['address', 'network_tags', 'group'];

/**
 * `gcp/instance-tags.csv`: the network tags each instance must carry for the
 * rules to reach it (`gcloud compute instances add-tags NAME --tags=...`, or
 * the instance's `tags` in Terraform). Tags are separated by spaces; cells
 * are neutralised against spreadsheet formulas.
 */
export function printInstanceTags(config: GcpFirewallConfig): string {
  return [csvLine(INSTANCE_TAGS_HEADER), ...config.instances.map((instance) => csvLine([instance.address, instance.tags.join(' '), instance.group]))].join('');
}
