import { applyOp, GroupingError, type GroupingOp } from '../policy/whatif/grouping-ops';
import type { GroupingState } from '../policy/whatif/grouping-state';
import type { Dendrogram } from '../discover/dendrogram';
import type { StageAuditEntry } from '../policy/policy-model';
import type { StageRequest } from '../policy/stage-decisions';

/**
 * Everything the analyst decided, as one immutable value: the grouping (its
 * operations are in whatif/grouping-ops.ts), the rules approved or rejected
 * and why, the anomalies accepted as legitimate and why, and the groups
 * approved (kept as they are when the data is analysed again), the groups'
 * enforcement stages as the audit trail of stage decisions that set them,
 * and the analyst's order of promotion. An edit returns a new state, so undo
 * is going back to the one before (and takes its audit entry with it).
 */
export interface RuleDecision {
  readonly state: 'approved' | 'rejected';
  readonly reason: string;
}

export interface WorkbenchState {
  readonly grouping: GroupingState;
  readonly ruleDecisions: ReadonlyMap<string, RuleDecision>;
  /** Anomaly number (its place in the analysis's list) → the analyst's reason for accepting it. */
  readonly acceptedAnomalies: ReadonlyMap<number, string>;
  readonly approvedGroups: ReadonlySet<string>;
  /**
   * The stage decisions in effect, oldest first, exactly as core
   * applyStageDecision recorded them (the policy's audit entries): a group's
   * stage is its last entry's. Folded into the policy (workbench-stages.ts).
   */
  readonly stageAudit: readonly StageAuditEntry[];
  /** The analyst's order of promotion (group ids, first to promote first); null while the order proposed from risk stands. */
  readonly promotionOrder: readonly string[] | null;
}

export type WorkbenchEdit =
  | { readonly kind: 'group'; readonly op: GroupingOp }
  /** One decision for one or more rules (a bulk action is one edit, undone at once); null clears it. */
  | { readonly kind: 'rules'; readonly rules: readonly string[]; readonly decision: RuleDecision['state'] | null; readonly reason: string }
  | { readonly kind: 'anomaly'; readonly anomaly: number; readonly accepted: boolean; readonly reason: string }
  | { readonly kind: 'approve-group'; readonly group: string; readonly approved: boolean }
  /** A stage decision (flowfence stage's): `at` is when the analyst made it (ISO 8601), kept so making it again gives the same audit entry. */
  | { readonly kind: 'stage'; readonly request: StageRequest; readonly at: string }
  /** The whole order of promotion after the analyst moved one group one place (`moved`, `direction`: for the undo list). */
  | { readonly kind: 'promotion-order'; readonly order: readonly string[]; readonly moved: string; readonly direction: 'up' | 'down' };

export class WorkbenchError extends GroupingError {}

/** What the edits need to check their arguments against. */
export interface EditContext {
  readonly rules: ReadonlySet<string>;
  readonly anomalies: number;
  /** Built on demand: only a cut needs it. */
  dendrogram(): Dendrogram;
  /** The audit entry core applyStageDecision records for this decision on the current state; throws (WorkbenchError) with its reason when it refuses. */
  decideStage(request: StageRequest, at: string): StageAuditEntry;
}

export function applyEdit(state: WorkbenchState, edit: WorkbenchEdit, context: EditContext): WorkbenchState {
  switch (edit.kind) {
    case 'group': {
      const grouping = applyOp(state.grouping, edit.op, edit.op.op === 'cut' ? context.dendrogram() : undefined);
      return grouping === state.grouping ? state : { ...state, grouping, approvedGroups: keptApprovals(state.approvedGroups, grouping), stageAudit: keptStages(state.stageAudit, grouping) };
    }
    case 'rules': {
      if (edit.rules.length === 0) throw new WorkbenchError('no rule was chosen');
      for (const id of edit.rules) if (!context.rules.has(id)) throw new WorkbenchError(`no rule ${id}`);
      const decisions = new Map(state.ruleDecisions);
      if (edit.decision === null) for (const id of edit.rules) decisions.delete(id);
      else {
        const reason = requireReason(edit.reason, `${edit.decision === 'approved' ? 'approving' : 'rejecting'} a rule`);
        for (const id of edit.rules) decisions.set(id, { state: edit.decision, reason });
      }
      return { ...state, ruleDecisions: decisions };
    }
    case 'anomaly': {
      if (!Number.isInteger(edit.anomaly) || edit.anomaly < 0 || edit.anomaly >= context.anomalies) throw new WorkbenchError(`no anomaly ${edit.anomaly}`);
      const accepted = new Map(state.acceptedAnomalies);
      if (edit.accepted) accepted.set(edit.anomaly, requireReason(edit.reason, 'accepting an anomaly'));
      else accepted.delete(edit.anomaly);
      return { ...state, acceptedAnomalies: accepted };
    }
    case 'approve-group': {
      if (!state.grouping.groups.has(edit.group)) throw new WorkbenchError(`no group ${edit.group}`);
      const approved = new Set(state.approvedGroups);
      if (edit.approved) approved.add(edit.group);
      else approved.delete(edit.group);
      return { ...state, approvedGroups: approved };
    }
    case 'stage':
      return { ...state, stageAudit: [...state.stageAudit, context.decideStage(edit.request, edit.at)] };
    case 'promotion-order': {
      const seen = new Set<string>();
      for (const id of edit.order) {
        if (!state.grouping.groups.has(id)) throw new WorkbenchError(`no group ${id}`);
        if (seen.has(id)) throw new WorkbenchError(`group ${id} is twice in the promotion order`);
        seen.add(id);
      }
      if (!seen.has(edit.moved)) throw new WorkbenchError(`the moved group ${edit.moved} is not in the promotion order`);
      return { ...state, promotionOrder: [...edit.order] };
    }
  }
}

/** A reason is what an auditor reads later: one that is only blanks is no reason. */
function requireReason(reason: string, what: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new WorkbenchError(`${what} needs a reason`);
  return trimmed;
}

/** Approvals of groups a regrouping dissolved are dropped with them. */
function keptApprovals(approved: ReadonlySet<string>, grouping: GroupingState): ReadonlySet<string> {
  let kept: Set<string> | null = null;
  for (const id of approved) {
    if (grouping.groups.has(id)) continue;
    kept ??= new Set(approved);
    kept.delete(id);
  }
  return kept ?? approved;
}

/**
 * Stage decisions on groups a regrouping dissolved go with them, as their
 * approvals do: the policy has no group to carry the stage, and the
 * exported audit trail names only groups it holds.
 */
function keptStages(audit: readonly StageAuditEntry[], grouping: GroupingState): readonly StageAuditEntry[] {
  return audit.every((entry) => grouping.groups.has(entry.group)) ? audit : audit.filter((entry) => grouping.groups.has(entry.group));
}

/** The edit in a few words, for the diff panel and the undo list. */
export function describeEdit(edit: WorkbenchEdit, groupName: (id: string) => string): string {
  switch (edit.kind) {
    case 'group': {
      const { op } = edit;
      switch (op.op) {
        case 'move':
          return `Moved ${op.ip} to ${groupName(op.to)}`;
        case 'merge':
          return `Merged ${groupName(op.from)} into ${groupName(op.into)}`;
        case 'split':
          return `Split ${op.hosts.length} ${op.hosts.length === 1 ? 'host' : 'hosts'} out of ${groupName(op.group)}`;
        case 'rename':
          return `Renamed ${groupName(op.group)} to ${op.name}`;
        case 'pin':
          return `${op.pinned ? 'Pinned' : 'Unpinned'} ${op.ip}`;
        case 'cut':
          return `Cut the tree into ${op.clusters} clusters`;
      }
      break;
    }
    case 'rules': {
      const what = edit.rules.length === 1 ? `rule ${edit.rules[0]}` : `${edit.rules.length} rules`;
      return edit.decision === null ? `Cleared the decision on ${what}` : `${edit.decision === 'approved' ? 'Approved' : 'Rejected'} ${what}`;
    }
    case 'anomaly':
      return `${edit.accepted ? 'Accepted' : 'Flagged again'} anomaly ${edit.anomaly + 1}`;
    case 'approve-group':
      return `${edit.approved ? 'Approved' : 'Withdrew approval of'} ${groupName(edit.group)}`;
    case 'stage':
      return `Set the stage of ${groupName(edit.request.group)}: ${describeStageRequest(edit.request)}`;
    case 'promotion-order':
      return `Moved ${groupName(edit.moved)} ${edit.direction} the promotion order`;
  }
}

/** What a stage request asks for, in words ("selective on tcp/443", "canary", …). */
function describeStageRequest(request: StageRequest): string {
  const parts: string[] = [];
  if (request.stage !== undefined) parts.push(request.stage === 'selective' && request.services !== undefined ? `selective on ${request.services.join(', ')}` : request.stage);
  if (request.canary !== undefined) parts.push(request.canary ? 'canary' : 'not a canary');
  if (request.override !== undefined) parts.push(request.override ? 'promotion override' : 'no promotion override');
  return parts.length === 0 ? 'unchanged' : parts.join(', ');
}
