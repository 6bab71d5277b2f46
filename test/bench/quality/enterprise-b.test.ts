import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnterpriseB, enterpriseB } from './generators/enterprise-b/index';
import { INFRA } from './generators/enterprise-b/catalogue';
import type { AttackKind, Scenario, ScenarioParams } from './scenario';

// The enterprise-b scenario generator: deterministic, labels as the
// parameters say, attacks planted apart from legitimate traffic, and files
// Flowfence's own CLI reads as Azure NSG flow logs without a rejected row.
// Builds take a few seconds each (two weeks of flow logs), hence the timeouts.

const BASE: ScenarioParams = { seed: 1, labelCoverage: 1, wrongLabelRate: 0.05, oneWay: false };
const root = fileURLToPath(new URL('../../..', import.meta.url));

function digest(scenario: Scenario): string {
  const hash = createHash('sha256');
  for (const file of [...scenario.flows, ...scenario.inventories]) hash.update(file.name).update('\0').update(file.content).update('\0');
  const t = scenario.truth;
  hash.update(JSON.stringify([[...t.groupOfHost], [...t.servers], [...t.legitimateEdges], [...t.adminEdges], t.attacks, scenario.trainUntilMs, scenario.id]));
  return hash.digest('hex');
}

interface Tuple {
  readonly ts: number;
  readonly src: string;
  readonly dst: string;
  readonly proto: number;
  readonly port: number;
  readonly dir: string;
  readonly decision: string;
}

/** Every flow tuple of a scenario (the test's own reading, not the engine's). */
function tuplesOf(scenario: Scenario): Tuple[] {
  const out: Tuple[] = [];
  const re = /"(\d+),([\d.]+),([\d.]+),\d+,(\d+),([TU]),([IO]),([AD]),[BCE],/g;
  for (const file of scenario.flows) {
    for (const m of String(file.content).matchAll(re)) {
      out.push({ ts: Number(m[1]) * 1000, src: m[2]!, dst: m[3]!, port: Number(m[4]), proto: m[5] === 'T' ? 6 : 17, dir: m[6]!, decision: m[7]! });
    }
  }
  return out;
}

/** Inventory rows by address, as records of column → value. */
function inventoryRows(scenario: Scenario): { columns: string[]; rows: Map<string, Record<string, string>> } {
  const [header, ...lines] = String(scenario.inventories[0]!.content).trimEnd().split('\n');
  const columns = header!.split(',');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines) {
    const values = line.split(',');
    rows.set(values[0]!, Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ''])));
  }
  return { columns, rows };
}

const INFRA_APP = new Map(INFRA.map((spec) => [spec.service, spec.cmdbApp]));

/** Whether a labelled server's env and app agree with its ground-truth group. */
function labelIsRight(group: string, row: Record<string, string>): boolean {
  const [env, app] = group.split('|') as [string, string];
  if (env === 'infra') return row['env'] === 'shared' && row['app'] === INFRA_APP.get(app);
  return row['env'] === env && row['app'] === app;
}

describe('enterprise-b scenario generator', () => {
  let base: Scenario;
  let attackEdges: ReadonlySet<string>;
  let tuples: Tuple[];

  beforeAll(() => {
    ({ scenario: base, attackEdges } = buildEnterpriseB(BASE));
    tuples = tuplesOf(base);
  }, 300_000);

  it('is deterministic: the same parameters give byte-identical files and truth, another seed other ones', () => {
    const again = enterpriseB.build(BASE);
    expect(digest(again)).toBe(digest(base));
    const seed2 = enterpriseB.build({ ...BASE, seed: 2 });
    const seed2Again = enterpriseB.build({ ...BASE, seed: 2 });
    expect(digest(seed2Again)).toBe(digest(seed2));
    expect(digest(seed2)).not.toBe(digest(base));
    expect(seed2.id).toBe('enterprise-b/seed2/labels100/wrong5');
  }, 300_000);

  it('has the enterprise shape: ~170 internal hosts, servers, admin edges a subset of the legitimate ones', () => {
    const t = base.truth;
    expect(t.groupOfHost.size).toBeGreaterThanOrEqual(160);
    expect(t.groupOfHost.size).toBeLessThanOrEqual(180);
    expect(t.servers.size).toBeGreaterThanOrEqual(90);
    for (const server of t.servers) expect(t.groupOfHost.has(server)).toBe(true);
    for (const edge of t.adminEdges) expect(t.legitimateEdges.has(edge)).toBe(true);
    // Domain traffic (SMB, RPC to the DCs) is legitimate and never administration.
    const dcs = new Set([...t.groupOfHost].filter(([, g]) => g === 'infra|dc').map(([ip]) => ip));
    expect(dcs.size).toBeGreaterThanOrEqual(2);
    const domainSmb = [...t.legitimateEdges].filter((edge) => dcs.has(edge.split('|')[1]!) && edge.endsWith('|6|445'));
    expect(domainSmb.length).toBeGreaterThan(100);
    for (const edge of domainSmb) expect(t.adminEdges.has(edge)).toBe(false);
    // Admin edges come from the jump hosts or administrators' desktops, on SSH, RDP or WinRM.
    for (const edge of t.adminEdges) {
      const [client, , , port] = edge.split('|');
      expect(['infra|jump', 'dept|engineering']).toContain(t.groupOfHost.get(client!));
      expect(['22', '3389', '5985']).toContain(port);
    }
    expect(base.trainUntilMs).toBe(Date.UTC(2026, 2, 12));
    expect(base.trainUntilMs % 3_600_000).toBe(0);
    expect(base.flows.every((f) => f.name.endsWith('.json'))).toBe(true);
    expect(tuples.length).toBeGreaterThan(200_000);
    expect(tuples.length).toBeLessThan(600_000);
  });

  it('shows every legitimate service in training and in the replay, except one to three new services', () => {
    const train = new Set<string>();
    const replay = new Set<string>();
    for (const t of tuples) {
      if (t.decision !== 'A') continue;
      (t.ts < base.trainUntilMs ? train : replay).add(`${t.src}|${t.dst}|${t.proto}|${t.port}`);
    }
    const missingReplay = [...base.truth.legitimateEdges].filter((edge) => !replay.has(edge));
    expect(missingReplay).toEqual([]);
    const newEdges = [...base.truth.legitimateEdges].filter((edge) => !train.has(edge));
    const newServices = new Set(newEdges.map((edge) => edge.split('|').slice(1).join('|')));
    expect(newServices.size).toBeGreaterThanOrEqual(1);
    expect(newServices.size).toBeLessThanOrEqual(3);
    // A new service is new: nobody used that server port in training.
    const trainServices = new Set([...train].map((edge) => edge.split('|').slice(1).join('|')));
    for (const service of newServices) expect(trainServices.has(service)).toBe(false);
  });

  it('plants every attack kind, apart from legitimate traffic, and the attacks are in the files', () => {
    const kinds = new Set(base.truth.attacks.map((a) => a.kind));
    for (const kind of ['scan', 'lateral-movement', 'exfiltration', 'cross-environment'] as AttackKind[]) expect(kinds).toContain(kind);
    const legit = base.truth.legitimateEdges;
    for (const edge of attackEdges) expect(legit.has(edge), edge).toBe(false);
    const edgeOf = (t: Tuple): string => `${t.src}|${t.dst}|${t.proto}|${t.port}`;
    /** The attack's own edges (its source may also use some of its targets legitimately, on other ports). */
    const plantedOf = (src: string, dsts: readonly string[]): Set<string> => new Set([...attackEdges].filter((edge) => edge.startsWith(`${src}|`) && dsts.includes(edge.split('|')[1]!)));
    const seenEdges = new Set(tuples.map(edgeOf));
    for (const attack of base.truth.attacks) {
      expect(base.truth.groupOfHost.has(attack.src)).toBe(true);
      expect(attack.note.length).toBeGreaterThan(20);
      const planted = plantedOf(attack.src, attack.dsts);
      expect(planted.size, attack.kind).toBeGreaterThan(0);
      for (const edge of planted) expect(seenEdges.has(edge), `${attack.kind} ${edge} in the files`).toBe(true);
    }
    const byKind = (kind: AttackKind) => base.truth.attacks.find((a) => a.kind === kind)!;
    /** Of an attack's (server, port) targets, the share the server's NSG denied (the client's NSG logs them allowed outbound). */
    const refusedShare = (src: string, dsts: readonly string[]): { targets: number; share: number } => {
      const planted = plantedOf(src, dsts);
      const refused = new Set(tuples.filter((t) => t.decision === 'D' && planted.has(edgeOf(t))).map(edgeOf));
      return { targets: planted.size, share: refused.size / planted.size };
    };
    // Lateral movement: ~30 servers, ~60 attempts, about a third refused.
    const lateral = byKind('lateral-movement');
    expect(lateral.dsts.length).toBeGreaterThanOrEqual(25);
    const moves = refusedShare(lateral.src, lateral.dsts);
    expect(moves.targets).toBeGreaterThanOrEqual(50);
    expect(moves.share).toBeGreaterThan(0.2);
    expect(moves.share).toBeLessThan(0.45);
    // Its source uses SMB on the domain controllers every day.
    expect([...legit].some((edge) => edge.startsWith(`${lateral.src}|`) && edge.endsWith('|6|445'))).toBe(true);
    // Scan: ~200 (host, port) targets, mostly refused.
    const scan = byKind('scan');
    const probes = refusedShare(scan.src, scan.dsts);
    expect(probes.targets).toBeGreaterThanOrEqual(150);
    expect(probes.share).toBeGreaterThan(0.8);
    // Cross-environment: dev client, prod server, on a port the client uses in dev.
    const cross = byKind('cross-environment');
    expect(base.truth.groupOfHost.get(cross.src)).toMatch(/^dev\|/);
    expect(base.truth.groupOfHost.get(cross.dsts[0]!)).toMatch(/^prod\|/);
    expect(cross.src.split('.').slice(0, 2).join('.')).not.toBe(cross.dsts[0]!.split('.').slice(0, 2).join('.'));
    // Exfiltration: hundreds of MB from a prod database to an address nothing else ever reached.
    const exfil = byKind('exfiltration');
    expect(base.truth.groupOfHost.get(exfil.src)).toMatch(/^prod\|.*\|db$/);
    expect(tuples.filter((t) => t.dst === exfil.dsts[0] && t.src !== exfil.src)).toEqual([]);
    expect(tuples.filter((t) => t.ts < base.trainUntilMs && t.dst === exfil.dsts[0])).toEqual([]);
  });

  it('lets labelCoverage decide which servers carry labels, and oneWay how many NSGs log, without touching what flows', () => {
    // Builds are slow (seconds each), so the half-labelled one is also the one-way one.
    const bare = enterpriseB.build({ ...BASE, labelCoverage: 0, wrongLabelRate: 0 });
    const half = enterpriseB.build({ ...BASE, labelCoverage: 0.5, wrongLabelRate: 0, oneWay: true });
    const servers = [...base.truth.servers];
    // 0: names only.
    const none = inventoryRows(bare);
    expect(none.columns).toEqual(['ip_address', 'hostname']);
    expect(none.rows.size).toBe(base.truth.groupOfHost.size);
    // 0.5: half the servers, all of them right (no wrong labels asked for).
    const halfRows = inventoryRows(half);
    const labelledHalf = servers.filter((ip) => (halfRows.rows.get(ip)?.['env'] ?? '') !== '');
    expect(labelledHalf.length).toBe(Math.round(servers.length / 2));
    for (const ip of labelledHalf) expect(labelIsRight(base.truth.groupOfHost.get(ip)!, halfRows.rows.get(ip)!)).toBe(true);
    // 1: every server.
    const full = inventoryRows(base);
    expect(full.columns).toEqual(expect.arrayContaining(['env', 'app', 'tier']));
    expect(servers.every((ip) => (full.rows.get(ip)?.['env'] ?? '') !== '')).toBe(true);
    // Desktops: at most a department.
    for (const [ip, group] of base.truth.groupOfHost) {
      if (!group.startsWith('dept|')) continue;
      const row = full.rows.get(ip)!;
      expect(row['env'] ?? '').toBe('');
      expect(['', group.slice('dept|'.length)]).toContain(row['department']);
    }
    // Same flows whatever the labels.
    expect(bare.flows.map((f) => f.content)).toEqual(base.flows.map((f) => f.content));
    expect(bare.id).toBe('enterprise-b/seed1/labels0');
    expect(half.id).toBe('enterprise-b/seed1/labels50/oneway');

    // One way: outbound tuples only where the server is outside; everything internal is logged at the server's NSG.
    const seen = tuplesOf(half);
    const internal = new Set(half.truth.groupOfHost.keys());
    expect(seen.filter((t) => t.dir === 'O' && internal.has(t.dst))).toEqual([]);
    expect(seen.length).toBeLessThan(0.7 * tuples.length);
    expect(new Set(seen.map((t) => `${t.src}|${t.dst}|${t.proto}|${t.port}`))).toEqual(new Set(tuples.map((t) => `${t.src}|${t.dst}|${t.proto}|${t.port}`)));
    expect(half.truth.legitimateEdges).toEqual(base.truth.legitimateEdges);
  }, 300_000);

  it('makes ~5% of the labelled servers wrong at wrongLabelRate 0.05', () => {
    const { rows } = inventoryRows(base);
    const servers = [...base.truth.servers];
    const wrong = servers.filter((ip) => !labelIsRight(base.truth.groupOfHost.get(ip)!, rows.get(ip)!));
    // round(0.05 × servers): within one host of 5%.
    expect(wrong.length).toBe(Math.round(0.05 * servers.length));
    expect(Math.abs(wrong.length / servers.length - 0.05)).toBeLessThanOrEqual(1 / servers.length);
  });

  describe('read by the Flowfence CLI', () => {
    let dir: string;
    afterAll(() => {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('detects every flow file as azure-nsg and the CMDB as an inventory, rejecting no row', () => {
      dir = mkdtempSync(join(tmpdir(), 'enterprise-b-'));
      mkdirSync(join(dir, 'flows'));
      for (const file of base.flows) writeFileSync(join(dir, 'flows', file.name), file.content);
      const inventory = join(dir, base.inventories[0]!.name);
      writeFileSync(inventory, base.inventories[0]!.content);
      const run = spawnSync(process.execPath, [join(root, 'src/cli/flowfence.mjs'), 'analyze', join(dir, 'flows'), '--inventory', inventory, '--json'], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: 540_000,
      });
      expect(run.status, run.stderr.slice(-2_000)).toBe(0);
      const result = JSON.parse(run.stdout) as { inputs: { path: string; format: string; read: number; accepted: number; rejected: number }[]; hosts: number };
      const flows = result.inputs.filter((input) => input.path.includes(`${join(dir, 'flows')}`));
      expect(flows.length).toBe(base.flows.length);
      for (const input of flows) {
        expect(input.format, input.path).toBe('azure-nsg');
        expect(input.rejected, input.path).toBe(0);
        expect(input.accepted).toBe(input.read);
      }
      expect(flows.reduce((sum, input) => sum + input.read, 0)).toBe(tuples.length);
      expect(result.inputs.find((input) => input.path === inventory)?.format).toBe('inventory');
    }, 600_000);
  });
});
