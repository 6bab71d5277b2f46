import { describe, expect, it } from 'vitest';
import { GroupDescriber } from '../../../src/core/discover/describe-groups';
import { buildHostFeatures, type ProfileHost } from '../../../src/core/discover/host-features';

const host = (ip: string, labels: Record<string, string> = {}): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});

describe('group descriptions', () => {
  const hosts = [
    host('10.1.3.10', { env: 'prod', app: 'billing', tier: 'db' }),
    host('10.1.3.11', { env: 'prod', app: 'billing', tier: 'db' }),
    host('10.1.2.10', { env: 'prod', app: 'billing', tier: 'app' }),
    host('10.1.2.11', { env: 'prod', app: 'billing' }),
    host('10.9.0.1'),
  ];
  const edges = [
    { client: '10.1.2.10', server: '10.1.3.10', proto: 6, port: 5432 },
    { client: '10.1.2.11', server: '10.1.3.10', proto: 6, port: 5432 },
    { client: '10.1.2.10', server: '10.1.3.11', proto: 6, port: 5432 },
    { client: '10.1.2.11', server: '10.1.3.11', proto: 6, port: 5432 },
  ];
  const features = buildHostFeatures(hosts, edges);
  const index = (ip: string) => features.hosts.findIndex((h) => h.ip === ip);
  const names = new Map([['10.1.2.10', 'billing-app-1'], ['10.1.2.11', 'billing-app-2'], ['10.1.3.10', 'db-a'], ['10.1.3.11', 'db-b']]);
  const describer = new GroupDescriber(features, names);

  it('names a group from its agreed labels and its most specific service, with an exact label rule', () => {
    const db = describer.describe([index('10.1.3.10'), index('10.1.3.11')]);
    expect(db).toEqual({ name: 'prod · billing · db · postgresql tcp/5432', labels: { app: 'billing', env: 'prod', tier: 'db' }, rule: 'label tier=db' });
  });

  it('falls back to a CIDR, then a hostname pattern, that selects exactly the members', () => {
    const apps = describer.describe([index('10.1.2.10'), index('10.1.2.11')]);
    expect(apps.rule).toBe('cidr 10.1.2.10/31');
    // They serve nothing: named by their labels alone (no longer "clients").
    expect(apps.name).toBe('prod · billing');
    const hostnames = describer.describe([index('10.1.2.10'), index('10.1.3.10')]);
    expect(hostnames.rule).toBeNull();
    // Labels agreed by fewer than 80% of the members do not name the group.
    expect(apps.labels).toEqual({ app: 'billing', env: 'prod' });
  });

  it('explains a host by the features it shares with its group and its similarity to the nearest other group', () => {
    const members = [index('10.1.3.10'), index('10.1.3.11')];
    const reason = describer.reason(index('10.1.3.10'), describer.featureCounts(members), members.length, { own: 0.9, nearest: 0.2, nearestGroup: 'g2' });
    expect(reason).toMatch(/^shares .*serves tcp\/5432 to 10\.1\.2\.1[01] \(2\/2\)/);
    expect(reason).toMatch(/similarity 0\.90 to its group vs 0\.20 to g2$/);
  });
});
