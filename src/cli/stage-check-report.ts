import { protocolName } from '../core/flow/protocols';
import type { GateEdge, GroupGate, StageCheck } from '../core/policy/promotion-gate';
import { describeSetting } from '../core/policy/stage-decisions';
import { formatCount } from './number-format';

/** At most this many edges per list on the terminal; --json has them all. */
const SHOWN = 5;

/** simulate --stage-check for people: the order, then each group's gate. Lines are raw: the caller escapes them (terminalText). */
export function stageCheckReport(policyPath: string, check: StageCheck): string[] {
  const lines = [
    `Promotion gate for ${policyPath}: flows from ${check.window.from ?? '?'} to ${check.window.to ?? '?'} (${check.window.days} whole days); promotion proposed after ${check.quietDays} quiet days or an analyst's override.`,
    'Order proposed (least risk first): canaries, then lower criticality (criticality label, else environment), then fewer clients, then fewer edges the next stage would block.',
  ];
  for (const gate of check.groups) lines.push(...groupLines(gate));
  lines.push(
    check.rollback
      ? 'ROLLBACK: an enforced stage blocks traffic allowed today (exit 3); return those groups to their previous stage (flowfence stage) or add the rules.'
      : 'Nothing enforced blocks traffic allowed today.',
  );
  return lines;
}

function groupLines(gate: GroupGate): string[] {
  const head = `${gate.order === null ? '  -' : `${String(gate.order).padStart(3)}.`} ${gate.group} (${gate.name}): ${describeSetting(gate.setting)}; ${formatCount(gate.clients)} client(s), ${gate.criticality.from}`;
  const lines = [head];
  if (gate.blockedNow.length > 0) lines.push(`       blocks now (rollback): ${gate.blockedNow.length} edge(s)`, ...edgeLines(gate.blockedNow));
  if (gate.next === null) return lines;
  const next = `${gate.next.stage}${gate.next.services.length > 0 ? ` on ${gate.next.services.join(', ')}` : ''}`;
  lines.push(`       next: ${next}; would block ${gate.nextWouldBlock.length} edge(s); ${gate.quietDays} quiet day(s): ${proposalText(gate)}`, ...edgeLines(gate.nextWouldBlock));
  return lines;
}

function proposalText(gate: GroupGate): string {
  switch (gate.proposal) {
    case 'promote':
      return 'promotion proposed';
    case 'promote-override':
      return 'promotion proposed on the analyst override (see its reason in the audit trail)';
    case 'wait':
      return 'wait';
    case 'enforced':
      return 'enforced';
  }
}

function edgeLines(edges: readonly GateEdge[]): string[] {
  const shown = edges.slice(0, SHOWN).map((edge) => `         ${edge.client} → ${edge.server} ${protocolName(edge.proto)}${edge.port < 0 ? '' : `/${edge.port}`} (${formatCount(edge.flows)} flows, last ${edge.lastSeen ?? '?'}): ${edge.reason}`);
  return edges.length > SHOWN ? [...shown, `         … and ${edges.length - SHOWN} more (--json lists them all)`] : shown;
}
