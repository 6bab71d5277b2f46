import type { Dendrogram } from '../../discover/dendrogram';
import type { GroupingState, WhatIfGroup } from './grouping-state';

/** One regrouping an analyst can make; each is applied by a pure function. */
export type GroupingOp =
  | { readonly op: 'move'; readonly ip: string; readonly to: string }
  | { readonly op: 'merge'; readonly from: string; readonly into: string }
  | { readonly op: 'split'; readonly group: string; readonly hosts: readonly string[]; readonly name?: string }
  | { readonly op: 'rename'; readonly group: string; readonly name: string }
  | { readonly op: 'pin'; readonly ip: string; readonly pinned: boolean }
  | { readonly op: 'cut'; readonly clusters: number };

export class GroupingError extends Error {}

function requireGroup(state: GroupingState, id: string): WhatIfGroup {
  const group = state.groups.get(id);
  if (group === undefined) throw new GroupingError(`no group ${id}`);
  return group;
}

function requireHost(state: GroupingState, ip: string): string {
  const group = state.assignment.get(ip);
  if (group === undefined) throw new GroupingError(`${ip} is not an internal host of this analysis`);
  return group;
}

/** Drops groups left without members (a merge or a move can empty one). */
function withoutEmpty(groups: Map<string, WhatIfGroup>, assignment: ReadonlyMap<string, string>): Map<string, WhatIfGroup> {
  const used = new Set(assignment.values());
  for (const id of [...groups.keys()]) if (!used.has(id)) groups.delete(id);
  return groups;
}

export function applyOp(state: GroupingState, op: GroupingOp, dendrogram?: Dendrogram): GroupingState {
  switch (op.op) {
    case 'move': {
      requireGroup(state, op.to);
      if (requireHost(state, op.ip) === op.to) return state;
      const assignment = new Map(state.assignment).set(op.ip, op.to);
      return { ...state, assignment, groups: withoutEmpty(new Map(state.groups), assignment) };
    }
    case 'merge': {
      requireGroup(state, op.from);
      requireGroup(state, op.into);
      if (op.from === op.into) return state;
      const assignment = new Map(state.assignment);
      for (const [ip, group] of assignment) if (group === op.from) assignment.set(ip, op.into);
      const groups = new Map(state.groups);
      groups.delete(op.from);
      return { ...state, assignment, groups };
    }
    case 'split': {
      const source = requireGroup(state, op.group);
      if (op.hosts.length === 0) throw new GroupingError('a split needs at least one host');
      for (const ip of op.hosts) if (requireHost(state, ip) !== op.group) throw new GroupingError(`${ip} is not in ${op.group}`);
      const id = `g${state.nextId}`;
      const assignment = new Map(state.assignment);
      for (const ip of op.hosts) assignment.set(ip, id);
      const groups = new Map(state.groups).set(id, { ...source, id, name: op.name ?? `${source.name} (split)`, renamed: op.name !== undefined });
      return { ...state, assignment, groups: withoutEmpty(groups, assignment), nextId: state.nextId + 1 };
    }
    case 'rename': {
      const group = requireGroup(state, op.group);
      if (op.name.trim().length === 0) throw new GroupingError('a group name cannot be empty');
      return { ...state, groups: new Map(state.groups).set(op.group, { ...group, name: op.name, renamed: true }) };
    }
    case 'pin': {
      requireHost(state, op.ip);
      const pinned = new Set(state.pinned);
      if (op.pinned) pinned.add(op.ip);
      else pinned.delete(op.ip);
      return { ...state, pinned };
    }
    case 'cut':
      if (dendrogram === undefined) throw new GroupingError('moving the cut needs the dendrogram of this analysis');
      return recut(state, dendrogram.cut(op.clusters), op.clusters);
  }
}

/**
 * A new cut, with stable ids: each new cluster takes the id of the existing
 * group most of its hosts were in (largest clusters choose first), otherwise
 * a new id. Pinned hosts stay in their groups.
 */
function recut(state: GroupingState, clusters: readonly string[][], count: number): GroupingState {
  const order = clusters.map((members, index) => ({ members, index })).sort((a, b) => b.members.length - a.members.length || a.index - b.index);
  const taken = new Set<string>();
  const assignment = new Map(state.assignment);
  const groups = new Map<string, WhatIfGroup>();
  let nextId = state.nextId;
  for (const { members } of order) {
    const votes = new Map<string, number>();
    for (const ip of members) {
      const group = state.assignment.get(ip);
      if (group !== undefined && !taken.has(group)) votes.set(group, (votes.get(group) ?? 0) + 1);
    }
    let best: string | null = null;
    for (const [group, count] of votes) if (best === null || count > votes.get(best)! || (count === votes.get(best)! && group < best)) best = group;
    const id = best ?? `g${nextId++}`;
    taken.add(id);
    const template = state.groups.get(best ?? state.assignment.get(members[0]!) ?? '');
    groups.set(id, template === undefined ? { id, name: id, kind: 'application', labels: {}, renamed: false } : { ...template, id, name: best === null ? `${template.name} (cut)` : template.name });
    for (const ip of members) if (!state.pinned.has(ip)) assignment.set(ip, id);
  }
  // Pinned hosts keep groups that the cut may otherwise have dissolved.
  for (const ip of state.pinned) {
    const id = assignment.get(ip)!;
    if (!groups.has(id)) groups.set(id, state.groups.get(id)!);
  }
  return { ...state, assignment, groups: withoutEmpty(groups, assignment), nextId, clusters: count };
}
