import { csvLine } from '../report/csv-line';
import { describeWindow } from '../policy/time-window';
import type { PackContent } from './pack-model';

/**
 * The pack's tables as CSV, each cell neutralised against spreadsheet
 * formulas (csv-line.ts): members, rules with their evidence, and the
 * decision sheet an owner fills in and hands back to `attest --import`.
 */
export const DECISIONS_HEADER = ['rule', 'evidence_sha256', 'service', 'from', 'to', 'decision', 'justification', 'ticket', 'expiry', 'decided_by', 'decided_at'];

export function membersCsv(pack: PackContent): string {
  return [csvLine(['ip', 'group', 'reason']), ...pack.members.map((member) => csvLine([member.ip, member.group, member.reason ?? '']))].join('');
}

export function rulesCsv(pack: PackContent): string {
  const header = csvLine(['rule', 'side', 'from', 'from_name', 'to', 'to_name', 'service', 'state', 'window', 'identity', 'jit_requesters', 'flows', 'clients', 'servers', 'first_seen', 'last_seen', 'steps', 'evidence_sha256']);
  const rows = pack.rules.map(({ rule, side, fromName, toName, evidenceSha256 }) =>
    csvLine([
      rule.id,
      side,
      rule.from,
      fromName,
      rule.to,
      toName,
      rule.service,
      rule.state,
      rule.window === null ? '' : describeWindow(rule.window),
      rule.identity === null ? '' : `${rule.identity.label.key}=${rule.identity.label.value}`,
      rule.jit === null ? '' : rule.jit.requesters.map((requester) => `${requester.user} (${requester.logons})`).join('; ') || 'none seen',
      rule.evidence.flows,
      rule.evidence.clients,
      rule.evidence.servers,
      rule.evidence.firstSeen ?? '',
      rule.evidence.lastSeen ?? '',
      rule.evidence.steps.map((step) => `${step.step}: ${step.detail}`).join('; '),
      evidenceSha256,
    ]),
  );
  return [header, ...rows].join('');
}

/** One row per rule with the decision columns left empty for the owner. */
export function decisionsCsv(pack: PackContent): string {
  return [csvLine(DECISIONS_HEADER), ...pack.rules.map(({ rule, evidenceSha256 }) => csvLine([rule.id, evidenceSha256, rule.service, rule.from, rule.to, '', '', '', '', '', '']))].join('');
}
