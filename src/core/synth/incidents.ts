import type { SynthHost, ServiceUse } from './enterprise';

/**
 * Attacks and mistakes planted in the synthetic enterprise, with their
 * ground truth, so that anomaly detection can be measured (recall, false
 * flags): a port scan from a workstation, a burst of lateral movement over
 * SMB/RDP/SSH, a large upload from a database to a new internet address, a
 * dev application reaching the prod database, and a beacon to a new
 * external address. Each happens at a fixed share of the window.
 */
export type IncidentKind = 'scan' | 'lateral-movement' | 'exfiltration' | 'cross-environment' | 'new-external';

export interface Incident {
  readonly kind: IncidentKind;
  readonly client: SynthHost;
  /** Targets: (server, port) pairs. */
  readonly targets: readonly { readonly server: SynthHost; readonly port: number; readonly denied: boolean }[];
  readonly proto: 6 | 17;
  /** When it starts, as a share of the window (0..1), and how many hours it lasts. */
  readonly atShare: number;
  readonly hours: number;
  /** Connections per target per hour. */
  readonly perHour: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

export const INCIDENT_ADDRESSES = { exfiltration: '198.51.100.250', beacon: '203.0.113.250' } as const;

const SCAN_PORTS = [21, 22, 23, 80, 443, 445, 1433, 3306, 3389, 5432, 8080, 8443];

/**
 * The incidents for an enterprise's hosts and uses; adds the two external
 * addresses they need to `hosts`. Returns none when the enterprise lacks
 * the hosts they involve.
 */
export function plantIncidents(hosts: SynthHost[], uses: readonly ServiceUse[]): Incident[] {
  const workstations = hosts.filter((host) => host.kind === 'workstation');
  const servers = hosts.filter((host) => host.kind === 'server');
  const prodServers = servers.filter((host) => host.env === 'prod');
  const served = new Set(uses.filter((use) => !use.denied).flatMap((use) => use.servers.map((server) => `${server.ip}|${use.port}`)));
  const byDept = (dept: string): SynthHost | undefined => workstations.find((host) => host.dept === dept);
  const scanner = byDept('engineering') ?? workstations[0];
  const mover = byDept('finance') ?? workstations[1];
  const beaconing = byDept('sales') ?? workstations[2];
  const prodDb = prodServers.find((host) => host.tier === 'db');
  const devApp = servers.find((host) => host.env === 'dev' && host.tier === 'app' && host.app === prodDb?.app);
  if (scanner === undefined || mover === undefined || beaconing === undefined || prodDb === undefined || devApp === undefined) return [];
  const external = (ip: string, name: string): SynthHost => {
    const host: SynthHost = { ip, name, eni: null, kind: 'external', os: 'linux' };
    hosts.push(host);
    return host;
  };
  const dbPort = uses.find((use) => use.servers.includes(prodDb) && !use.denied && use.client.tier === 'app')?.port ?? 5432;
  return [
    {
      kind: 'scan',
      client: scanner,
      targets: prodServers.flatMap((server) => SCAN_PORTS.map((port) => ({ server, port, denied: !served.has(`${server.ip}|${port}`) }))),
      proto: 6,
      atShare: 0.55,
      hours: 1,
      perHour: 1,
      requestBytes: 60,
      responseBytes: 60,
    },
    {
      kind: 'lateral-movement',
      client: mover,
      targets: servers.slice(0, 10).flatMap((server) => (server.os === 'windows' ? [445, 3389] : [22]).map((port) => ({ server, port, denied: false }))),
      proto: 6,
      atShare: 0.65,
      hours: 1,
      perHour: 1,
      requestBytes: 20_000,
      responseBytes: 40_000,
    },
    {
      kind: 'exfiltration',
      client: prodDb,
      targets: [{ server: external(INCIDENT_ADDRESSES.exfiltration, 'exfiltration-drop'), port: 443, denied: false }],
      proto: 6,
      atShare: 0.75,
      hours: 1,
      perHour: 4,
      requestBytes: 200_000_000,
      responseBytes: 20_000,
    },
    {
      kind: 'cross-environment',
      client: devApp,
      targets: [{ server: prodDb, port: dbPort, denied: false }],
      proto: 6,
      atShare: 0.6,
      hours: 2,
      perHour: 6,
      requestBytes: 900,
      responseBytes: 12_000,
    },
    {
      kind: 'new-external',
      client: beaconing,
      targets: [{ server: external(INCIDENT_ADDRESSES.beacon, 'beacon-c2'), port: 8443, denied: false }],
      proto: 6,
      atShare: 0.7,
      hours: 10_000,
      perHour: 1,
      requestBytes: 400,
      responseBytes: 300,
    },
  ];
}

/**
 * Planted incidents and the refused dev → prod attempts the enterprise always
 * has: what detection should find. The external addresses incidents reach
 * exist only for them, so each is also a new external contact (the
 * exfiltration drop as well as the beacon).
 */
export function expectedAnomalies(incidents: readonly Incident[], uses: readonly ServiceUse[]): { kind: IncidentKind; client: string; servers: string[] }[] {
  const expected = incidents.map((incident) => ({ kind: incident.kind, client: incident.client.ip, servers: [...new Set(incident.targets.map((target) => target.server.ip))] }));
  for (const incident of incidents) {
    if (incident.kind === 'new-external') continue;
    const external = [...new Set(incident.targets.filter((target) => target.server.kind === 'external').map((target) => target.server.ip))];
    if (external.length > 0) expected.push({ kind: 'new-external', client: incident.client.ip, servers: external });
  }
  for (const use of uses) {
    const crossing = use.servers.filter((server) => server.env !== undefined && use.client.env !== undefined && server.env !== use.client.env);
    if (crossing.length > 0) expected.push({ kind: 'cross-environment', client: use.client.ip, servers: crossing.map((server) => server.ip) });
  }
  return expected;
}

/**
 * Recall and false flags of detected anomalies against the expected ones
 * that actually happened (`observed` edge keys "client|server"): an expected
 * anomaly is found when a detection of the same kind has its client as
 * source and one of its servers as destination (or names several hosts, for
 * scans and fan-outs); a detection matching no expected anomaly, a right
 * pair under the wrong kind included, is a false flag.
 */
export function scoreAnomalies(
  expected: readonly { kind: IncidentKind; client: string; servers: readonly string[] }[],
  found: readonly { kind: string; src: string; dst: string }[],
  observed: ReadonlySet<string>,
): { expected: number; found: number; recall: number; falseFlags: number; missed: string[]; false: string[] } {
  const happened = expected.filter((entry) => entry.servers.some((server) => observed.has(`${entry.client}|${server}`)));
  const matches = (entry: (typeof expected)[number], detection: (typeof found)[number]): boolean =>
    detection.kind === entry.kind && detection.src === entry.client && (entry.servers.includes(detection.dst) || / hosts$/.test(detection.dst));
  const missed = happened.filter((entry) => !found.some((detection) => matches(entry, detection)));
  const falseFlags = found.filter((detection) => !happened.some((entry) => matches(entry, detection)));
  return {
    expected: happened.length,
    found: happened.length - missed.length,
    recall: happened.length === 0 ? 1 : (happened.length - missed.length) / happened.length,
    falseFlags: falseFlags.length,
    missed: missed.map((entry) => `${entry.kind} ${entry.client}`),
    false: falseFlags.map((detection) => `${detection.kind} ${detection.src} → ${detection.dst}`),
  };
}
