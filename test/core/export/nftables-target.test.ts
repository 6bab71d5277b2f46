import { describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { nftablesTarget } from '../../../src/core/export/nftables-target';
import { nftString } from '../../../src/core/export/nftables-print';
import { group, handPolicy, rule } from '../policy/fixtures';

// The nftables target on hand-made policies: which rules reach which host's
// ruleset, what is left open or closed and said so, and hostile text.

const web = group('g1', ['10.0.1.10', '10.0.1.11', 'fd00::11']);
const app = group('g2', ['10.0.2.20']);
const db = group('g3', ['10.0.3.30'], { match: { label: { key: 'tier', value: 'db' } } });
const outside = group('ext:198.51.100.0/24', ['198.51.100.7'], { kind: 'external' });
const policy = handPolicy(
  [web, app, db, outside],
  [
    rule('g1', 'g2', 6, { from: 8443, to: 8443 }, { evidence: { flows: 40, bytes: 1, firstSeen: '2026-01-05T08:00:00Z', lastSeen: '2026-01-06T17:00:00Z', clients: 2, servers: 1, edges: [], steps: [] } }),
    rule('g2', 'g3', 6, { from: 5432, to: 5432 }),
    rule('g3', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
    rule('g1', 'g3', 6, { from: 5432, to: 5432 }, { state: 'rejected' }),
    rule('g2', 'ext:198.51.100.0/24', 6, { from: 443, to: 443 }),
    rule('ext:198.51.100.0/24', 'g1', 6, { from: 443, to: 443 }, { window: { days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' } }),
    rule('internal', 'g1', 1, null),
  ],
);
const fileOf = (output: ReturnType<typeof nftablesTarget>, path: string): string => output.files.find((file) => file.path === path)!.content;

describe('nftables target', () => {
  const output = nftablesTarget(policy, { logDrops: false });

  it('writes one ruleset per listed host and one for all, each opening only what the host serves', () => {
    expect(output.files.map((file) => file.path)).toEqual(['nftables/10.0.1.10.nft', 'nftables/10.0.1.11.nft', 'nftables/10.0.2.20.nft', 'nftables/10.0.3.30.nft', 'nftables/fd00__11.nft', 'nftables/all.nft']);
    const appHost = fileOf(output, 'nftables/10.0.2.20.nft');
    expect(appHost).toContain('type filter hook input priority filter; policy drop;');
    expect(appHost).toContain('ct state established,related accept');
    expect(appHost).toMatch(/ip saddr @s\d+_v4 tcp dport 8443 accept comment "g1>g2:tcp\/8443: 40 flows, 2 clients to 1 servers, 2026-01-05\.\.2026-01-06"/);
    expect(appHost).not.toContain('dport 5432');
    // g1's IPv6 member gets its own set in the ip6 family.
    expect(appHost).toMatch(/set s\d+_v6 \{\n\s+type ipv6_addr\n\s+flags interval\n\s+auto-merge\n\s+elements = \{ fd00::11 \}/);
    expect(appHost).toMatch(/ip6 saddr @s\d+_v6 tcp dport 8443 accept/);
    // Every internal host: ICMP from all internal ranges, only in the IPv4 family.
    const webHost = fileOf(output, 'nftables/10.0.1.10.nft');
    expect(webHost).toContain('elements = { 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 }');
    expect(webHost).toMatch(/ip saddr @s\d+_v4 meta l4proto 1 accept/);
  });

  it('leaves just-in-time rules closed, with a remark of what opening them adds', () => {
    const appHost = fileOf(output, 'nftables/10.0.2.20.nft');
    expect(appHost).toMatch(/# just-in-time, closed: g3>g2:tcp\/22 would accept ip saddr @s\d+_v4 on tcp\/22/);
    expect(appHost).not.toContain('dport 22 accept');
    expect(output.notes).toContainEqual({ target: 'nftables', rule: 'g3>g2:tcp/22', what: 'just-in-time access', action: 'left-closed', instead: expect.stringContaining('closed') });
  });

  it('says per rule what it could not express and what it did instead', () => {
    const byRule = new Map(output.notes.map((note) => [note.rule, note]));
    expect(byRule.get('g1>g3:tcp/5432')).toMatchObject({ action: 'skipped', what: 'a rule the analyst rejected' });
    expect(byRule.get('g2>ext:198.51.100.0/24:tcp/443')).toMatchObject({ action: 'left-open' });
    expect(byRule.get('ext:198.51.100.0/24>g1:tcp/443')).toMatchObject({ action: 'left-open', what: expect.stringContaining('time window') });
    expect(byRule.get('g3>g2:tcp/22')).toBeDefined();
    // g3 places hosts by label: only its listed member is named, and the JIT rule from it says so too.
    expect(output.notes.filter((note) => note.action === 'narrowed').map((note) => note.rule)).toEqual(['g3>g2:tcp/22']);
    expect(fileOf(output, 'nftables/all.nft')).not.toContain('198.51.100.0/24 }\n  }\n  chain');
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
  });

  it('is the same whatever order the policy lists groups and rules in', () => {
    const shuffled = { ...policy, groups: [...policy.groups].reverse(), rules: [...policy.rules].reverse() };
    expect(exportPolicy(shuffled, { targets: ['nftables', 'csv'], logDrops: true }).files).toEqual(exportPolicy(policy, { targets: ['csv', 'nftables'], logDrops: true }).files);
  });

  it('logs drops when asked', () => {
    expect(fileOf(nftablesTarget(policy, { logDrops: true }), 'nftables/10.0.2.20.nft')).toContain('log prefix "flowfence drop: " level info');
  });
});

describe('nftString', () => {
  it('keeps a comment one string whatever the input holds, cut to nft\'s limit', () => {
    expect(nftString('a"; flush ruleset; "b')).toBe('"a?; flush ruleset; ?b"');
    expect(nftString('x\ny\\z\u0000é')).toBe('"x?y?z??"');
    expect(nftString('a'.repeat(300))).toHaveLength(127 + 2);
  });
});
