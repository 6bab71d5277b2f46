import { describe, expect, it } from 'vitest';
import { separateByLabels } from '../../../src/core/discover/assemble-groups';
import { discoverGroups, discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { DOUBTED_ROW_DEFAULTS, doubtedRows, doubtText, groupingLabels } from '../../../src/core/discover/doubted-rows';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';
import { identityValues, inventoryIdentity } from '../../../src/core/discover/join-by-identity';
import { profileHost, tcpEdge as tcp } from './group-join-fixture';

// An estate that names hosts after what they run (p-tickets-app3: prod, tickets, application tier), with one row
// copied from another application's: p-tickets-app4 is filed as claims/app (doubted-rows.ts).

interface Row {
  readonly ip: string;
  readonly name: string;
  readonly env?: string;
  readonly app?: string;
  readonly tier?: string;
  readonly extra?: ProfileHost['labels'];
}

const row = (ip: string, name: string, env: string, app: string, tier: string): Row => ({ ip, name, env, app, tier });

const TICKETS = [row('10.20.21.10', 'p-tickets-app1', 'prod', 'tickets', 'app'), row('10.20.21.11', 'p-tickets-app2', 'prod', 'tickets', 'app'), row('10.20.21.12', 'p-tickets-app3', 'prod', 'tickets', 'app')];
const CLAIMS = [row('10.20.31.10', 'p-claims-app1', 'prod', 'claims', 'app'), row('10.20.31.11', 'p-claims-app2', 'prod', 'claims', 'app'), row('10.20.30.10', 'p-claims-web1', 'prod', 'claims', 'web')];
const MISFILED = row('10.20.21.13', 'p-tickets-app4', 'prod', 'claims', 'app');
const ESTATE = [...TICKETS, ...CLAIMS, MISFILED];

function hostsOf(rows: readonly Row[]): { hosts: ProfileHost[]; names: Map<string, string> } {
  const hosts = rows.map(({ ip, env, app, tier, extra }) => ({
    ...profileHost(ip),
    labels: [...(env === undefined ? [] : [{ key: 'env', value: env }]), ...(app === undefined ? [] : [{ key: 'app', value: app }]), ...(tier === undefined ? [] : [{ key: 'tier', value: tier }]), ...(extra ?? [])],
  }));
  return { hosts, names: new Map(rows.map(({ ip, name }) => [ip, name])) };
}

const doubts = (rows: readonly Row[], options = DOUBTED_ROW_DEFAULTS) => {
  const { hosts, names } = hostsOf(rows);
  return doubtedRows(hosts, names, options);
};

describe('doubtedRows', () => {
  it('doubts a row its name contradicts and groups it as its namesakes’ rows agree, saying why', () => {
    const found = doubts(ESTATE);
    expect([...found.keys()]).toEqual([MISFILED.ip]);
    const doubt = found.get(MISFILED.ip)!;
    expect(doubt.contradictions).toEqual([{ key: 'app', recorded: 'claims', named: 'tickets', confirming: 3 }]);
    expect(doubt.namesakes).toEqual({ labels: [{ key: 'env', value: 'prod' }, { key: 'app', value: 'tickets' }, { key: 'tier', value: 'app' }], rows: 3 });
    expect(doubtText(doubt)).toBe(
      'its inventory row (app=claims) was not used to group it: its name p-tickets-app4 says app tickets (as 3 rows named so are filed); it was grouped as 3 rows of hosts named like it are filed (env=prod, app=tickets, tier=app)',
    );
  });

  it('doubts nothing where names hold none of the values, or where the rows and names agree', () => {
    const opaque = ESTATE.map((entry, k) => ({ ...entry, name: `srv${String(k).padStart(2, '0')}` }));
    expect(doubts(opaque).size).toBe(0);
    expect(doubts([...TICKETS, ...CLAIMS]).size).toBe(0);
  });

  it('takes names for a convention only where at least three in four of the rows that name a value carry it', () => {
    // Two rows named for claims and filed under ledger and orders: with the misfiled row, 3 of the 6 rows agree with their names (under 3 in 4).
    const loose = [...TICKETS, row('10.20.31.10', 'p-claims-app1', 'prod', 'ledger', 'app'), row('10.20.31.11', 'p-claims-app2', 'prod', 'orders', 'app'), MISFILED];
    expect(doubts(loose).size).toBe(0);
    expect(doubts(loose, { ...DOUBTED_ROW_DEFAULTS, minConventionShare: 0.5 }).size).toBeGreaterThan(0);
  });

  it('needs at least minConventionRows rows whose names hold a value', () => {
    const few = [...TICKETS.slice(0, 2), MISFILED];
    expect(doubts(few).size).toBe(0);
    expect(doubts(few, { ...DOUBTED_ROW_DEFAULTS, minConventionRows: 3, minConventionShare: 0.6 }).size).toBe(1);
  });

  it('needs two rows that carry the value the name holds', () => {
    // Only one tickets row: the name's value is no record the estate keeps.
    const lone = [TICKETS[0]!, ...CLAIMS, row('10.20.31.12', 'p-claims-app3', 'prod', 'claims', 'app'), MISFILED];
    expect(doubts(lone).size).toBe(0);
    expect(doubts(lone, { ...DOUBTED_ROW_DEFAULTS, minConfirmingRows: 1 }).size).toBe(1);
  });

  it('leaves the row’s identity out where its namesakes’ rows agree on none', () => {
    // Two namesakes in prod, two in dev: a tie.
    const tie = [...TICKETS.slice(0, 2), { ...TICKETS[2]!, env: 'dev' }, row('10.20.21.15', 'p-tickets-app5', 'dev', 'tickets', 'app'), ...CLAIMS, MISFILED];
    const doubt = doubts(tie).get(MISFILED.ip)!;
    expect(doubt.namesakes).toBeNull();
    expect(doubt.labels).toEqual([]);
    expect(doubtText(doubt)).toContain('its namesakes agree on no identity, so behaviour alone placed it');
    // One namesake's row is no record.
    const lone = [TICKETS[0]!, row('10.20.21.20', 'p-tickets-web1', 'prod', 'tickets', 'web'), row('10.20.21.21', 'p-tickets-web2', 'prod', 'tickets', 'web'), ...CLAIMS, MISFILED];
    expect(doubts(lone).get(MISFILED.ip)!.namesakes).toBeNull();
    expect(doubts(lone, { ...DOUBTED_ROW_DEFAULTS, minConfirmingRows: 1 }).get(MISFILED.ip)!.namesakes).not.toBeNull();
  });

  it('reads whole words: a value inside another word, or a name holding two values of one key, says nothing', () => {
    const words = [row('10.1.0.1', 'webmail1', 'prod', 'mail', 'app'), row('10.1.0.2', 'webmail2', 'prod', 'mail', 'app'), ...ESTATE];
    expect(doubts(words).has('10.1.0.1')).toBe(false);
    const both = [...ESTATE, row('10.20.21.20', 'p-tickets-claims-app1', 'prod', 'ledger', 'app')];
    expect(doubts(both).has('10.20.21.20')).toBe(false);
  });

  it('keeps pod-list labels and other columns, and leaves every spelling of the identity keys out', () => {
    const labels = [
      { key: 'environment', value: 'prod' },
      { key: 'app', value: 'claims' },
      { key: 'owner', value: 'team-a' },
      { key: 'k8s:app', value: 'claims' },
    ];
    expect(groupingLabels(labels, { labels: [{ key: 'app', value: 'tickets' }], rows: 2 })).toEqual([
      { key: 'owner', value: 'team-a' },
      { key: 'k8s:app', value: 'claims' },
      { key: 'app', value: 'tickets' },
    ]);
  });
});

describe('a doubted row in discovery', () => {
  // Each application's app servers serve their web tier on 8080 and use their database on 5432.
  const edges: ProfileEdge[] = [
    ...[...TICKETS, MISFILED].flatMap(({ ip }) => [tcp('10.20.20.10', ip, 8080), tcp(ip, '10.20.23.10', 5432)]),
    ...CLAIMS.slice(0, 2).flatMap(({ ip }) => [tcp(CLAIMS[2]!.ip, ip, 8080), tcp(ip, '10.20.33.10', 5432)]),
  ];
  const { hosts, names } = hostsOf(ESTATE);
  const others = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].filter((ip) => !hosts.some((host) => host.ip === ip)).map(profileHost);

  it('is read as the namesakes’ identity by the workload identities and the profile', () => {
    const features = discoveryFeatures({ hosts: [...hosts, ...others], edges, names });
    const index = features.hosts.findIndex((host) => host.ip === MISFILED.ip);
    expect(inventoryIdentity(identityValues(features)).get(index)).toBe('env=prod app=tickets tier=app');
    const own = features.featureIds.slice(features.featureStart[features.profileOfHost[index]!], features.featureStart[features.profileOfHost[index]! + 1]);
    const labelFeatures = [...own].map((id) => features.features[id]!.name).filter((name) => name.startsWith('label'));
    expect(labelFeatures.some((name) => name.includes('claims'))).toBe(false);
    expect(labelFeatures.some((name) => name.includes('tickets'))).toBe(true);
  });

  it('separates environments by the namesakes’ rows, and says why in the host’s reason', () => {
    const devRow = { ...MISFILED, env: 'dev' };
    const { hosts: withDev, names: devNames } = hostsOf([...TICKETS, ...CLAIMS, devRow]);
    const features = discoveryFeatures({ hosts: [...withDev, ...others], edges, names: devNames });
    const tickets = [...TICKETS, devRow].map(({ ip }) => features.hosts.findIndex((host) => host.ip === ip)).sort((a, b) => a - b);
    expect(separateByLabels(features, [tickets])).toEqual([tickets]);
    const discovery = discoverGroups({ hosts: [...withDev, ...others], edges, names: devNames });
    const reason = discovery.assignments.find((assignment) => assignment.ip === MISFILED.ip)!.reason;
    expect(reason).toContain('its inventory row (app=claims) was not used to group it: its name p-tickets-app4 says app tickets');
  });
});
