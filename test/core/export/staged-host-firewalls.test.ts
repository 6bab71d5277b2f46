import { describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { EXPORT_TARGETS, POD_TARGETS } from '../../../src/core/export/export-types';
import { iptablesTarget } from '../../../src/core/export/iptables-target';
import { nftablesTarget } from '../../../src/core/export/nftables-target';
import { stageLogId, stageLogPrefix } from '../../../src/core/export/stage-plan';
import type { Policy } from '../../../src/core/policy/policy-model';
import { applyStageDecision } from '../../../src/core/policy/stage-decisions';
import { group, handPolicy, rule } from '../policy/fixtures';

// The host firewalls on a staged policy: an observed host's ruleset ends in
// count, log and accept instead of the drop; a selective host's drops its
// listed services first; the ruleset for every host does both per
// destination group; an enforced host's ruleset is what it was before stages.

const web = group('g1', ['10.0.1.10', 'fd00::11']);
const app = group('g2', ['10.0.2.20']);
const db = group('g3', ['10.0.3.30']);
const base = handPolicy(
  [web, app, db],
  [rule('g1', 'g2', 6, { from: 8443, to: 8443 }), rule('g2', 'g3', 6, { from: 5432, to: 5432 }), rule('g1', 'g3', 6, { from: 22, to: 22 })],
);

function stage(policy: Policy, groupId: string, to: 'observe' | 'selective', services: string[] = []): Policy {
  const result = applyStageDecision(policy, { group: groupId, stage: to, services, by: 'test', why: 'staged export' }, '2026-01-01T00:00:00Z');
  if (!result.ok) throw new Error(result.reason);
  return result.policy;
}

const staged = stage(stage(base, 'g2', 'observe'), 'g3', 'selective', ['tcp/5432']);
const fileOf = (files: readonly { path: string; content: string }[], path: string): string => files.find((file) => file.path === path)!.content;
const observePrefix = stageLogPrefix({ stage: 'observe', logId: stageLogId('g2') });
const selectivePrefix = stageLogPrefix({ stage: 'selective', logId: stageLogId('g3') });

describe('staged nftables rulesets', () => {
  const output = nftablesTarget(staged, { logDrops: false });

  it('log ids are short, stable hashes of the group id, and the prefixes fit iptables LOG (29 bytes)', () => {
    expect(stageLogId('g2')).toMatch(/^g[0-9a-f]{7}$/);
    expect(stageLogId('g2')).toBe(stageLogId('g2'));
    expect(stageLogId('g2')).not.toBe(stageLogId('g3'));
    expect(selectivePrefix.length).toBeLessThanOrEqual(29);
  });

  it('an observed host accepts its rules as before, then counts, logs and accepts everything else instead of dropping', () => {
    const appHost = fileOf(output.files, 'nftables/10.0.2.20.nft');
    expect(appHost).toMatch(/tcp dport 8443 accept comment "g1>g2:tcp\/8443/);
    const lines = appHost.split('\n');
    const tail = lines.findIndex((line) => line.includes(`counter limit rate 10/second log prefix "${observePrefix}" level info`));
    expect(tail).toBeGreaterThan(lines.findIndex((line) => line.includes('dport 8443 accept')));
    expect(lines[tail + 1]!.trim()).toMatch(/^accept comment /);
    expect(lines[tail + 2]!.trim()).toBe('}');
    expect(appHost).toContain(`# stage: observe g2 (log id ${stageLogId('g2')})`);
  });

  it('a selective host drops its listed service (after the rules that allow it) and logs and accepts the rest', () => {
    const dbHost = fileOf(output.files, 'nftables/10.0.3.30.nft');
    const lines = dbHost.split('\n').map((line) => line.trim());
    const allow = lines.findIndex((line) => line.startsWith('ip saddr') && line.includes('tcp dport 5432 accept'));
    const drop = lines.findIndex((line) => line.startsWith('tcp dport 5432 counter drop'));
    const logAccept = lines.findIndex((line) => line.startsWith(`counter limit rate 10/second log prefix "${selectivePrefix}"`));
    expect(allow).toBeGreaterThan(0);
    expect(drop).toBeGreaterThan(allow);
    expect(logAccept).toBe(drop + 1);
    // ssh from g1 is a rule, not a listed service: accepted as before.
    expect(dbHost).toMatch(/tcp dport 22 accept/);
  });

  it('an enforced host keeps the default drop with no stage tail', () => {
    const webHost = fileOf(output.files, 'nftables/10.0.1.10.nft');
    expect(webHost).not.toContain('ff-');
    expect(webHost).toBe(fileOf(nftablesTarget(base, { logDrops: false }).files, 'nftables/10.0.1.10.nft').replace(base.contentSha256, staged.contentSha256));
  });

  it('the ruleset for every host stages by destination set', () => {
    const all = fileOf(output.files, 'nftables/all.nft');
    expect(all).toMatch(new RegExp(`ip daddr @s\\d+_v4 counter limit rate 10/second log prefix "${observePrefix}" level info\\n\\s+ip daddr @s\\d+_v4 accept`));
    expect(all).toMatch(/ip daddr @s\d+_v4 tcp dport 5432 counter drop/);
    expect(all).toMatch(new RegExp(`ip daddr @s\\d+_v4 counter limit rate 10/second log prefix "${selectivePrefix}" level info\\n\\s+ip daddr @s\\d+_v4 accept`));
    // g1 is enforced: no tail for its addresses.
    expect(all.match(/counter limit rate 10\/second log prefix/g)).toHaveLength(2);
  });

  it('with drops logged, a selective host logs its listed service before dropping it', () => {
    const logged = fileOf(nftablesTarget(staged, { logDrops: true }).files, 'nftables/10.0.3.30.nft');
    expect(logged).toMatch(/tcp dport 5432 counter log prefix "flowfence drop: " level info drop/);
  });
});

describe('staged iptables tables', () => {
  const output = iptablesTarget(staged, { logDrops: false });

  it('an observed host logs (rate-limited) and then accepts, as two rules so the limit never drops traffic', () => {
    const appHost = fileOf(output.files, 'iptables/10.0.2.20.v4.rules');
    const lines = appHost.split('\n');
    const log = lines.findIndex((line) => line.includes(`--log-prefix "${observePrefix}"`));
    expect(lines[log]).toMatch(/^-A INPUT -m comment --comment "observe g2 \(log id g[0-9a-f]{7}\)" -m limit --limit 10\/second -j LOG/);
    expect(lines[log + 1]).toBe(`-A INPUT -m comment --comment "observe g2 (log id ${stageLogId('g2')})" -j ACCEPT`);
    expect(lines.indexOf('COMMIT')).toBeGreaterThan(log + 1);
  });

  it('a selective host drops its listed service, then logs and accepts; the all-hosts table does it per destination', () => {
    const dbHost = fileOf(output.files, 'iptables/10.0.3.30.v4.rules');
    expect(dbHost).toMatch(/-A INPUT -p tcp -m tcp --dport 5432 -m comment --comment "selective g3 \(log id g[0-9a-f]{7}\): enforces tcp\/5432" -j DROP\n-A INPUT -m comment .* -j LOG --log-prefix "ff-selective /);
    const all = fileOf(output.files, 'iptables/all.v4.rules');
    expect(all).toContain('-A INPUT -d 10.0.3.30 -p tcp -m tcp --dport 5432 -m comment');
    expect(all).toMatch(/-A INPUT -d 10\.0\.2\.20 -m comment --comment "observe g2 [^"]*" -j ACCEPT/);
    // g1's IPv6 member is enforced: the v6 table has no stage rules.
    expect(fileOf(output.files, 'iptables/all.v6.rules')).not.toContain('ff-');
  });
});

describe('the export report on a staged policy', () => {
  it('carries per target the groups enforced, observed and selective, and how', () => {
    const { report, files } = exportPolicy(staged, { targets: ['nftables', 'iptables'], logDrops: false });
    for (const target of report.targets) {
      expect(target.stages).toMatchObject({ enforced: ['g1'], observed: [{ group: 'g2', logId: stageLogId('g2') }], selective: [{ group: 'g3', services: ['tcp/5432'] }], leftOpen: [] });
    }
    expect(JSON.parse(fileOf(files, 'export-report.json')).targets[0].stages.observed[0].how).toContain(observePrefix.trimEnd());
  });

  it('an all-enforced policy has no stages field: its report is what it was before stages', () => {
    const { report } = exportPolicy(base, { targets: ['nftables'], logDrops: false });
    expect(report.targets[0]).not.toHaveProperty('stages');
  });

  it('every target exports a staged policy and says how it expressed each staged group', () => {
    const { report } = exportPolicy(staged, { targets: EXPORT_TARGETS.filter((target) => !POD_TARGETS.includes(target)), logDrops: false });
    for (const target of report.targets) {
      const stages = target.stages!;
      expect([...stages.observed.map((entry) => entry.group), ...stages.leftOpen.filter((entry) => entry.stage === 'observe').map((entry) => entry.group)], target.target).toEqual(['g2']);
      expect([...stages.selective.map((entry) => entry.group), ...stages.leftOpen.filter((entry) => entry.stage === 'selective').map((entry) => entry.group)], target.target).toEqual(['g3']);
    }
    expect(report.notes.filter((note) => note.action === 'left-open' && note.what.startsWith('group ')).map((note) => note.target)).toEqual(['aws-sg', 'aws-sg']);
  });
});
