import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { contentDigest } from '../../src/core/policy/build-policy';
import type { Policy, StageAuditEntry } from '../../src/core/policy/policy-model';
import { group, handPolicy, rule } from '../core/policy/fixtures';

// The promotion gate's exit codes (0 when nothing enforced would block, 3
// when something would: a pipeline's rollback trigger), the stage command's
// audit entries, and hostile --by/--why text reaching the terminal escaped.

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const DAY_S = 86_400;
const START = 1_767_600_000; // 2026-01-05
const row = (src: string, dst: string, dport: number, day: number): string => `2 123456789012 eni-1 ${src} ${dst} 50000 ${dport} 6 10 1000 ${START + day * DAY_S} ${START + day * DAY_S + 60} ACCEPT OK`;

async function setUp(): Promise<{ dir: string; policyPath: string; flows: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'flowfence-stage-cli-'));
  const policy = handPolicy([group('g1', ['10.0.1.1'], { name: 'web' }), group('g2', ['10.0.2.1'], { name: 'db' })], [rule('g1', 'g2', 6, { from: 443, to: 443 })]);
  const policyPath = join(dir, 'policy.json');
  await writeFile(policyPath, JSON.stringify({ ...policy, contentSha256: contentDigest(policy) }));
  // web → db:443 every day for 20 days (permitted); a stranger on db:443 on day 2; web on db:22 on day 1.
  const rows = [HEADER, ...Array.from({ length: 21 }, (_, day) => row('10.0.1.1', '10.0.2.1', 443, day)), row('10.0.9.9', '10.0.2.1', 443, 2), row('10.0.1.1', '10.0.2.1', 22, 1)];
  const flows = join(dir, 'flows.log');
  await writeFile(flows, `${rows.join('\n')}\n`);
  return { dir, policyPath, flows };
}

const stage = (policyPath: string, ...args: string[]) => cli(['stage', '--policy', policyPath, '--group', 'g2', ...args]);
const gate = (policyPath: string, flows: string, ...args: string[]) => cli(['simulate', '--policy', policyPath, '--stage-check', ...args, flows]);

describe('flowfence stage and simulate --stage-check', () => {
  it('exits 3 while an enforced group blocks traffic allowed today, 0 once it only observes, 3 again when selective enforces the broken service', async () => {
    const { policyPath, flows } = await setUp();
    const enforced = await gate(policyPath, flows, '--json');
    expect(enforced.code).toBe(3);
    const check = (JSON.parse(enforced.stdout) as { stageCheck: { rollback: boolean; groups: { group: string; blockedNow: { client: string; port: number }[] }[] } }).stageCheck;
    expect(check.rollback).toBe(true);
    expect(check.groups.find((g) => g.group === 'g2')!.blockedNow.map((e) => [e.client, e.port])).toEqual([
      ['10.0.1.1', 22],
      ['10.0.9.9', 443],
    ]);

    expect((await stage(policyPath, '--to', 'observe', '--canary', '--by', 'ana', '--why', 'first step of the rollout', '--ticket', 'CHG-7')).code).toBe(0);
    const observed = await gate(policyPath, flows);
    expect(observed.code).toBe(0);
    expect(observed.stdout).toMatch(/g2 \(db\): observe \(canary\)/);
    // The next stage enforces what the rules open (tcp/443): the stranger of day 2 breaks it, 18 quiet days since.
    expect(observed.stdout).toMatch(/next: selective on tcp\/443; would block 1 edge\(s\); 18 quiet day\(s\): promotion proposed/);
    expect(observed.stdout).toContain('Nothing enforced blocks traffic allowed today.');
    expect((await gate(policyPath, flows, '--quiet-days', '30')).stdout).toMatch(/18 quiet day\(s\): wait/);

    expect((await stage(policyPath, '--to', 'selective', '--services', 'tcp/443', '--by', 'ana', '--why', 'quiet for 18 days')).code).toBe(0);
    const selective = await gate(policyPath, flows);
    expect(selective.code).toBe(3);
    expect(selective.stdout).toMatch(/blocks now \(rollback\): 1 edge/);
    expect(selective.stdout).toMatch(/ROLLBACK/);
  });

  it('exports an observed group: logged and accepted by nftables, left open and named by aws-sg; enforced by both once promoted', async () => {
    const { dir, policyPath } = await setUp();
    const out = join(dir, 'export');
    expect((await stage(policyPath, '--to', 'observe', '--by', 'ana', '--why', 'rollout starts')).code).toBe(0);
    const staged = await cli(['export', '--policy', policyPath, '--target', 'nftables', '--out', out]);
    expect(staged.code, staged.stderr).toBe(0);
    expect(staged.stdout).toContain('stages: 1 enforced, 1 observed (logged), 0 selective');
    const open = await cli(['export', '--policy', policyPath, '--target', 'aws-sg', '--out', join(dir, 'aws')]);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toContain('1 left open (not isolated by this target until enforced):\n      g2 (observe)');
    expect((await stage(policyPath, '--to', 'enforce', '--by', 'ana', '--why', 'quiet for two weeks')).code).toBe(0);
    const enforced = await cli(['export', '--policy', policyPath, '--target', 'aws-sg,nftables', '--out', join(dir, 'aws')]);
    expect(enforced.code, enforced.stderr).toBe(0);
    expect(enforced.stdout).not.toContain('stages:');
  });

  it('appends each decision to the audit trail with who, when, why and the setting replaced, and refuses one without a reason', async () => {
    const { policyPath } = await setUp();
    expect((await stage(policyPath, '--to', 'observe', '--by', 'ana', '--why', 'start')).code).toBe(0);
    expect((await stage(policyPath, '--override', '--by', 'bo', '--why', 'owner accepts the risk')).code).toBe(0);
    const before = await readFile(policyPath, 'utf8');
    const refused = await stage(policyPath, '--to', 'enforce', '--by', 'bo', '--why', '  ');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/say why/);
    expect(await readFile(policyPath, 'utf8')).toBe(before);
    const policy = JSON.parse(before) as Policy;
    const audit = policy.audit as StageAuditEntry[];
    expect(audit.map((entry) => [entry.group, entry.stage, entry.override, entry.by, entry.why, entry.previous.stage, entry.previous.override])).toEqual([
      ['g2', 'observe', false, 'ana', 'start', 'enforce', false],
      ['g2', 'observe', true, 'bo', 'owner accepts the risk', 'observe', false],
    ]);
    expect(audit.every((entry) => !Number.isNaN(Date.parse(entry.at)))).toBe(true);
    expect(policy.contentSha256).toBe(contentDigest(policy));
  });

  it('prints hostile --by and --why escaped on the terminal, and keeps them as given in policy.json', async () => {
    const { policyPath, flows } = await setUp();
    const by = 'mallory\u001b]0;owned\u0007';
    const why = 'fine\n  blocked: nothing \u202eevil';
    const result = await stage(policyPath, '--to', 'observe', '--by', by, '--why', why);
    expect(result.code).toBe(0);
    const raw = (text: string): boolean => ['\u001b', '\u0007', '\u202e'].some((character) => text.includes(character));
    expect(raw(result.stdout)).toBe(false);
    expect(result.stdout).toContain('mallory\\x1b]0;owned\\x07');
    expect(result.stdout).toContain('fine\\n  blocked: nothing \\u{202e}evil');
    expect(result.stdout.split('\n').filter((line) => line !== '')).toHaveLength(2);
    const policy = JSON.parse(await readFile(policyPath, 'utf8')) as Policy;
    expect(policy.groups.find((g) => g.id === 'g2')!.stage!.decision).toMatchObject({ by, why });
    // The gate's report goes through the same escaping.
    expect(raw((await gate(policyPath, flows)).stdout)).toBe(false);
  });
});
