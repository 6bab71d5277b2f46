import type { FileReport } from '../ingest/file-report';
import { GroupResolver } from '../policy/membership';
import type { PolicyHost } from '../policy/policy-input';
import { isOpen, type Policy } from '../policy/policy-model';
import { serviceId } from '../policy/rule-builder';
import type { EdgeVerdict } from '../policy/simulate';
import { compareText } from '../util/compare';
import type { OwnerGroups } from './owners';
import type { PackCoverage, PackReplay } from './pack-model';

const MS_PER_HOUR = 3_600_000;
/**
 * Silent hours that count as a gap in the data. Every live estate makes
 * flows every hour (DNS, NTP, monitoring scrapes, directory traffic), so two
 * silent hours in a row are missing data, not a quiet night; a single one can
 * be an export batch that landed in the next hour.
 */
export const GAP_HOURS = 2;
const MAX_ESCAPED_LISTED = 50;

/**
 * Per owner, how the replayed flows fare: the edges touching the owner's
 * hosts that the policy permits and those it would block, and the ordered
 * host pairs (one end the owner's) that may connect with no policy against
 * with this one's open rules.
 */
export function replayByOwner(policy: Policy, owners: readonly OwnerGroups[], verdicts: readonly EdgeVerdict[], hosts: ReadonlyMap<string, PolicyHost>): Map<string, PackReplay> {
  const resolver = new GroupResolver(policy.groups, policy.settings);
  const internal = [...hosts.values()].filter((host) => host.scope === 'internal').sort((a, b) => compareText(a.sortKey, b.sortKey));
  const groupsOf = new Map(internal.map((host) => [host.ip, resolver.groupsOf(host)]));
  const open = new Set(policy.rules.filter(isOpen).map((rule) => `${rule.from}\u0000${rule.to}`));
  const reaches = (client: string, server: string): boolean => {
    for (const from of groupsOf.get(client) ?? []) for (const to of groupsOf.get(server) ?? []) if (open.has(`${from}\u0000${to}`)) return true;
    return false;
  };

  const result = new Map<string, PackReplay>();
  for (const owner of owners) {
    const ids = new Set(owner.groups.map((group) => group.id));
    const owned = new Set(internal.filter((host) => (groupsOf.get(host.ip) ?? []).some((group) => ids.has(group))).map((host) => host.ip));
    const touching = verdicts.filter((verdict) => verdict.verdict !== 'rejected' && (owned.has(verdict.edge.client) || owned.has(verdict.edge.server)));
    const escaped = touching.filter((verdict) => verdict.verdict === 'escaped');
    let after = 0;
    for (const mine of owned) {
      for (const other of internal) {
        if (other.ip === mine) continue;
        if (reaches(mine, other.ip)) after++;
        // A pair with both ends owned is counted once, from its client's side.
        if (!owned.has(other.ip) && reaches(other.ip, mine)) after++;
      }
    }
    const k = owned.size;
    const n = internal.length;
    result.set(owner.slug, {
      permittedEdges: touching.length - escaped.length,
      escapedEdges: escaped.length,
      permittedFlows: touching.reduce((sum, verdict) => sum + verdict.permittedFlows, 0),
      escapedFlows: touching.reduce((sum, verdict) => sum + verdict.escapedFlows, 0),
      escaped: escaped
        .sort((a, b) => b.escapedFlows - a.escapedFlows || compareText(a.edge.client, b.edge.client) || compareText(a.edge.server, b.edge.server) || a.edge.proto - b.edge.proto || a.edge.port - b.edge.port)
        .slice(0, MAX_ESCAPED_LISTED)
        .map((verdict) => ({ client: verdict.edge.client, server: verdict.edge.server, service: serviceId(verdict.edge.proto, verdict.edge.port < 0 ? null : { from: verdict.edge.port, to: verdict.edge.port }), flows: verdict.escapedFlows, reason: verdict.reason })),
      // Ordered pairs of distinct internal hosts with at least one end owned: k·(n−1) from them, plus (n−k)·k to them.
      exposureBefore: k === 0 ? 0 : k * (n - 1) + (n - k) * k,
      exposureAfter: after,
    });
  }
  return result;
}

/** What the replayed data covers: its span, days and hours with traffic, its sources, and its gaps. */
export function packCoverage(hours: readonly { readonly hour: number; readonly flows: number }[], reports: readonly FileReport[]): PackCoverage {
  const iso = (hour: number): string => new Date(hour * MS_PER_HOUR).toISOString();
  const gaps: PackCoverage['gaps'][number][] = [];
  for (let index = 1; index < hours.length; index++) {
    const silent = hours[index]!.hour - hours[index - 1]!.hour - 1;
    if (silent >= GAP_HOURS) gaps.push({ from: iso(hours[index - 1]!.hour + 1), to: iso(hours[index]!.hour), hours: silent });
  }
  return {
    from: hours.length === 0 ? null : iso(hours[0]!.hour),
    to: hours.length === 0 ? null : iso(hours[hours.length - 1]!.hour + 1),
    daysObserved: new Set(hours.map((entry) => Math.floor(entry.hour / 24))).size,
    hoursObserved: hours.length,
    sources: reports.map((report) => ({ name: report.path.split(/[\\/]/).pop() ?? report.path, format: report.format ?? 'unrecognised', accepted: report.accepted, rejected: report.rejected })),
    gaps,
  };
}
