import { ADMIN_SERVICE_KEYS, ROLE_DEPENDENT_ADMIN_SERVICES, serviceKey } from '../../flow/admin-services';
import { Action } from '../../flow/record';
import { compareText } from '../../util/compare';
import { baselineEnd, type CaptureOptions, type CaptureWindow } from './capture-window';
import { isBareHandshake, type ScanOptions } from './scan';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, duration, iso, sortedEdgeKeys, summariseTargets, targetKey } from './types';

export const LATERAL_DEFAULTS = {
  /**
   * At least this many servers first reached over admin services in one
   * burst. A person administers a server or two at a time; a worm or an
   * operator with stolen credentials goes through many. Five is above a
   * workstation's own new admin targets on any one day (its file servers
   * and domain controllers are role servers, see lateralRoleClients).
   */
  lateralTargets: 5,
  /**
   * The burst's span: a working morning. Tools sweep in minutes, a person
   * at the keyboard takes hours; four hours catches both and stays well
   * under a day, so a daily routine is not one burst.
   */
  lateralBurstMs: 4 * 3_600_000,
  /**
   * The burst must hold at least this share of all the servers the source
   * first reached over admin services after the baseline: judged against
   * the host's own history. A jump host reaches new servers all day long,
   * so no four hours of its day hold three quarters of them; an attacker's
   * burst is nearly all of the host's new admin reach.
   */
  lateralBurstShare: 0.75,
  /**
   * The baseline (CAPTURE_DEFAULTS.baselineShare of the window, during which
   * everything is first seen) lasts at most a day: a day shows every daily
   * routine once, and a longer baseline would hide the first days of a long
   * capture.
   */
  lateralBaselineCapMs: 24 * 3_600_000,
  /**
   * SMB and RPC are the everyday role of file servers and domain
   * controllers: into a server with at least this many answered clients on
   * the service, they are that server's role, not administration. An
   * attacker's targets have one client (it), an admin's a few.
   */
  lateralRoleClients: 5,
  /**
   * A sweep of admin services alone (SSH to every node and pod in reach)
   * reads as an attempt to move only where at least this share of the
   * hosts it tried exist: traffic with someone else says so. Someone moving
   * goes to hosts they have learned of; a sweep of an address range finds
   * mostly nothing, since address plans leave most of every subnet free
   * (a hospital's SMB/RDP sweep of 508 addresses met 24 hosts in use).
   * Half is the line between the two.
   */
  lateralKnownTargetShare: 0.5,
} as const;

export type LateralOptions = { readonly [K in keyof typeof LATERAL_DEFAULTS]: number } & CaptureOptions & Pick<ScanOptions, 'scanHandshakeBytes' | 'scanProbeFlows'>;

const ROLE_DEPENDENT = new Set(ROLE_DEPENDENT_ADMIN_SERVICES.map(serviceKey));

/** "server|proto|port" of role-dependent admin services that are the server's role (many answered clients). */
export function roleServices(edges: readonly AnomalyEdge[], options: Pick<LateralOptions, 'lateralRoleClients'>): Set<string> {
  const clients = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (edge.action === Action.deny || !ROLE_DEPENDENT.has(serviceKey(edge))) continue;
    const key = targetKey(edge);
    let set = clients.get(key);
    if (set === undefined) clients.set(key, (set = new Set()));
    set.add(edge.client);
  }
  const roles = new Set<string>();
  for (const [key, set] of clients) if (set.size >= options.lateralRoleClients) roles.add(key);
  return roles;
}

interface Target {
  readonly server: string;
  readonly key: string;
  first: number | null;
  /** Any attempt not refused: a verdict other than deny, or, in a record with none, flows that carried data (isBareHandshake). */
  answered: boolean;
  readonly edges: AnomalyEdge[];
}

/**
 * A host's first use of admin services on many internal servers in one
 * short span, making up most of its new admin reach (lateral movement).
 * Refused attempts count: an attempt that bounced is as much a try as one
 * that got in. Null when not, or when the source is not internal.
 */
export function findLateralMovement(
  source: string,
  edges: readonly AnomalyEdge[],
  context: { readonly hosts: ReadonlyMap<string, AnomalyHost>; readonly window: CaptureWindow | null; readonly roles: ReadonlySet<string> },
  options: LateralOptions,
): Anomaly | null {
  const { hosts, window, roles } = context;
  if (window === null || hosts.get(source)?.internal !== true) return null;
  const targets = new Map<string, Target>();
  for (const edge of edges) {
    if (!ADMIN_SERVICE_KEYS.has(serviceKey(edge)) || hosts.get(edge.server)?.internal !== true) continue;
    const key = targetKey(edge);
    if (roles.has(key)) continue;
    let target = targets.get(key);
    if (target === undefined) targets.set(key, (target = { server: edge.server, key, first: null, answered: false, edges: [] }));
    target.edges.push(edge);
    if (edge.firstMs !== null && (target.first === null || edge.firstMs < target.first)) target.first = edge.firstMs;
    if (edge.action !== Action.deny && !isBareHandshake(edge, options)) target.answered = true;
  }
  const baseline = baselineEnd(window, options.baselineShare, options.lateralBaselineCapMs);
  // New targets: first reached after the baseline, or during it but only ever refused: a host's routine is
  // answered, so refusals are no routine the baseline must learn. A target without a time is history, never new.
  const fresh = [...targets.values()].filter((target) => target.first !== null && (target.first > baseline || !target.answered));
  const freshServers = new Set(fresh.map((target) => target.server)).size;
  if (freshServers < options.lateralTargets) return null;
  fresh.sort((a, b) => a.first! - b.first! || compareText(a.key, b.key));
  // Sliding window over first times: the span with the most distinct new servers.
  const inWindow = new Map<string, number>();
  let best: { from: number; to: number; servers: number } | null = null;
  for (let from = 0, to = 0; from < fresh.length; from++) {
    while (to < fresh.length && fresh[to]!.first! - fresh[from]!.first! <= options.lateralBurstMs) {
      inWindow.set(fresh[to]!.server, (inWindow.get(fresh[to]!.server) ?? 0) + 1);
      to++;
    }
    const servers = inWindow.size;
    if (servers >= options.lateralTargets && servers >= options.lateralBurstShare * freshServers && (best === null || servers > best.servers)) best = { from, to, servers };
    const left = fresh[from]!.server;
    const count = inWindow.get(left)! - 1;
    if (count === 0) inWindow.delete(left);
    else inWindow.set(left, count);
  }
  if (best === null) return null;
  const burst = fresh.slice(best.from, best.to);
  const burstEdges = burst.flatMap((target) => target.edges);
  const start = burst[0]!.first!;
  const span = burst[burst.length - 1]!.first! - start;
  const before = new Set([...targets.values()].filter((target) => target.first === null || target.first < start).map((target) => target.server)).size;
  const refused = burst.filter((target) => !target.answered).length;
  const early = new Set(fresh.filter((target) => target.first! <= baseline).map((target) => target.server)).size;
  const { dst, ports, flows } = summariseTargets(burstEdges);
  return {
    kind: 'lateral-movement',
    src: source,
    dst,
    ports,
    flows,
    reason:
      `first used admin services (${ports.join(', ')}) on ${best.servers} servers within ${duration(span)} from ${iso(start)}` +
      ` (${burst.length} new targets, ${refused} only refused): ${best.servers} of the ${freshServers} servers it first reached that way after the baseline ending ${iso(baseline)}${early > 0 ? ` or, only ever refused, during it (${early})` : ''};` +
      ` before the burst it had reached ${before} that way`,
    edges: sortedEdgeKeys(burstEdges),
  };
}
