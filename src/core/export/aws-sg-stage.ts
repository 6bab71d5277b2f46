import type { PolicyGroup, Policy } from '../policy/policy-model';
import type { ExportNote, StageCoverage } from './export-types';
import type { SgPermission } from './aws-sg-model';
import type { SgEntry } from './aws-sg-rules';
import { stageCoverage } from './stage-plan';

/**
 * Staged groups in security groups. A security group has no audit mode and
 * no deny rule (it only allows), so a group in observe or selective is left
 * open: its security group is still written, since other groups' rules
 * reference it, but allows every protocol from and to every address in
 * both families, and every enforced group's security group may send
 * anything to it, as the simulator lets the staged group's stage decide
 * what reaches it (enforcement-stage.ts). VPC Flow Logs on the group's
 * interfaces show its traffic; the export report names the group as left open.
 */

const ALL: SgPermission = { protocol: '-1', fromPort: null, toPort: null };

export function openStagedGroups(policy: Policy, groupsById: ReadonlyMap<string, PolicyGroup>): { entries: SgEntry[]; summaries: Map<string, string>; notes: ExportNote[]; coverage: StageCoverage } {
  const entries: SgEntry[] = [];
  const summaries = new Map<string, string>();
  const { coverage, notes } = stageCoverage(policy, 'aws-sg', () => ({
    leftOpen: 'its security group allows every protocol from and to every address, and enforced groups may send it anything: security groups have no audit mode and no deny (VPC Flow Logs show its traffic); it is enforced once promoted',
  }));
  const open = new Set(coverage.leftOpen.map((entry) => entry.group));
  const enforced = coverage.enforced.filter((id) => groupsById.has(id));
  for (const group of [...open].filter((id) => groupsById.has(id))) {
    const id = `stage:${group}`;
    summaries.set(id, `${group} is ${groupsById.get(group)!.stage?.stage ?? 'staged'}: left open by this export`);
    for (const [family, cidr] of [['ipv4', '0.0.0.0/0'], ['ipv6', '::/0']] as const) {
      entries.push({ owner: group, direction: 'ingress', permission: ALL, peer: { kind: 'cidr', family, cidr }, rule: id });
      entries.push({ owner: group, direction: 'egress', permission: ALL, peer: { kind: 'cidr', family, cidr }, rule: id });
    }
    for (const client of enforced) entries.push({ owner: client, direction: 'egress', permission: ALL, peer: { kind: 'group', group }, rule: id });
  }
  return { entries, summaries, notes, coverage };
}
