import { describe, expect, it } from 'vitest';
import { GroupResolver } from '../../../src/core/policy/membership';
import { placeNewHosts } from '../../../src/core/policy/place-new-hosts';
import type { Policy } from '../../../src/core/policy/policy-model';
import { driftScenario, edge, host, hostsOf } from './fixtures';

describe('placeNewHosts', () => {
  const { policy, later, hosts } = driftScenario();
  const place = (p: Policy = policy, edges = Object.values(later), h = hosts) => placeNewHosts(p, new GroupResolver(p.groups, p.settings), edges, h);

  it('places a host its label matches with confidence 1', () => {
    expect(place()[0]).toEqual({ ip: '10.0.1.50', group: 'g1', confidence: 1, nearest: 'g1', reason: "matches g1's membership rule (label)" });
  });

  it('places a host that behaves like a group\'s members by cosine similarity', () => {
    // 10.0.1.60 uses g2 postgres like every web host: 1 / √(1 · (1 + 1 + ¼ + ¼)) = 0.632.
    expect(place()[1]).toEqual({ ip: '10.0.1.60', group: 'g1', confidence: 0.632, nearest: 'g1', reason: 'behaves like g1 (similarity 0.63 ≥ 0.5)' });
    // 10.0.2.9 serves postgres like db: 1 / √(1 · 2) = 0.707.
    expect(place()[2]).toEqual({ ip: '10.0.2.9', group: 'g2', confidence: 0.707, nearest: 'g2', reason: 'behaves like g2 (similarity 0.71 ≥ 0.5)' });
  });

  it('leaves a host with no shared behaviour unassigned', () => {
    expect(place()[3]).toEqual({ ip: '10.0.7.7', group: null, confidence: 0, nearest: null, reason: 'shares no behaviour with any group' });
  });

  it('leaves a host below the threshold unassigned, naming the nearest group', () => {
    // One of its 3 features is half of g1's profile: 0.5 / √(3 · 2.5) = 0.183.
    expect(place()[4]).toEqual({ ip: '10.0.8.8', group: null, confidence: 0.183, nearest: 'g1', reason: 'nearest group g1 at similarity 0.18, below 0.5' });
  });

  it('places by hostname prefix and CIDR rules too', () => {
    const ruled: Policy = {
      ...policy,
      groups: policy.groups.map((g) => (g.id === 'g2' ? { ...g, match: { hostnamePrefix: 'db-' } } : g.id === 'g3' ? { ...g, match: { cidr: '10.0.3.0/24' } } : g)),
    };
    const edges = [edge('10.0.1.1', '10.0.9.1', 5432), edge('10.0.1.1', '10.0.3.77', 6379)];
    const named = hostsOf(edges, [host('10.0.9.1', { name: 'db-07' })]);
    expect(place(ruled, edges, named)).toEqual([
      { ip: '10.0.3.77', group: 'g3', confidence: 1, nearest: 'g3', reason: "matches g3's membership rule (cidr)" },
      { ip: '10.0.9.1', group: 'g2', confidence: 1, nearest: 'g2', reason: "matches g2's membership rule (hostname)" },
    ]);
  });

  it('returns nothing when every internal host is listed (outside addresses are never new hosts)', () => {
    expect(place(policy, [later.known, later.outside, later.ssh])).toEqual([]);
  });
});
