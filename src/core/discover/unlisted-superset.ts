/**
 * Whether a group no row names does a recorded part's work and only a
 * little more (identity-subsets.ts): the PLC of a line that owns the remote
 * I/O, left out of the asset list, answers the line's stations and SCADA as
 * its filed siblings do, and scans its adapters besides.
 */

/** One round of identity-subsets.ts, by group index: what each group does. */
export interface SubsetView {
  /** Each group's keys: "answers tcp/502", "uses tcp/502@#4" (on group 4) or "@10.1.2.3" (on an outside host). */
  readonly keysOf: readonly ReadonlySet<string>[];
  /** Each group's clients per port answered: "tcp/502<-#4". */
  readonly servedOf: readonly ReadonlySet<string>[];
  /** The keys at least half of each group's hosts hold: its common work. */
  readonly typicalOf: readonly ReadonlySet<string>[];
  /** The served keys at least half of each group's hosts hold that say something of a role (roleServed). */
  readonly typicalServedOf: readonly ReadonlySet<string>[];
  /** A served key says something of a role: not a scrape agent, not answered by groups of several identities. */
  readonly roleServed: (key: string) => boolean;
  /** A key about group `a` or `b` (inside the pair once joined). */
  readonly within: (key: string, a: number, b: number) => boolean;
}

/**
 * The unnamed `large`'s extra keys over the part `small`, or null where it
 * does not do the part's common work for the same clients (its typical
 * keys; each port it typically answers, to the same client groups), or
 * does more than work for devices of its own plus `maxExtraDuties` other
 * things. A part that answers no role of its own has no clients to compare
 * (every client of `large` would pass for its own devices): null.
 */
export function unlistedExtraOver(view: SubsetView, small: number, large: number, maxExtraDuties: number): number | null {
  const { keysOf, servedOf, typicalOf, typicalServedOf, within } = view;
  if (typicalServedOf[small]!.size === 0) return null;
  const outside = (keys: ReadonlySet<string>) => [...keys].filter((key) => !within(key, small, large));
  const largeKeys = new Set(outside(keysOf[large]!));
  if (!outside(typicalOf[small]!).every((key) => largeKeys.has(key))) return null;
  if (!outside(typicalServedOf[small]!).every((key) => servedOf[large]!.has(key))) return null;
  // Its extra work for clients the part has none of is free (its own devices: the adapters a PLC scans answer it
  // and are scanned by it); anything else it does beyond the part is a duty.
  const clientGroups = new Set([...servedOf[small]!].map(clientGroupOf));
  const ownDevices = new Set(outside(servedOf[large]!).map(clientGroupOf).filter((group) => !clientGroups.has(group) && devicesOf(view, group, large)));
  const extra = [...largeKeys].filter((key) => !keysOf[small]!.has(key));
  const answeredToOthers = new Set(outside(servedOf[large]!).filter((key) => !ownDevices.has(clientGroupOf(key))).map((key) => `answers ${key.slice(0, key.lastIndexOf('<-'))}`));
  const ownDuty = (key: string): boolean => (key.startsWith('answers ') ? !answeredToOthers.has(key) : ownDevices.has(key.slice(key.lastIndexOf('@') + 1)));
  if (extra.filter((key) => !ownDuty(key)).length > maxExtraDuties) return null;
  return extra.length;
}

/**
 * Whether `group` ("#7") is devices `large` runs: `large` uses them (a PLC
 * scans its adapters; clients that only call it are no devices of it), and
 * they work for it alone: every use they make is of `large` or one `large`
 * makes too (the time server both keep time by), and every client they
 * answer is `large`, or answers what says nothing of a role.
 */
function devicesOf(view: SubsetView, group: string, large: number): boolean {
  const { keysOf, servedOf, roleServed } = view;
  const index = Number(group.slice(1));
  const mine = `#${large}`;
  return (
    [...keysOf[large]!].some((key) => key.startsWith('uses ') && key.endsWith(`@${group}`)) &&
    [...keysOf[index]!].every((key) => !key.startsWith('uses ') || key.endsWith(`@${mine}`) || keysOf[large]!.has(key)) &&
    [...servedOf[index]!].every((key) => clientGroupOf(key) === mine || !roleServed(key))
  );
}

/** The client group of a served key ("tcp/502<-#4": "#4"). */
function clientGroupOf(key: string): string {
  return key.slice(key.lastIndexOf('<-') + 2);
}
