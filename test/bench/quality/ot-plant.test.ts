import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOtPlant, otPlant, type OtPlantBuild } from './generators/ot-plant/index';
import { INVENTORY_HEADER, labellable } from './generators/ot-plant/inventory';
import type { Scenario, ScenarioParams } from './scenario';

// The ot-plant scenario generator: deterministic, its files written as
// nfdump ≤ 1.7.4 writes CSV, its truth consistent with its files (every
// legitimate use between known hosts, attacks in the learning window and
// apart from legitimate traffic), two lines on one protocol, labels as the
// parameters say. The flow files are read here with the test's own parser.

const BASE: ScenarioParams = { seed: 1, labelCoverage: 0.5, wrongLabelRate: 0.05, oneWay: false };
const SAMPLE = fileURLToPath(new URL('../../../../shared/data/samples/nfdump-generated/v1.7.1-debian/ssh_sshguess.csv', import.meta.url));
const HEADER =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';

interface Row {
  readonly ts: number;
  readonly te: number;
  readonly sa: string;
  readonly da: string;
  readonly sp: number;
  readonly dp: number;
  readonly pr: string;
  readonly flags: string;
  readonly packets: number;
  readonly bytes: number;
}

const utc = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

function digest(scenario: Scenario): string {
  const hash = createHash('sha256');
  for (const file of [...scenario.flows, ...scenario.inventories]) hash.update(file.name).update('\0').update(file.content).update('\0');
  const t = scenario.truth;
  hash.update(JSON.stringify([[...t.groupOfHost], [...t.servers], [...t.legitimateEdges], [...t.adminEdges], t.attacks, scenario.trainUntilMs, scenario.id]));
  return hash.digest('hex');
}

/** One file's records, after checking each line's shape, and its footer. */
function readFile(content: string): { rows: Row[]; footer: string[] } {
  const lines = content.split('\n');
  expect(lines[0]).toBe(HEADER);
  expect(lines.at(-1)).toBe('');
  const summaryAt = lines.indexOf('Summary');
  expect(summaryAt).toBe(lines.length - 4);
  expect(lines[summaryAt + 1]).toBe('flows,bytes,packets,avg_bps,avg_pps,avg_bpp');
  const rows: Row[] = [];
  const problems: string[] = [];
  const check = (ok: boolean, what: string, line: string): void => {
    if (!ok && problems.length < 5) problems.push(`${what}: ${line}`);
  };
  for (const line of lines.slice(1, summaryAt)) {
    const f = line.split(',');
    check(f.length === 48, '48 columns', line);
    check(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(f[0]!) && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(f[1]!), 'ts/te to the second', line);
    check(/^\d+\.\d{3}$/.test(f[2]!), 'td in ms', line);
    check(['TCP', 'UDP', 'ICMP'].includes(f[7]!), 'protocol name', line);
    check(/^[C.][E.][U.][A.][P.][R.][S.][F.]$/.test(f[8]!), 'flag string', line);
    check(f.slice(41, 44).every((cell) => cell === '    0.000'), 'padded latencies', line);
    check(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(f[47]!), 'tr in ms', line);
    rows.push({ ts: utc(f[0]!), te: utc(f[1]!), sa: f[3]!, da: f[4]!, sp: Number(f[5]), dp: Number(f[6]), pr: f[7]!, flags: f[8]!, packets: Number(f[11]), bytes: Number(f[12]) });
  }
  expect(problems).toEqual([]);
  return { rows, footer: lines[summaryAt + 2]!.split(',') };
}

const isPrivate = (ip: string): boolean => ip.startsWith('10.') || ip.startsWith('192.168.') || /^172\.(1[6-9]|2\d|3[01])\./.test(ip);

describe('the ot-plant generator', () => {
  let build: OtPlantBuild;
  let base: Scenario;
  let rows: Row[];

  beforeAll(() => {
    build = buildOtPlant(BASE);
    base = build.scenario;
    rows = base.flows.flatMap((file) => readFile(String(file.content)).rows);
  }, 120_000);

  it('is deterministic: the same parameters give byte-identical files and truth, another seed other ones', () => {
    expect(digest(otPlant.build(BASE))).toBe(digest(base));
    const seed2 = otPlant.build({ ...BASE, seed: 2 });
    expect(digest(otPlant.build({ ...BASE, seed: 2 }))).toBe(digest(seed2));
    expect(digest(seed2)).not.toBe(digest(base));
    expect(base.id).toBe('ot-plant/seed1/labels50-wrong5');
    expect(otPlant.build({ ...BASE, labelCoverage: 0, wrongLabelRate: 0, oneWay: true }).id).toBe('ot-plant/seed1/labels0/one-way');
  }, 120_000);

  it('writes one nfdump ≤ 1.7.4 CSV a day, named like an nfcapd export, with the header and Summary footer nfdump writes', () => {
    expect(base.flows.map((file) => file.name)).toEqual(['nfcapd.202603030000.csv', 'nfcapd.202603040000.csv', 'nfcapd.202603050000.csv']);
    if (existsSync(SAMPLE)) expect(readFileSync(SAMPLE, 'utf8').split('\n')[0]).toBe(HEADER);
    for (const file of base.flows) {
      const { rows: fileRows, footer } = readFile(String(file.content));
      const bytes = fileRows.reduce((sum, row) => sum + row.bytes, 0);
      const packets = fileRows.reduce((sum, row) => sum + row.packets, 0);
      expect(footer.slice(0, 3).map(Number)).toEqual([fileRows.length, bytes, packets]);
      expect(footer).toHaveLength(6);
      for (const value of footer) expect(value).toMatch(/^\d+$/);
      expect(Number(footer[5])).toBe(Math.floor(bytes / packets));
    }
    // Within the harness's budget, and mostly a few long sessions split by the active timeout.
    expect(rows.length).toBeGreaterThan(30_000);
    expect(rows.length).toBeLessThanOrEqual(150_000);
    expect(rows.some((row) => row.pr === 'TCP' && row.flags === '...AP...' && row.te - row.ts > 1_700_000)).toBe(true);
    expect(rows.some((row) => row.pr === 'TCP' && row.flags === '...AP.SF')).toBe(true);
  });

  it('keeps every seed of the quality runs within 150k records', () => {
    for (const seed of [2, 3]) {
      const other = buildOtPlant({ ...BASE, seed });
      expect(other.recordsPerFile.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(150_000);
    }
  }, 120_000);

  it('names both ends of every legitimate use: a host with a truth group, or an address outside the private ranges', () => {
    const t = base.truth;
    for (const edge of t.legitimateEdges) {
      const [client, server, proto, port] = edge.split('|');
      for (const ip of [client!, server!]) expect(t.groupOfHost.has(ip) || !isPrivate(ip), `${edge}: ${ip}`).toBe(true);
      expect(['1', '6', '17']).toContain(proto);
      expect(Number(port)).toBeGreaterThanOrEqual(0);
    }
    for (const edge of t.adminEdges) expect(t.legitimateEdges.has(edge)).toBe(true);
    for (const server of t.servers) expect(t.groupOfHost.has(server)).toBe(true);
    // Every address of the plant that sends or receives a record is a truth host, an outside address, a subnet broadcast or a scanned address.
    const scanned = new Set(t.attacks.filter((a) => a.kind === 'scan').flatMap((a) => a.dsts));
    for (const row of rows) for (const ip of [row.sa, row.da]) if (isPrivate(ip) && !ip.endsWith('.255') && !scanned.has(ip)) expect(t.groupOfHost.has(ip), ip).toBe(true);
    // Primary and standby SCADA share a group; both poll every PLC.
    const scada = [...t.groupOfHost].filter(([, group]) => group === 'site|scada').map(([ip]) => ip);
    expect(scada).toHaveLength(2);
    const plcs = [...t.groupOfHost].filter(([, group]) => group.endsWith('|plc')).map(([ip]) => ip);
    for (const plc of plcs) for (const server of scada) expect([...t.legitimateEdges].some((edge) => edge.startsWith(`${server}|${plc}|6|`))).toBe(true);
  });

  it('has two lines on one polling protocol, and a legacy flat /24 that two lines share', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { plant } = buildOtPlant({ ...BASE, seed });
      const families = plant.lines.map((line) => line.vendor.family);
      expect(new Set(families).size).toBeLessThan(families.length);
      const flat = plant.lines.filter((line) => line.legacyFlat);
      expect(flat).toHaveLength(2);
      expect(flat[0]!.subnet).toBe(flat[1]!.subnet);
      expect(plant.lines.length).toBeGreaterThanOrEqual(3);
      expect(plant.lines.length).toBeLessThanOrEqual(6);
    }
  }, 120_000);

  it('lists the share labelCoverage of the plant in its inventory, some in another line\'s zone when asked', () => {
    const hosts = labellable(build.plant);
    const plantIps = new Set(hosts.map((host) => host.ip));
    const listed = (scenario: Scenario): string[][] => {
      if (scenario.inventories.length === 0) return [];
      const [header, ...lines] = String(scenario.inventories[0]!.content).trimEnd().split('\r\n');
      expect(header).toBe(INVENTORY_HEADER);
      return lines.map((line) => line.split(','));
    };
    expect(otPlant.build({ ...BASE, labelCoverage: 0, wrongLabelRate: 0 }).inventories).toEqual([]);
    const full = listed(otPlant.build({ ...BASE, labelCoverage: 1, wrongLabelRate: 0 }));
    expect(full.filter((row) => plantIps.has(row[0]!))).toHaveLength(hosts.length);
    const half = listed(base).filter((row) => plantIps.has(row[0]!));
    expect(half).toHaveLength(Math.round(hosts.length * 0.5));
    const byIp = new Map(hosts.map((host) => [host.ip, host]));
    const wrong = half.filter((row) => {
      const line = byIp.get(row[0]!)!.line;
      return line !== null && row[7] !== `Line ${line.index} - ${line.title}`;
    });
    expect(wrong.length).toBeGreaterThanOrEqual(1);
    expect(wrong.length).toBeLessThanOrEqual(Math.max(1, Math.round(half.length * 0.05)));
    const right = listed(otPlant.build({ ...BASE, wrongLabelRate: 0 })).filter((row) => (byIp.get(row[0]!)?.line ?? null) !== null);
    for (const row of right) {
      const line = byIp.get(row[0]!)!.line!;
      expect(row[7]).toBe(`Line ${line.index} - ${line.title}`);
    }
  }, 120_000);

  it('plants a scan, lateral movement and an exfiltration, all before the split and apart from legitimate traffic', () => {
    const t = base.truth;
    expect(t.attacks.map((a) => a.kind).sort()).toEqual(['exfiltration', 'lateral-movement', 'scan']);
    expect(base.trainUntilMs % 3_600_000).toBe(0);
    expect(base.trainUntilMs - Date.UTC(2026, 2, 3)).toBe(48 * 3_600_000);
    const ports: Record<string, readonly number[]> = { scan: [502, 102], 'lateral-movement': [445, 3389], exfiltration: [443] };
    for (const attack of t.attacks) {
      expect(attack.dsts.length).toBeGreaterThan(0);
      for (const dst of attack.dsts) expect([...t.legitimateEdges].some((edge) => edge.startsWith(`${attack.src}|${dst}|`)), `${attack.kind} ${dst}`).toBe(false);
      const dsts = new Set(attack.dsts);
      const records = rows.filter((row) => row.sa === attack.src && dsts.has(row.da) && ports[attack.kind]!.includes(row.dp));
      expect(records.length, attack.kind).toBeGreaterThan(0);
      for (const row of records) expect(row.te).toBeLessThan(base.trainUntilMs);
    }
    const exfiltration = t.attacks.find((a) => a.kind === 'exfiltration')!;
    const uploaded = rows.filter((row) => row.sa === exfiltration.src && row.da === exfiltration.dsts[0]).reduce((sum, row) => sum + row.bytes, 0);
    expect(uploaded).toBeGreaterThan(1e9);
    const scan = t.attacks.find((a) => a.kind === 'scan')!;
    const refused = rows.filter((row) => row.sa === scan.src && row.flags === '......S.');
    expect(refused.length).toBeGreaterThan(100);
  });

  it('captures one side only when asked: no reply records', () => {
    const oneWay = buildOtPlant({ ...BASE, oneWay: true });
    const oneRows = oneWay.scenario.flows.flatMap((file) => readFile(String(file.content)).rows);
    expect(oneRows.length).toBeLessThan(rows.length * 0.7);
    const served = new Set([...base.truth.legitimateEdges].filter((edge) => edge.split('|')[2] === '6').map((edge) => `${edge.split('|')[1]}|${edge.split('|')[3]}`));
    // (Below the Windows ephemeral range, where a client's own port cannot collide with a DC's dynamic RPC port.)
    const reply = (row: Row): boolean => row.pr === 'TCP' && row.sp < 49152 && served.has(`${row.sa}|${row.sp}`);
    expect(rows.some(reply)).toBe(true);
    expect(oneRows.some(reply)).toBe(false);
  }, 120_000);
});
