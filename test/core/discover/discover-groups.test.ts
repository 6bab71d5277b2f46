import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../src/core/discover/adjusted-rand';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import type { SynthHost } from '../../../src/core/synth/enterprise';
import { inventoryCsv } from '../../../src/core/synth/inventory-writer';
import { runAnalyze, textFile } from '../../helpers/engine';

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
    for (const group of withInventory.summary.groups) {
      const envs = new Set(group.members.map((ip) => byIp.get(ip)?.env).filter((env) => env !== undefined));
      expect(envs.size, `${group.id} ${group.name}`).toBeLessThanOrEqual(1);
    }
  });

  it('names groups from agreed labels and the service they offer', () => {
    const named = withInventory.summary.groups.filter((group) => group.name.startsWith('prod · '));
    expect(named.length).toBeGreaterThan(0);
    expect(named.some((group) => /postgresql tcp\/5432|mysql tcp\/3306|https tcp\/443|http-alt tcp\/8080/.test(group.name))).toBe(true);
  });
});
