import type { SecurityGroup, SecurityGroupSet, SgRule } from './aws-sg-model';

/**
 * The security groups as a CloudFormation template (JSON). Each
 * AWS::EC2::SecurityGroup embeds its CIDR rules; the rules that reference
 * another security group are standalone AWS::EC2::SecurityGroupIngress and
 * SecurityGroupEgress resources, as the CloudFormation reference asks
 * ("To cross-reference two security groups in the ingress and egress rules
 * of those security groups, use the AWS::EC2::SecurityGroupEgress and
 * AWS::EC2::SecurityGroupIngress resources […]. Doing so [embedding them]
 * creates a circular dependency"), which also keeps the template within
 * CloudFormation's 500 resources for longer. EC2 gives a new group an
 * allow-all egress rule unless it is created with egress rules of its own
 * ("if you do not add egress rules, we add egress rules that allow all
 * outbound IPv4 and IPv6 traffic. Otherwise, we do not add them."), and
 * standalone rules come after the group: a group without an embedded
 * egress rule gets one that matches nothing, the one the AWS CDK uses for
 * the same purpose (CLOSED_EGRESS). The hosts to attach each group to are
 * in its Metadata. JSON.stringify writes every value, so no input text can
 * leave its string.
 */
export function printCloudFormation(set: SecurityGroupSet, closed: readonly string[]): string {
  const logicalIds = new Map(set.groups.map((group) => [group.group, group.logicalId]));
  const groupId = (group: string): { 'Fn::GetAtt': [string, string] } => ({ 'Fn::GetAtt': [logicalIds.get(group)!, 'GroupId'] });
  const resources: Record<string, unknown> = {};
  for (const group of set.groups) {
    resources[group.logicalId] = securityGroupResource(group, set);
    for (const rule of group.rules) if (isStandalone(rule)) resources[rule.logicalId] = ruleResource(group, rule, groupId);
  }
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Flowfence security groups: one per internal group of the policy; each group\'s Metadata names the hosts to attach it to',
    Metadata: { Flowfence: { Header: set.header, Closed: closed } },
    Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id', Description: 'The VPC the security groups are created in' } },
    Resources: resources,
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}

/** A rule that references a security group is its own resource; a CIDR rule is embedded in its group. */
export const isStandalone = (rule: Pick<SgRule, 'peer'>): boolean => rule.peer.kind === 'group';

/** Resources the template holds: every group and every standalone rule. */
export const cloudFormationResources = (set: SecurityGroupSet): number => set.groups.reduce((sum, group) => sum + 1 + group.rules.filter(isStandalone).length, 0);

/** Whether a group's template gets the closed egress rule: it has no embedded egress rule of its own. */
export const needsClosedEgress = (rules: readonly Pick<SgRule, 'direction' | 'peer'>[]): boolean => !rules.some((rule) => rule.direction === 'egress' && !isStandalone(rule));

/** An egress rule that matches no packet: no host sends ICMP type 252 code 86 to the limited broadcast address. */
export const CLOSED_EGRESS = { IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' } as const;

function securityGroupResource(group: SecurityGroup, set: SecurityGroupSet): unknown {
  const embedded = (direction: SgRule['direction']): Record<string, unknown>[] => group.rules.filter((rule) => rule.direction === direction && !isStandalone(rule)).map((rule) => ruleProperties(rule));
  const ingress = embedded('ingress');
  const egress = embedded('egress');
  return {
    Type: 'AWS::EC2::SecurityGroup',
    Metadata: { Flowfence: { Remarks: group.remarks, AttachTo: set.attachments.filter((attachment) => attachment.groups.includes(group.group)).map((attachment) => attachment.address) } },
    Properties: {
      GroupName: group.name,
      GroupDescription: group.description,
      VpcId: { Ref: 'VpcId' },
      ...(ingress.length === 0 ? {} : { SecurityGroupIngress: ingress }),
      SecurityGroupEgress: needsClosedEgress(group.rules) ? [CLOSED_EGRESS] : egress,
      Tags: Object.entries(group.tags).map(([Key, Value]) => ({ Key, Value })),
    },
  };
}

/** A rule's protocol, ports, peer and description, as both the embedded and the standalone form write them. */
function ruleProperties(rule: SgRule, groupId?: (group: string) => unknown): Record<string, unknown> {
  const { permission, peer } = rule;
  const properties: Record<string, unknown> = { Description: rule.description, IpProtocol: permission.protocol };
  if (permission.fromPort !== null) properties.FromPort = permission.fromPort;
  if (permission.toPort !== null) properties.ToPort = permission.toPort;
  if (peer.kind === 'group') properties[rule.direction === 'ingress' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId'] = groupId!(peer.group);
  else properties[peer.family === 'ipv4' ? 'CidrIp' : 'CidrIpv6'] = peer.cidr;
  return properties;
}

function ruleResource(group: SecurityGroup, rule: SgRule, groupId: (group: string) => unknown): unknown {
  return {
    Type: rule.direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress',
    Properties: { GroupId: groupId(group.group), ...ruleProperties(rule, groupId) },
  };
}
