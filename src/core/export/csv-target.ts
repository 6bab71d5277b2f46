import { describeServices, stageCoverage, stagedGroups } from './stage-plan';
import { protocolName } from '../flow/protocols';
import { compareText } from '../util/compare';
import type { Policy } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { csvLine } from '../report/csv-line';
import type { TargetOutput } from './export-types';
import { groupAddresses } from './group-addresses';
import { ruleSummary } from './rule-summary';

/** csv/stages.csv: the groups not fully enforced, with the services a selective one enforces and the id their log lines carry. */
export const CSV_STAGES_HEADER = ['group_id', 'group_name', 'stage', 'enforced_services', 'log_id', 'canary'];

export const CSV_EXPORT_HEADER = [
  'rule_id', 'state', 'from_group', 'from_name', 'from_addresses', 'to_group', 'to_name', 'to_addresses',
  'proto', 'ports', 'window_utc', 'identity', 'just_in_time', 'evidence',
];

/**
 * csv: every rule flattened with the addresses of both ends, for any
 * enforcement point without a target of its own. Nothing is left out:
 * windows, identity conditions and just-in-time are columns, and rejected
 * rules are listed with their state. Cells are neutralised against
 * spreadsheet formulas (csv-line.ts). When some group is in observe or
 * selective, csv/stages.csv lists those groups (rules.csv keeps its
 * columns, so its readers are unchanged): the enforcement point applying
 * rules.csv must accept and log what those groups' rules do not allow, on
 * every service of an observed group and on the unlisted services of a
 * selective one, as the nftables export does.
 */
export function csvTarget(policy: Policy): TargetOutput {
  const names = new Map(policy.groups.map((group) => [group.id, group.name]));
  const addressText = (group: string): string => {
    const { v4, v6, unexpressed } = groupAddresses(policy, group);
    return [...v4, ...v6, ...(unexpressed === null ? [] : [`(and ${unexpressed})`])].join(' ');
  };
  const lines = [csvLine(CSV_EXPORT_HEADER)];
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    const ports = rule.ports === null ? '' : rule.ports.from === rule.ports.to ? String(rule.ports.from) : `${rule.ports.from}-${rule.ports.to}`;
    lines.push(
      csvLine([
        rule.id,
        rule.state,
        rule.from,
        names.get(rule.from) ?? '',
        addressText(rule.from),
        rule.to,
        names.get(rule.to) ?? '',
        addressText(rule.to),
        protocolName(rule.proto),
        ports,
        rule.window === null ? '' : describeWindow(rule.window),
        rule.identity === null ? '' : `${rule.identity.label.key}=${rule.identity.label.value}`,
        rule.jit === null ? '' : `closed; requesters: ${rule.jit.requesters.map((requester) => requester.user).join(' ') || 'none seen'}`,
        ruleSummary(rule),
      ]),
    );
  }
  const staged = stagedGroups(policy);
  const files = [{ path: 'csv/rules.csv', content: lines.join('') }];
  if (staged.length > 0) {
    const stageLines = [csvLine(CSV_STAGES_HEADER), ...staged.map((group) => csvLine([group.group.id, group.group.name, group.stage, describeServices(group.services), group.logId, group.group.stage?.canary === true ? 'yes' : 'no']))];
    files.push({ path: 'csv/stages.csv', content: stageLines.join('') });
  }
  const { coverage } = stageCoverage(policy, 'csv', (group) => ({ expressed: `listed in csv/stages.csv (${group.stage}): the enforcement point applying rules.csv accepts and logs what the group's rules do not allow${group.stage === 'selective' ? ' on services other than the listed ones' : ''}` }));
  return { files, notes: [], rulesExported: policy.rules.length, rulesSkipped: 0, stages: coverage };
}
