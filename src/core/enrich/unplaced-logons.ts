import { compareText } from '../util/compare';
import type { LogonSummary } from './host-profiles';

/** How many computers a warning names before it says "and N more". */
const NAMED = 5;

/**
 * A warning for the logons whose computer no inventory row or pod name
 * places at an address: their users cannot be shown on the host, and the
 * rules to it say "requesters: none seen". Null when every logon is placed.
 */
export function unplacedLogonsWarning(logons: readonly LogonSummary[]): string | null {
  let total = 0;
  const unplaced = new Map<string, number>();
  for (const logon of logons) {
    total += logon.count;
    if (logon.targetIp !== null) continue;
    const host = logon.targetHost.toLowerCase();
    unplaced.set(host, (unplaced.get(host) ?? 0) + logon.count);
  }
  if (unplaced.size === 0) return null;
  const count = [...unplaced.values()].reduce((sum, n) => sum + n, 0);
  const named = [...unplaced].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  const list = named.slice(0, NAMED).map(([host, n]) => `${host} (${n})`).join(', ');
  const more = named.length > NAMED ? ` and ${named.length - NAMED} more` : '';
  return (
    `${count} of ${total} logons are on computers no inventory row or pod name places at an address: ${list}${more}; ` +
    `their users are not shown on any host: add those computers to the inventory (name and address)`
  );
}
