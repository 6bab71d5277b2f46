import ipaddr from 'ipaddr.js';
import type { GcpFirewallConfig, GcpFirewallRule, GcpProtocolMatch } from './gcp-model';

/**
 * What Google Cloud accepts in VPC firewall rules and network tags, checked
 * before anything is printed: an export the Compute API would refuse (or
 * that `terraform apply` would stop halfway through) is no export, so the
 * gcp target throws instead. Sources:
 * - Compute API reference, Firewall resource (compute/docs/reference/rest/v1/firewalls,
 *   and the google_compute_firewall arguments generated from it): name 1–63
 *   characters matching `[a-z]([-a-z0-9]*[a-z0-9])?`; priority 0–65535; one of
 *   sourceRanges or sourceTags on an ingress rule; IPProtocol one of tcp, udp,
 *   icmp, esp, ah, sctp, ipip, all, or a protocol number; ports "N" or "N-M".
 * - "Use VPC firewall rules" (firewall/docs/using-firewalls): a rule holds
 *   IPv4 or IPv6 ranges, never both; names are unique in the project.
 * - "Add network tags" (vpc/docs/add-remove-network-tags): a tag is at most 63
 *   lowercase letters, digits and dashes, starts with a letter and ends with a
 *   letter or digit; at most 64 tags per instance.
 * - Cloud NGFW limits per VPC firewall rule (firewall/docs/quotas): at most 30
 *   source tags and 70 target tags. Source ranges: the limits page gives
 *   5,000 per rule, but the API has been seen refusing more than 256, so
 *   Flowfence splits at 256 and never depends on which of the two holds.
 * - description: the API sets no length; Flowfence keeps it to 256
 *   printable ASCII characters so that a description is never why an apply
 *   fails.
 * Returns the problems as "where: what", none when valid.
 */
export function validateGcpFirewall(config: GcpFirewallConfig): string[] {
  const errors: string[] = [];
  const fail = (where: string, what: string): void => void errors.push(`${where}: ${what}`);
  const names = new Set<string>();
  for (const rule of config.rules) {
    if (names.has(rule.name)) fail(`rule ${rule.name}`, 'a firewall rule of this name already exists in the project');
    names.add(rule.name);
    validateRule(rule, (what) => fail(`rule ${rule.name}`, what));
  }
  const tags = new Map<string, string>();
  for (const { tag, group } of config.tags) {
    for (const problem of rfc1035(tag)) fail(`tag ${tag}`, problem);
    const other = tags.get(tag);
    if (other !== undefined && other !== group) fail(`tag ${tag}`, `stands for two groups (${other} and ${group})`);
    tags.set(tag, group);
  }
  for (const instance of config.instances) {
    if (instance.tags.length > GCP_LIMITS.tagsPerInstance) fail(`instance ${instance.address}`, `${instance.tags.length} network tags, more than ${GCP_LIMITS.tagsPerInstance}`);
    if (new Set(instance.tags).size !== instance.tags.length) fail(`instance ${instance.address}`, 'the same network tag twice');
    for (const tag of instance.tags) if (!tags.has(tag)) fail(`instance ${instance.address}`, `tag ${tag} stands for no group`);
  }
  return errors;
}

export const GCP_LIMITS = {
  nameLength: 63,
  priorityMax: 65535,
  sourceTagsPerRule: 30,
  targetTagsPerRule: 70,
  sourceRangesPerRule: 256,
  tagsPerInstance: 64,
  descriptionLength: 256,
} as const;

/** Protocol names the API takes besides numbers. */
export const GCP_PROTOCOL_NAMES: readonly string[] = ['tcp', 'udp', 'icmp', 'esp', 'ah', 'sctp', 'ipip', 'all'];
/** Protocols whose rules may list ports. */
const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);
const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A firewall rule name or network tag: RFC 1035 label, 1–63 characters. */
export function rfc1035(value: string): string[] {
  const errors: string[] = [];
  if (value.length > GCP_LIMITS.nameLength) errors.push(`longer than ${GCP_LIMITS.nameLength} characters`);
  if (!RFC1035.test(value)) errors.push('must start with a lowercase letter and hold only lowercase letters, digits and dashes, ending with a letter or digit');
  return errors;
}

function validateRule(rule: GcpFirewallRule, fail: (what: string) => void): void {
  for (const problem of rfc1035(rule.name)) fail(`name ${problem}`);
  if (!Number.isInteger(rule.priority) || rule.priority < 0 || rule.priority > GCP_LIMITS.priorityMax) fail(`priority ${rule.priority} is not an integer from 0 to ${GCP_LIMITS.priorityMax}`);
  if (rule.sourceRanges.length === 0 && rule.sourceTags.length === 0) fail('an ingress rule needs source ranges or source tags');
  if (rule.sourceTags.length > GCP_LIMITS.sourceTagsPerRule) fail(`${rule.sourceTags.length} source tags, more than ${GCP_LIMITS.sourceTagsPerRule}`);
  if (rule.targetTags.length > GCP_LIMITS.targetTagsPerRule) fail(`${rule.targetTags.length} target tags, more than ${GCP_LIMITS.targetTagsPerRule}`);
  if (rule.sourceRanges.length > GCP_LIMITS.sourceRangesPerRule) fail(`${rule.sourceRanges.length} source ranges, more than ${GCP_LIMITS.sourceRangesPerRule}`);
  for (const tag of [...rule.sourceTags, ...rule.targetTags]) for (const problem of rfc1035(tag)) fail(`tag ${tag} ${problem}`);
  const families = new Set<string>();
  for (const range of rule.sourceRanges) {
    const kind = cidrKind(range);
    if (kind === null) fail(`source range ${range} is not a CIDR with its host bits zero`);
    else families.add(kind);
  }
  if (families.size > 1) fail('mixes IPv4 and IPv6 source ranges');
  if (families.size === 1 && rule.family !== [...families][0]) fail(`source ranges are ${[...families][0]}, the rule says ${rule.family}`);
  if (rule.matches.length === 0) fail(`no ${rule.action} block`);
  rule.matches.forEach((match, index) => validateMatch(match, (what) => fail(`${rule.action}[${index}] ${what}`)));
  if (rule.description.length > GCP_LIMITS.descriptionLength) fail(`description longer than ${GCP_LIMITS.descriptionLength} characters`);
  if (!/^[\x20-\x7e]*$/.test(rule.description)) fail('description is not printable ASCII');
}

function validateMatch(match: GcpProtocolMatch, fail: (what: string) => void): void {
  const named = GCP_PROTOCOL_NAMES.includes(match.protocol);
  const numbered = /^(0|[1-9][0-9]{0,2})$/.test(match.protocol) && Number(match.protocol) <= 255;
  if (!named && !numbered) fail(`protocol ${match.protocol} is neither a protocol name the API knows nor a number from 0 to 255`);
  if (match.ports.length > 0 && !PORT_PROTOCOLS.has(match.protocol)) fail(`ports given for protocol ${match.protocol}, which has none`);
  for (const port of match.ports) {
    const found = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port);
    const from = found === null ? NaN : Number(found[1]);
    const to = found === null ? NaN : Number(found[2] ?? found[1]);
    if (!(from >= 0 && to <= 65535 && from <= to)) fail(`port ${port} is not "N" or "N-M" with 0 <= N <= M <= 65535`);
  }
}

/** "ipv4" or "ipv6" for a canonical CIDR (network address, explicit prefix), null otherwise. */
function cidrKind(text: string): 'ipv4' | 'ipv6' | null {
  if (!ipaddr.isValidCIDR(text)) return null;
  const [address, bits] = ipaddr.parseCIDR(text);
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  return network.toString() === address.toString() && bits >= 0 ? address.kind() : null;
}
