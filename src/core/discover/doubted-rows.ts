import { findLabel, INVENTORY_IDENTITY_KEYS, inventoryIdentityKeys, isPodLabelKey, labelKeyAliases } from '../enrich/label-keys';
import { compareText } from '../util/compare';
import { appendTo, getOrAdd } from '../util/multimap';
import { nameShape } from './name-siblings';
import type { ProfileHost } from './host-features';

/**
 * Inventory rows that the host's own name contradicts. A CMDB is wrong now
 * and then: a row copied from another server's, a host filed under the
 * application it was first built for. Such a row keeps its host apart from
 * the rest of its application (two rows alike are a record that splits a
 * group, join-by-identity.ts), and with the host the clients that stick to
 * it: one misfiled application server of a session-sticky pool leaves the
 * web replicas that talk to it in a group of their own.
 *
 * Many estates name hosts after what they run (p-tickets-app5: prod,
 * tickets, application tier), and the name is set when the host is built,
 * by whoever builds it, not typed again into the list. Where the estate's
 * names follow a key (most rows whose name holds one of the key's values
 * carry that value), a row whose name holds another value of the key, which
 * other rows named so carry, is doubted: the list and the name disagree.
 * What settles it is the host's namesakes (name-siblings.ts: the same
 * name, each digit run read as a counter; the hosts built by one
 * convention), as the pods of one workload outvote one pod's label
 * (workloads.ts): where at least `minConfirmingRows` of their undoubted rows
 * agree on one identity, more than on any other, the host is grouped under
 * it. Otherwise neither is taken over the
 * other (a host repurposed without a rename has a right row and a stale
 * name), and its identity keys are left out of grouping, so that behaviour
 * alone places it, as it places an unlisted host. Either way this is what
 * its profile, the workload identities and the environment split read; the
 * row itself stays on the host, shown, and flagged where it contradicts its
 * group. A recorded identity still joins only groups that behave alike
 * (join-by-identity.ts), so a name that is the stale one joins nothing that
 * behaviour keeps apart.
 *
 * A value is held by a name when its words (letters only, digits and
 * punctuation separate words) appear in order among the name's words: "web"
 * in p-tickets-web1, never in "webmail"; values of fewer than two letters
 * name nothing. A name holding two values of one key is ambiguous and
 * counts neither for the convention nor against a row.
 */
export const DOUBTED_ROW_DEFAULTS = {
  /**
   * Rows whose name holds exactly one value of a key, at least this many,
   * before the names count as a convention for that key: fewer are as
   * likely a few coincidences (a tier called "app" in "app01") as a
   * naming scheme.
   */
  minConventionRows: 4,
  /**
   * Share of those rows whose own value is the one their name holds. Names
   * that follow no convention agree with a key of k values about 1 in k
   * times; names that do agree as often as the list is right (a list wrong
   * on one row in four is no record anyone keeps). Three in four separates
   * the two with room on both sides.
   */
  minConventionShare: 0.75,
  /**
   * Other rows that carry the value a doubted row's name holds, named for
   * it, and namesakes' rows that agree on the identity the host is then
   * grouped under: two rows alike are a record
   * (JOIN_DEFAULTS.minRecordedSplit), one is as likely wrong as the row it
   * would overrule.
   */
  minConfirmingRows: 2,
};

export type DoubtedRowOptions = typeof DOUBTED_ROW_DEFAULTS;

/** Why a row is doubted, and what grouping reads instead. */
export interface RowDoubt {
  readonly name: string;
  /** Per contradicted key: what the row says, the value the name holds, and how many rows named for that value carry it. */
  readonly contradictions: readonly { readonly key: string; readonly recorded: string; readonly named: string; readonly confirming: number }[];
  /** The identity the namesakes' rows agree on (env, app, tier), and how many rows do; null: none, the row's identity is left out. */
  readonly namesakes: { readonly labels: ProfileHost['labels']; readonly rows: number } | null;
  /** The host's labels for grouping: its row's identity keys left out, the namesakes' identity in their place where they agree. */
  readonly labels: ProfileHost['labels'];
}

/** `names`: host names by address. Returns the doubted rows by address. */
export function doubtedRows(hosts: readonly ProfileHost[], names: ReadonlyMap<string, string>, options: DoubtedRowOptions = DOUBTED_ROW_DEFAULTS): Map<string, RowDoubt> {
  const keys = inventoryIdentityKeys(hosts);
  const doubts = new Map<number, RowDoubt['contradictions'][number][]>();
  for (const key of keys) {
    const recorded = hosts.map((host) => rowValue(host, key));
    // The key's values by their first word, so that a name is checked against the values it might hold, not all of them.
    const valuesByFirstWord = new Map<string, { value: string; words: string[] }[]>();
    for (const value of new Set(recorded)) {
      const valueWords = value === null ? [] : words(value);
      if (valueWords.join('').length >= 2) appendTo(valuesByFirstWord, valueWords[0]!, { value: value!, words: valueWords });
    }
    // Per row with a name that holds exactly one value of the key: that value.
    const heldByName = new Map<number, string>();
    hosts.forEach((host, index) => {
      const name = names.get(host.ip);
      if (recorded[index] === null || name === undefined) return;
      const nameWords = words(name);
      const held = new Set([...new Set(nameWords)].flatMap((word) => valuesByFirstWord.get(word) ?? []).filter((candidate) => holds(nameWords, candidate.words)).map((candidate) => candidate.value));
      if (held.size === 1) heldByName.set(index, [...held][0]!);
    });
    const agreeing = new Map<string, number>();
    for (const [index, held] of heldByName) if (recorded[index] === held) agreeing.set(held, (agreeing.get(held) ?? 0) + 1);
    const agreed = [...agreeing.values()].reduce((sum, count) => sum + count, 0);
    if (heldByName.size < options.minConventionRows || agreed < options.minConventionShare * heldByName.size) continue;
    for (const [index, held] of heldByName) {
      const confirming = agreeing.get(held) ?? 0;
      if (recorded[index] === held || confirming < options.minConfirmingRows) continue;
      getOrAdd(doubts, index, () => []).push({ key, recorded: recorded[index]!, named: held, confirming });
    }
  }
  const byShape = new Map<string, number[]>();
  hosts.forEach((host, index) => {
    const shape = nameShape(names.get(host.ip));
    if (shape !== null && !doubts.has(index)) appendTo(byShape, shape, index);
  });
  const result = new Map<string, RowDoubt>();
  for (const [index, contradictions] of [...doubts].sort((a, b) => a[0] - b[0])) {
    const host = hosts[index]!;
    const namesakes = namesakeIdentity(hosts, byShape.get(nameShape(names.get(host.ip)) ?? '') ?? [], keys, options);
    result.set(host.ip, { name: names.get(host.ip)!, contradictions, namesakes, labels: groupingLabels(host.labels, namesakes) });
  }
  return result;
}

/**
 * The identity the namesakes' undoubted rows agree on: carried by at least
 * `minConfirmingRows` of them and by more than any other; null where there
 * is none. Their names hold what the doubted host's does, so an undoubted
 * row among them carries the value its name holds wherever that
 * contradicted the doubted row.
 */
function namesakeIdentity(
  hosts: readonly ProfileHost[],
  namesakes: readonly number[],
  keys: readonly string[],
  options: DoubtedRowOptions,
): { labels: ProfileHost['labels']; rows: number } | null {
  const votes = new Map<string, { labels: ProfileHost['labels']; rows: number }>();
  for (const other of namesakes) {
    const values = keys.map((key) => rowLabel(hosts[other]!, key)?.value.trim() ?? '');
    if (values.some((value) => value === '')) continue;
    getOrAdd(votes, JSON.stringify(values), () => ({ labels: keys.map((key, k) => ({ key, value: values[k]! })), rows: 0 })).rows++;
  }
  const [first, second] = [...votes].sort((a, b) => b[1].rows - a[1].rows || compareText(a[0], b[0])).map(([, vote]) => vote);
  if (first === undefined || first.rows < options.minConfirmingRows || (second !== undefined && second.rows === first.rows)) return null;
  return first;
}

/** The host's inventory label for an identity key (any spelling), pod-list labels aside. */
const rowLabel = (host: ProfileHost, key: string): ProfileHost['labels'][number] | undefined => findLabel(host.labels.filter((candidate) => !isPodLabelKey(candidate.key)), key);

/** The host's inventory value of an identity key, lower case; null when it has none. */
function rowValue(host: ProfileHost, key: string): string | null {
  const value = rowLabel(host, key)?.value.trim().toLowerCase();
  return value === undefined || value === '' ? null : value;
}

/** A text's words: runs of letters, lower case. */
const words = (text: string): string[] => text.toLowerCase().split(/[^\p{L}]+/u).filter((word) => word !== '');

/** True when `part`'s words appear in order, one after another, among `whole`'s. */
function holds(whole: readonly string[], part: readonly string[]): boolean {
  if (part.length === 0) return false;
  for (let start = 0; start + part.length <= whole.length; start++) if (part.every((word, k) => whole[start + k] === word)) return true;
  return false;
}

const ROW_IDENTITY_KEYS = new Set(INVENTORY_IDENTITY_KEYS.flatMap((key) => labelKeyAliases(key)));

/** Labels for grouping a doubted host: the inventory identity keys (every spelling) left out, pod-list labels kept, the namesakes' identity added where they agree. */
export function groupingLabels(labels: ProfileHost['labels'], namesakes: RowDoubt['namesakes']): ProfileHost['labels'] {
  return [...labels.filter((label) => isPodLabelKey(label.key) || !ROW_IDENTITY_KEYS.has(label.key)), ...(namesakes?.labels ?? [])];
}

/** The sentence a doubted host's reason carries. */
export function doubtText(doubt: RowDoubt): string {
  const said = doubt.contradictions.map(({ key, recorded }) => `${key}=${recorded}`).join(', ');
  const held = doubt.contradictions.map(({ key, named, confirming }) => `${key} ${named} (as ${confirming} rows named so are filed)`).join(', ');
  const grouped =
    doubt.namesakes === null
      ? 'its namesakes agree on no identity, so behaviour alone placed it'
      : `it was grouped as ${doubt.namesakes.rows} rows of hosts named like it are filed (${doubt.namesakes.labels.map(({ key, value }) => `${key}=${value}`).join(', ')})`;
  return `its inventory row (${said}) was not used to group it: its name ${doubt.name} says ${held}; ${grouped}`;
}
