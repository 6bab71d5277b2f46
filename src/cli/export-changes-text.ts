import type { RuleChange, RuleEnds, VersionDiff } from '../core/export/export-version-diff';
import { sameRules } from '../core/export/export-version-diff';
import { terminalText } from './terminal-text';

/**
 * The difference between two export versions for the analyst: per target,
 * each rule that will open, close or change by policy rule id, with its
 * ends and service. Rule ids and group names come from the policy (from
 * the data, or typed by someone): every line goes through terminalText.
 */
export function versionChangesText(diff: VersionDiff, indent = '  '): string[] {
  const lines: string[] = [];
  if (sameRules(diff)) lines.push(`${indent}no rule opens, closes or changes in any target${(diff.stages ?? []).length > 0 ? ', but stages change:' : ''}`);
  // A stage change opens or closes more than any rule: what a group's rules do not allow passes (logged, or left open) below enforce.
  for (const change of diff.stages ?? []) lines.push(`${indent}stage of ${change.group}: ${change.before} → ${change.after} (${stageEffect(change.before, change.after)})`);
  for (const target of diff.targets) {
    if (target.presence === 'both' && target.opens.length + target.closes.length + target.changes.length === 0) continue;
    const presence = target.presence === 'added' ? ' (exported now, not before)' : target.presence === 'removed' ? ' (no longer exported: its files are removed)' : '';
    lines.push(`${indent}${target.target}${presence}: ${count(target.opens.length, 'rule opens', 'rules open')}, ${count(target.closes.length, 'rule closes', 'rules close')}, ${count(target.changes.length, 'rule changes', 'rules change')}`);
    for (const rule of target.opens) lines.push(`${indent}  opens   ${ends(rule)}`);
    for (const rule of target.closes) lines.push(`${indent}  closes  ${ends(rule)}`);
    for (const rule of target.changes) lines.push(`${indent}  changes ${ends(rule)}: ${changeText(rule)}`);
  }
  const { added, removed, changed } = diff.files;
  if (added.length + removed.length + changed.length > 0) {
    lines.push(`${indent}files: ${[listed(added, 'added'), listed(removed, 'removed'), listed(changed, 'changed')].filter((part) => part !== '').join('; ')}`);
  }
  return lines.map(terminalText);
}

function ends(rule: RuleEnds): string {
  return `${rule.id} (${rule.from} → ${rule.to}, ${rule.service})`;
}

function changeText(rule: RuleChange): string {
  const parts: string[] = [];
  if (rule.clientsOpened.length > 0) parts.push(`opens to clients ${rule.clientsOpened.join(' ')}`);
  if (rule.clientsClosed.length > 0) parts.push(`closes to clients ${rule.clientsClosed.join(' ')}`);
  if (rule.serversOpened.length > 0) parts.push(`opens on servers ${rule.serversOpened.join(' ')}`);
  if (rule.serversClosed.length > 0) parts.push(`closes on servers ${rule.serversClosed.join(' ')}`);
  for (const condition of rule.conditions) parts.push(`${condition.what} ${condition.before} → ${condition.after}`);
  return parts.join('; ');
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** At most ten paths named; the rest counted (a per-host target can add hundreds of files). */
function listed(paths: readonly string[], what: string): string {
  if (paths.length === 0) return '';
  const shown = paths.slice(0, 10).join(', ');
  return `${paths.length} ${what} (${shown}${paths.length > 10 ? `, and ${paths.length - 10} more` : ''})`;
}

/** What a stage change does to the traffic the group's rules do not allow ("selective on tcp/443, tcp/5432" names its services). */
function stageEffect(before: string, after: string): string {
  const rank = (stage: string): number => (stage === 'enforce' ? 2 : stage.startsWith('selective') ? 1 : 0);
  if (rank(after) > rank(before)) return 'closes what its rules do not allow, on more services';
  if (rank(after) < rank(before)) return 'opens what its rules do not allow, logged or left open per target';
  const services = (stage: string): Set<string> => new Set(stage.replace(/^selective on /, '').replace(/ \(.*\)$/, '').split(', ').filter((id) => id !== '' && id !== stage));
  const was = services(before);
  const now = services(after);
  const closes = [...now].filter((id) => !was.has(id));
  const opens = [...was].filter((id) => !now.has(id));
  const parts = [closes.length > 0 ? `enforces ${closes.join(', ')} too` : '', opens.length > 0 ? `no longer enforces ${opens.join(', ')} (logged or left open per target)` : ''].filter((part) => part !== '');
  return parts.length === 0 ? 'the same services enforced' : parts.join('; ');
}
