// A regrouped group's membership rule (group-match.ts): discovery's rule while its members are discovery's, described
// again otherwise, with its address blocks stopping short of the slots discovery's groups hold.
import { describe, expect, it } from 'vitest';
import type { PolicyGroupSource } from '../../../src/core/policy/build-policy';
import type { PolicyHost } from '../../../src/core/policy/policy-input';
import { exactMembershipRule, ruleHost, slotHosts } from '../../../src/core/discover/membership-rule';
import { matchCidrs, parseMembershipRule } from '../../../src/core/policy/membership';
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
    expect(matcher.rules([{ group: { id: 'g1', name: 'g1', kind: 'application', labels: {}, renamed: false }, members: servers }])).toEqual([{ cidrs: ['10.100.1.0/28'] }]);
  });

  it("describes a new group's blocks up to halfway to another group's slot, never into the addresses around it", () => {
    const matcher = new GroupMatcher([group('g1', servers), group('g2', recorders)], [...hosts.keys()], hosts);
    // The analyst moves the recorders into a group of their own: described again, from .22 up (not from .21,
    // which is the store servers' as much as theirs).
    const [rule] = matcher.rules([{ group: { id: 'g3', name: 'cameras', kind: 'application', labels: {}, renamed: true }, members: recorders }]);
    expect(rule).not.toBeNull();
    expect(matchCidrs(rule ?? null).slice(0, 3)).toEqual(['10.100.1.22/31', '10.100.1.24/29', '10.100.1.32/27']);
  });

  it('leaves every address a group the analyst left alone holds to that group, so no address is in two groups', () => {
    // Five /24s: the web servers' run at .10–.12 in each, and one host at .40 that discovery put in one of two
    // groups (three subnets and two), neither holding .40 in enough subnets to make it a slot. The web servers'
    // blocks reach up to that lone neighbour (.0–.39). Merged, the .40 hosts hold their slot in all five
    // subnets, and their blocks, drawn alone, would reach halfway back down to the web servers' run (.27).
    const web = shops.flatMap((n) => [10, 11, 12].map((last) => `10.100.${n}.${last}`));
    const lone = shops.map((n) => `10.100.${n}.40`);
    const ips = [...web, ...lone];
    const plan = new Map<string, PolicyHost>(ips.map((ip) => [ip, { ip, sortKey: ip, scope: 'internal', name: null, labels: [] }]));
    const ruleHosts = ips.map((ip) => ruleHost(ip, [], null));
    const discoveryGroups = [web, lone.slice(0, 3), lone.slice(3)].map((members) => members.map((ip) => ips.indexOf(ip)));
    const anchored = slotHosts(discoveryGroups, ruleHosts);
    const webRule = parseMembershipRule(exactMembershipRule(discoveryGroups[0]!, ruleHosts, undefined, anchored));
    expect(matchCidrs(webRule).slice(0, 2)).toEqual(['10.100.1.0/27', '10.100.1.32/29']);
    const matcher = new GroupMatcher([{ ...group('web', web), match: webRule }, group('l1', lone.slice(0, 3)), group('l2', lone.slice(3))], ips, plan);
    const merged = { id: 'l1', name: 'l1', kind: 'application' as const, labels: {}, renamed: false };
    // Drawn alone, the merged group's blocks would overlap the web servers' (what the claims prevent).
    const alone = matchCidrs(parseMembershipRule(exactMembershipRule(lone.map((ip) => ips.indexOf(ip)), ruleHosts, undefined, anchored)));
    expect(alone.slice(0, 3)).toEqual(['10.100.1.27/32', '10.100.1.28/30', '10.100.1.32/27']);

    const [kept, regrouped] = matcher.rules([{ group: { id: 'web', name: 'web', kind: 'application', labels: {}, renamed: false }, members: web }, { group: merged, members: lone }]);
    expect(kept).toEqual(webRule);
    const blocks = matchCidrs(regrouped ?? null);
    expect(blocks.slice(0, 2)).toEqual(['10.100.1.40/29', '10.100.1.48/28']);
    const toRange = (cidr: string): [number, number] => {
      const [ip, bits] = cidr.split('/');
      const base = ip!.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
      return [base, base + 2 ** (32 - Number(bits)) - 1];
    };
    for (const a of matchCidrs(kept ?? null).map(toRange)) for (const b of blocks.map(toRange)) expect(a[1] < b[0] || b[1] < a[0]).toBe(true);
    // Every member's own address is still in its group's blocks.
    for (const ip of lone) expect(blocks.map(toRange).some(([low, high]) => { const value = toRange(`${ip}/32`)[0]; return value >= low && value <= high; })).toBe(true);
  });
});
