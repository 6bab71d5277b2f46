import type { PolicyEdge, PolicyHost } from '../policy/policy-input';
import type { Policy } from '../policy/policy-model';
import { compareText } from '../util/compare';
import { DEFAULT_QUIET_DAYS, stageCheck, type GateEdge, type GroupGate, type StageCheck } from '../policy/promotion-gate';

/**
 * The Promotion view: the promotion gate (promotion-gate.ts, what
 * `flowfence simulate --stage-check` reports) over the replayed edges, with
 * the groups still to promote in the analyst's order when they set one.
 *
 * The analyst's order is a list of group ids kept in the workbench state
 * (an edit, so undoable and saved in the workspace's edit log). Groups it
 * does not name (a regrouping made them, or they left the enforced stage
 * after the order was set) follow it in the order proposed from risk;
 * groups it names that are enforced now, or gone, are left out.
 */

/** Edges of the next stage listed per group: enough to see what would break, few enough to send at every step. */
export const PROMOTION_EXAMPLES = 3;

export interface PromotionRow extends Omit<GroupGate, 'blockedNow' | 'nextWouldBlock' | 'order'> {
  /** Allowed-today edges the current stage already blocks (the rollback trigger) and those the next stage would block. */
  readonly blockedNow: number;
  readonly nextWouldBlock: number;
  readonly nextWouldBlockFlows: number;
  /** The next stage's blocked edges with the most flows (at most PROMOTION_EXAMPLES). */
  readonly examples: readonly GateEdge[];
  /** 1-based place the gate proposes from risk. */
  readonly proposedPlace: number;
}

export interface PromotionView extends Pick<StageCheck, 'quietDays' | 'window' | 'rollback'> {
  /** Groups still to promote, first to promote first: the analyst's order, or the proposed one. */
  readonly rows: readonly PromotionRow[];
  /** Ids of the groups enforced already. */
  readonly enforced: readonly string[];
  /** The analyst set the order (false: it is the proposed one). */
  readonly custom: boolean;
  /** Groups (enforced ones included) whose current stage blocks traffic allowed today, most edges first: why `rollback` is set. */
  readonly blocking: readonly { readonly group: string; readonly name: string; readonly edges: number }[];
}

export function promotionView(policy: Policy, replay: readonly PolicyEdge[], hosts: ReadonlyMap<string, PolicyHost>, analystOrder: readonly string[] | null): PromotionView {
  const check = stageCheck(policy, replay, hosts, DEFAULT_QUIET_DAYS);
  const pending = check.groups.filter((gate) => gate.order !== null);
  const rows = effectiveOrder(
    pending.map((gate) => gate.group),
    analystOrder,
  ).map((id) => rowOf(pending.find((gate) => gate.group === id)!));
  return {
    quietDays: check.quietDays,
    window: check.window,
    rollback: check.rollback,
    rows,
    enforced: check.groups.filter((gate) => gate.order === null).map((gate) => gate.group),
    custom: analystOrder !== null,
    blocking: check.groups
      .filter((gate) => gate.blockedNow.length > 0)
      .map((gate) => ({ group: gate.group, name: gate.name, edges: gate.blockedNow.length }))
      .sort((a, b) => b.edges - a.edges || compareText(a.group, b.group)),
  };
}

/** The analyst's order over the proposed one: their groups still pending first, in their order, then the rest as proposed. */
export function effectiveOrder(proposed: readonly string[], analystOrder: readonly string[] | null): string[] {
  if (analystOrder === null) return [...proposed];
  const pending = new Set(proposed);
  const first = analystOrder.filter((id) => pending.has(id));
  const placed = new Set(first);
  return [...first, ...proposed.filter((id) => !placed.has(id))];
}

/** The order after moving one group one place up or down; null when it cannot move that way. */
export function movedOrder(order: readonly string[], group: string, direction: 'up' | 'down'): string[] | null {
  const from = order.indexOf(group);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= order.length) return null;
  const moved = [...order];
  moved[from] = order[to]!;
  moved[to] = group;
  return moved;
}

function rowOf(gate: GroupGate): PromotionRow {
  const { blockedNow, nextWouldBlock, order, ...rest } = gate;
  return {
    ...rest,
    blockedNow: blockedNow.length,
    nextWouldBlock: nextWouldBlock.length,
    nextWouldBlockFlows: nextWouldBlock.reduce((sum, edge) => sum + edge.flows, 0),
    examples: nextWouldBlock.slice(0, PROMOTION_EXAMPLES),
    proposedPlace: order!,
  };
}
