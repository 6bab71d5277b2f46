import type { PolicyView } from '../../core/workbench/policy-view';
import type { MapNode } from './group-map';

/**
 * The hosts drawn inside groups the analyst expanded. A group shows at
 * most HOSTS_PER_GROUP of its members in place (the inspector lists them
 * all), and all expanded groups together stay within what is left of the
 * map's node budget, so expanding never breaks the map's limit.
 */
export const HOSTS_PER_GROUP = 30;

export const HOST_ROW = { header: 48, height: 28, footer: 28 } as const;

export interface ExpandedGroup {
  readonly group: string;
  readonly shown: readonly string[];
  /** Members not drawn (beyond the per-group or the map's budget). */
  readonly hidden: number;
}

export function expandedHosts(policy: Pick<PolicyView, 'groups'>, nodes: readonly MapNode[], expanded: readonly string[], budget: number): ExpandedGroup[] {
  const drawn = new Set(nodes.map((node) => node.id));
  const members = new Map(policy.groups.map((group) => [group.id, group.members]));
  let left = Math.max(0, budget);
  const result: ExpandedGroup[] = [];
  for (const group of expanded) {
    const list = members.get(group);
    if (!drawn.has(group) || list === undefined || list.length === 0) continue;
    const count = Math.min(list.length, HOSTS_PER_GROUP, left);
    left -= count;
    result.push({ group, shown: list.slice(0, count), hidden: list.length - count });
  }
  return result;
}

/** A group node's height with its hosts drawn inside it. */
export function expandedHeight(group: ExpandedGroup): number {
  return HOST_ROW.header + group.shown.length * HOST_ROW.height + (group.hidden > 0 ? HOST_ROW.footer : 8);
}
