import { csvLine as line } from './csv-line';
import { protocolName } from '../flow/protocols';
import type { Policy } from '../policy/policy-model';
import type { Drift } from '../policy/drift';
import type { EscapedEdge } from '../policy/simulate';
import { describeWindow } from '../policy/time-window';

/** rules.csv and escaped.csv: one line per rule (in policy.json's order) and per escaped edge. */

export const RULES_HEADER = ['id', 'from_group', 'from_name', 'to_group', 'to_name', 'proto', 'ports', 'state', 'jit', 'window', 'flows', 'first_seen', 'last_seen'];
export const ESCAPED_HEADER = ['client', 'server', 'proto', 'port', 'flows', 'reason'];


export function* rulesCsv(policy: Policy): Iterable<string> {
  yield line(RULES_HEADER);
  // A reader of the CSV sees what each group is, not only its id.
  const names = new Map(policy.groups.map((group) => [group.id, group.name]));
  for (const rule of policy.rules) {
    const ports = rule.ports === null ? '' : rule.ports.from === rule.ports.to ? String(rule.ports.from) : `${rule.ports.from}-${rule.ports.to}`;
    const jit = rule.jit === null ? '' : `requesters: ${rule.jit.requesters.map((requester) => requester.user).join(' ') || 'none seen'}`;
    yield line([
      rule.id,
      rule.from,
      names.get(rule.from) ?? '',
      rule.to,
      names.get(rule.to) ?? '',
      protocolName(rule.proto),
      ports,
      rule.state,
      jit,
      rule.window === null ? '' : describeWindow(rule.window),
      rule.evidence.flows,
      rule.evidence.firstSeen ?? '',
      rule.evidence.lastSeen ?? '',
    ]);
  }
}

export const UNUSED_RULES_HEADER = ['id', 'from_group', 'to_group', 'service', 'last_seen'];
export const NEW_HOSTS_HEADER = ['ip', 'group', 'confidence', 'nearest', 'reason'];

/** drift-unused-rules.csv: the rules no flow of the window matched (removal candidates). */
export function* unusedRulesCsv(rules: Drift['unusedRules']): Iterable<string> {
  yield line(UNUSED_RULES_HEADER);
  for (const rule of rules) yield line([rule.id, rule.from, rule.to, rule.service, rule.lastSeen ?? '']);
}

/** drift-new-hosts.csv: hosts the policy has never seen, and the group each would join (empty: unassigned). */
export function* newHostsCsv(hosts: Drift['newHosts']): Iterable<string> {
  yield line(NEW_HOSTS_HEADER);
  for (const host of hosts) yield line([host.ip, host.group ?? '', host.confidence, host.nearest ?? '', host.reason]);
}

export function* escapedCsv(escaped: readonly EscapedEdge[]): Iterable<string> {
  yield line(ESCAPED_HEADER);
  for (const edge of escaped) yield line([edge.client, edge.server, edge.proto, edge.port ?? '', edge.flows, edge.reason]);
}
