import { describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { iptablesTarget } from '../../../src/core/export/iptables-target';
import { iptString } from '../../../src/core/export/iptables-print';
import { nftablesTarget } from '../../../src/core/export/nftables-target';
import { group, handPolicy, rule } from '../policy/fixtures';

// The iptables target on hand-made policies: per host and family a complete
// filter table, each rule's clients in a chain of their own, the same notes
// as nftables (one plan), and hostile text kept inside its argument.

const policy = handPolicy(
  [group('g1', ['10.0.1.10', '10.0.1.11', 'fd00::11']), group('g2', ['10.0.2.20']), group('g3', ['10.0.3.30'])],
  [
    rule('g1', 'g2', 6, { from: 8443, to: 8443 }),
    rule('g1', 'g2', 17, { from: 5000, to: 5100 }),
    rule('g3', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
    rule('g2', 'g3', 6, { from: 5432, to: 5432 }, { state: 'rejected' }),
    rule('g1', 'g3', 47, null),
    rule('internal', 'g1', 1, null),
  ],
);
const output = iptablesTarget(policy, { logDrops: false });
const fileOf = (path: string): string => output.files.find((file) => file.path === path)!.content;

describe('iptables target', () => {
  it('writes an IPv4 and an IPv6 filter table per listed host, and one pair for all', () => {
    expect(output.files.map((file) => file.path)).toEqual([
      'iptables/10.0.1.10.v4.rules', 'iptables/10.0.1.10.v6.rules', 'iptables/10.0.1.11.v4.rules', 'iptables/10.0.1.11.v6.rules',
      'iptables/10.0.2.20.v4.rules', 'iptables/10.0.2.20.v6.rules', 'iptables/10.0.3.30.v4.rules', 'iptables/10.0.3.30.v6.rules',
      'iptables/fd00__11.v4.rules', 'iptables/fd00__11.v6.rules', 'iptables/all.v4.rules', 'iptables/all.v6.rules',
    ]);
    for (const file of output.files) expect(file.content).toMatch(/^\*filter\n:INPUT DROP \[0:0\]\n:FORWARD ACCEPT \[0:0\]\n:OUTPUT ACCEPT \[0:0\]\n/m);
  });

  it('jumps from INPUT on the rule\'s protocol and ports to a chain of its clients, which accepts them', () => {
    const app = fileOf('iptables/10.0.2.20.v4.rules');
    expect(app).toContain('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -i lo -j ACCEPT\n');
    expect(app).toMatch(/-A INPUT -p tcp -m tcp --dport 8443 -m comment --comment "g1>g2:tcp\/8443: [^"]*" -j FF-S1\n/);
    expect(app).toMatch(/-A INPUT -p udp -m udp --dport 5000:5100 -m comment --comment "g1>g2:udp\/5000-5100: [^"]*" -j FF-S1\n/);
    expect(app).toContain('-A FF-S1 -s 10.0.1.10 -j ACCEPT\n-A FF-S1 -s 10.0.1.11 -j ACCEPT\n');
    expect(app).not.toContain('5432');
    // The IPv6 table has g1's IPv6 member, and neighbour discovery.
    const app6 = fileOf('iptables/10.0.2.20.v6.rules');
    expect(app6).toContain('-A FF-S1 -s fd00::11 -j ACCEPT');
    expect(app6).toContain('-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation -j ACCEPT');
    // Another protocol by number; ICMP only in the IPv4 table.
    expect(fileOf('iptables/10.0.3.30.v4.rules')).toMatch(/-A INPUT -p 47 -m comment/);
    expect(fileOf('iptables/10.0.1.10.v4.rules')).toMatch(/-A INPUT -p 1 -m comment/);
    expect(fileOf('iptables/10.0.1.10.v6.rules')).not.toMatch(/-p 1 /);
  });

  it('keeps just-in-time rules closed, as a remark of what opening them accepts', () => {
    const app = fileOf('iptables/10.0.2.20.v4.rules');
    expect(app).toMatch(/# just-in-time, closed: g3>g2:tcp\/22 would accept the sources of FF-S\d on tcp\/22/);
    expect(app).not.toContain('--dport 22 ');
  });

  it('matches each server by destination in the table for every host', () => {
    const all = fileOf('iptables/all.v4.rules');
    expect(all).toMatch(/-A INPUT -d 10.0.2.20 -p tcp -m tcp --dport 8443 -m comment --comment "[^"]*" -j FF-S\d/);
    expect(all).toMatch(/-A INPUT -d 10.0.1.10 -p 1 /);
  });

  it('notes exactly what nftables notes, as the same plan', () => {
    const strip = (notes: typeof output.notes) => notes.map(({ target: _target, instead: _instead, ...rest }) => rest);
    expect(strip(output.notes)).toEqual(strip(nftablesTarget(policy, { logDrops: false }).notes));
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
  });

  it('logs drops, rate-limited, when asked', () => {
    expect(iptablesTarget(policy, { logDrops: true }).files[0]!.content).toContain('-A INPUT -m limit --limit 10/second -j LOG --log-prefix "flowfence drop: " --log-level 6\n');
  });

  it('is the same whatever order the policy lists groups and rules in', () => {
    const shuffled = { ...policy, groups: [...policy.groups].reverse(), rules: [...policy.rules].reverse() };
    expect(exportPolicy(shuffled, { targets: ['iptables'], logDrops: false }).files).toEqual(exportPolicy(policy, { targets: ['iptables'], logDrops: false }).files);
  });
});

describe('iptString', () => {
  it('keeps an argument one quoted string whatever the input holds, cut to the limit', () => {
    expect(iptString('a" -j DROP "b', 255)).toBe('"a? -j DROP ?b"');
    expect(iptString("x\ny\\z'\u00e9", 255)).toBe('"x?y?z??"');
    expect(iptString('a'.repeat(300), 255)).toHaveLength(255 + 2);
  });
});
