// A JSON Schema (draft-07, as Ajv reads it) for the CloudFormation
// templates the aws-sg export writes, from the CloudFormation and EC2
// references of the resource types it emits: AWS::EC2::SecurityGroup with
// embedded rules, and standalone AWS::EC2::SecurityGroupIngress and
// AWS::EC2::SecurityGroupEgress. It holds what CloudFormation and EC2
// would refuse: logical ids that are not alphanumeric, descriptions outside
// EC2's characters or longer than 255, a rule with no peer or two, ports
// out of range, a tag key over 128 characters, an unknown property.

/** EC2's characters for group names and descriptions and rule descriptions. */
const EC2_TEXT = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]+$' } as const;
const IPV4_CIDR = { type: 'string', pattern: '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}/([0-9]|[12][0-9]|3[0-2])$' } as const;
const IPV6_CIDR = { type: 'string', pattern: '^[0-9a-f:]*:[0-9a-f:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$' } as const;
const GROUP_ID = {
  type: 'object',
  additionalProperties: false,
  required: ['Fn::GetAtt'],
  properties: { 'Fn::GetAtt': { type: 'array', minItems: 2, maxItems: 2, items: [{ type: 'string', pattern: '^[A-Za-z0-9]{1,255}$' }, { const: 'GroupId' }] } },
} as const;
const PORT = { type: 'integer', minimum: -1, maximum: 65535 } as const;
/** tcp, udp, icmp, icmpv6 by name; any other protocol by its number, never "-1" (all) in an export. */
const PROTOCOL = { type: 'string', pattern: '^(tcp|udp|icmp|icmpv6|[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$' } as const;

/** Exactly one peer of the given keys. */
const onePeer = (keys: Readonly<Record<string, unknown>>) => ({ oneOf: Object.keys(keys).map((key) => ({ required: [key] })) });

function ruleSchema(direction: 'ingress' | 'egress', standalone: boolean) {
  const peers = direction === 'ingress' ? { CidrIp: IPV4_CIDR, CidrIpv6: IPV6_CIDR, SourceSecurityGroupId: GROUP_ID } : { CidrIp: IPV4_CIDR, CidrIpv6: IPV6_CIDR, DestinationSecurityGroupId: GROUP_ID };
  const properties = { ...(standalone ? { GroupId: GROUP_ID } : {}), IpProtocol: PROTOCOL, FromPort: PORT, ToPort: PORT, Description: EC2_TEXT, ...peers };
  return {
    type: 'object',
    additionalProperties: false,
    required: [...(standalone ? ['GroupId'] : []), 'IpProtocol', 'Description'],
    properties,
    allOf: [
      onePeer(peers),
      // TCP and UDP need their port range; ICMP its type and code.
      { if: { properties: { IpProtocol: { enum: ['tcp', 'udp', 'icmp', 'icmpv6'] } } }, then: { required: ['FromPort', 'ToPort'] }, else: { not: { anyOf: [{ required: ['FromPort'] }, { required: ['ToPort'] }] } } },
    ],
  };
}

export const CLOUDFORMATION_SECURITY_GROUP_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['AWSTemplateFormatVersion', 'Resources'],
  properties: {
    AWSTemplateFormatVersion: { const: '2010-09-09' },
    Description: { type: 'string', maxLength: 1024 },
    Metadata: { type: 'object' },
    Parameters: {
      type: 'object',
      additionalProperties: false,
      properties: { VpcId: { type: 'object', required: ['Type'], properties: { Type: { const: 'AWS::EC2::VPC::Id' }, Description: { type: 'string' } } } },
    },
    Resources: {
      type: 'object',
      minProperties: 1,
      maxProperties: 500,
      propertyNames: { pattern: '^[A-Za-z0-9]{1,255}$' },
      additionalProperties: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['Type', 'Properties'],
            properties: {
              Type: { const: 'AWS::EC2::SecurityGroup' },
              Metadata: { type: 'object' },
              Properties: {
                type: 'object',
                additionalProperties: false,
                required: ['GroupDescription', 'VpcId', 'SecurityGroupEgress'],
                properties: {
                  GroupName: { ...EC2_TEXT, not: { pattern: '^sg-' } },
                  GroupDescription: EC2_TEXT,
                  VpcId: { type: 'object', additionalProperties: false, required: ['Ref'], properties: { Ref: { const: 'VpcId' } } },
                  SecurityGroupIngress: { type: 'array', items: ruleSchema('ingress', false) },
                  // Never empty: without an egress rule EC2 adds its allow-all one.
                  SecurityGroupEgress: { type: 'array', minItems: 1, items: ruleSchema('egress', false) },
                  Tags: {
                    type: 'array',
                    maxItems: 50,
                    items: { type: 'object', additionalProperties: false, required: ['Key', 'Value'], properties: { Key: { type: 'string', minLength: 1, maxLength: 128, not: { pattern: '^aws:' } }, Value: { type: 'string', maxLength: 256 } } },
                  },
                },
              },
            },
          },
          { type: 'object', additionalProperties: false, required: ['Type', 'Properties'], properties: { Type: { const: 'AWS::EC2::SecurityGroupIngress' }, Properties: ruleSchema('ingress', true) } },
          { type: 'object', additionalProperties: false, required: ['Type', 'Properties'], properties: { Type: { const: 'AWS::EC2::SecurityGroupEgress' }, Properties: ruleSchema('egress', true) } },
        ],
      },
    },
    Outputs: { type: 'object', maxProperties: 200 },
  },
} as const;
