import { copyFile, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvParse } from 'd3-dsv';
import { cli } from '../helpers/cli';
import { ANOMALY_DEFAULTS } from '../../src/core/discover/anomalies';
import { CUT_DEFAULTS } from '../../src/core/discover/choose-cut';
import { analysisSettings } from '../../src/core/discover/discovery-settings';
import { parsePolicy } from '../../src/core/policy/policy-schema';
import { contentDigest } from '../../src/core/policy/build-policy';
import type { Policy } from '../../src/core/policy/policy-model';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources', 'demo');
// A policy.json written by Flowfence before policy version 2 (test/fixtures/policy/SOURCE.txt).
const POLICY_V1 = join(ROOT, 'test', 'fixtures', 'policy', 'demo-excerpt.v1.policy.json');


const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-policy-cli-'));

describe('policy from analyze, then simulate and drift', () => {
  let out = '';
  let policyPath = '';
  let policy: Policy;
  let summary: Record<string, unknown>;

  /** The policy with every rule approved and no just-in-time rule left closed. */
  const writeOpenedPolicy = async (): Promise<string> => {
    const opened: Policy = { ...policy, rules: policy.rules.map((rule) => ({ ...rule, jit: null, state: 'approved' as const })) };
    const path = join(out, 'opened.json');
    await writeFile(path, JSON.stringify({ ...opened, contentSha256: contentDigest(opened) }));
    return path;
  };

  /** A copy of the demo whose flow logs leave out every record to or from `hosts`. */
  const demoWithout = async (hosts: ReadonlySet<string>): Promise<string> => {
    const dir = await tempDir();
    await copyFile(join(DEMO, 'inventory.csv'), join(dir, 'inventory.csv'));
    await copyFile(join(DEMO, 'windows-logons.ndjson'), join(dir, 'windows-logons.ndjson'));
    await mkdir(join(dir, 'vpc-flow-logs'));
    let dropped = 0;
    for (const name of await readdir(join(DEMO, 'vpc-flow-logs'))) {
      const lines = gunzipSync(await readFile(join(DEMO, 'vpc-flow-logs', name))).toString('utf8').split('\n');
      const kept = lines.filter((line) => {
        const [, , , src, dst] = line.split(' ');
        return !(hosts.has(src ?? '') || hosts.has(dst ?? ''));
      });
      dropped += lines.length - kept.length;
      await writeFile(join(dir, 'vpc-flow-logs', name), gzipSync(kept.join('\n')));
    }
    expect(dropped).toBeGreaterThan(0);
    return dir;
  };

  beforeAll(async () => {
    out = await tempDir();
    const result = await cli(['analyze', DEMO, '--json', '--out', out]);
    expect(result.code).toBe(0);
    summary = JSON.parse(result.stdout);
    policyPath = join(out, 'policy.json');
    policy = parsePolicy(await readFile(policyPath, 'utf8'), policyPath);
  });

  it('analyze writes a valid, self-verifying policy.json and rules.csv, and reports rules, simulation and exposure', async () => {
    expect(policy.contentSha256).toBe(contentDigest(policy));
    expect(summary.policySha256).toBe(policy.contentSha256);
    expect(summary.rules).toBe(policy.rules.length);
    expect(policy.inputs.files.map((file) => file.name).sort()).toEqual((await readdir(join(DEMO, 'vpc-flow-logs'))).concat(['inventory.csv', 'windows-logons.ndjson']).sort());
    const rows = (await readFile(join(out, 'rules.csv'), 'utf8')).trimEnd().split('\n');
    expect(rows[0]).toBe('id,from_group,from_name,to_group,to_name,proto,ports,state,jit,window,flows,first_seen,last_seen');
    expect(rows).toHaveLength(policy.rules.length + 1);
    // Every rule names its groups as policy.json does.
    const names = new Map(policy.groups.map((group) => [group.id, group.name]));
    for (const row of csvParse((await readFile(join(out, 'rules.csv'), 'utf8')))) {
      expect(row.from_name).toBe(names.get(row.from_group!));
      expect(row.to_name).toBe(names.get(row.to_group!));
      expect(row.from_name).not.toBe('');
    }
    const simulation = summary.simulation as { permitted: number; escaped: number; rejected: number; coverage: number };
    expect(simulation.coverage).toBeCloseTo(simulation.permitted / (simulation.permitted + simulation.escaped), 12);
    const exposure = summary.exposure as { flatPairs: number; policyPairs: number; reduction: number; adminPaths: number };
    const internal = (summary.enrichment as { internalHosts: number }).internalHosts;
    expect(exposure.flatPairs).toBe(internal * (internal - 1));
    expect(exposure.policyPairs).toBeLessThan(exposure.flatPairs);
    expect(exposure.reduction).toBeCloseTo(1 - exposure.policyPairs / exposure.flatPairs, 12);
    // Every rule rests on edges, or says why it is opened ahead of traffic (a companion port, an idle replica's).
    for (const rule of policy.rules) {
      if (rule.evidence.edges.length === 0) expect(rule.evidence.steps.map((step) => step.step)).toEqual(expect.arrayContaining([expect.stringMatching(/^(companion|idle-replica)$/)]));
    }
    expect(policy.rules.filter((rule) => rule.evidence.edges.length > 0).length).toBeGreaterThan(0);
    // Remote administration from a group that is not an admin group is just-in-time, closed by default (the IT
    // department's RDP to the jump hosts); SMB to the file server and the domain controllers, which every department
    // uses, is their role: open, and the evidence says so.
    expect(policy.rules.some((rule) => rule.jit !== null && rule.ports?.from === 3389)).toBe(true);
    const smb = policy.rules.filter((rule) => rule.ports?.from === 445);
    expect(smb.length).toBeGreaterThan(0);
    for (const rule of smb) expect([rule.jit, rule.evidence.steps.filter((step) => step.step === 'role').length]).toEqual([null, 1]);
    // Every rule on an admin service says why it is or is not just-in-time, once.
    const admin = new Set(policy.settings.adminServices.map((service) => `${service.proto}/${service.port}`));
    for (const rule of policy.rules.filter((r) => r.ports !== null && r.ports.from === r.ports.to && admin.has(`${r.proto}/${r.ports.from}`))) {
      expect(rule.evidence.steps.filter((step) => ['just-in-time', 'role', 'admin-group'].includes(step.step))).toHaveLength(1);
    }
  });

  it('simulate: the same flows against the policy; exit 3 because just-in-time rules stay closed, JSON with escaped edges', async () => {
    const result = await cli(['simulate', '--policy', policyPath, DEMO, '--json']);
    expect(result.code).toBe(3);
    const replay = JSON.parse(result.stdout);
    expect(Object.keys(replay)).toEqual(['policy', 'inputs', 'simulation', 'escaped']);
    expect(replay.simulation).toEqual(summary.simulation);
    expect(replay.escaped.length).toBe(replay.simulation.escapedEdges);
    for (const edge of replay.escaped) expect(Object.keys(edge)).toEqual(['client', 'server', 'proto', 'port', 'flows', 'reason']);
    expect(replay.escaped.some((edge: { reason: string }) => edge.reason.startsWith('only just-in-time rule'))).toBe(true);
  });

  it('simulate with every rule opened still exits 3: the flagged anomalies are never turned into rules, and their traffic is all that escapes', async () => {
    const flagged = new Set((summary.anomalies as { src: string }[]).map((anomaly) => anomaly.src));
    expect(flagged.size).toBeGreaterThan(0);
    const result = await cli(['simulate', '--policy', await writeOpenedPolicy(), DEMO, '--json']);
    const escaped = JSON.parse(result.stdout).escaped as { client: string }[];
    expect(escaped.length).toBeGreaterThan(0);
    expect(escaped.every((edge) => flagged.has(edge.client))).toBe(true);
    expect(result.code).toBe(3);
  });

  it('simulate exits 0 when every observed flow is permitted', async () => {
    // Every rule opened, and the demo's flows without the flagged hosts' traffic: nothing left is blocked.
    const flagged = new Set((summary.anomalies as { src: string }[]).map((anomaly) => anomaly.src));
    expect(flagged.size).toBeGreaterThan(0);
    const input = await demoWithout(flagged);
    const result = await cli(['simulate', '--policy', await writeOpenedPolicy(), input, '--json']);
    const replay = JSON.parse(result.stdout) as { simulation: { permitted: number; escaped: number }; escaped: unknown[] };
    expect(replay.escaped).toEqual([]);
    expect(replay.simulation.escaped).toBe(0);
    expect(replay.simulation.permitted).toBeGreaterThan(0);
    expect(result.code).toBe(0);
  });

  it('simulate and drift refuse a bad policy file with exit 2 and a clear message', async () => {
    const broken = join(out, 'broken.json');
    await writeFile(broken, JSON.stringify({ ...policy, rules: [{ ...policy.rules[0], to: 'g999' }] }));
    for (const command of ['simulate', 'drift']) {
      const result = await cli([command, '--policy', broken, DEMO]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('names group "g999", which the policy does not define');
    }
    const missing = await cli(['simulate', DEMO]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--policy P is required');
  });

  it('warns when the policy was edited after it was generated', async () => {
    const edited = join(out, 'edited.json');
    await writeFile(edited, JSON.stringify({ ...policy, rules: policy.rules.slice(1) }));
    const result = await cli(['simulate', '--policy', edited, DEMO]);
    expect(result.stderr).toContain('was edited after it was generated');
  });

  it('policy.json records the discovery and anomaly thresholds the run used, and the cut asked for', async () => {
    expect(policy.analysis).toEqual(analysisSettings());
    expect(policy.analysis!.discovery.cut).toEqual(CUT_DEFAULTS);
    expect(policy.analysis!.discovery.clusters).toBeNull();
    expect(policy.analysis!.anomalies).toEqual(JSON.parse(JSON.stringify(ANOMALY_DEFAULTS)));
    const dir = await tempDir();
    expect((await cli(['analyze', DEMO, '--clusters', '12', '--out', dir])).code).toBe(0);
    const moved = parsePolicy(await readFile(join(dir, 'policy.json'), 'utf8'), 'policy.json');
    expect(moved.analysis).toEqual(analysisSettings({ discovery: { clusters: 12 } }));
    expect(moved.contentSha256).not.toBe(policy.contentSha256);
  });

  it('simulate and drift read a version-1 policy.json (written before version 2), migrate it and say so', async () => {
    const simulated = await cli(['simulate', '--policy', POLICY_V1, DEMO, '--json']);
    // The excerpt's policy meets the whole demo: just-in-time SMB and traffic it never saw escape.
    expect(simulated.code).toBe(3);
    const replay = JSON.parse(simulated.stdout);
    expect(replay.policy).toEqual({ path: POLICY_V1, contentSha256: JSON.parse(await readFile(POLICY_V1, 'utf8')).contentSha256, migratedFrom: 1 });
    expect(replay.simulation.permitted).toBeGreaterThan(0);
    expect(simulated.stderr).toContain(`flowfence: warning: ${POLICY_V1} is a version-1 policy, migrated to version 2 on reading: settings.roleDependentAdminServices set to []`);
    expect(simulated.stderr).not.toContain('was edited after it was generated');
    const drifted = await cli(['drift', '--policy', POLICY_V1, DEMO]);
    expect(drifted.code).toBe(3);
    expect(drifted.stderr).toContain('is a version-1 policy, migrated to version 2 on reading');
    expect(drifted.stdout).toMatch(/new host\(s\): \d+ placed/);
    // A current policy says nothing of the kind.
    expect((await cli(['simulate', '--policy', policyPath, DEMO, '--json'])).stderr).not.toContain('migrated');
  });

  it('simulate refuses a broken version-1 policy, naming the path', async () => {
    const text = JSON.parse(await readFile(POLICY_V1, 'utf8')) as { rules: Record<string, unknown>[] };
    delete text.rules[3]!.evidence;
    const broken = join(out, 'broken-v1.json');
    await writeFile(broken, JSON.stringify(text));
    const result = await cli(['simulate', '--policy', broken, DEMO]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${broken}: does not match the policy schema (version 1, read as version 2): /rules/3 must have required property 'evidence'`);
  });

  it('simulate and drift name every unusable file and why, on stderr and in --json inputs[], as analyze does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowfence-unusable-'));
    await writeFile(join(dir, 'notes.log'), 'not a flow export\n');
    for (const command of ['simulate', 'drift']) {
      const result = await cli([command, '--policy', policyPath, join(DEMO, 'vpc-flow-logs'), join(dir, 'notes.log'), '--json']);
      expect(result.code, command).toBe(2);
      expect(result.stderr, command).toMatch(new RegExp(`flowfence: ${join(dir, 'notes.log').replace(/[.]/g, '\\.')}: unknown format: none of `));
      const inputs = JSON.parse(result.stdout).inputs as { path: string; format: string | null; read: number; accepted: number; rejected: number; error?: string }[];
      expect(inputs.find((input) => input.path.endsWith('notes.log'))).toMatchObject({ format: null, read: 0, error: expect.stringMatching(/^unknown format/) });
      for (const input of inputs) expect(input.read).toBe(input.accepted + input.rejected);
      expect(inputs.filter((input) => input.format === 'aws-vpc').length).toBeGreaterThan(0);
    }
  });

  it('drift --out writes the blocked edges, the unused rules and the new hosts, each with its header', async () => {
    const out = await mkdtemp(join(tmpdir(), 'flowfence-drift-'));
    const result = await cli(['drift', '--policy', policyPath, DEMO, '--out', out, '--json']);
    const drift = JSON.parse(result.stdout);
    expect((await readdir(out)).sort()).toEqual(['drift-blocked.csv', 'drift-new-hosts.csv', 'drift-unused-rules.csv']);
    const rows = async (name: string) => csvParse(await readFile(join(out, name), 'utf8'));
    expect((await rows('drift-blocked.csv')).length).toBe(drift.blocked.length);
    expect((await rows('drift-unused-rules.csv')).columns).toEqual(['id', 'from_group', 'to_group', 'service', 'last_seen']);
    expect((await rows('drift-unused-rules.csv')).length).toBe(drift.unusedRules.length);
    expect((await rows('drift-new-hosts.csv')).columns).toEqual(['ip', 'group', 'confidence', 'nearest', 'reason']);
    expect((await rows('drift-new-hosts.csv')).length).toBe(drift.newHosts.length);
  });

  it('drift against the same window: no new hosts; unused rules are only those no flow matched', async () => {
    const result = await cli(['drift', '--policy', policyPath, DEMO, '--json']);
    const drift = JSON.parse(result.stdout);
    expect(Object.keys(drift)).toEqual(['policy', 'inputs', 'simulation', 'blocked', 'unusedRules', 'newHosts', 'certifications']);
    expect(drift.newHosts).toEqual([]);
    // No owner has decided anything yet: nothing can have lapsed.
    expect(drift.certifications.lapsed).toEqual([]);
    expect(drift.unusedRules).toEqual([]);
    expect(drift.blocked.length).toBe(drift.simulation.escapedEdges);
    expect(result.code).toBe(3);
  });

  it('analyze --train-until learns from the earlier flows and reports the hold-out', async () => {
    const result = await cli(['analyze', DEMO, '--json', '--train-until', '2026-01-05T16:00:00Z']);
    expect(result.code).toBe(0);
    const holdout = JSON.parse(result.stdout).holdout;
    expect(Object.keys(holdout)).toEqual(['replayedEdges', 'escapedEdges', 'escapedFlows', 'wouldBreakRate', 'newServices', 'newServiceEdges', 'jitEdges']);
    expect(holdout.replayedEdges).toBeGreaterThan(100);
    expect(holdout.wouldBreakRate).toBe(holdout.escapedEdges / holdout.replayedEdges);
    // Hosts first seen after the split are not members of the policy: they stay new.
    const early = await cli(['analyze', DEMO, '--json', '--train-until', '2026-01-05T01:00:00Z']);
    const earlySummary = JSON.parse(early.stdout);
    const later = await cli(['analyze', DEMO, '--json']);
    expect(Object.keys(earlySummary.assignments).length).toBeLessThan(Object.keys(JSON.parse(later.stdout).assignments).length);
    const none = await cli(['analyze', DEMO, '--train-until', '2020-01-01']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('--train-until leaves no traffic to learn rules from');
    const bad = await cli(['analyze', DEMO, '--train-until', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--train-until: "yesterday" is not a time');
  });

  it('records --internal ranges in the policy, so a replay without them places hosts alike', async () => {
    const dir = await tempDir();
    // The demo's partner network counts as internal here.
    const result = await cli(['analyze', DEMO, '--internal', '203.0.113.0/24', '--out', dir, '--json']);
    expect(result.code).toBe(0);
    const recorded = parsePolicy(await readFile(join(dir, 'policy.json'), 'utf8'), 'policy.json');
    expect(recorded.settings.internalCidrs).toEqual(['203.0.113.0/24']);
    const replay = JSON.parse((await cli(['simulate', '--policy', join(dir, 'policy.json'), DEMO, '--json'])).stdout);
    expect(replay.simulation).toEqual(JSON.parse(result.stdout).simulation);
  });
});
