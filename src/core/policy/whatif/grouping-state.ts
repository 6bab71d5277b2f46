import type { InternalGroupSpec } from '../generate-rules';

/**
 * The analyst's grouping as an immutable value: groups with names and pins,
 * every internal host's group, and the hosts pinned where they are (a moved
 * dendrogram cut leaves them alone). Operations (grouping-ops.ts) return a
 * new state and never change the old one, so undo is keeping the old one.
 */
export interface WhatIfGroup extends InternalGroupSpec {
  /** Set by rename: the analyst's name wins over the discovered one. */
  readonly renamed: boolean;
}

export interface GroupingState {
  readonly groups: ReadonlyMap<string, WhatIfGroup>;
  readonly assignment: ReadonlyMap<string, string>;
  readonly pinned: ReadonlySet<string>;
  /** The next "gN" id for a group created by a split or a cut. */
  readonly nextId: number;
  /** Clusters of the last cut moved here; null while discovery's own cut stands. */
  readonly clusters: number | null;
}

export function initialState(groups: readonly InternalGroupSpec[], assignment: ReadonlyMap<string, string>): GroupingState {
  let highest = 0;
  for (const group of groups) {
    const match = /^g(\d+)$/.exec(group.id);
    if (match !== null) highest = Math.max(highest, Number(match[1]));
  }
  return {
    groups: new Map(groups.map((group) => [group.id, { ...group, renamed: false }])),
    assignment: new Map(assignment),
    pinned: new Set(),
    nextId: highest + 1,
    clusters: null,
  };
}

/** Members per group, in the assignment's order. */
export function membersOf(state: GroupingState): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const group of state.groups.keys()) members.set(group, []);
  for (const [ip, group] of state.assignment) members.get(group)?.push(ip);
  return members;
}
