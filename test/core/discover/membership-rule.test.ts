import { describe, expect, it } from 'vitest';
import { exactMembershipRule, MEMBERSHIP_BLOCK_DEFAULTS, memberBlocks, ruleHost, slotHosts, type RuleHost } from '../../../src/core/discover/membership-rule';

/**
 * A hospital's address plan in small: a department's desks have their own
 * VLAN at each site (10.20.40.0/24 at the main hospital, 10.31.40.0/24 at a
 * clinic), the router holds .1 of each, and a second department shares the
 * clinic's VLAN in its upper half.
 */
const desks = ['10.20.40.77', '10.20.40.130', '10.20.40.201', '10.31.40.20', '10.31.40.40'];
// Indexes 5–9.
const others = ['10.20.40.1', '10.31.40.1', '10.31.40.200', '10.31.40.210', '10.20.50.5'];
const hosts: RuleHost[] = [...desks, ...others].map((ip) => ruleHost(ip, [], undefined));
const deskIndexes = desks.map((_, index) => index);

describe('memberBlocks', () => {
  it('gives each run of two members or more the addresses around it: up to a lone host, halfway to a run of others, within its /24', () => {
    // Main site: the router at .1 (alone), then .77, .130, .201: the run holds .2 to .255.
    // Clinic: the router at .1, the run .20 and .40, then the other department's .200 and .210: .2 to .120.
    expect(memberBlocks(deskIndexes, hosts)).toEqual([
      '10.20.40.2/31',
      '10.20.40.4/30',
      '10.20.40.8/29',
      '10.20.40.16/28',
      '10.20.40.32/27',
      '10.20.40.64/26',
      '10.20.40.128/25',
      '10.31.40.2/31',
      '10.31.40.4/30',
      '10.31.40.8/29',
      '10.31.40.16/28',
      '10.31.40.32/27',
      '10.31.40.64/27',
      '10.31.40.96/28',
      '10.31.40.112/29',
      '10.31.40.120/32',
    ]);
  });

  it('leaves runs of one member, and every member of an IPv6 group, to the member list', () => {
    const v6 = [...hosts, ruleHost('fd00::5', [], undefined)];
    expect(memberBlocks([...deskIndexes, v6.length - 1], v6)).toEqual([]);
    // .77 alone at the main site, .20 alone at the clinic: runs of one.
    expect(memberBlocks([0, 3], hosts)).toEqual([]);
    // Where one host makes a run, the router is one too: .77 holds halfway to .1 and to .130 (.40 to .103).
    const single = memberBlocks([0], hosts, { ...MEMBERSHIP_BLOCK_DEFAULTS, blockMaxPrefixV4: 24, blockMinMembers: 1 });
    expect(single).toEqual(['10.20.40.40/29', '10.20.40.48/28', '10.20.40.64/27', '10.20.40.96/29']);
  });

  it('gives pods none: every workload takes addresses from its node\'s range', () => {
    const pods = [ruleHost('10.244.1.10', [{ key: 'k8s:app', value: 'cart' }], 'shop/cart-1'), ruleHost('10.244.1.11', [{ key: 'k8s:app', value: 'cart' }], 'shop/cart-2'), ruleHost('10.244.1.1', [], undefined)];
    expect(memberBlocks([0, 1], pods)).toEqual([]);
    const hostsOnly = pods.map((pod) => ({ ...pod, labels: [] }));
    expect(memberBlocks([0, 1], hostsOnly)).toEqual(['10.244.1.2/31', '10.244.1.4/30', '10.244.1.8/29', '10.244.1.16/28', '10.244.1.32/27', '10.244.1.64/26', '10.244.1.128/25']);
  });

  it('a run that another host interrupts is two runs, and no block grows past the subnet limit', () => {
    // The other department's desk at .30 splits the clinic run: .20 and .40 are runs of one each.
    const split = [...hosts, ruleHost('10.31.40.30', [], undefined)];
    expect(memberBlocks([3, 4], split)).toEqual([]);
    // Alone in 10.99/16: the /24 limit stops them, however empty the space around.
    const lonely = [ruleHost('10.99.0.10', [], undefined), ruleHost('10.99.0.20', [], undefined), ruleHost('10.1.1.1', [], undefined)];
    expect(memberBlocks([0, 1], lonely)).toEqual(['10.99.0.0/24']);
    expect(memberBlocks([0, 1], lonely, { ...MEMBERSHIP_BLOCK_DEFAULTS, blockMaxPrefixV4: 16, blockMinMembers: 2 })).toEqual(['10.99.0.0/16']);
  });

  it('two groups that share a subnet split the gap between them, so no address is in both', () => {
    const a = memberBlocks([3, 4], hosts);
    const b = memberBlocks([7, 8], hosts); // 10.31.40.200 and .210
    expect(b).toEqual(['10.31.40.121/32', '10.31.40.122/31', '10.31.40.124/30', '10.31.40.128/25']);
    expect(a.at(-1)).toBe('10.31.40.120/32');
  });
});

/**
 * Shops laid out from one address plan, one /24 each: the router at .17, the store server at .20, the video recorder
 * at .22, the lanes' router at .33 and two lanes at .34 and .35.
 */
function shops(count: number): { hosts: RuleHost[]; servers: number[]; recorders: number[]; lanes: number[] } {
  const hosts: RuleHost[] = [];
  const servers: number[] = [];
  const recorders: number[] = [];
  const lanes: number[] = [];
  const add = (ip: string, into?: number[]): void => {
    into?.push(hosts.length);
    hosts.push(ruleHost(ip, [], undefined));
  };
  for (let n = 1; n <= count; n++) {
    add(`10.100.${n}.17`);
    add(`10.100.${n}.20`, servers);
    add(`10.100.${n}.22`, recorders);
    add(`10.100.${n}.33`);
    add(`10.100.${n}.34`, lanes);
    add(`10.100.${n}.35`, lanes);
  }
  return { hosts, servers, recorders, lanes };
}

describe('memberBlocks at a slot of the address plan', () => {
  it(`gives a role held at the same address in ${MEMBERSHIP_BLOCK_DEFAULTS.slotMinSubnets} subnets the addresses around it there, stopping halfway to another role's slot`, () => {
    const { hosts, servers, recorders, lanes } = shops(MEMBERSHIP_BLOCK_DEFAULTS.slotMinSubnets);
    const anchored = slotHosts([servers, recorders, lanes], hosts);
    // Every role of the plan sits at its slot; the routers belong to no group here.
    expect([...anchored].sort((a, b) => a - b)).toEqual([...servers, ...recorders, ...lanes].sort((a, b) => a - b));
    // The store server: from past the router (.18) to halfway to the recorder (.21), where its replacement comes up.
    const serverBlocks = memberBlocks(servers, hosts, MEMBERSHIP_BLOCK_DEFAULTS, anchored);
    expect(serverBlocks.slice(0, 2)).toEqual(['10.100.1.18/31', '10.100.1.20/31']);
    expect(serverBlocks).toHaveLength(2 * MEMBERSHIP_BLOCK_DEFAULTS.slotMinSubnets);
    // The recorder: from .22 to halfway to the lanes' router (.27).
    expect(memberBlocks(recorders, hosts, MEMBERSHIP_BLOCK_DEFAULTS, anchored).slice(0, 2)).toEqual(['10.100.1.22/31', '10.100.1.24/30']);
  });

  it(`gives none below ${MEMBERSHIP_BLOCK_DEFAULTS.slotMinSubnets} subnets, nor where the address is one among many of the group`, () => {
    const few = shops(MEMBERSHIP_BLOCK_DEFAULTS.slotMinSubnets - 1);
    expect(memberBlocks(few.servers, few.hosts)).toEqual([]);
    // Desks at .20 in five subnets, and anywhere else in seven more: a number DHCP gave out now and then, no plan.
    const hosts: RuleHost[] = [];
    for (let n = 1; n <= 12; n++) hosts.push(ruleHost(`10.50.${n}.${n <= 5 ? 20 : 40 + n}`, [], undefined), ruleHost(`10.50.${n}.1`, [], undefined));
    const desks = hosts.map((_, index) => index).filter((index) => index % 2 === 0);
    expect(memberBlocks(desks, hosts)).toEqual([]);
  });

  it('two slots facing each other with nothing between them split the gap, so no address is in both', () => {
    // Only the server (.20) and the recorder (.22) in each subnet: each alone beside the other.
    const hosts: RuleHost[] = [];
    for (let n = 1; n <= 5; n++) hosts.push(ruleHost(`10.100.${n}.20`, [], undefined), ruleHost(`10.100.${n}.22`, [], undefined));
    const servers = [0, 2, 4, 6, 8];
    const recorders = [1, 3, 5, 7, 9];
    const anchored = slotHosts([servers, recorders], hosts);
    expect(memberBlocks(servers, hosts, MEMBERSHIP_BLOCK_DEFAULTS, anchored).slice(0, 5)).toEqual(['10.100.1.0/28', '10.100.1.16/30', '10.100.1.20/31', '10.100.2.0/28', '10.100.2.16/30']);
    expect(memberBlocks(recorders, hosts, MEMBERSHIP_BLOCK_DEFAULTS, anchored).slice(0, 3)).toEqual(['10.100.1.22/31', '10.100.1.24/29', '10.100.1.32/27']);
    // Without the anchors each would take .21, up to the other as up to a lone router.
    expect(memberBlocks(servers, hosts).slice(0, 3)).toEqual(['10.100.1.0/28', '10.100.1.16/30', '10.100.1.20/31']);
    expect(memberBlocks(recorders, hosts)[0]).toBe('10.100.1.21/32');
  });
});

describe('exactMembershipRule', () => {
  it('falls back to the blocks only where no label, CIDR or name prefix is exact', () => {
    expect(exactMembershipRule(deskIndexes, hosts)).toBe(`cidrs ${memberBlocks(deskIndexes, hosts).join(' ')}`);
    // The main site's desks alone: one CIDR covers them exactly.
    expect(exactMembershipRule([1, 2], hosts)).toBe('cidr 10.20.40.128/25');
    const labelled = hosts.map((host, index) => (index < desks.length ? { ...host, labels: [{ key: 'department', value: 'billing' }] } : host));
    expect(exactMembershipRule(deskIndexes, labelled)).toBe('label department=billing');
  });

  it('is null where no rule is exact and no run holds two members', () => {
    expect(exactMembershipRule([0, 3], hosts)).toBeNull();
  });
});
