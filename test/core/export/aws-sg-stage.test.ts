import { describe, expect, it } from 'vitest';
import { planSecurityGroups } from '../../../src/core/export/aws-sg-plan';
import { countRules } from '../../../src/core/export/aws-sg-quotas';
import { awsSgTarget } from '../../../src/core/export/aws-sg-target';
import type { GroupStage, Policy, PolicyGroup, PolicyRule } from '../../../src/core/policy/policy-model';
import { readCloudFormation } from '../../helpers/cloud-eval/aws-cloudformation-reader';
import { AwsSecurityGroupEvaluator } from '../../helpers/cloud-eval/aws-sg-evaluator';
import { readTerraform } from '../../helpers/cloud-eval/aws-terraform-reader';
import { group, handPolicy, prng, rule, shuffle } from '../policy/fixtures';

// Many staged groups at EC2's default quota (60 rules per security group):
// the staged groups share one security group, so an enforced group pays one
// egress rule for all of them and keeps every rule of its own, and no staged
// group is ever closed to make room. When even that cannot fit, the export
// fails rather than closing anything.

const STAGED = 70;
/** Staged groups web has a rule to, and outside hosts it has one to each: 50 outbound rules of its own, within the 60 alone, not with one per staged group. */
const SERVED = 10;
const OUTSIDE = 40;
const decision = { by: 'ana', at: '2026-02-01T00:00:00.000Z', why: 'rollout', ticket: null };
const staged = (stage: GroupStage['stage'], services: string[] = []): Partial<PolicyGroup> => ({ stage: { stage, services, canary: false, override: false, decision } });
const stagedId = (index: number): string => `s${String(index).padStart(2, '0')}`;
const stagedHost = (index: number): string => `10.1.${index}.1`;
/** Outside hosts two addresses apart, each its own network: their /32s never touch, so exact merging keeps one rule each. */
const outsideHost = (index: number): string => `203.0.113.${index * 2}`;
const WEB = '10.0.0.1';
const STRANGER = '192.0.2.77';

function manyStaged(): Policy {
  const groups: PolicyGroup[] = [group('web', [WEB])];
  const rules: PolicyRule[] = [];
  for (let index = 1; index <= STAGED; index++) {
    // Every third group selective on the service web uses on it, the others observed: both stages are left open.
    groups.push(group(stagedId(index), [stagedHost(index)], index % 3 === 0 ? staged('selective', ['tcp/5432']) : staged('observe')));
    if (index <= SERVED) rules.push(rule('web', stagedId(index), 6, { from: 5432, to: 5432 }));
  }
  for (let index = 1; index <= OUTSIDE; index++) {
    const cidr = `${outsideHost(index)}/32`;
    groups.push(group(`ext:${cidr}`, [outsideHost(index)], { kind: 'external', match: { cidr } }));
    rules.push(rule('web', `ext:${cidr}`, 6, { from: 8000 + index, to: 8000 + index }));
  }
  return handPolicy(groups, rules);
}

describe('aws-sg: seventy staged groups and one enforced group at the default quota', () => {
  const policy = manyStaged();
  const plan = planSecurityGroups(policy);
  const web = plan.set.groups.find((entry) => entry.group === 'web')!;

  it('keeps every policy rule of the enforced group, with one egress rule for all the staged groups', () => {
    expect(plan.rulesSkipped).toBe(0);
    expect(plan.notes.filter((note) => note.what.startsWith('quota'))).toEqual([]);
    const exported = new Set(web.rules.flatMap((entry) => entry.policyRules));
    for (const id of policy.rules.map((entry) => entry.id)) expect(exported.has(id), id).toBe(true);
    const stageRules = web.rules.filter((entry) => entry.policyRules.length === 0);
    expect(stageRules).toMatchObject([{ direction: 'egress', permission: { protocol: '-1' }, peer: { kind: 'group', group: '' } }]);
    expect(countRules(web.rules).outboundIpv4).toBeLessThanOrEqual(plan.quotas.rulesPerSecurityGroup);
  });

  it('attaches the shared security group to every staged host and allows everything through it', () => {
    const shared = plan.set.groups.find((entry) => entry.name === 'flowfence_staged')!;
    expect(shared.rules.map((entry) => `${entry.direction} ${entry.permission.protocol} ${entry.peer.kind === 'cidr' ? entry.peer.cidr : entry.peer.group}`).sort()).toEqual(['egress -1 0.0.0.0/0', 'egress -1 ::/0', 'ingress -1 0.0.0.0/0', 'ingress -1 ::/0']);
    for (let index = 1; index <= STAGED; index++) expect(plan.set.attachments.find((entry) => entry.address === stagedHost(index))!.groups).toEqual([stagedId(index), '']);
    expect(plan.set.attachments.find((entry) => entry.address === WEB)!.groups).toEqual(['web']);
  });

  it('leaves every staged group fully open in main.tf and template.json, and the enforced group enforced', async () => {
    const { files } = awsSgTarget(policy);
    const terraform = new AwsSecurityGroupEvaluator((await readTerraform(files.find((file) => file.path === 'aws-sg/main.tf')!.content)).network);
    const cloudFormation = new AwsSecurityGroupEvaluator(readCloudFormation(JSON.parse(files.find((file) => file.path === 'aws-sg/template.json')!.content) as Record<string, unknown>));
    for (const aws of [terraform, cloudFormation]) {
      for (let index = 1; index <= STAGED; index++) {
        const host = stagedHost(index);
        // In from anyone on anything, out to anyone on anything: the group's stage is the simulator's to decide, not the security groups'.
        expect([aws.allows(STRANGER, host, 6, 12345), aws.allows(STRANGER, host, 17, 9), aws.allows(WEB, host, 6, 22), aws.allows(host, STRANGER, 47, -1), aws.allows(host, stagedHost(index === 1 ? 2 : 1), 6, 3306)], host).toEqual([true, true, true, true, true]);
      }
      for (let index = 1; index <= OUTSIDE; index++) expect(aws.allows(WEB, outsideHost(index), 6, 8000 + index), outsideHost(index)).toBe(true);
      expect([aws.allows(WEB, outsideHost(1), 6, 8002), aws.allows(WEB, STRANGER, 6, 443), aws.allows(STRANGER, WEB, 6, 443)]).toEqual([false, false, false]);
    }
  });

  it('writes the same files whatever the order of groups and rules', () => {
    const once = awsSgTarget(policy).files;
    const random = prng(11);
    for (let round = 0; round < 2; round++) expect(awsSgTarget({ ...policy, groups: shuffle(random, policy.groups), rules: shuffle(random, policy.rules as PolicyRule[]) }).files).toEqual(once);
  });

  it('fails, rather than closing a staged group, when the shared security group or its rule cannot fit', () => {
    expect(() => planSecurityGroups(policy, { securityGroupsPerInterface: 1 })).toThrow(/^aws-sg quotas: 70 hosts of the staged groups .* need 2 security groups per network interface/);
    // api sends nothing outside, so its template needs the closed-egress rule beside the reference: two outbound IPv4 rules at a quota of one.
    const withApi = { ...policy, groups: [...policy.groups, group('api', ['10.0.0.2'])], rules: [...policy.rules, rule('web', 'api', 6, { from: 443, to: 443 })] };
    expect(() => planSecurityGroups(withApi, { rulesPerSecurityGroup: 1 })).toThrow(/^aws-sg quotas: security group flowfence-api: 2 outbound IPv4 rules for the staged groups left open, the quota is 1/);
  });
});
