// A regrouped group's membership rule (group-match.ts): discovery's rule while its members are discovery's, described
// again otherwise, with its address blocks stopping short of the slots discovery's groups hold.
import { describe, expect, it } from 'vitest';
import type { PolicyGroupSource } from '../../../src/core/policy/build-policy';
import type { PolicyHost } from '../../../src/core/policy/policy-input';
import { GroupMatcher } from '../../../src/core/workbench/group-match';

// Five shops, one /24 each: only the store server (.20) and the video recorder (.22) in it.
const shops = [1, 2, 3, 4, 5];
const servers = shops.map((n) => `10.100.${n}.20`);
const recorders = shops.map((n) => `10.100.${n}.22`);
const hosts = new Map<string, PolicyHost>([...servers, ...recorders].map((ip) => [ip, { ip, sortKey: ip, scope: 'internal', name: null, labels: [] }]));
const group = (id: string, members: readonly string[]): PolicyGroupSource => ({ id, name: id, kind: 'application', labels: {}, members, match: null });

describe('GroupMatcher', () => {
  it("keeps discovery's rule while the members are discovery's", () => {
    const discovered = [{ ...group('g1', servers), match: { cidrs: ['10.100.1.0/28'] } }, group('g2', recorders)];
    const matcher = new GroupMatcher(discovered, [...hosts.keys()], hosts);
    expect(matcher.match({ id: 'g1', name: 'g1', kind: 'application', labels: {}, renamed: false }, servers)).toEqual({ cidrs: ['10.100.1.0/28'] });
  });

  it("describes a new group's blocks up to halfway to another group's slot, never into the addresses around it", () => {
    const matcher = new GroupMatcher([group('g1', servers), group('g2', recorders)], [...hosts.keys()], hosts);
    // The analyst moves the recorders into a group of their own: described again, from .22 up (not from .21,
    // which is the store servers' as much as theirs).
    const rule = matcher.match({ id: 'g3', name: 'cameras', kind: 'application', labels: {}, renamed: true }, recorders);
    expect(rule).not.toBeNull();
    expect(rule !== null && 'cidrs' in rule ? rule.cidrs.slice(0, 3) : rule).toEqual(['10.100.1.22/31', '10.100.1.24/29', '10.100.1.32/27']);
  });
});
