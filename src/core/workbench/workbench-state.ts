import { applyOp, GroupingError, type GroupingOp } from '../policy/whatif/grouping-ops';
import type { GroupingState } from '../policy/whatif/grouping-state';
import type { Dendrogram } from '../discover/dendrogram';

/**
 * Everything the analyst decided, as one immutable value: the grouping (its
 * operations are in whatif/grouping-ops.ts), the rules approved or rejected
 * and why, the anomalies accepted as legitimate and why, and the groups
 * approved (kept as they are when the data is analysed again). An edit
 * returns a new state, so undo is going back to the one before.
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
}

export type WorkbenchEdit =
  | { readonly kind: 'group'; readonly op: GroupingOp }
  /** One decision for one or more rules (a bulk action is one edit, undone at once); null clears it. */
  | { readonly kind: 'rules'; readonly rules: readonly string[]; readonly decision: RuleDecision['state'] | null; readonly reason: string }
  | { readonly kind: 'anomaly'; readonly anomaly: number; readonly accepted: boolean; readonly reason: string }
  | { readonly kind: 'approve-group'; readonly group: string; readonly approved: boolean };

export class WorkbenchError extends GroupingError {}

/** What the edits need to check their arguments against. */
export interface EditContext {
  readonly rules: ReadonlySet<string>;
  readonly anomalies: number;
  /** Built on demand: only a cut needs it. */
  dendrogram(): Dendrogram;
}

export function applyEdit(state: WorkbenchState, edit: WorkbenchEdit, context: EditContext): WorkbenchState {
  switch (edit.kind) {
    case 'group': {
      const grouping = applyOp(state.grouping, edit.op, edit.op.op === 'cut' ? context.dendrogram() : undefined);
      return grouping === state.grouping ? state : { ...state, grouping, approvedGroups: keptApprovals(state.approvedGroups, grouping) };
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
  }
}
