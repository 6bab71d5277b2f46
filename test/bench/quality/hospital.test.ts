import { describe, expect, it } from 'vitest';
import { buildHospital, type HospitalBuild } from './generators/hospital/index';
import { isPrivate } from './generators/hospital/truth';
import type { ScenarioParams } from './scenario';

// The hospital scenario generator (Suricata EVE from a sensor at the data
// centre core): deterministic files, EVE events shaped as Suricata writes
// them, a truth that covers what the files hold, the sensor's blind spot
// inside each site, labels that follow the parameters, and planted attacks
// inside the training window.
//
// Legitimate edges are the uses the sensor could see (they touch the data
// centre or cross between sites): the harness only ever scores edges found
// in the data, and a policy learnt at the data-centre core neither sees nor
// governs a clinic desk printing down its own corridor. The model still
// has such uses; this test checks they stay out of both the files and the
// truth.

const params = (over: Partial<ScenarioParams> = {}): ScenarioParams => ({ seed: 2, labelCoverage: 0.5, wrongLabelRate: 0, oneWay: false, ...over });
const builds = new Map<string, HospitalBuild>();
const build = (over: Partial<ScenarioParams> = {}): HospitalBuild => {
  const key = JSON.stringify(params(over));
  let b = builds.get(key);
  if (b === undefined) builds.set(key, (b = buildHospital(params(over))));
  return b;
};
const events = (b: HospitalBuild): Record<string, unknown>[] => b.scenario.flows.flatMap((file) => (file.content as string).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
const flowEvents = (b: HospitalBuild) => events(b).filter((event) => event.event_type === 'flow') as unknown as Flow[];

interface Flow {
  timestamp: string;
  flow_id: number;
  in_iface: string;
  event_type: string;
  src_ip: string;
  src_port?: number;
  dest_ip: string;
  dest_port?: number;
  proto: string;
  app_proto?: string;
  flow: { pkts_toserver: number; pkts_toclient: number; bytes_toserver: number; bytes_toclient: number; start: string; end: string; age: number; state: string; reason: string; alerted: boolean };
  tcp?: { tcp_flags: string; tcp_flags_ts: string; tcp_flags_tc: string; syn?: boolean; fin?: boolean; rst?: boolean; psh?: boolean; ack?: boolean; state?: string };
}

const SURICATA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d{4}$/;
const epochMs = (time: string): number => Date.parse(`${time.slice(0, 23)}${time.slice(26, 29)}:${time.slice(29)}`);

describe('the hospital generator', () => {
  it('is deterministic: the same parameters give byte-identical files', () => {
    const a = build();
    const again = buildHospital(params());
    expect(again.scenario.flows).toEqual(a.scenario.flows);
    expect(again.scenario.inventories).toEqual(a.scenario.inventories);
    expect([...again.scenario.truth.legitimateEdges]).toEqual([...a.scenario.truth.legitimateEdges]);
    expect(buildHospital(params({ seed: 3 })).scenario.flows[0]!.content).not.toEqual(a.scenario.flows[0]!.content);
  });

  it('writes one eve.json per local day with flow events shaped as Suricata writes them', () => {
    const b = build();
    const { scenario } = b;
    expect(scenario.flows.map((file) => file.name)).toHaveLength(3);
    for (const file of scenario.flows) expect(file.name).toMatch(/^eve-\d{4}-\d\d-\d\d\.json$/);
    expect(scenario.trainUntilMs % 3_600_000).toBe(0);
    const all = events(b);
    expect(all.length).toBeLessThanOrEqual(150_000);
    const types = new Set(all.map((event) => event.event_type));
    for (const type of ['flow', 'dns', 'alert', 'stats']) expect(types.has(type), type).toBe(true);
    const flows = flowEvents(b);
    expect(flows.length / all.length).toBeGreaterThan(0.9);
    const ids = new Set<number>();
    const states = new Set<string>();
    const reasons = new Set<string>();
    const apps = new Set<string>();
    // Checked in plain code and reported together: 130k expect() calls would take most of the test's time.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, f: Flow): void => {
      if (!ok && problems.length < 20) problems.push(`${what}: ${JSON.stringify(f)}`);
    };
    for (const f of flows) {
      check(SURICATA_TIME.test(f.timestamp) && SURICATA_TIME.test(f.flow.start) && SURICATA_TIME.test(f.flow.end), 'times', f);
      check(typeof f.flow_id === 'number' && !ids.has(f.flow_id), 'flow_id', f);
      ids.add(f.flow_id);
      check(f.in_iface.length > 0, 'in_iface', f);
      check(['TCP', 'UDP', 'ICMP'].includes(f.proto), 'proto', f);
      if (f.proto !== 'ICMP') check(typeof f.src_port === 'number' && typeof f.dest_port === 'number', 'ports', f);
      // Written when it expired: after its last packet, which is after its first.
      check(epochMs(f.timestamp) >= epochMs(f.flow.end) && epochMs(f.flow.end) >= epochMs(f.flow.start), 'order of start, end, timestamp', f);
      check(f.flow.age >= 0 && typeof f.flow.alerted === 'boolean', 'age, alerted', f);
      check([f.flow.pkts_toserver, f.flow.pkts_toclient, f.flow.bytes_toserver, f.flow.bytes_toclient].every((n) => Number.isInteger(n) && n >= 0) && f.flow.pkts_toserver > 0, 'counters', f);
      states.add(f.flow.state);
      reasons.add(f.flow.reason);
      if (f.app_proto !== undefined) apps.add(f.app_proto);
      if (f.proto === 'TCP') {
        const tcp = f.tcp;
        if (tcp === undefined) {
          check(false, 'tcp object', f);
          continue;
        }
        const all = parseInt(tcp.tcp_flags, 16);
        check([tcp.tcp_flags, tcp.tcp_flags_ts, tcp.tcp_flags_tc].every((flags) => /^[0-9a-f]{2}$/.test(flags)), 'hex flags', f);
        check(all === (parseInt(tcp.tcp_flags_ts, 16) | parseInt(tcp.tcp_flags_tc, 16)), 'tcp_flags is the union', f);
        check((tcp.syn === true) === ((all & 0x02) !== 0) && (tcp.ack === true) === ((all & 0x10) !== 0) && (tcp.fin === true) === ((all & 0x01) !== 0), 'booleans', f);
      } else check(f.tcp === undefined, 'no tcp object', f);
    }
    expect(problems).toEqual([]);
    for (const state of ['new', 'established', 'closed']) expect(states.has(state), state).toBe(true);
    for (const reason of ['timeout', 'shutdown']) expect(reasons.has(reason), reason).toBe(true);
    for (const app of ['failed', 'tls', 'smb', 'dns', 'http', 'krb5', 'sip', 'dhcp', 'snmp']) expect(apps.has(app), app).toBe(true);
    // Files are in write order: every file's timestamps ascend, and each file holds its own local day.
    const misplaced: string[] = [];
    for (const file of scenario.flows) {
      const day = file.name.slice(4, 14);
      let last = -Infinity;
      for (const line of (file.content as string).trimEnd().split('\n')) {
        const time = (JSON.parse(line) as { timestamp: string }).timestamp;
        if (time.slice(0, 10) !== day || epochMs(time) < last) misplaced.push(`${file.name}: ${line.slice(0, 120)}`);
        last = epochMs(time);
      }
    }
    expect(misplaced.slice(0, 5)).toEqual([]);
    // A refused connection looks like one: the client's SYN, the server's RST-ACK.
    const refused = flows.find((f) => f.tcp?.tcp_flags_ts === '02' && f.tcp.tcp_flags_tc === '14');
    expect(refused?.flow.state).toBe('closed');
  });

  it('shows only the originators in a one-way capture', () => {
    const oneWay = flowEvents(build({ oneWay: true }));
    expect(oneWay.length).toBeGreaterThan(100_000);
    const twoWay = oneWay.filter((f) => f.flow.pkts_toclient > 0 || f.flow.bytes_toclient > 0 || f.flow.state === 'established' || (f.tcp !== undefined && (f.tcp.tcp_flags_tc !== '00' || f.tcp.tcp_flags !== f.tcp.tcp_flags_ts)));
    expect(twoWay.slice(0, 3)).toEqual([]);
  });

  it('has a truth that covers the files: every legitimate edge between grouped hosts or the outside, servers grouped', () => {
    const b = build();
    const { truth } = b.scenario;
    for (const key of truth.legitimateEdges) {
      const [client, server, proto, port] = key.split('|') as [string, string, string, string];
      for (const ip of [client, server]) expect(truth.groupOfHost.has(ip) || !isPrivate(ip), key).toBe(true);
      expect(['1', '6', '17']).toContain(proto);
      expect(Number.isInteger(Number(port))).toBe(true);
    }
    for (const key of truth.adminEdges) expect(truth.legitimateEdges.has(key)).toBe(true);
    expect(truth.adminEdges.size).toBeGreaterThan(10);
    for (const ip of truth.servers) expect(truth.groupOfHost.has(ip)).toBe(true);
    // Every address in the files that belongs to the hospital is grouped, bar the retired DC and the scan's empty addresses.
    const attackDsts = new Set(truth.attacks.flatMap((attack) => attack.dsts));
    const ungrouped = new Set<string>();
    for (const f of flowEvents(b)) for (const ip of [f.src_ip, f.dest_ip]) if (isPrivate(ip) && !attackDsts.has(ip) && ip !== '10.10.10.10' && !truth.groupOfHost.has(ip)) ungrouped.add(ip);
    expect([...ungrouped]).toEqual([]);
    // Every legitimate flow written is a legitimate edge (the sensor's src is the client unless picked up server-first).
    const missing = b.written.filter(({ conn }) => conn.legit && !truth.legitimateEdges.has(`${conn.clientIp}|${conn.serverIp}|${conn.service.proto}|${conn.port}`));
    expect(missing.length).toBe(0);
    const groups = new Set(truth.groupOfHost.values());
    for (const group of ['prod|ehr|web', 'prod|ehr|app', 'prod|ehr|db', 'test|ehr|app', 'dc|ad', 'dc|pacs', 'dc|hl7', 'dc|backup', 'dc|jump', 'clinic|ws-ed', 'clinic|ws-nursing', 'clinic|modality', 'clinic|pump', 'clinic|phone', 'clinic|printer']) expect(groups.has(group), group).toBe(true);
  });

  it('never shows what stays inside one site, and keeps it out of the truth', () => {
    const b = build();
    const { estate, scenario } = b;
    const siteOf = new Map<string, string>();
    for (const device of estate.devices) for (const lease of device.leases) siteOf.set(lease.ip, device.site.id);
    // The model has such uses: desks printing straight to their clinic's printer, phone calls within a site, the pump's sweep of its own VLAN.
    expect(b.unseen.some((conn) => conn.server.kind === 'printer' && conn.client.kind === 'workstation')).toBe(true);
    expect(b.unseen.some((conn) => conn.client.kind === 'phone' && conn.server.kind === 'phone')).toBe(true);
    expect(b.unseen.some((conn) => !conn.legit && conn.client.kind === 'pump')).toBe(true);
    for (const conn of b.unseen) {
      expect(conn.client.site).toBe(conn.server.site);
      expect(conn.client.site.kind).not.toBe('dc');
      expect(scenario.truth.legitimateEdges.has(`${conn.clientIp}|${conn.serverIp}|${conn.service.proto}|${conn.port}`)).toBe(false);
    }
    const inside = flowEvents(b).filter((f) => siteOf.get(f.src_ip) !== undefined && siteOf.get(f.src_ip) === siteOf.get(f.dest_ip) && siteOf.get(f.src_ip) !== 'dc');
    expect(inside.map((f) => `${f.src_ip} → ${f.dest_ip}`)).toEqual([]);
  });

  it('lists labelCoverage of the asset registers, with wrong labels when asked and names only when asked', () => {
    const rows = (b: HospitalBuild, name: string): string[][] => {
      const file = b.scenario.inventories.find((f) => f.name === name);
      if (file === undefined) return [];
      return (file.content as string)
        .trimEnd()
        .split(/\r?\n/)
        .slice(1)
        .map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((cell) => cell.replace(/^"|"$/g, '')));
    };
    const full = build({ labelCoverage: 1 });
    const half = build();
    const cmdbDevices = full.estate.devices.filter((d) => d.register.list === 'cmdb').length;
    const biomedDevices = full.estate.devices.filter((d) => d.register.list === 'biomed').length;
    // The CMDB also still lists the retired DC.
    expect(rows(full, 'cmdb_ci_export.csv')).toHaveLength(cmdbDevices + 1);
    expect(rows(full, 'biomed_assets.csv')).toHaveLength(biomedDevices);
    expect(rows(half, 'cmdb_ci_export.csv')).toHaveLength(Math.round(cmdbDevices * 0.5) + 1);
    expect(rows(half, 'biomed_assets.csv')).toHaveLength(Math.round(biomedDevices * 0.5));
    expect(build({ labelCoverage: 0 }).scenario.inventories).toEqual([]);
    // Listing the unlabelled: every device, the withheld ones by name and address only.
    const listed = build({ listUnlabelled: true });
    const cmdb = rows(listed, 'cmdb_ci_export.csv');
    expect(cmdb).toHaveLength(cmdbDevices + 1);
    expect(cmdb.filter((cells) => cells[2] === '' && cells[4] === '' && cells[6] === '')).toHaveLength(cmdbDevices - Math.round(cmdbDevices * 0.5));
    expect(rows(listed, 'biomed_assets.csv').filter((cells) => cells[3] === '')).toHaveLength(biomedDevices - Math.round(biomedDevices * 0.5));
    // Wrong labels: at least one listed host carries another application's, environment's or department's values.
    const wrong = build({ wrongLabelRate: 0.05 });
    const byName = new Map(wrong.estate.devices.map((d) => [d.name, d]));
    let differing = 0;
    for (const cells of rows(wrong, 'cmdb_ci_export.csv')) {
      const device = byName.get(cells[0]!);
      if (device !== undefined && (cells[3] !== device.register.env || cells[4] !== device.register.app || cells[5] !== device.register.role || cells[6] !== device.register.dept)) differing++;
    }
    for (const cells of rows(wrong, 'biomed_assets.csv')) if (byName.get(cells[1]!)?.register.cls !== cells[3]) differing++;
    expect(differing).toBeGreaterThanOrEqual(1);
    expect(rows(wrong, 'cmdb_ci_export.csv').length + rows(wrong, 'biomed_assets.csv').length).toBe(rows(half, 'cmdb_ci_export.csv').length + rows(half, 'biomed_assets.csv').length);
    // Labels do not change the capture.
    expect(wrong.scenario.flows).toEqual(half.scenario.flows);
  });

  it('plants every attack inside the training window, none of it legitimate', () => {
    const b = build();
    const { truth, trainUntilMs } = b.scenario;
    expect(truth.attacks.map((attack) => attack.kind).sort()).toEqual(['cross-environment', 'exfiltration', 'lateral-movement', 'scan']);
    const written = new Set(b.written.map(({ conn }) => conn));
    const planted = b.planted.filter((conn) => written.has(conn));
    expect(planted.length).toBeGreaterThan(500);
    for (const conn of planted) {
      expect(conn.startUs / 1000).toBeLessThan(trainUntilMs);
      // …after a first day of normal traffic (trainUntilMs is 48 h after the start).
      expect(conn.startUs / 1000).toBeGreaterThanOrEqual(trainUntilMs - 28 * 3_600_000);
      // Written at most the established timeout (600 s, plus the flow manager's lag) after its last packet.
      expect(conn.endUs / 1000 + 611_000).toBeLessThan(trainUntilMs);
      expect(truth.legitimateEdges.has(`${conn.clientIp}|${conn.serverIp}|${conn.service.proto}|${conn.port}`)).toBe(false);
    }
    const plantedKeys = new Set(planted.map((conn) => `${conn.clientIp}|${conn.clientPort}|${conn.serverIp}|${conn.port}`));
    const attackFlows = flowEvents(b).filter((f) => plantedKeys.has(`${f.src_ip}|${f.src_port}|${f.dest_ip}|${f.dest_port}`));
    expect(attackFlows.length).toBeGreaterThan(500);
    for (const f of attackFlows) expect(epochMs(f.timestamp)).toBeLessThan(trainUntilMs);
    for (const attack of truth.attacks) {
      expect(truth.groupOfHost.has(attack.src)).toBe(true);
      expect(attackFlows.some((f) => f.src_ip === attack.src && attack.dsts.includes(f.dest_ip))).toBe(true);
    }
    // The scan: most probes refused or unanswered; the lateral movement: a third refused.
    const scan = truth.attacks.find((attack) => attack.kind === 'scan')!;
    const probes = attackFlows.filter((f) => f.src_ip === scan.src);
    expect(probes.filter((f) => f.flow.bytes_toserver === 0 || f.flow.pkts_toclient === 0 || f.tcp?.tcp_flags_tc === '14').length / probes.length).toBeGreaterThan(0.5);
    const lateral = truth.attacks.find((attack) => attack.kind === 'lateral-movement')!;
    const moves = attackFlows.filter((f) => f.src_ip === lateral.src);
    const refusedShare = moves.filter((f) => f.tcp?.tcp_flags_tc === '14').length / moves.length;
    expect(refusedShare).toBeGreaterThan(0.15);
    expect(refusedShare).toBeLessThan(0.55);
    expect(new Set(moves.map((f) => f.dest_ip)).size).toBeGreaterThanOrEqual(15);
    // The exfiltration: 1–5 GB to one public address over 443.
    const exfil = truth.attacks.find((attack) => attack.kind === 'exfiltration')!;
    const sent = attackFlows.filter((f) => f.src_ip === exfil.src).reduce((sum, f) => sum + f.flow.bytes_toserver, 0);
    expect(sent).toBeGreaterThan(1e9);
    expect(sent).toBeLessThan(5.5e9);
  });

  it('has rare legitimate uses in both windows, and some drift in the replay', () => {
    const b = build();
    const { trainUntilMs } = b.scenario;
    const when = (test: (conn: HospitalBuild['written'][number]['conn']) => boolean): { train: number; replay: number } => {
      const hits = b.written.filter(({ conn }) => conn.legit && test(conn));
      return { train: hits.filter(({ conn }) => conn.startUs / 1000 < trainUntilMs).length, replay: hits.filter(({ conn }) => conn.startUs / 1000 >= trainUntilMs).length };
    };
    const report = when((conn) => conn.client.kind === 'workstation' && conn.server.role === 'ehr-db-secondary');
    const radiologist = when((conn) => conn.client.kind === 'vpn' && conn.server.role === 'pacs-web');
    const backup = when((conn) => conn.client.role === 'backup' && conn.server.role === 'ehr-db-primary');
    for (const [name, use] of Object.entries({ report, radiologist, backup })) {
      expect(use.train, name).toBeGreaterThan(0);
      expect(use.replay, name).toBeGreaterThan(0);
    }
    const newModality = when((conn) => conn.client === b.estate.newModality);
    expect(newModality.train).toBe(0);
    expect(newModality.replay).toBeGreaterThan(0);
    // Some desks change address during the capture; the old and the new address share the truth group.
    const moved = b.estate.devices.filter((d) => d.kind === 'workstation' && d.leases.length > 1);
    expect(moved.length).toBeGreaterThan(0);
    for (const desk of moved) for (const lease of desk.leases) if (b.scenario.truth.groupOfHost.has(lease.ip)) expect(b.scenario.truth.groupOfHost.get(lease.ip)).toBe(desk.truth);
  });
});
