import { mergeCidr } from 'cidr-tools';
import ipaddr from 'ipaddr.js';
import type { SecurityGroupSet, SgPermission, SgRule } from './aws-sg-model';
import { EC2_TEXT, EC2_TEXT_LENGTH, ruleKey } from './aws-sg-names';
import { countRules, type AwsSgQuotas } from './aws-sg-quotas';
import { HCL_IDENTIFIER } from './hcl-string';

/**
 * What EC2, Terraform and CloudFormation would refuse in a set of security
 * groups, checked before anything is printed: EC2's rules for group names,
 * descriptions and tags (CreateSecurityGroup, CreateTags), for each rule's
 * protocol, ports, CIDR and description (AuthorizeSecurityGroupIngress and
 * Egress: duplicates are refused too), the rule quotas (aws-sg-quotas.ts),
 * Terraform's resource names and CloudFormation's logical ids (alphanumeric,
 * unique in the template). Returns the problems, none when valid.
 */
export function validateSecurityGroups(set: SecurityGroupSet, quotas: AwsSgQuotas): string[] {
  const problems: string[] = [];
  const groups = new Set(set.groups.map((group) => group.group));
  const unique = (kind: string, values: readonly string[]): void => {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) problems.push(`${kind} "${value}" is used twice`);
      seen.add(value);
    }
  };
  unique('security group name', set.groups.map((group) => group.name));
  // Terraform names a resource by type and name; CloudFormation's logical ids share one namespace.
  unique('Terraform aws_security_group name', set.groups.map((group) => group.resourceName));
  for (const direction of ['ingress', 'egress'] as const) unique(`Terraform ${direction} rule name`, set.groups.flatMap((group) => group.rules.filter((rule) => rule.direction === direction).map((rule) => rule.resourceName)));
  unique('CloudFormation logical id', ['VpcId', ...set.groups.map((group) => group.logicalId), ...set.groups.flatMap((group) => group.rules.map((rule) => rule.logicalId))]);

  for (const group of set.groups) {
    const at = (what: string, problem: string): void => void problems.push(`security group ${group.name}: ${what} ${problem}`);
    for (const problem of ec2Text(group.name)) at('name', problem);
    if (group.name.toLowerCase().startsWith('sg-')) at('name', 'may not start with "sg-"');
    for (const problem of ec2Text(group.description)) at('description', problem);
    if (!HCL_IDENTIFIER.test(group.resourceName)) at('Terraform name', `"${group.resourceName}" is no HCL identifier`);
    if (!LOGICAL_ID.test(group.logicalId)) at('logical id', `"${group.logicalId}" is not alphanumeric or is longer than 255`);
    for (const [key, value] of Object.entries(group.tags)) {
      if (key.length === 0 || [...key].length > 128 || key.toLowerCase().startsWith('aws:')) at(`tag "${key}"`, 'must be 1 to 128 characters and not start with "aws:"');
      if ([...value].length > 256) at(`tag "${key}"`, 'value is longer than 256 characters');
    }
    const keys = new Set<string>();
    for (const rule of group.rules) {
      const ruleAt = (problem: string): void => at(`rule ${rule.resourceName}`, problem);
      const key = ruleKey(rule.direction, rule.permission, rule.peer);
      if (keys.has(key)) ruleAt('duplicates another rule (EC2 refuses it)');
      keys.add(key);
      for (const problem of ec2Text(rule.description)) ruleAt(`description ${problem}`);
      for (const problem of permissionProblems(rule.permission)) ruleAt(problem);
      for (const problem of peerProblems(rule, groups)) ruleAt(problem);
      if (!HCL_IDENTIFIER.test(rule.resourceName)) ruleAt('Terraform name is no HCL identifier');
      if (!LOGICAL_ID.test(rule.logicalId)) ruleAt(`logical id "${rule.logicalId}" is not alphanumeric or is longer than 255`);
    }
    const counts = countRules(group.rules);
    for (const [what, count] of Object.entries(counts)) if (count > quotas.rulesPerSecurityGroup) at(what, `rules: ${count}, more than the quota of ${quotas.rulesPerSecurityGroup}`);
  }

  for (const attachment of set.attachments) {
    if (attachment.groups.length > quotas.securityGroupsPerInterface) problems.push(`${attachment.address}: ${attachment.groups.length} security groups, more than ${quotas.securityGroupsPerInterface} per network interface`);
    for (const group of attachment.groups) if (!groups.has(group)) problems.push(`${attachment.address}: no security group for ${group}`);
  }
  return problems;
}

const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

function ec2Text(text: string): string[] {
  const problems: string[] = [];
  if (text.length === 0) problems.push('is empty');
  if (text.length > EC2_TEXT_LENGTH) problems.push(`is longer than ${EC2_TEXT_LENGTH} characters`);
  if (!EC2_TEXT.test(text)) problems.push('holds characters outside a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*');
  return problems;
}

function permissionProblems(permission: SgPermission): string[] {
  const { protocol, fromPort, toPort } = permission;
  if (protocol === 'tcp' || protocol === 'udp') {
    const valid = fromPort !== null && toPort !== null && Number.isInteger(fromPort) && Number.isInteger(toPort) && fromPort >= 0 && toPort <= 65535 && fromPort <= toPort;
    return valid ? [] : [`${protocol} ports ${fromPort}-${toPort} are no port range within 0-65535`];
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const inRange = (value: number | null): boolean => value !== null && Number.isInteger(value) && value >= -1 && value <= 255;
    const valid = inRange(fromPort) && inRange(toPort) && !(fromPort === -1 && toPort !== -1);
    return valid ? [] : [`${protocol} type ${fromPort} and code ${toPort} are not a type and code of -1 to 255 (all codes of all types only)`];
  }
  // -1: every protocol (a staged group left open), with no ports.
  if (protocol === '-1') return fromPort === null && toPort === null ? [] : ['protocol -1 (all) takes no ports'];
  if (!/^(0|[1-9][0-9]*)$/.test(protocol) || Number(protocol) > 255 || ['1', '6', '17', '58'].includes(protocol)) return [`protocol "${protocol}" is not a protocol number (tcp, udp, icmp and icmpv6 go by name)`];
  return fromPort === null && toPort === null ? [] : [`protocol ${protocol} takes no ports`];
}

function peerProblems(rule: SgRule, groups: ReadonlySet<string>): string[] {
  if (rule.peer.kind === 'group') return groups.has(rule.peer.group) ? [] : [`references no security group of the set (${rule.peer.group})`];
  const { cidr, family } = rule.peer;
  if (!ipaddr.isValidCIDR(cidr) || mergeCidr([cidr])[0] !== cidr) return [`CIDR "${cidr}" is not canonical (network address, compressed form)`];
  if ((ipaddr.parseCIDR(cidr)[0].kind() === 'ipv6') !== (family === 'ipv6')) return [`CIDR "${cidr}" is not ${family}`];
  if ((rule.permission.protocol === 'icmp' && family === 'ipv6') || (rule.permission.protocol === 'icmpv6' && family === 'ipv4')) return [`${rule.permission.protocol} to an ${family} CIDR`];
  return [];
}
