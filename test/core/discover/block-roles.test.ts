import { describe, expect, it } from 'vitest';
import { partBlockRoles } from '../../../src/core/discover/block-roles';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';

// Desks of four departments at a clinic, one VLAN (/24) each, given to partBlockRoles as one group: all use the
// directory and the EHR; the lab's desks also use the lab system, IT's the jump host; one nursing desk once opened
// the lab system too (block-roles.ts).

const host = (ip: string): ProfileHost => ({ ip, sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'), labels: [] });
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

const DIRECTORY = '10.10.10.11';
const EHR = '10.10.20.11';
const LAB_SYSTEM = '10.10.40.35';
const JUMP = '10.10.50.11';
const desks = (third: number, count: number): string[] => Array.from({ length: count }, (_, i) => `10.20.${third}.${i + 11}`);
const NURSING = desks(50, 6);
const ED = desks(10, 4);
const LAB = desks(30, 3);
// IT's desks sit in a VLAN of their own at two sites; the lab's at one.
const IT = [...desks(60, 2), '10.21.60.11', '10.21.60.12'];
const LONE = '10.20.70.11';
const LONE_BOTH = '10.20.80.11';
const LONE_LAB = '10.20.90.11';
const LONE_ODD = '10.20.100.11';
const ODD_SERVER = '10.10.70.5';
const ALL = [...NURSING, ...ED, ...LAB, ...IT, LONE, LONE_BOTH, LONE_LAB, LONE_ODD];

function clinic(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const desk of ALL) edges.push(tcp(desk, DIRECTORY, 389), tcp(desk, EHR, 443));
  // Two of the three lab desks used the lab system while the capture ran; the third did not.
  for (const desk of LAB.slice(0, 2)) edges.push(tcp(desk, LAB_SYSTEM, 7010));
  for (const desk of IT) edges.push(tcp(desk, JUMP, 8443));
  edges.push(tcp(NURSING[0]!, LAB_SYSTEM, 7010));
  // A desk alone in its block that used the jump host, IT's whole role: IT's one desk at a small site.
  edges.push(tcp(LONE, JUMP, 8443));
  // A desk alone in its block that used both the jump host and the lab system: IT's role, and more than IT does.
  edges.push(tcp(LONE_BOTH, JUMP, 8443), tcp(LONE_BOTH, LAB_SYSTEM, 7010));
  // A desk alone in its block that used the lab system: the lab's desk at a small site.
  edges.push(tcp(LONE_LAB, LAB_SYSTEM, 7010));
  // A desk alone in its block that used the jump host and a server no IT desk uses: no one department's.
  edges.push(tcp(LONE_ODD, JUMP, 8443), tcp(LONE_ODD, ODD_SERVER, 8000));
  return edges;
}

function parted(edges: readonly ProfileEdge[], group: readonly string[]) {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const features = discoveryFeatures({ hosts: ips.map(host), edges });
  const index = new Map(features.hosts.map((candidate, i) => [candidate.ip, i]));
  const inGroup = new Set(group);
  const groups = [group.map((ip) => index.get(ip)!).sort((a, b) => a - b), ...ips.filter((ip) => !inGroup.has(ip)).map((ip) => [index.get(ip)!])];
  const result = partBlockRoles(features, edges, groups);
  const ip = (i: number): string => features.hosts[i]!.ip;
  return { groups: result.groups.map((members) => members.map(ip).sort()), notes: new Map([...result.notes].map(([i, note]) => [ip(i), note.text])) };
}

describe('partBlockRoles', () => {
  it("parts a desk group by the blocks whose desks mostly use what the rest do not, each block's quiet desks included", () => {
    const { groups, notes } = parted(clinic(), ALL);
    expect(groups).toContainEqual([...LAB, LONE_LAB].sort());
    expect(groups).toContainEqual([...IT, LONE].sort());
    expect(groups).toContainEqual([...ED, ...NURSING, LONE_BOTH, LONE_ODD].sort());
    expect(notes.get(LAB[2]!)).toBe('its address block (10.20.30.0/24) mostly uses tcp/7010 on 10.10.40.35, which the rest of its group mostly does not: a department\'s or a site\'s own network');
    expect(notes.has(NURSING[0]!)).toBe(false);
    expect(notes.get(LONE)).toBe('alone in its address block, it uses all of tcp/8443 on 10.10.50.11, which the blocks 10.20.60.0/24, 10.21.60.0/24 mostly use and the rest of its group mostly does not: that department\'s desk');
    expect(notes.has(LONE_BOTH)).toBe(false);
    expect(notes.get(LONE_LAB)).toMatch(/^alone in its address block, it uses all of tcp\/7010 on 10\.10\.40\.35, which the block 10\.20\.30\.0\/24 mostly uses/);
    expect(notes.has(LONE_ODD)).toBe(false);
  });

  it('still parts desks that answer the monitoring\'s pings and its scrapes', () => {
    // The monitor pings every desk and scrapes an agent on each, as on every server: no application's service.
    const everyone = [...NURSING, ...ED, ...LAB, ...IT, LONE, DIRECTORY, EHR, LAB_SYSTEM, JUMP];
    const monitored = [...clinic(), ...everyone.map((ip) => ({ client: '10.10.60.5', server: ip, proto: 1, port: 8 })), ...everyone.map((ip) => tcp('10.10.60.5', ip, 9182))];
    expect(parted(monitored, ALL).groups).toContainEqual([...LAB, LONE_LAB].sort());
  });

  it('leaves a group whole whose blocks do alike, and a group that serves something', () => {
    const alike = clinic().filter((edge) => edge.server !== LAB_SYSTEM && edge.server !== JUMP);
    expect(parted(alike, ALL).groups).toContainEqual([...ALL].sort());
    // The same hosts as servers (an application's nodes in two subnets, each using its zone's endpoint): subnets are no roles there.
    const serving = [...clinic(), tcp('10.30.0.5', LAB[0]!, 8080)];
    expect(parted(serving, ALL).groups).toContainEqual([...ALL].sort());
  });

  it('gives the same parts whatever order the edges come in', () => {
    const group = ALL;
    expect(parted([...clinic()].reverse(), group).groups).toEqual(parted(clinic(), group).groups);
  });
});
