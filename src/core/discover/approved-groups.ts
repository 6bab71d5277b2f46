import { parseJsonText } from '../util/json-text';

/** A group an analyst approved in an earlier run: kept as it is (id, name, members still present). */
export interface ApprovedGroup {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
}

/**
 * Reads the groups an analyst approved: a JSON array of {id, name, members},
 * or an object with such a "groups" array (a previous `analyze --json`
 * output, trimmed to the approved groups). Throws a message naming what is
 * wrong and where.
 */
export function parseApprovedGroups(text: string): ApprovedGroup[] {
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (error) {
    throw new Error(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = Array.isArray(value) ? value : (value as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(list)) throw new Error('expected an array of groups, or an object with a "groups" array');
  const ids = new Set<string>();
  return list.map((entry: unknown, index) => {
    const group = entry as Partial<Record<'id' | 'name' | 'members', unknown>> | null;
    const where = `groups[${index}]`;
    if (typeof group?.id !== 'string' || !/^[\w.-]{1,64}$/.test(group.id)) throw new Error(`${where}.id: expected a short identifier (letters, digits, _ . -)`);
    if (ids.has(group.id)) throw new Error(`${where}.id: "${group.id}" appears twice`);
    ids.add(group.id);
    if (typeof group.name !== 'string' || group.name.length === 0) throw new Error(`${where}.name: expected a non-empty string`);
    if (!Array.isArray(group.members) || group.members.length === 0 || !group.members.every((member) => typeof member === 'string')) {
      throw new Error(`${where}.members: expected a non-empty array of addresses`);
    }
    return { id: group.id, name: group.name, members: group.members as string[] };
  });
}
