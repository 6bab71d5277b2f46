import { sha256Hex } from '../policy/canonical-json';
import type { SgDirection, SgPeer, SgPermission } from './aws-sg-model';

/**
 * Names and text EC2, Terraform and CloudFormation accept, made from policy
 * ids. An id that already is a valid name keeps it ("g12"); any other is
 * reduced to the allowed characters and given a digest of the whole id, so
 * that two ids never meet in one name. Terraform names are structurally
 * unique: a reduced name holds "__" before its digest, and an id holding
 * "__" is always reduced. aws-sg-validate.ts checks every name again.
 */

/** Hex characters of SHA-256 in a reduced name: 40 bits. */
const DIGEST_LENGTH = 10;
/** Readable part of an id kept in a reduced name. */
const READABLE = 40;
/** Ids longer than this are reduced too, so names stay short. */
const LONGEST_EXACT = 64;

const digestOf = (kind: string, id: string): string => sha256Hex(`${kind}\u0000${id}`).slice(0, DIGEST_LENGTH);

/** "g12", or "g4_flush_ruleset__3f9a0c1b2d": the Terraform label of a group's `aws_security_group`. */
export function terraformGroupName(groupId: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(groupId) && groupId.length <= LONGEST_EXACT && !groupId.includes('__')) return groupId;
  const readable = groupId.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, READABLE).replace(/_+$/, '');
  return `${/^[A-Za-z]/.test(readable) ? readable : `g_${readable}`.replace(/_+$/, '')}__${digestOf('group', groupId)}`;
}

/** "SGg12", or "SGg4flushruleset3f9a0c1b2d": the CloudFormation logical id (alphanumeric only) of a group's security group. */
export function cloudFormationGroupId(groupId: string): string {
  if (/^[A-Za-z0-9]+$/.test(groupId) && groupId.length <= LONGEST_EXACT) return `SG${groupId}`;
  return `SG${groupId.replace(/[^A-Za-z0-9]+/g, '').slice(0, READABLE)}${digestOf('group', groupId)}`;
}

/** "flowfence-g12": the EC2 GroupName (unique in a VPC, never starting with "sg-"). */
export function securityGroupName(groupId: string): string {
  if (/^[A-Za-z0-9._-]+$/.test(groupId) && groupId.length <= LONGEST_EXACT) return `flowfence-${groupId}`;
  const readable = groupId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, READABLE);
  return `flowfence-${readable.length === 0 ? 'group' : readable}-${digestOf('group', groupId)}`;
}

/** "tcp_443", "icmp_8_all", "proto47": a readable part of a rule's name. */
function permissionLabel(permission: SgPermission): string {
  const ports = permission.fromPort === null ? '' : `_${permission.fromPort === permission.toPort ? port(permission.fromPort) : `${port(permission.fromPort)}_${port(permission.toPort!)}`}`;
  if (permission.protocol === '-1') return 'all';
  return `${/^[0-9]+$/.test(permission.protocol) ? `proto${permission.protocol}` : permission.protocol}${ports}`;
}

const port = (value: number): string => (value < 0 ? 'all' : String(value));

/** What makes a rule itself within its group: direction, permission and peer. */
export function ruleKey(direction: SgDirection, permission: SgPermission, peer: SgPeer): string {
  const to = peer.kind === 'group' ? `group\u0000${peer.group}` : `cidr\u0000${peer.cidr}`;
  return [direction, permission.protocol, permission.fromPort ?? '', permission.toPort ?? '', to].join('\u0000');
}

/**
 * "g12_in_tcp_443_5b1e07c2aa": a rule's Terraform label, from its group's
 * and what the rule is (never its position), so that a rule keeps its
 * resource across exports and Terraform does not recreate it.
 */
export function terraformRuleName(groupName: string, direction: SgDirection, permission: SgPermission, peer: SgPeer): string {
  return `${groupName}_${direction === 'ingress' ? 'in' : 'out'}_${permissionLabel(permission)}_${digestOf('rule', ruleKey(direction, permission, peer))}`;
}

/** "SGg12InTcp4435b1e07c2aa": a rule's CloudFormation logical id. */
export function cloudFormationRuleId(groupLogicalId: string, direction: SgDirection, permission: SgPermission, peer: SgPeer): string {
  const label = permissionLabel(permission)
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${groupLogicalId}${direction === 'ingress' ? 'In' : 'Out'}${label}${digestOf('rule', ruleKey(direction, permission, peer))}`;
}

/** The characters EC2 accepts in a security group's name and description and in a rule's description. */
export const EC2_TEXT = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;
/** EC2's longest description of a rule or a group, and name of a group. */
export const EC2_TEXT_LENGTH = 255;

/**
 * Text as EC2 accepts it in a description: every other character becomes
 * "_" (which makes it ASCII, so characters are bytes), then cut to 255.
 * "${" and "{" are allowed here and stay: the printers escape them.
 */
export function ec2Text(text: string): string {
  return [...text]
    .map((character) => (EC2_TEXT.test(character) ? character : '_'))
    .join('')
    .slice(0, EC2_TEXT_LENGTH);
}

/**
 * The names of the one security group every staged group's hosts share
 * (aws-sg-stage.ts), structurally apart from every policy group's: each
 * group's EC2 name starts "flowfence-" (this one "flowfence_"), its
 * Terraform label holds no "__" or ends in "__" and a digest (this one's
 * "__" is followed by "staged"), and its logical id starts "SG".
 */
export const STAGED_SECURITY_GROUP = { name: 'flowfence_staged', resourceName: 'flowfence__staged', logicalId: 'FlowfenceStaged' } as const;
