// Reads security groups back from a CloudFormation template, independently
// of the exporter, with CloudFormation's and EC2's semantics: a group's
// embedded rules (SecurityGroupIngress, SecurityGroupEgress), the
// standalone AWS::EC2::SecurityGroupIngress and SecurityGroupEgress
// resources (GroupId and the peer group through Fn::GetAtt), and EC2's
// default: a group created without egress rules gets one that allows all
// outbound traffic, IPv4 and IPv6. The hosts of each group come from its
// Metadata (Flowfence.AttachTo).
import type { AwsNetwork, AwsRule, AwsSecurityGroup } from './aws-sg-evaluator';

type Json = Record<string, unknown>;

const ALLOW_ALL_EGRESS: readonly AwsRule[] = [
  { protocol: '-1', fromPort: null, toPort: null, peer: { kind: 'cidr', cidr: '0.0.0.0/0' } },
  { protocol: '-1', fromPort: null, toPort: null, peer: { kind: 'cidr', cidr: '::/0' } },
];

export function readCloudFormation(template: Json): AwsNetwork {
  const resources = template.Resources as Record<string, { Type: string; Properties: Json; Metadata?: Json }>;
  const nameOf = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::EC2::SecurityGroup') nameOf.set(logicalId, resource.Properties.GroupName as string);
  }
  const groupOf = (value: unknown, where: string): string => {
    const target = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    const name = target === undefined || target[1] !== 'GroupId' ? undefined : nameOf.get(target[0]);
    if (name === undefined) throw new Error(`${where}: ${JSON.stringify(value)} is no GroupId of a security group of the template`);
    return name;
  };
  const ruleOf = (properties: Json, where: string): AwsRule => {
    const peers = ['CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'DestinationSecurityGroupId', 'SourcePrefixListId', 'DestinationPrefixListId'].filter((key) => properties[key] !== undefined);
    if (peers.length !== 1) throw new Error(`${where}: ${peers.length} peers, EC2 takes exactly one`);
    const peerKey = peers[0]!;
    return {
      protocol: String(properties.IpProtocol),
      fromPort: (properties.FromPort as number | undefined) ?? null,
      toPort: (properties.ToPort as number | undefined) ?? null,
      peer: peerKey.startsWith('Cidr') ? { kind: 'cidr', cidr: properties[peerKey] as string } : { kind: 'group', group: groupOf(properties[peerKey], where) },
    };
  };

  const groups = new Map<string, { ingress: AwsRule[]; egress: AwsRule[] }>();
  const attachments = new Map<string, string[]>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::EC2::SecurityGroup') continue;
    const name = nameOf.get(logicalId)!;
    if (groups.has(name)) throw new Error(`two security groups named ${name}`);
    const embedded = (key: string): AwsRule[] => ((resource.Properties[key] as Json[] | undefined) ?? []).map((rule, index) => ruleOf(rule, `${logicalId}.${key}[${index}]`));
    const egress = embedded('SecurityGroupEgress');
    groups.set(name, { ingress: embedded('SecurityGroupIngress'), egress: egress.length === 0 ? [...ALLOW_ALL_EGRESS] : egress });
    const attachTo = ((resource.Metadata?.Flowfence as Json | undefined)?.AttachTo as string[] | undefined) ?? [];
    for (const address of attachTo) attachments.set(address, [...(attachments.get(address) ?? []), name]);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    const direction = resource.Type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : resource.Type === 'AWS::EC2::SecurityGroupEgress' ? 'egress' : null;
    if (direction === null) continue;
    groups.get(groupOf(resource.Properties.GroupId, logicalId))![direction].push(ruleOf(resource.Properties, logicalId));
  }
  return { groups: new Map([...groups].map(([name, rules]): [string, AwsSecurityGroup] => [name, { name, ...rules }])), attachments };
}
