import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../src/core/discover/adjusted-rand';
import { parseApprovedGroups } from '../../../src/core/discover/approved-groups';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import type { SynthHost } from '../../../src/core/synth/enterprise';
import { inventoryCsv } from '../../../src/core/synth/inventory-writer';
import { runAnalyze, textFile } from '../../helpers/engine';
import { discoverGroups } from '../../../src/core/discover/discover-groups';

/** What the enterprise's designer meant each host to be grouped as. */
function truthGroup(host: SynthHost): string {
  if (host.kind === 'server') return `${host.env}|${host.app}|${host.tier}`;
  if (host.kind === 'shared') return `shared|${host.service}`;
  return `dept|${host.dept}`;
}

describe('discovery on a synthetic enterprise with ground truth', async () => {
  const dataset = awsDataset({ seed: 21, startMs: Date.UTC(2026, 0, 5), days: 1, apps: 4, workstationScale: 0.25, intensity: 0.5 });
  const flows = [...dataset.days()].map((day) => textFile(day.name, [...day.chunks()].flat().join('\n') + '\n'));
  const inventory = textFile('inventory.csv', inventoryCsv(dataset.enterprise));
  const withInventory = await runAnalyze({ inputs: flows, inventories: [inventory] });
  const behaviourOnly = await runAnalyze({ inputs: flows });
  const byIp = new Map(dataset.enterprise.hosts.map((host) => [host.ip, host]));

  const score = (assignments: Readonly<Record<string, string>>, kinds: readonly SynthHost['kind'][]): number => {
    const ips = Object.keys(assignments).filter((ip) => kinds.includes(byIp.get(ip)?.kind ?? 'external'));
    return adjustedRandIndex(ips.map((ip) => assignments[ip]!), ips.map((ip) => truthGroup(byIp.get(ip)!)));
  };

  it('assigns every internal host to exactly one group', () => {
    const summary = withInventory.summary;
    const members = summary.groups.flatMap((group) => group.members);
    expect(new Set(members).size).toBe(members.length);
    expect(Object.keys(summary.assignments).sort()).toEqual([...members].sort());
    expect(members.length).toBe(summary.enrichment.internalHosts);
  });

  it('recovers application × tier × environment for servers (ARI ≥ 0.9)', () => {
    expect(score(withInventory.summary.assignments, ['server', 'shared'])).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the applications from behaviour alone, without an inventory', () => {
    expect(score(behaviourOnly.summary.assignments, ['server', 'shared'])).toBeGreaterThanOrEqual(0.8);
  });

  it('never puts prod and dev hosts in one group when labels say which is which', () => {
    let labelled = 0;
    for (const group of withInventory.summary.groups) {
      const envs = new Set(group.members.map((ip) => byIp.get(ip)?.env).filter((env) => env !== undefined));
      expect(envs.size, `${group.id} ${group.name}`).toBeLessThanOrEqual(1);
      if (envs.size === 1) labelled++;
    }
    // Not vacuous: groups of prod hosts and groups of dev hosts were both checked.
    expect(labelled).toBeGreaterThan(1);
  });

  it('reads a CMDB that spells the columns its own way (ServiceNow: "Used for", "Business service") as it reads env, app and tier', async () => {
    const csv = inventoryCsv(dataset.enterprise);
    const servicenow = csv.replace(/^ip,hostname,env,app,tier,/, 'IP Address,Name,Used for,Business service,Function,');
    expect(servicenow).not.toBe(csv);
    const { summary } = await runAnalyze({ inputs: flows, inventories: [textFile('cmdb_ci_server.csv', servicenow)] });
    const partition = (assignments: Readonly<Record<string, string>>) => {
      const members = new Map<string, string[]>();
      for (const ip of Object.keys(assignments).sort()) members.set(assignments[ip]!, [...(members.get(assignments[ip]!) ?? []), ip]);
      return [...members.values()].map((ips) => ips.join(' ')).sort();
    };
    expect(partition(summary.assignments)).toEqual(partition(withInventory.summary.assignments));
    expect(summary.groups.map((group) => group.name).sort()).toEqual(withInventory.summary.groups.map((group) => group.name).sort());
  });

  it('flags inventory labels that contradict behaviour instead of trusting them', async () => {
    // The CMDB calls one prod web server a database.
    const web = dataset.enterprise.hosts.find((host) => host.env === 'prod' && host.tier === 'web')!;
    const wrong = inventoryCsv(dataset.enterprise).replace(new RegExp(`^(${web.ip.replace(/\./g, '\\.')},[^,]*,prod,[^,]*),web,`, 'm'), '$1,db,');
    expect(wrong).not.toBe(inventoryCsv(dataset.enterprise));
    const { summary } = await runAnalyze({ inputs: flows, inventories: [textFile('inventory.csv', wrong)] });
    const flagged = summary.labelConflicts.find((entry) => entry.ip === web.ip);
    expect(flagged?.conflicts).toEqual([expect.stringMatching(/^tier=db \(the \d+ others: web\)$/)]);
    // Behaviour still decides: it stays with the other web servers.
    const sibling = dataset.enterprise.hosts.find((host) => host !== web && host.env === 'prod' && host.app === web.app && host.tier === 'web')!;
    expect(summary.assignments[web.ip]).toBe(summary.assignments[sibling.ip]);
  });

  it('keeps groups an analyst approved (id, name, the members still present) and numbers the rest around them', async () => {
    const before = withInventory.summary.groups.find((group) => group.members.length >= 3)!;
    const approved = [{ id: 'g2', name: 'Reviewed by the owner', members: [...before.members.slice(0, 2), '10.250.0.1'] }];
    const { summary } = await runAnalyze({ inputs: flows, inventories: [inventory] }, { discovery: { approved } });
    const kept = summary.groups.find((group) => group.id === 'g2')!;
    expect(kept).toMatchObject({ name: 'Reviewed by the owner', members: before.members.slice(0, 2) });
    expect(summary.groups.filter((group) => group.id === 'g2')).toHaveLength(1);
    // The approved members left the group behaviour put them in; the rest of it stays.
    expect(summary.assignments[before.members[2]!]).not.toBe('g2');
    expect(Object.keys(summary.assignments)).toHaveLength(Object.keys(withInventory.summary.assignments).length);
  });

  it('moves the cut when asked', async () => {
    const { summary } = await runAnalyze({ inputs: flows, inventories: [inventory] }, { discovery: { clusters: 5 } });
    expect(summary.clustering).toMatchObject({ clusters: 5, criterion: 'moved by the analyst to 5 clusters of distinct profiles' });
    expect(summary.groups.length).toBeLessThan(withInventory.summary.groups.length);
  });

  it('reads approved groups from JSON and says what is wrong with a bad file', () => {
    expect(parseApprovedGroups('{"groups": [{"id": "g1", "name": "web", "members": ["10.0.0.1"]}]}')).toEqual([{ id: 'g1', name: 'web', members: ['10.0.0.1'] }]);
    expect(() => parseApprovedGroups('[{"id": "g1", "name": "a", "members": ["10.0.0.1"]}, {"id": "g1", "name": "b", "members": ["10.0.0.2"]}]')).toThrow(/groups\[1\]\.id: "g1" appears twice/);
    expect(() => parseApprovedGroups('[{"id": "g1", "name": "a", "members": []}]')).toThrow(/groups\[0\]\.members/);
    expect(() => parseApprovedGroups('{')).toThrow(/not JSON/);
  });

  it('names groups from agreed labels and the service they offer', () => {
    const named = withInventory.summary.groups.filter((group) => group.name.startsWith('prod · '));
    expect(named.length).toBeGreaterThan(0);
    expect(named.some((group) => /postgresql tcp\/5432|mysql tcp\/3306|https tcp\/443|http-alt tcp\/8080/.test(group.name))).toBe(true);
  });
});

describe('discovery: a node\'s health checks are placement', () => {
  // Four replicas of "cart" (tcp/8080) on three nodes: two on the first node, one on each other. Three front-end
  // pods call every cart replica. Each node's kubelet checks the pods on its node, and a catalogue pod (tcp/9090,
  // one per node) that front-end also calls. The first node holds half of cart's replicas; its checks must not
  // make its two replicas a group of their own.
  const host = (ip: string) => ({ ip, sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'), labels: [] });
  const tcp = (client: string, server: string, port: number) => ({ client, server, proto: 6, port, flows: 20 });
  const nodes = ['10.244.1.1', '10.244.2.1', '10.244.3.1'];
  const carts = ['10.244.1.10', '10.244.1.11', '10.244.2.10', '10.244.3.10'];
  const catalogues = ['10.244.1.20', '10.244.2.20', '10.244.3.20'];
  const fronts = ['10.244.1.30', '10.244.2.30', '10.244.3.30'];
  const edges = [
    ...fronts.flatMap((front) => [...carts.map((cart) => tcp(front, cart, 8080)), ...catalogues.map((catalogue) => tcp(front, catalogue, 9090))]),
    ...[...carts, ...catalogues, ...fronts].map((pod) => tcp(`10.244.${pod.split('.')[2]}.1`, pod, pod.endsWith('.30') ? 3000 : pod.endsWith('.20') ? 9090 : 8080)),
    ...fronts.map((front) => tcp('203.0.113.9', front, 3000)),
  ];

  it('groups the replicas of a service whatever share of them one node holds', () => {
    const discovery = discoverGroups({ hosts: [...nodes, ...carts, ...catalogues, ...fronts].map(host), edges, names: new Map() });
    const groupOf = (ip: string) => discovery.assignments.find((a) => a.ip === ip)!.groupId;
    expect(new Set(carts.map(groupOf)).size).toBe(1);
    expect(groupOf(carts[0]!)).not.toBe(groupOf(catalogues[0]!));
  });

  it('reports the groups after every stage, in pipeline order, the last being the groups it returns', () => {
    const stages: { stage: string; groups: readonly (readonly string[])[] }[] = [];
    const discovery = discoverGroups({ hosts: [...nodes, ...carts, ...catalogues, ...fronts].map(host), edges, names: new Map() }, { onStage: (stage, groups) => stages.push({ stage, groups }) });
    expect(stages[0]!.stage).toBe('cut');
    expect(stages.at(-1)!.stage).toBe('labels apart');
    expect(new Set(stages.map((entry) => entry.stage)).size).toBe(stages.length);
    const sorted = (groups: readonly (readonly string[])[]) => groups.map((members) => [...members].sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(sorted(stages.at(-1)!.groups)).toEqual(sorted(discovery.groups.map((group) => group.members)));
    // Every stage accounts for every host once.
    for (const { groups } of stages) expect(groups.flat().sort()).toEqual([...nodes, ...carts, ...catalogues, ...fronts].sort());
  });
});
