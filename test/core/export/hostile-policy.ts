import { group, handPolicy, rule } from '../policy/fixtures';

// A policy whose every free-text field is hostile, for the exports' syntax
// and escaping tests.

/** Names, labels and users as an attacker would write them into an inventory or a logon export. */
export const HOSTILE = ['"; flush ruleset; #', '=cmd|\' /C calc\'!A0', '\n+1\r', '<script>alert(1)</script>', 'tab\there', 'caf\u00e9 \u202e', '\\"\\', ' @SUM(1)'];

export function hostilePolicy() {
  const groups = [
    group('g1', ['10.0.1.10', 'fd00::10'], { name: HOSTILE[0]!, labels: { app: HOSTILE[1]! } }),
    group('g2', ['10.0.2.20'], { name: HOSTILE[3]!, match: { label: { key: HOSTILE[2]!, value: HOSTILE[6]! } } }),
    group('g3', ['10.0.3.30'], { name: HOSTILE[5]!, match: { hostnamePrefix: HOSTILE[4]! } }),
    // Ids are the engine's own, but an approved-groups file names them: one that would end a comment and add a statement.
    group('g4"\nflush ruleset\n#', ['10.0.4.40']),
  ];
  return handPolicy(groups, [
    rule('g1', 'g2', 6, { from: 8443, to: 8443 }, { identity: { label: { key: HOSTILE[7]!, value: HOSTILE[0]! } } }),
    rule('g2', 'g3', 17, { from: 5000, to: 5100 }, { window: { days: [1], fromHour: 9, toHour: 17, timezone: 'UTC' } }),
    rule('g3', 'g1', 6, { from: 3389, to: 3389 }, { jit: { requesters: [{ user: HOSTILE[0]!, logons: 1 }, { user: HOSTILE[1]!, logons: 2 }] } }),
    rule('internal', 'g2', 58, null),
    rule('g1', 'g3', 132, null),
    rule('g4"\nflush ruleset\n#', 'g1', 6, { from: 443, to: 443 }),
    rule('g1', 'g4"\nflush ruleset\n#', 6, { from: 22, to: 22 }, { jit: { requesters: [] } }),
  ]);
}

