/**
 * AWS flow log field layouts. Files with a header line are parsed by that
 * header, never by position. Headerless files (as delivered to CloudWatch or
 * exported by some tools) are recognised by their token count: the default
 * layouts AWS documents, plus the custom orders Elastic's beats ships.
 * The version field is not trusted: a v7 layout still says "3".
 */

const V2 = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const V5_EXTRA =
  'vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id ' +
  'pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';
const ECS_EXTRA =
  'ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ' +
  'ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id';
const TGW =
  'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id ' +
  'tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id ' +
  'tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end ' +
  'log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired ' +
  'tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service';

const split = (fields: string): string[] => fields.split(' ');

/** Headerless layouts by token count. */
export const HEADERLESS_LAYOUTS: ReadonlyMap<number, readonly string[]> = new Map([
  [6, split('instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr')],
  [14, split(V2)],
  [
    17,
    split(
      'version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status',
    ),
  ],
  [
    21,
    split(
      'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status',
    ),
  ],
  [29, split(`${V2} ${V5_EXTRA}`)],
  [36, split(TGW)],
  [39, split(`${V2} ${V5_EXTRA} ${ECS_EXTRA}`)],
  [40, split(`${V2} ${V5_EXTRA} ${ECS_EXTRA} reject-reason`)],
]);

/** Every field name AWS documents for VPC and Transit Gateway flow logs. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  ...split(V2),
  ...split(V5_EXTRA),
  ...split(ECS_EXTRA),
  ...split(TGW),
  'reject-reason',
  'resource-id',
]);

/** Parquet delivery writes field names with underscores. */
export function normaliseFieldName(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, '-');
}

export function isTransitGatewayLayout(fields: readonly string[]): boolean {
  return fields.includes('tgw-id') || fields.includes('tgw-attachment-id') || fields.includes('resource-type');
}
