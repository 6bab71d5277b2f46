import { describe, expect, it } from 'vitest';
import { buildRetailChain, type RetailChainBuild } from './generators/retail-chain/index';
import { DEVICES_FILE, VMS_FILE } from './generators/retail-chain/inventory';
import { isPrivate } from './generators/retail-chain/truth';
import type { ScenarioParams } from './scenario';

// The retail-chain scenario generator (NetFlow v9 from every shop router and
// the data-centre core, as pmacct's nfacctd print plugin writes it, plus a
// NetBox export): deterministic files, records shaped as pmacct prints them,
// each direction its own record and each exporter on the path its own copy,
// a truth that covers what the files hold, labels that follow the
// parameters, planted attacks inside the training window, and the awkward
// parts a real capture has (replacements, rare uses in both windows, drift).

const params = (over: Partial<ScenarioParams> = {}): ScenarioParams => ({ seed: 1, labelCoverage: 0.5, wrongLabelRate: 0, oneWay: false, ...over });
const builds = new Map<string, { build: RetailChainBuild; ms: number }>();
const timed = (over: Partial<ScenarioParams> = {}): { build: RetailChainBuild; ms: number } => {
  const key = JSON.stringify(params(over));
  let entry = builds.get(key);
  if (entry === undefined) {
    const started = performance.now();
    const build = buildRetailChain(params(over));
    builds.set(key, (entry = { build, ms: performance.now() - started }));
  }
  return entry;
};
const build = (over: Partial<ScenarioParams> = {}): RetailChainBuild => timed(over).build;

interface Rec {
  event_type: string;
  peer_ip_src: string;
  ip_src: string;
  ip_dst: string;
  port_src: number;
  port_dst: number;
  tcp_flags: string;
  ip_proto: string;
  timestamp_start: string;
  timestamp_end: string;
  packets: number;
  bytes: number;
}

const KEYS = ['event_type', 'peer_ip_src', 'ip_src', 'ip_dst', 'port_src', 'port_dst', 'tcp_flags', 'ip_proto', 'timestamp_start', 'timestamp_end', 'packets', 'bytes'];
const text = (content: string | Uint8Array): string => (typeof content === 'string' ? content : new TextDecoder().decode(content));
const parsed = new Map<RetailChainBuild, { file: string; rec: Rec }[]>();
const records = (b: RetailChainBuild): { file: string; rec: Rec }[] => {
  let list = parsed.get(b);
  if (list === undefined) {
    list = [];
    for (const file of b.scenario.flows) for (const line of text(file.content).trimEnd().split('\n')) list.push({ file: file.name, rec: JSON.parse(line) as Rec });
    parsed.set(b, list);
  }
  return list;
};
const PMACCT_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}000$/;
const epoch = (time: string): number => Date.parse(`${time.slice(0, 10)}T${time.slice(11, 23)}Z`);
const PROTO: Record<string, number> = { tcp: 6, udp: 17, icmp: 1 };
const edgeOf = (r: Rec): string => `${r.ip_src}|${r.ip_dst}|${PROTO[r.ip_proto]}|${r.port_dst}`;
const flowOf = (r: Rec): string => `${r.ip_src}|${r.port_src}|${r.ip_dst}|${r.port_dst}|${r.ip_proto}`;

const csvRows = (content: string | Uint8Array): string[][] =>
  text(content)
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((cell) => cell.replace(/^"|"$/g, '')));

describe('the retail-chain generator', () => {
  it('is deterministic: the same parameters give byte-identical files, another seed other files', () => {
    const a = build();
    const again = buildRetailChain(params());
    expect(again.scenario.flows.map((f) => f.name)).toEqual(a.scenario.flows.map((f) => f.name));
    for (let i = 0; i < a.scenario.flows.length; i++) expect(Buffer.from(again.scenario.flows[i]!.content).equals(Buffer.from(a.scenario.flows[i]!.content))).toBe(true);
    expect(again.scenario.inventories).toEqual(a.scenario.inventories);
    expect([...again.scenario.truth.legitimateEdges]).toEqual([...a.scenario.truth.legitimateEdges]);
    expect(again.scenario.truth.attacks).toEqual(a.scenario.truth.attacks);
    const other = build({ seed: 2 });
    expect(Buffer.from(other.scenario.flows[0]!.content).equals(Buffer.from(a.scenario.flows[0]!.content))).toBe(false);
  });

  it('stays a reasonable size and builds in seconds', () => {
    for (const seed of [1, 2]) {
      const { build: b, ms } = timed({ seed });
      const bytes = b.scenario.flows.reduce((sum, f) => sum + f.content.length, 0);
      expect(b.estate.shops.length).toBeGreaterThanOrEqual(20);
      expect(b.estate.shops.length).toBeLessThanOrEqual(60);
      expect(b.records).toBeGreaterThan(100_000);
      expect(b.records).toBeLessThan(600_000);
      expect(bytes).toBeLessThan(130e6);
      expect(ms).toBeLessThan(20_000);
    }
  });

  it("writes one file a day of pmacct's print-plugin JSON, with its key names, order and value formats", () => {
    const b = build();
    const { scenario, estate } = b;
    expect(scenario.flows.map((f) => f.name)).toEqual(['nfacctd-20260330.json', 'nfacctd-20260331.json', 'nfacctd-20260401.json']);
    expect(scenario.trainUntilMs % 3_600_000).toBe(0);
    expect(scenario.trainUntilMs).toBe(Date.UTC(2026, 3, 1));
    expect(scenario.internalCidrs).toEqual([]);
    const exporters = new Set([estate.core.ip, ...estate.shops.map((s) => s.exporter.ip)]);
    const problems: string[] = [];
    const check = (ok: boolean, what: string, r: Rec): void => {
      if (!ok && problems.length < 20) problems.push(`${what}: ${JSON.stringify(r)}`);
    };
    const flagsSeen = new Set<string>();
    let before = 0;
    for (const file of scenario.flows) {
      const lines = text(file.content).split('\n');
      expect(lines.pop()).toBe('');
      const fileDay = `${file.name.slice(8, 12)}-${file.name.slice(12, 14)}-${file.name.slice(14, 16)}`;
      for (const line of lines) {
        // jansson's separators, no spaces elsewhere.
        check(line.startsWith('{"event_type": "purge", "peer_ip_src": "') && line.endsWith('}'), 'layout', JSON.parse(line) as Rec);
        const r = JSON.parse(line) as Rec;
        check(JSON.stringify(Object.keys(r)) === JSON.stringify(KEYS), 'keys', r);
        check(exporters.has(r.peer_ip_src), 'exporter', r);
        check(/^\d+\.\d+\.\d+\.\d+$/.test(r.ip_src) && /^\d+\.\d+\.\d+\.\d+$/.test(r.ip_dst), 'addresses', r);
        check([r.port_src, r.port_dst].every((p) => Number.isInteger(p) && p >= 0 && p <= 65535), 'ports', r);
        check(['tcp', 'udp', 'icmp'].includes(r.ip_proto), 'proto', r);
        check(/^\d+$/.test(r.tcp_flags) && Number(r.tcp_flags) < 64 && (r.ip_proto === 'tcp' ? Number(r.tcp_flags) > 0 : r.tcp_flags === '0'), 'tcp_flags', r);
        check(PMACCT_TIME.test(r.timestamp_start) && PMACCT_TIME.test(r.timestamp_end) && epoch(r.timestamp_end) >= epoch(r.timestamp_start), 'timestamps', r);
        // Purged the day of its file: it ended before that day was over, and at most an hour before it began (active timeout).
        check(epoch(r.timestamp_end) < Date.parse(`${fileDay}T00:00:00Z`) + 86_400_000 && epoch(r.timestamp_end) - epoch(r.timestamp_start) <= 3_600_000, 'time within its file', r);
        check(Number.isInteger(r.packets) && r.packets >= 1 && Number.isInteger(r.bytes) && r.bytes >= 28 * r.packets, 'counters', r);
        if (r.ip_proto === 'tcp') flagsSeen.add(r.tcp_flags);
        if (epoch(r.timestamp_start) < Date.UTC(2026, 2, 30)) before++;
      }
    }
    expect(problems).toEqual([]);
    // A complete exchange (SYN ACK PSH FIN), a middle piece (ACK PSH), a refusal (SYN; RST ACK), a SYN-ACK.
    for (const flags of ['27', '24', '2', '20', '26', '18']) expect(flagsSeen.has(flags), flags).toBe(true);
    // The first file starts with the tails of the evening before.
    expect(before).toBeGreaterThan(100);
  });

  it('records each direction apart, once per exporter the flow crosses', () => {
    const b = build();
    const { estate } = b;
    const routerOf = new Map<string, string>();
    for (const shop of estate.shops) for (let i = 0; i < 256; i++) routerOf.set(`${shop.net}.${i}`, shop.exporter.ip);
    const peers = new Map<string, Set<string>>();
    for (const { rec } of records(b)) {
      const key = flowOf(rec);
      let set = peers.get(key);
      if (set === undefined) peers.set(key, (set = new Set()));
      set.add(rec.peer_ip_src);
    }
    const isDc = (ip: string): boolean => ip.startsWith('10.10.') || ip.startsWith('10.11.');
    let shopDc = 0;
    let shopDcBad = 0;
    let inShop = 0;
    let dcOnly = 0;
    const bad: string[] = [];
    for (const [key, set] of peers) {
      const [src, , dst] = key.split('|') as [string, string, string];
      const srcRouter = routerOf.get(src);
      const dstRouter = routerOf.get(dst);
      if ((srcRouter !== undefined && isDc(dst)) || (dstRouter !== undefined && isDc(src))) {
        shopDc++;
        const expected = [srcRouter ?? dstRouter!, estate.core.ip];
        if (set.size !== 2 || !expected.every((ip) => set.has(ip))) shopDcBad++;
      } else if (srcRouter !== undefined && srcRouter === dstRouter) {
        inShop++;
        if (set.size !== 1 || !set.has(srcRouter) || bad.length > 5) bad.push(`in shop ${key} ${[...set]}`);
      } else if (isDc(src) && isDc(dst)) {
        dcOnly++;
        if (set.size !== 1 || !set.has(estate.core.ip)) bad.push(`dc ${key} ${[...set]}`);
      } else if (srcRouter !== undefined && !isPrivate(dst)) {
        if (set.size !== 1 || !set.has(srcRouter)) bad.push(`breakout ${key} ${[...set]}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(shopDc).toBeGreaterThan(5000);
    expect(inShop).toBeGreaterThan(1000);
    expect(dcOnly).toBeGreaterThan(1000);
    // Only a piece cut at the capture's first or last minute may reach one exporter's file and not the other's.
    expect(shopDcBad / shopDc).toBeLessThan(0.005);
    // Shop to shop crosses the hub: the lateral movement is exported by both shops' routers and the core.
    const lateral = b.scenario.truth.attacks.find((a) => a.kind === 'lateral-movement')!;
    const crossing = [...peers].filter(([key]) => key.startsWith(`${lateral.src}|`) && lateral.dsts.includes(key.split('|')[2]!));
    expect(crossing.length).toBeGreaterThan(15);
    for (const [key, set] of crossing) expect([...set].sort(), key).toEqual([routerOf.get(lateral.src)!, estate.core.ip, routerOf.get(key.split('|')[2]!)!].sort());
    // Each direction its own record: an answered TCP connection has its reply with the addresses and ports swapped.
    let answered = 0;
    let replied = 0;
    for (const [key] of peers) {
      const [src, sport, dst, dport, proto] = key.split('|') as [string, string, string, string, string];
      if (proto !== 'tcp' || !isPrivate(dst) || Number(dport) > 10_000 || Number(sport) < 30_000) continue;
      answered++;
      if (peers.has(`${dst}|${dport}|${src}|${sport}|tcp`)) replied++;
    }
    expect(replied / answered).toBeGreaterThan(0.9);
    // The broadband line's return records carry the shop's public address, before un-translation.
    const publicIps = new Set(estate.shops.map((s) => s.publicIp));
    expect(records(b).some(({ rec }) => publicIps.has(rec.ip_dst) && routerOf.get(rec.ip_dst) === undefined)).toBe(true);
  });

  it('cuts long-lived connections into hour-long pieces, only the first with a SYN', () => {
    const b = build();
    const lanes = new Set(b.estate.shops.flatMap((s) => s.lanes.map((l) => l.ip)));
    const sessions = new Map<string, Rec[]>();
    for (const { rec } of records(b)) {
      if (!lanes.has(rec.ip_src) || rec.port_dst !== 8443) continue;
      const key = `${flowOf(rec)}|${rec.peer_ip_src}`;
      sessions.set(key, [...(sessions.get(key) ?? []), rec]);
    }
    const long = [...sessions.values()].filter((pieces) => pieces.length >= 5);
    expect(long.length).toBeGreaterThan(20);
    for (const pieces of long.slice(0, 50)) {
      const sorted = pieces.sort((x, y) => epoch(x.timestamp_start) - epoch(y.timestamp_start));
      expect(Number(sorted[0]!.tcp_flags) & 2).toBe(2);
      for (const piece of sorted.slice(1)) expect(Number(piece.tcp_flags) & 2).toBe(0);
      for (const piece of sorted.slice(1, -1)) expect(epoch(piece.timestamp_end) - epoch(piece.timestamp_start)).toBeGreaterThan(3_500_000);
    }
  });

  it('has a truth that covers the files: every legitimate edge seen, every internal address grouped', () => {
    const b = build();
    const { truth } = b.scenario;
    // Seen as a request, or (a conversation cut by the capture's edge) as its reply.
    const seen = new Set(records(b).flatMap(({ rec }) => [edgeOf(rec), `${rec.ip_dst}|${rec.ip_src}|${PROTO[rec.ip_proto]}|${rec.port_src}`]));
    const missing = [...truth.legitimateEdges].filter((key) => !seen.has(key));
    expect(missing.slice(0, 5)).toEqual([]);
    expect(truth.legitimateEdges.size).toBeGreaterThan(2000);
    const attackDsts = new Set(truth.attacks.flatMap((a) => a.dsts));
    const ungrouped = new Set<string>();
    for (const { rec } of records(b)) for (const ip of [rec.ip_src, rec.ip_dst]) if (isPrivate(ip) && !truth.groupOfHost.has(ip) && !attackDsts.has(ip)) ungrouped.add(ip);
    expect([...ungrouped]).toEqual([]);
    for (const ip of truth.servers) expect(truth.groupOfHost.has(ip)).toBe(true);
    for (const key of truth.legitimateEdges) {
      const [client, server, proto, port] = key.split('|') as [string, string, string, string];
      for (const ip of [client, server]) expect(truth.groupOfHost.has(ip) || !isPrivate(ip), key).toBe(true);
      expect(['6', '17']).toContain(proto);
      expect(Number.isInteger(Number(port))).toBe(true);
    }
    const groups = new Set(truth.groupOfHost.values());
    for (const group of [
      'prod|pos-backend|app', 'prod|pos-backend|db', 'prod|payment|switch', 'prod|payment|hsm', 'prod|erp|app', 'prod|erp|ascs', 'prod|erp|db', 'prod|ecom|web', 'prod|ecom|api', 'prod|ecom|db',
      'prod|replenishment|app', 'prod|replenishment|db', 'qa|pos-backend|app', 'qa|erp|app', 'qa|erp|db', 'qa|ecom|web', 'qa|kafka', 'shared|dc', 'shared|wsus', 'shared|sccm', 'shared|monitoring',
      'shared|syslog', 'shared|fileserver', 'shared|proxy', 'shared|mft', 'shared|kafka', 'shared|elasticsearch', 'shared|kibana', 'shared|jump', 'shared|signage', 'shop|store-server', 'shop|pos-lane',
      'shop|backoffice', 'shop|handheld', 'shop|label-printer', 'shop|signage-player', 'shop|router', 'shop|switch',
    ]) expect(groups.has(group), group).toBe(true);
    // One group per role across every shop: each shop's store server is a replica of one service.
    const laneGroups = new Set(b.estate.shops.flatMap((s) => s.lanes).map((l) => truth.groupOfHost.get(l.ip)).filter((g) => g !== undefined));
    expect([...laneGroups]).toEqual(['shop|pos-lane']);
    expect(new Set(b.estate.shops.map((s) => truth.groupOfHost.get(s.storeServers[0]!.ip)))).toEqual(new Set(['shop|store-server']));
    // Shops with CCTV: cameras serve RTSP to their own shop's NVR only.
    const cctv = b.estate.shops.find((s) => s.nvr !== null)!;
    expect(truth.groupOfHost.get(cctv.cameras[0]!.ip)).toBe('shop|camera');
    expect(truth.groupOfHost.get(cctv.nvr!.ip)).toBe('shop|nvr');
    for (const key of truth.legitimateEdges) if (key.endsWith('|6|554')) expect(key.split('|')[0]!.split('.').slice(0, 3)).toEqual(key.split('|')[1]!.split('.').slice(0, 3));
  });

  it('counts only remote administration from the jump hosts as admin, and the nightly SFTP pulls as business', () => {
    const b = build();
    const { truth } = b.scenario;
    const jumps = new Set(b.estate.dc('jump').map((h) => h.ip));
    expect(truth.adminEdges.size).toBeGreaterThan(50);
    for (const key of truth.adminEdges) {
      const [client, , proto, port] = key.split('|') as [string, string, string, string];
      expect(truth.legitimateEdges.has(key)).toBe(true);
      expect(jumps.has(client), key).toBe(true);
      expect(proto).toBe('6');
      expect(['22', '3389', '5985']).toContain(port);
    }
    const storeServers = b.estate.shops.flatMap((s) => s.storeServers);
    const mft = b.estate.dc('mft')[0]!.ip;
    const pulls = storeServers.map((s) => `${s.ip}|${mft}|6|22`).filter((key) => truth.legitimateEdges.has(key));
    expect(pulls.length).toBeGreaterThan(15);
    for (const key of pulls) expect(truth.adminEdges.has(key)).toBe(false);
    // Store servers are administered from the jump hosts too.
    expect([...truth.adminEdges].some((key) => storeServers.some((s) => key.split('|')[1] === s.ip))).toBe(true);
  });

  it('lists labelCoverage of NetBox, with wrong labels when asked and names only when asked', () => {
    const rowsOf = (b: RetailChainBuild): string[][] => b.scenario.inventories.flatMap((file) => csvRows(file.content).slice(1));
    const full = build({ labelCoverage: 1 });
    const half = build();
    const listable = full.inventory.listable.length;
    expect(full.scenario.inventories.map((f) => f.name)).toEqual([DEVICES_FILE, VMS_FILE]);
    expect(csvRows(full.scenario.inventories[0]!.content)[0]).toEqual(['Name', 'Status', 'Tenant', 'Site', 'Location', 'Rack', 'Role', 'Manufacturer', 'Type', 'Platform', 'IP Address', 'Environment', 'Application', 'Tags']);
    expect(csvRows(full.scenario.inventories[1]!.content)[0]).toEqual(['Name', 'Status', 'Site', 'Cluster', 'Role', 'Tenant', 'Platform', 'IP Address', 'Environment', 'Application', 'Tags']);
    expect(rowsOf(full)).toHaveLength(listable);
    expect(rowsOf(half)).toHaveLength(Math.round(listable * 0.5));
    expect(build({ labelCoverage: 0 }).scenario.inventories).toEqual([]);
    // Every labelled row carries an application and an environment, and an address with its prefix length (only Tags may be empty).
    for (const row of rowsOf(half)) {
      expect(row.slice(0, -1)).not.toContain('');
      expect(row.some((cell) => cell === 'Production' || cell === 'QA')).toBe(true);
      expect(row.some((cell) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cell))).toBe(true);
    }
    // The retired store servers are still listed, decommissioning.
    expect(rowsOf(full).filter((row) => row[1] === 'Decommissioning')).toHaveLength(b0Replaced(full));
    // Listing the unlabelled: every listable host, the others by name, status and address only.
    const listed = build({ listUnlabelled: true });
    const rows = rowsOf(listed);
    expect(rows).toHaveLength(listable);
    expect(rows.filter((row) => row.filter((cell) => cell === '—').length >= 7)).toHaveLength(listable - Math.round(listable * 0.5));
    expect(build({ labelCoverage: 0, listUnlabelled: true }).scenario.inventories.length).toBeGreaterThan(0);
    // Wrong labels: the share asked for (at least one) carry another application's or environment's values.
    const wrong = build({ wrongLabelRate: 0.05 });
    const truthByIp = new Map(wrong.estate.hosts.map((h) => [`${h.ip}/${h.prefix}`, h]));
    let differing = 0;
    for (const file of wrong.scenario.inventories) {
      const [header, ...body] = csvRows(file.content);
      const at = (name: string): number => header!.indexOf(name);
      for (const row of body) {
        const host = truthByIp.get(row[at('IP Address')]!)!;
        if (row[at('Application')] !== host.labels!.application || row[at('Environment')] !== host.labels!.environment) differing++;
      }
    }
    expect(differing).toBe(Math.max(1, Math.round(Math.round(listable * 0.5) * 0.05)));
    expect(rowsOf(wrong)).toHaveLength(rowsOf(half).length);
    // Labels do not change the capture.
    expect(Buffer.from(wrong.scenario.flows[1]!.content).equals(Buffer.from(half.scenario.flows[1]!.content))).toBe(true);
  });

  it('plants every attack on the second day, inside the training window, none of it legitimate', () => {
    const b = build();
    const { truth, trainUntilMs } = b.scenario;
    expect(truth.attacks.map((a) => a.kind).sort()).toEqual(['cross-environment', 'exfiltration', 'lateral-movement', 'scan']);
    for (const conn of b.planted.connections) {
      expect(conn.start).toBeGreaterThanOrEqual(trainUntilMs - 24 * 3_600_000);
      expect(conn.end).toBeLessThan(trainUntilMs - 3_600_000);
      expect(truth.legitimateEdges.has(`${conn.client.ip}|${conn.server.ip}|${conn.service.proto}|${conn.serverPort}`)).toBe(false);
    }
    const attackRecords = records(b).filter(({ rec }) => truth.attacks.some((a) => rec.ip_src === a.src && a.dsts.includes(rec.ip_dst) && !truth.legitimateEdges.has(edgeOf(rec))));
    for (const { rec } of attackRecords) expect(epoch(rec.timestamp_end)).toBeLessThan(trainUntilMs);
    for (const attack of truth.attacks) {
      expect(truth.groupOfHost.has(attack.src), attack.kind).toBe(true);
      expect(attackRecords.some(({ rec }) => rec.ip_src === attack.src), attack.kind).toBe(true);
    }
    const from = (kind: string): Rec[] => {
      const attack = truth.attacks.find((a) => a.kind === kind)!;
      return attackRecords.map(({ rec }) => rec).filter((rec) => rec.ip_src === attack.src);
    };
    // The scan: hundreds of addresses, most probes unanswered or refused.
    const scan = truth.attacks.find((a) => a.kind === 'scan')!;
    expect(scan.dsts.length).toBeGreaterThan(500);
    expect(b.estate.shops.some((s) => s.backOffice.some((pc) => pc.ip === scan.src))).toBe(true);
    const probes = b.planted.connections.filter((c) => c.tag === 'attack:scan');
    expect(probes.filter((c) => c.outcome === 'unanswered' || c.outcome === 'refused').length / probes.length).toBeGreaterThan(0.7);
    // Lateral movement: 15+ other shops' store servers over SMB and RDP, part refused (RST-ACK back), within two hours.
    const lateral = truth.attacks.find((a) => a.kind === 'lateral-movement')!;
    expect(new Set(lateral.dsts).size).toBeGreaterThanOrEqual(15);
    const moves = b.planted.connections.filter((c) => c.tag === 'attack:lateral');
    expect(new Set(moves.map((c) => c.serverPort))).toEqual(new Set([445, 3389]));
    const refused = moves.filter((c) => c.outcome === 'refused').length / moves.length;
    expect(refused).toBeGreaterThan(0.1);
    expect(refused).toBeLessThan(0.6);
    expect(Math.max(...moves.map((c) => c.end)) - Math.min(...moves.map((c) => c.start))).toBeLessThan(2.5 * 3_600_000);
    expect(records(b).some(({ rec }) => lateral.dsts.includes(rec.ip_src) && rec.ip_dst === lateral.src && rec.tcp_flags === '20')).toBe(true);
    // Exfiltration: a few GB out of a store server to one new public address.
    const exfil = truth.attacks.find((a) => a.kind === 'exfiltration')!;
    expect(isPrivate(exfil.dsts[0]!)).toBe(false);
    expect([...truth.legitimateEdges].some((key) => key.includes(exfil.dsts[0]!))).toBe(false);
    const sent = from('exfiltration').reduce((sum, rec) => sum + rec.bytes, 0);
    expect(sent).toBeGreaterThan(1.9e9);
    expect(sent).toBeLessThan(4.5e9);
    // Cross-environment: the QA ERP application server on the production HANA.
    const cross = truth.attacks.find((a) => a.kind === 'cross-environment')!;
    expect(truth.groupOfHost.get(cross.src)).toBe('qa|erp|app');
    expect(truth.groupOfHost.get(cross.dsts[0]!)).toBe('prod|erp|db');
    expect(from('cross-environment').every((rec) => rec.port_dst === 30015)).toBe(true);
  });

  it('has rare legitimate uses in both windows, replacements mid-capture and a little drift in the replay', () => {
    const b = build();
    const { trainUntilMs, truth } = b.scenario;
    const split = (tag: string): { train: number; replay: number } => {
      const hits = b.written.filter((c) => c.tag === tag);
      return { train: hits.filter((c) => c.start < trainUntilMs).length, replay: hits.filter((c) => c.start >= trainUntilMs).length };
    };
    for (const tag of ['month-end', 'stock-count', 'price-files', 'admin-winrm']) {
      const use = split(tag);
      expect(use.train, tag).toBeGreaterThan(0);
      expect(use.replay, tag).toBeGreaterThan(0);
    }
    // The weekly stock count: each shop on its own weekday, so different shops in each window.
    const counted = b.written.filter((c) => c.tag === 'stock-count');
    const trainShops = new Set(counted.filter((c) => c.start < trainUntilMs).map((c) => c.client.ip));
    expect(counted.filter((c) => c.start >= trainUntilMs).every((c) => !trainShops.has(c.client.ip))).toBe(true);
    for (const tag of ['drift-pricing-v2']) expect(split(tag)).toEqual({ train: 0, replay: expect.any(Number) as number });
    expect(split('drift-pricing-v2').replay).toBeGreaterThan(0);
    const added = b.estate.changes.addedLane;
    expect(b.written.filter((c) => c.client === added).every((c) => c.start >= trainUntilMs)).toBe(true);
    expect(b.written.some((c) => c.client === added)).toBe(true);
    expect(truth.groupOfHost.get(added.ip)).toBe('shop|pos-lane');
    // A replaced store server: two addresses, one group; the old one silent after it died, the lanes retrying it, then on the new one.
    for (const shop of b.estate.changes.replacedServers) {
      const [dead, spare] = shop.storeServers as [typeof shop.storeServers[number], typeof shop.storeServers[number]];
      expect(spare.ip).not.toBe(dead.ip);
      expect(truth.groupOfHost.get(dead.ip)).toBe('shop|store-server');
      expect(truth.groupOfHost.get(spare.ip)).toBe('shop|store-server');
      expect(b.written.filter((c) => c.server === dead && c.tag !== 'retry-dead-server').every((c) => c.start < dead.to)).toBe(true);
      expect(b.written.filter((c) => c.client === spare || c.server === spare).every((c) => c.start >= spare.from)).toBe(true);
      expect(b.written.some((c) => c.server === spare && c.tag === 'lane-session')).toBe(true);
    }
    expect(b.written.some((c) => c.tag === 'retry-dead-server' && c.outcome === 'unanswered')).toBe(true);
    for (const shop of b.estate.changes.replacedLanes) {
      const swapped = shop.lanes.filter((l) => l.to !== Infinity || l.from !== -Infinity);
      expect(swapped.length).toBeGreaterThanOrEqual(2);
      for (const lane of swapped) if (truth.groupOfHost.has(lane.ip)) expect(truth.groupOfHost.get(lane.ip)).toBe('shop|pos-lane');
    }
  });

  it('keeps only the initiator → responder records in the one-way variant', () => {
    const twoWay = build();
    const oneWay = build({ oneWay: true });
    const { truth } = oneWay.scenario;
    const attackEdges = new Set(oneWay.planted.connections.map((c) => `${c.client.ip}|${c.server.ip}|${c.service.proto}|${c.serverPort}`));
    const reverse = records(oneWay).filter(({ rec }) => !truth.legitimateEdges.has(edgeOf(rec)) && !attackEdges.has(edgeOf(rec)));
    expect(reverse.slice(0, 3)).toEqual([]);
    expect(oneWay.records / twoWay.records).toBeGreaterThan(0.4);
    expect(oneWay.records / twoWay.records).toBeLessThan(0.6);
    // Still exported by every exporter on the path.
    const peers = new Set(records(oneWay).map(({ rec }) => rec.peer_ip_src));
    expect(peers.size).toBe(oneWay.estate.shops.length + 1);
    expect(oneWay.scenario.truth.legitimateEdges.size).toBe(twoWay.scenario.truth.legitimateEdges.size);
  });
});

/** How many store servers the build retired. */
function b0Replaced(b: RetailChainBuild): number {
  return b.estate.changes.replacedServers.filter((shop) => b.inventory.listable.includes(shop.storeServers[0]!)).length;
}
