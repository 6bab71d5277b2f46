import type { Policy } from '../policy/policy-model';
import { compareText } from '../util/compare';
import type { ExportFile, ExportNote, TargetOutput } from './export-types';
import { cloudFormationResources, printCloudFormation } from './aws-sg-cloudformation';
import { planSecurityGroups } from './aws-sg-plan';
import { largestCount, type AwsSgQuotas, type RuleCounts } from './aws-sg-quotas';
import { printTerraform } from './aws-sg-terraform';
import { validateSecurityGroups } from './aws-sg-validate';

export interface AwsSgOptions {
  /** EC2's quotas where the account has them raised; AWS's defaults (60 rules, 5 groups per interface) otherwise. */
  readonly quotas?: Partial<AwsSgQuotas>;
}

/** CloudFormation's limits on one template: 500 resources, and 1 MB for a template body read from S3. */
const CLOUDFORMATION_RESOURCES = 500;
const CLOUDFORMATION_BYTES = 1_000_000;

/**
 * AWS security groups, as Terraform (`aws-sg/main.tf`) and as a
 * CloudFormation template (`aws-sg/template.json`) of the same groups: one
 * security group per internal group of the policy, attached to the group's
 * hosts, default deny both ways (no allow-all egress), and per policy rule
 * an ingress rule on the server group's security group and an egress rule
 * on the client group's, one EC2 rule per resource. Groups inside the VPC
 * are referenced by security group, outside networks and every internal
 * host's ranges by CIDR. Rules fit EC2's quotas after exact CIDR merging,
 * else are widened or left out with a note (aws-sg-quotas.ts); the groups
 * pass EC2's own checks (aws-sg-validate.ts) or the export fails.
 */
export function awsSgTarget(policy: Policy, options: AwsSgOptions = {}): TargetOutput {
  const plan = planSecurityGroups(policy, options.quotas);
  const problems = validateSecurityGroups(plan.set, plan.quotas);
  if (problems.length > 0) throw new Error(`the aws-sg export would not pass EC2's checks:\n${problems.join('\n')}`);
  const notes: ExportNote[] = [...plan.notes];
  const files: ExportFile[] = [{ path: 'aws-sg/main.tf', content: printTerraform(plan.set, plan.closed) }];
  const template = printCloudFormation(plan.set, plan.closed);
  const resources = cloudFormationResources(plan.set);
  const bytes = new TextEncoder().encode(template).length;
  if (resources > CLOUDFORMATION_RESOURCES || bytes > CLOUDFORMATION_BYTES) {
    notes.push({
      target: 'aws-sg',
      rule: null,
      what: `a CloudFormation template of ${resources} resources and ${bytes} bytes (a stack takes ${CLOUDFORMATION_RESOURCES} resources and ${CLOUDFORMATION_BYTES} bytes)`,
      action: 'skipped',
      instead: 'template.json is not written; main.tf holds the same security groups',
    });
  } else {
    files.push({ path: 'aws-sg/template.json', content: template });
  }
  return { files, notes, rulesExported: plan.rulesExported, rulesSkipped: plan.rulesSkipped, stages: plan.coverage };
}

export interface SecurityGroupUsage {
  readonly group: string;
  readonly name: string;
  /** Rules as EC2 counts them once exact merging is done: what the policy needs. */
  readonly needed: RuleCounts;
  /** Rules exported, after widening and leaving out what did not fit. */
  readonly exported: RuleCounts;
  /** The largest of the four needed counts. */
  readonly largest: number;
}

export interface AwsSgUsage {
  readonly quotas: AwsSgQuotas;
  /** Every security group, the fullest first. */
  readonly groups: readonly SecurityGroupUsage[];
  /** The most security groups one host's interface carries. */
  readonly securityGroupsPerInterface: number;
}

/**
 * Each security group's rules against EC2's quotas (for reports and the
 * benchmark: "the largest AWS group against its quota"), computed as the
 * export computes them, without printing anything.
 */
export function awsSecurityGroupUsage(policy: Policy, options: AwsSgOptions = {}): AwsSgUsage {
  const plan = planSecurityGroups(policy, options.quotas);
  const groups = plan.usage.map((entry) => ({ ...entry, largest: largestCount(entry.needed) })).sort((a, b) => b.largest - a.largest || compareText(a.group, b.group));
  return { quotas: plan.quotas, groups, securityGroupsPerInterface: plan.set.attachments.reduce((most, attachment) => Math.max(most, attachment.groups.length), 0) };
}
