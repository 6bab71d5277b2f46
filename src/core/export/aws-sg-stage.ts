import type { PolicyGroup, Policy } from '../policy/policy-model';
import type { ExportNote, StageCoverage } from './export-types';
import type { SgPermission } from './aws-sg-model';
import type { SgEntry } from './aws-sg-rules';
import { stageCoverage } from './stage-plan';

/**
 * Staged groups in security groups. A security group has no audit mode and
 * no deny rule (it only allows), so a group in observe or selective is left
 * open. Its own security group is still written (other groups' rules
 * reference it), and its hosts also carry one shared security group,
 * flowfence_staged, that allows every protocol from and to every address in
 * both families; every enforced group's security group gets one egress rule
 * to that shared group, as the simulator lets the staged group's stage
 * decide what reaches it (enforcement-stage.ts). One shared group keeps the
 * cost to an enforced group at one rule however many groups are staged
 * (one rule per staged group would crowd out the group's own rules at EC2's
 * quota). These entries are fixed: the quota fitter never leaves them out
 * (aws-sg-quotas.ts), since that would enforce what the analyst left open;
 * the export fails instead. VPC Flow Logs on the interfaces show the staged
 * groups' traffic; the export report names each group as left open.
 */

/**
 * The shared security group's key where policy group ids key security
 * groups (entries, peers, attachments): no policy group id is empty
 * (policy-schema.ts asks for one character at least), so it never meets one.
 */
export const STAGED_GROUP = '';

/** The rule id the fixed entries carry: they never reach the fitter's policy rules, so it meets no policy rule id there. */
const STAGE_RULE = 'stage';

const ALL: SgPermission = { protocol: '-1', fromPort: null, toPort: null };

export interface OpenStagedGroups {
  /** Fixed entries: the shared group's open rules and each enforced group's egress to it; empty when nothing is staged. */
  readonly entries: readonly SgEntry[];
  /** Groups left open, by id: their hosts carry the shared security group. */
  readonly staged: ReadonlySet<string>;
  /** Remark lines for the shared security group: what it is and which groups it opens. */
  readonly remarks: readonly string[];
  readonly notes: readonly ExportNote[];
  readonly coverage: StageCoverage;
}

export function openStagedGroups(policy: Policy, groupsById: ReadonlyMap<string, PolicyGroup>): OpenStagedGroups {
  const { coverage, notes } = stageCoverage(policy, 'aws-sg', () => ({
    leftOpen: 'its hosts also carry the security group flowfence_staged, which allows every protocol from and to every address, and enforced groups may send it anything: security groups have no audit mode and no deny (VPC Flow Logs show its traffic); it is enforced once promoted',
  }));
  const open = coverage.leftOpen.filter((entry) => groupsById.has(entry.group));
  if (open.length === 0) return { entries: [], staged: new Set(), remarks: [], notes, coverage };
  const entries: SgEntry[] = [];
  for (const cidr of ['0.0.0.0/0', '::/0']) {
    const peer = { kind: 'cidr', family: cidr.includes(':') ? 'ipv6' : 'ipv4', cidr } as const;
    entries.push({ owner: STAGED_GROUP, direction: 'ingress', permission: ALL, peer, rule: STAGE_RULE });
    entries.push({ owner: STAGED_GROUP, direction: 'egress', permission: ALL, peer, rule: STAGE_RULE });
  }
  // One reference per enforced group: it counts once per family against the quota, whatever the number of staged groups.
  for (const client of coverage.enforced.filter((id) => groupsById.has(id))) entries.push({ owner: client, direction: 'egress', permission: ALL, peer: { kind: 'group', group: STAGED_GROUP }, rule: STAGE_RULE });
  const remarks = [
    'staged groups left open: attached beside their own security group to every listed host of a group in observe or selective; allows every protocol from and to every address, and every enforced group may send it anything',
    ...open.map((entry) => `left open: ${entry.group} (${entry.stage})`),
  ];
  return { entries, staged: new Set(open.map((entry) => entry.group)), remarks, notes, coverage };
}

/** The description of a fixed rule, by where it is: on the shared group, or an enforced group's egress to it. */
export const stageRuleSummary = (owner: string): string => (owner === STAGED_GROUP ? 'staged groups left open by this export: security groups have no audit mode and no deny' : 'to the hosts of staged groups, left open by this export (flowfence_staged)');
