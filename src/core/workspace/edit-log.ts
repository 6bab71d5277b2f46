import type { GroupingOp } from '../policy/whatif/grouping-ops';
import type { WorkbenchLog } from '../workbench/workbench';
import type { WorkbenchEdit } from '../workbench/workbench-state';
import type { StageRequest } from '../policy/stage-decisions';
import { STAGE_ORDER } from '../policy/enforcement-stage';
import type { EnforcementStage } from '../policy/policy-model';
import { WorkspaceError } from './workspace-model';

/**
 * Reads an edit log back from JSON, checking the shape of every edit: a
 * workspace file may have been altered, and an edit is replayed by code
 * that trusts its types. Whether an edit makes sense (the group exists, the
 * reason is not blank) is checked when it is made again, as for any edit.
 */
export function parseWorkbenchLog(value: unknown, source: string): WorkbenchLog {
  if (!isObject(value) || !Array.isArray(value.edits) || typeof value.position !== 'number') throw new WorkspaceError(`${source}: expected {edits: [...], position}`);
  return { edits: value.edits.map((edit, index) => parseEdit(edit, `${source}: edit ${index + 1}`)), position: value.position };
}

function parseEdit(value: unknown, where: string): WorkbenchEdit {
  if (!isObject(value)) throw new WorkspaceError(`${where} is not an object`);
  switch (value.kind) {
    case 'group':
      return { kind: 'group', op: parseOp(value.op, where) };
    case 'rules':
      if (!Array.isArray(value.rules) || !value.rules.every(isString)) throw new WorkspaceError(`${where}: rules must be a list of rule ids`);
      if (value.decision !== null && value.decision !== 'approved' && value.decision !== 'rejected') throw new WorkspaceError(`${where}: decision must be approved, rejected or null`);
      return { kind: 'rules', rules: value.rules, decision: value.decision, reason: text(value.reason, where, 'reason') };
    case 'anomaly':
      return { kind: 'anomaly', anomaly: integer(value.anomaly, where, 'anomaly'), accepted: flag(value.accepted, where, 'accepted'), reason: text(value.reason, where, 'reason') };
    case 'approve-group':
      return { kind: 'approve-group', group: text(value.group, where, 'group'), approved: flag(value.approved, where, 'approved') };
    case 'stage':
      return { kind: 'stage', request: parseStageRequest(value.request, where), at: text(value.at, where, 'at') };
    case 'promotion-order':
      if (value.direction !== 'up' && value.direction !== 'down') throw new WorkspaceError(`${where}: direction must be up or down`);
      return { kind: 'promotion-order', order: texts(value.order, where, 'order'), moved: text(value.moved, where, 'moved'), direction: value.direction };
    default:
      throw new WorkspaceError(`${where}: unknown kind of edit ${JSON.stringify(value.kind)}`);
  }
}

/** A stage request as `flowfence stage` takes it: a field left out keeps the group's value. */
function parseStageRequest(value: unknown, where: string): StageRequest {
  if (!isObject(value)) throw new WorkspaceError(`${where}: the stage request is not an object`);
  if (value.stage !== undefined && !STAGE_ORDER.includes(value.stage as EnforcementStage)) throw new WorkspaceError(`${where}: stage must be one of ${STAGE_ORDER.join(', ')}`);
  if (value.ticket !== undefined && value.ticket !== null && typeof value.ticket !== 'string') throw new WorkspaceError(`${where}: ticket must be text or null`);
  return {
    group: text(value.group, where, 'group'),
    ...(value.stage === undefined ? {} : { stage: value.stage as EnforcementStage }),
    ...(value.services === undefined ? {} : { services: texts(value.services, where, 'services') }),
    ...(value.canary === undefined ? {} : { canary: flag(value.canary, where, 'canary') }),
    ...(value.override === undefined ? {} : { override: flag(value.override, where, 'override') }),
    by: text(value.by, where, 'by'),
    why: text(value.why, where, 'why'),
    ...(value.ticket === undefined ? {} : { ticket: value.ticket as string | null }),
  };
}

function parseOp(value: unknown, where: string): GroupingOp {
  if (!isObject(value)) throw new WorkspaceError(`${where}: the grouping operation is not an object`);
  switch (value.op) {
    case 'move':
      return { op: 'move', ip: text(value.ip, where, 'ip'), to: text(value.to, where, 'to') };
    case 'merge':
      return { op: 'merge', from: text(value.from, where, 'from'), into: text(value.into, where, 'into') };
    case 'split': {
      if (!Array.isArray(value.hosts) || !value.hosts.every(isString)) throw new WorkspaceError(`${where}: hosts must be a list of addresses`);
      return { op: 'split', group: text(value.group, where, 'group'), hosts: value.hosts, ...(value.name === undefined ? {} : { name: text(value.name, where, 'name') }) };
    }
    case 'rename':
      return { op: 'rename', group: text(value.group, where, 'group'), name: text(value.name, where, 'name') };
    case 'pin':
      return { op: 'pin', ip: text(value.ip, where, 'ip'), pinned: flag(value.pinned, where, 'pinned') };
    case 'cut':
      return { op: 'cut', clusters: integer(value.clusters, where, 'clusters') };
    default:
      throw new WorkspaceError(`${where}: unknown grouping operation ${JSON.stringify(value.op)}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

function text(value: unknown, where: string, name: string): string {
  if (typeof value !== 'string') throw new WorkspaceError(`${where}: ${name} must be text`);
  return value;
}

function texts(value: unknown, where: string, name: string): string[] {
  if (!Array.isArray(value) || !value.every(isString)) throw new WorkspaceError(`${where}: ${name} must be a list of text`);
  return value;
}

function integer(value: unknown, where: string, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new WorkspaceError(`${where}: ${name} must be a whole number`);
  return value;
}

function flag(value: unknown, where: string, name: string): boolean {
  if (typeof value !== 'boolean') throw new WorkspaceError(`${where}: ${name} must be true or false`);
  return value;
}
