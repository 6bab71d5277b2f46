import type { HostAssignment } from '../discover/discover-groups';
import { policyJson } from '../policy/build-policy';
import type { Anomaly } from '../discover/anomalies';
import type { Policy } from '../policy/policy-model';
import type { EscapedEdge } from '../policy/simulate';
import { csvLine as line } from '../report/csv-line';
import { GROUPS_HEADER } from '../report/csv-writers';
import { escapedCsv, rulesCsv } from '../report/policy-csv';
import { compareText } from '../util/compare';
import type { WorkbenchState } from './workbench-state';

/**
 * The files the workbench exports, as the analyst's edits left the policy:
 * policy.json and rules.csv (the CLI's formats, decisions included as rule
 * states), groups.csv (the current groups, with discovery's reason or the
 * analyst's move), escaped.csv (every replayed edge the policy would
 * block) and decisions.csv (each decision with its reason, for the
 * attestation). Every value from the data goes through the CSV rules of
 * csv-line.ts (quoting, formula neutralising).
 */
export interface ExportFile {
  readonly name: string;
  readonly mimeType: string;
  readonly text: string;
}

export const DECISIONS_HEADER = ['kind', 'id', 'subject', 'decision', 'reason'];

export interface ExportInput {
  readonly policy: Policy;
  readonly state: WorkbenchState;
  readonly assignments: readonly HostAssignment[];
  readonly anomalies: readonly Anomaly[];
  readonly escaped: readonly EscapedEdge[];
}

export function workbenchExports(input: ExportInput): ExportFile[] {
  const csv = 'text/csv';
  return [
    { name: 'policy.json', mimeType: 'application/json', text: policyJson(input.policy) },
    { name: 'rules.csv', mimeType: csv, text: [...rulesCsv(input.policy)].join('') },
    { name: 'groups.csv', mimeType: csv, text: currentGroupsCsv(input) },
    { name: 'escaped.csv', mimeType: csv, text: [...escapedCsv(input.escaped)].join('') },
    { name: 'decisions.csv', mimeType: csv, text: decisionsCsv(input) },
  ];
}

/** One row per internal host in canonical address order, as groups.csv of the CLI, for the grouping as it now is. */
function currentGroupsCsv({ policy, state, assignments }: ExportInput): string {
  const names = new Map(policy.groups.map((group) => [group.id, group.name]));
  const rows = [line(GROUPS_HEADER)];
  for (const assignment of assignments) {
    const group = state.grouping.assignment.get(assignment.ip) ?? assignment.groupId;
    const moved = group !== assignment.groupId;
    const reason = moved ? `placed here by the analyst; discovery chose ${assignment.groupId}: ${assignment.reason}` : assignment.reason;
    rows.push(line([assignment.ip, group, names.get(group) ?? '', moved ? '' : assignment.confidence, reason]));
  }
  return rows.join('');
}

function decisionsCsv({ policy, state, anomalies }: ExportInput): string {
  const names = new Map(policy.groups.map((group) => [group.id, group.name]));
  const rows = [line(DECISIONS_HEADER)];
  for (const [id, decision] of [...state.ruleDecisions].sort((a, b) => compareText(a[0], b[0]))) rows.push(line(['rule', id, '', decision.state, decision.reason]));
  for (const [number, reason] of [...state.acceptedAnomalies].sort((a, b) => a[0] - b[0])) {
    const anomaly = anomalies[number]!;
    rows.push(line(['anomaly', number + 1, `${anomaly.kind} ${anomaly.src} → ${anomaly.dst}`, 'accepted', reason]));
  }
  for (const id of [...state.approvedGroups].sort(compareText)) rows.push(line(['group', id, names.get(id) ?? '', 'approved', '']));
  return rows.join('');
}
