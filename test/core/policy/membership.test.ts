import { describe, expect, it } from 'vitest';
import { GroupResolver, parseMembershipRule } from '../../../src/core/policy/membership';
import { DEFAULT_POLICY_SETTINGS } from '../../../src/core/policy/policy-model';
import { EVERYONE, group, host } from './fixtures';

const groups = [
  // Given out of id order on purpose: the first group in id order wins.
  group('g2', ['10.0.2.1'], { match: { label: { key: 'app', value: 'web' } } }),
  group('g1', ['10.0.1.1'], { match: { label: { key: 'app', value: 'web' } } }),
  group('g3', ['10.0.3.1'], { match: { hostnamePrefix: 'db-' } }),
  group('g4', [], { match: { cidr: '10.20.0.0/16' } }),
  group('g5', ['10.0.5.1'], { match: null }),
  group('g7', ['10.31.40.20', '10.32.40.30'], { match: { cidrs: ['10.31.40.0/25', '10.32.40.16/28'] } }),
  EVERYONE,
  group('ext:198.51.100.0/24', ['198.51.100.7'], { kind: 'external', match: { cidr: '198.51.100.0/24' } }),
  group('ext:203.0.0.0/16', [], { kind: 'external', match: { cidr: '203.0.0.0/16' } }),
];
const resolver = (): GroupResolver => new GroupResolver(groups, DEFAULT_POLICY_SETTINGS);

describe('GroupResolver.place', () => {
  it('places listed members by their listing, ahead of any rule', () => {
    // 10.0.2.1 carries app=web, which g1 (first in id order) matches, but g2 lists it.
    expect(resolver().place(host('10.0.2.1', { labels: { app: 'web' } }))).toEqual({ group: 'g2', how: 'member' });
    expect(resolver().place(host('10.0.5.1'))).toEqual({ group: 'g5', how: 'member' });
  });

  it('places a new internal host by label, taking the first matching group in id order', () => {
    expect(resolver().place(host('10.9.9.9', { labels: { tier: 'x', app: 'web' } }))).toEqual({ group: 'g1', how: 'label' });
  });

  it('places a new internal host by hostname prefix and by CIDR', () => {
    expect(resolver().place(host('10.9.9.8', { name: 'db-07' }))).toEqual({ group: 'g3', how: 'hostname' });
    expect(resolver().place(host('10.9.9.8', { name: 'xdb-07' }))).toEqual({ group: null, how: 'none' });
    expect(resolver().place(host('10.20.4.4'))).toEqual({ group: 'g4', how: 'cidr' });
    expect(resolver().place(host('10.21.4.4'))).toEqual({ group: null, how: 'none' });
  });

  it('places a new internal host in any of the blocks of a group that has several', () => {
    expect(resolver().place(host('10.31.40.99'))).toEqual({ group: 'g7', how: 'cidr' });
    expect(resolver().place(host('10.32.40.17'))).toEqual({ group: 'g7', how: 'cidr' });
    expect(resolver().place(host('10.32.40.32'))).toEqual({ group: null, how: 'none' });
  });

  it('leaves an internal host no rule matches unplaced', () => {
    expect(resolver().place(host('10.9.9.9', { labels: { app: 'db' } }))).toEqual({ group: null, how: 'none' });
  });

  it('places an outside address in its /24 network group', () => {
    expect(resolver().place(host('198.51.100.77'))).toEqual({ group: 'ext:198.51.100.0/24', how: 'network' });
    expect(resolver().place(host('198.51.100.7'))).toEqual({ group: 'ext:198.51.100.0/24', how: 'member' });
  });

  it('places an outside address in a network the policy names with another prefix length', () => {
    expect(resolver().place(host('203.0.9.9'))).toEqual({ group: 'ext:203.0.0.0/16', how: 'cidr' });
  });

  it('leaves an outside address in no named network unplaced, and never applies internal rules to it', () => {
    expect(resolver().place(host('192.0.2.1'))).toEqual({ group: null, how: 'none' });
    // Label g1 matches, but the address is outside.
    expect(resolver().place(host('192.0.2.2', { labels: { app: 'web' } }))).toEqual({ group: null, how: 'none' });
  });
});

describe('GroupResolver.groupsOf', () => {
  it('adds "internal" for internal hosts only', () => {
    const r = resolver();
    expect(r.groupsOf(host('10.0.1.1'))).toEqual(['g1', 'internal']);
    expect(r.groupsOf(host('10.9.9.9'))).toEqual(['internal']);
    expect(r.groupsOf(host('198.51.100.77'))).toEqual(['ext:198.51.100.0/24']);
    expect(r.groupsOf(host('192.0.2.1'))).toEqual([]);
  });

  it('keeps a listed member of an internal group internal when this replay scopes it as external', () => {
    // The policy was made with --internal 203.0.113.0/24; the replay was not given it.
    const withPartner = new GroupResolver([...groups, group('g6', ['203.0.113.5'])], DEFAULT_POLICY_SETTINGS);
    expect(withPartner.groupsOf(host('203.0.113.5', { scope: 'external' }))).toEqual(['g6', 'internal']);
    // Listed in an outside network's group it stays outside.
    expect(withPartner.groupsOf(host('198.51.100.7', { scope: 'external' }))).toEqual(['ext:198.51.100.0/24']);
  });
});

describe('parseMembershipRule', () => {
  it('reads discovery\'s rule texts', () => {
    expect(parseMembershipRule('label app=web')).toEqual({ label: { key: 'app', value: 'web' } });
    expect(parseMembershipRule('label k8s/app=a=b')).toEqual({ label: { key: 'k8s/app', value: 'a=b' } });
    expect(parseMembershipRule('cidr 10.1.2.0/24')).toEqual({ cidr: '10.1.2.0/24' });
    expect(parseMembershipRule('hostname web-*')).toEqual({ hostnamePrefix: 'web-' });
    expect(parseMembershipRule('cidrs 10.31.40.0/25 10.32.40.16/28')).toEqual({ cidrs: ['10.31.40.0/25', '10.32.40.16/28'] });
  });

  it('gives null for no rule or an unreadable one', () => {
    expect(parseMembershipRule(null)).toBeNull();
    expect(parseMembershipRule('label app')).toBeNull();
    expect(parseMembershipRule('hostname web-')).toBeNull();
    expect(parseMembershipRule('behaviour')).toBeNull();
  });
});
