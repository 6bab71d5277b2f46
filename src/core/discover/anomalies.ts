import { ADMIN_SERVICE_KEYS, serviceKey } from '../flow/admin-services';
import { compareText } from '../util/compare';
import { groupBy } from '../util/multimap';
import { CAPTURE_DEFAULTS, captureWindow } from './anomalies/capture-window';
import { CROSS_ENVIRONMENT_DEFAULTS, findCrossEnvironment } from './anomalies/cross-environment';
import { ENVIRONMENT_DEFAULTS, inferEnvironments } from './anomalies/environment-inference';
import { EXFILTRATION_DEFAULTS, findExfiltration, type TransferPeaks } from './anomalies/exfiltration';
import { findLateralMovement, LATERAL_DEFAULTS, roleServices } from './anomalies/lateral-movement';
import { findNewExternal, NEW_EXTERNAL_DEFAULTS } from './anomalies/new-external';
import { findCopyCrossings } from './anomalies/copy-crossing';
import { findScan, isBareProbe, SCAN_DEFAULTS } from './anomalies/scan';
import { Action } from '../flow/record';
import type { Anomaly, AnomalyEdge, AnomalyHost } from './anomalies/types';
import { findZoneCrossings, ZONE_DEFAULTS } from './anomalies/zone-crossing';

export type { Anomaly, AnomalyEdge, AnomalyHost, AnomalyKind } from './anomalies/types';
export { edgeKey } from './anomalies/types';
export type { TransferPeaks } from './anomalies/exfiltration';

/**
 * Traffic that must not be blessed into policy: scans, bursts of lateral
 * movement over admin services, large transfers to external addresses,
 * crossings between environments, and external destinations first seen
 * late in the window. Each anomaly names its kind, source, destination,
 * ports, flows and a reason with the evidence; its edges are flagged so
 * policy leaves them out until an analyst accepts them. One detector per
 * file under anomalies/, each with its thresholds (and why they hold).
 */
export const ANOMALY_DEFAULTS = {
  ...CAPTURE_DEFAULTS,
  ...SCAN_DEFAULTS,
  ...LATERAL_DEFAULTS,
  ...EXFILTRATION_DEFAULTS,
  ...NEW_EXTERNAL_DEFAULTS,
  ...ENVIRONMENT_DEFAULTS,
  ...CROSS_ENVIRONMENT_DEFAULTS,
  ...ZONE_DEFAULTS,
} as const;

export type AnomalyOptions = { readonly [K in Exclude<keyof typeof ANOMALY_DEFAULTS, 'sharedEnvironments'>]: number } & {
  readonly sharedEnvironments: readonly string[];
};

/**
 * Every anomaly, sorted by kind, source and destination. `options` overrides
 * ANOMALY_DEFAULTS; `peaks` holds the external services' busiest
 * transferWindowHours (loadTransferPeaks), without which each counts its
 * whole bytes.
 */
export function findAnomalies(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>, options: Partial<AnomalyOptions> = {}, peaks: TransferPeaks = new Map()): Anomaly[] {
  const settings: AnomalyOptions = { ...ANOMALY_DEFAULTS, ...options };
  const window = captureWindow(edges);
  const roles = roleServices(edges, settings);
  const bySource = groupBy(edges, (edge) => edge.client);
  const counterparts = soleCounterparts(edges);
  // Read only when a scan probes admin services alone.
  let inUse: Set<string> | undefined;
  const anomalies: Anomaly[] = [];
  for (const source of [...bySource.keys()].sort(compareText)) {
    const own = bySource.get(source)!;
    const scan = findScan(source, own, settings, (ip) => counterparts.get(ip) ?? null);
    // A scanner's admin ports are part of its scan, not a separate movement; but probes on admin services
    // alone at hosts that exist (SSH to every node and pod in reach) are an attempt to move, and read as one
    // where the burst holds. A sweep of a range, most of it empty, stays a scan whatever its ports.
    const adminOnly = scan !== null && probesAdminOnly(scan);
    const known = adminOnly ? targetsInUse(scan, (inUse ??= hostsInUse(edges, settings))) : null;
    const moving = known !== null && known.inUse >= settings.lateralKnownTargetShare * known.hosts;
    const lateral = scan === null || moving ? findLateralMovement(source, own, { hosts, window, roles }, settings) : null;
    if (lateral !== null) anomalies.push(lateral);
    else if (scan !== null) {
      // Admin services alone, yet a scan: say why it is not read as a move.
      const why = known === null ? '' : moving ? '; admin services only, at hosts in use, but the lateral-movement rule does not hold for it' : `; admin services only, but ${known.inUse} of its ${known.hosts} hosts are in use: a sweep of a range, not a move`;
      anomalies.push(why === '' ? scan : { ...scan, reason: scan.reason + why });
    }
  }
  const more = [
    findExfiltration(edges, hosts, settings, peaks),
    findNewExternal(edges, hosts, window, settings),
  ];
  // Environments by label first; zones of the address plan find the crossings no label names.
  const inference = inferEnvironments(edges, hosts, settings);
  const crossings = findCrossEnvironment(edges, hosts, inference, settings);
  // Then copies of one application in one block (copy-crossing.ts); each pair flagged once, by the first that finds it.
  const found = new Set(crossings.map((anomaly) => `${anomaly.src}|${anomaly.dst}`));
  const unflagged = (list: readonly Anomaly[]): Anomaly[] => list.filter((anomaly) => !found.has(`${anomaly.src}|${anomaly.dst}`));
  const zones = unflagged(findZoneCrossings(edges, hosts, inference, settings));
  for (const anomaly of zones) found.add(`${anomaly.src}|${anomaly.dst}`);
  more.push(crossings, zones, unflagged(findCopyCrossings(edges, hosts, inference, window, settings)));
  for (const list of more) for (const anomaly of list) anomalies.push(anomaly);
  return anomalies.sort((a, b) => compareText(a.kind, b.kind) || compareText(a.src, b.src) || compareText(a.dst, b.dst));
}

/** True when every edge of a scan is on an admin service (its keys are "client|server|proto|port"). */
function probesAdminOnly(scan: Anomaly): boolean {
  return scan.edges.every((key) => {
    const [, , proto, port] = key.split('|');
    return ADMIN_SERVICE_KEYS.has(serviceKey({ proto: Number(proto), port: Number(port) }));
  });
}

/**
 * Hosts in use: each sent something that was not refused, or was reached by
 * someone (the scan's source included) on an edge that was neither refused
 * nor a bare probe of no verdict (isBareProbe). An empty address only ever
 * receives probes, whoever sends them (a ping sweep first).
 */
function hostsInUse(edges: readonly AnomalyEdge[], settings: AnomalyOptions): Set<string> {
  const inUse = new Set<string>();
  for (const edge of edges) {
    if (edge.action === Action.deny) continue;
    inUse.add(edge.client);
    if (!isBareProbe(edge, settings)) inUse.add(edge.server);
  }
  return inUse;
}

/** A scan's hosts, and how many of them are in use. */
function targetsInUse(scan: Anomaly, inUse: ReadonlySet<string>): { hosts: number; inUse: number } {
  const targets = new Set(scan.edges.map((key) => key.split('|')[1]!));
  let count = 0;
  for (const target of targets) if (inUse.has(target)) count++;
  return { hosts: targets.size, inUse: count };
}

/** Per address, the one address it exchanged traffic with, or null when it has several. */
function soleCounterparts(edges: readonly AnomalyEdge[]): Map<string, string | null> {
  const sole = new Map<string, string | null>();
  const note = (ip: string, peer: string): void => {
    const known = sole.get(ip);
    if (known === undefined) sole.set(ip, peer);
    else if (known !== null && known !== peer) sole.set(ip, null);
  };
  for (const edge of edges) {
    note(edge.client, edge.server);
    note(edge.server, edge.client);
  }
  return sole;
}
