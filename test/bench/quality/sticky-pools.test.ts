import { describe, expect, it } from 'vitest';
import { buildEstate } from './generators/sticky-pools/estate';
import { stickyPools } from './generators/sticky-pools/index';
import { Prng } from './generators/topology-pods/random';

// The sticky-pools scenario generator: its estate has the shape it claims
// (client replicas reaching subsets of the next tier, every replica used),
// its files are deterministic, and labels follow the parameters.

describe('the sticky-pools generator', () => {
  const estate = buildEstate(new Prng('sticky-pools:1').derive('estate'));
  const truthOf = new Map(estate.hosts.map((host) => [host.ip, host.truth]));

  it('gives every host one address and every application replica a client', () => {
    expect(new Set(estate.hosts.map((host) => host.ip)).size).toBe(estate.hosts.length);
    for (const host of estate.hosts) if (host.app !== null) expect(estate.uses.some((use) => use.server === host.ip && use.port !== 9100), host.name).toBe(true);
  });

  it('has client replicas that reach only part of the next tier, so replicas differ in their peers', () => {
    let partial = 0;
    for (const client of estate.hosts.filter((host) => host.tier === 'web' || host.tier === 'app')) {
      const reached = new Set(estate.uses.filter((use) => use.client === client.ip && use.port !== 53 && use.port !== 123).map((use) => truthOf.get(use.server)));
      for (const tier of reached) {
        const all = estate.hosts.filter((host) => host.truth === tier).length;
        const used = estate.uses.filter((use) => use.client === client.ip && truthOf.get(use.server) === tier).length;
        if (used < all) partial++;
      }
    }
    expect(partial).toBeGreaterThan(10);
  });

  it('is deterministic, and lists that share of the servers in its inventory', () => {
    const build = (labelCoverage: number) => stickyPools.build({ seed: 2, labelCoverage, wrongLabelRate: 0, oneWay: false });
    const a = build(0.5);
    expect(build(0.5).flows.map((file) => file.content)).toEqual(a.flows.map((file) => file.content));
    const servers = [...a.truth.groupOfHost.keys()].length;
    const rows = (a.inventories[0]!.content as string).trim().split('\n').length - 1;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(servers);
    expect(build(0).inventories).toEqual([]);
    // Planted attacks are not legitimate traffic.
    for (const attack of a.truth.attacks) for (const dst of attack.dsts) expect([...a.truth.legitimateEdges].some((edge) => edge.startsWith(`${attack.src}|${dst}|`))).toBe(false);
  });
});
