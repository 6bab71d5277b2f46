import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { joinIdentitySubsets } from '../../../src/core/discover/identity-subsets';
import { majorityIdentity } from '../../../src/core/discover/identity-evidence';
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';

// A production line on the wire (identity-subsets.ts): SCADA polls six PLCs on Modbus; PLCs 1 and 2 own remote I/O
// (they open EtherNet/IP on 44818 to their adapters, and the adapters produce their inputs to the PLC's 2222);
// adapter 4's Forward_Open fell outside the capture, so it is seen only producing. Every host not given a group is
// a group of its own.

const host = (ip: string): ProfileHost => ({ ip, sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'), labels: [] });
const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });
const udp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 17, port });

const PLC = (n: number): string => `10.3.0.${n}`;
const IO = (n: number): string => `10.3.1.${n}`;
const SCADA = '10.5.0.1';

function line(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (let n = 1; n <= 6; n++) edges.push(tcp(SCADA, PLC(n), 502));
  for (const [plc, io] of [[1, 1], [1, 2], [2, 3]] as const) edges.push(tcp(PLC(plc), IO(io), 44818), udp(IO(io), PLC(plc), 2222));
  edges.push(udp(IO(4), PLC(2), 2222));
  // The office next door: desks on a file server, so that the line's ports are not what most groups do.
  for (let n = 1; n <= 4; n++) edges.push(tcp(`10.8.0.${n}`, '10.8.1.1', 445));
  return edges;
}

const identityOfIp = (ip: string): string | null => (ip.startsWith('10.3.0.') ? 'line 1|PLC' : ip.startsWith('10.3.1.') ? 'line 1|I/O adapter' : null);

/** Joins the given groups (addresses); `identity` per address. Returns the groups as addresses, and the notes' texts by address. */
function joined(edges: readonly ProfileEdge[], groups: readonly (readonly string[])[], identity: (ip: string) => string | null = identityOfIp, recorded: (ip: string) => string | null = identity) {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const features = discoveryFeatures({ hosts: ips.map(host), edges });
  const index = new Map(features.hosts.map((candidate, i) => [candidate.ip, i]));
  const given = groups.map((members) => members.map((ip) => index.get(ip)!));
  const inGiven = new Set(given.flat());
  features.hosts.forEach((_, i) => {
    if (!inGiven.has(i)) given.push([i]);
  });
  const result = joinIdentitySubsets(features, edges, given, (i) => identity(features.hosts[i]!.ip), (i) => recorded(features.hosts[i]!.ip));
  const ip = (i: number): string => features.hosts[i]!.ip;
  return {
    groups: result.groups.map((members) => members.map(ip).sort()).filter((members) => members.length > 1).sort((a, b) => a[0]!.localeCompare(b[0]!)),
    notes: new Map([...result.notes].map(([i, note]) => [ip(i), note.text])),
  };
}

const BEHAVIOUR_GROUPS = [[PLC(1), PLC(2)], [PLC(3), PLC(4), PLC(5), PLC(6)], [IO(1), IO(2), IO(3)], [IO(4)]];

describe('joinIdentitySubsets', () => {
  it('joins the parts of a recorded tier that do only what their siblings do', () => {
    const { groups, notes } = joined(line(), BEHAVIOUR_GROUPS);
    expect(groups).toEqual([
      [PLC(1), PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)],
      [IO(1), IO(2), IO(3), IO(4)],
    ]);
    expect(notes.get(PLC(3))).toMatch(/^filed under line 1\|PLC like group \{10\.3\.0\.1 \+1\}, which does everything its part did \(answers tcp\/502\)$/);
    expect(notes.get(IO(4))).toContain('uses udp/2222 on group {10.3.0.1 +1}');
    expect(notes.has(PLC(1))).toBe(false);
  });

  it('keeps a part apart that answers a port its siblings do not', () => {
    const edges = [...line(), tcp('10.6.0.9', PLC(5), 80)];
    expect(joined(edges, BEHAVIOUR_GROUPS).groups).toContainEqual([PLC(3), PLC(4), PLC(5), PLC(6)]);
  });

  it('keeps two parts apart when each does something the other does not', () => {
    // PLCs 3–6 also answer a historian on OPC UA, which PLCs 1–2 never do; PLCs 1–2 scan I/O, which 3–6 never do.
    const edges = [...line(), ...[3, 4, 5, 6].map((n) => tcp('10.5.0.7', PLC(n), 4840))];
    const { groups } = joined(edges, BEHAVIOUR_GROUPS);
    expect(groups).toContainEqual([PLC(1), PLC(2)]);
    expect(groups).toContainEqual([PLC(3), PLC(4), PLC(5), PLC(6)]);
  });

  it('never joins a part that did only what most groups do, however it is filed', () => {
    // Every host looks up names and is scraped; PLC 6 did nothing else while the capture ran (a wrong row, or a spare).
    const base = line().filter((edge) => edge.server !== PLC(6));
    const hosts = [...new Set(base.flatMap((edge) => [edge.client, edge.server])), PLC(6)];
    const edges = [...base, ...hosts.map((ip) => udp(ip, '10.9.0.53', 53)), ...hosts.map((ip) => tcp('10.9.0.10', ip, 9100))];
    const groups = [[PLC(1), PLC(2)], [PLC(3), PLC(4), PLC(5)], [PLC(6)], [IO(1), IO(2), IO(3)], [IO(4)]];
    const { groups: result, notes } = joined(edges, groups);
    expect(result).toContainEqual([PLC(1), PLC(2), PLC(3), PLC(4), PLC(5)]);
    expect(result.flat()).not.toContain(PLC(6));
    expect(notes.has(PLC(6))).toBe(false);
  });

  it('never joins a part across address blocks (a dev host filed under prod)', () => {
    const edges = [...line(), tcp(SCADA, '10.4.0.7', 502)];
    const filed = (ip: string): string | null => (ip === '10.4.0.7' ? 'line 1|PLC' : identityOfIp(ip));
    const { groups } = joined(edges, [...BEHAVIOUR_GROUPS, ['10.4.0.7']], filed);
    expect(groups).toContainEqual([PLC(1), PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
    expect(groups.flat()).not.toContain('10.4.0.7');
  });

  it('never joins parts filed differently, nor parts no record names', () => {
    const otherLine = (ip: string): string | null => (ip === PLC(3) || ip === PLC(4) || ip === PLC(5) || ip === PLC(6) ? 'line 2|PLC' : identityOfIp(ip));
    expect(joined(line(), BEHAVIOUR_GROUPS, otherLine).groups).toContainEqual([PLC(1), PLC(2)]);
    const unrecorded = (ip: string): string | null => (ip.startsWith('10.3.0.') ? null : identityOfIp(ip));
    expect(joined(line(), BEHAVIOUR_GROUPS, unrecorded).groups).toContainEqual([PLC(1), PLC(2)]);
  });

  it('takes a group\'s identity from two thirds of its labelled members: one wrong row does not take it away, a split vote names none', () => {
    const labels: Record<number, string | null> = { 1: 'a', 2: 'a', 3: 'b', 4: null, 5: 'c' };
    const identity = (host: number): string | null => labels[host] ?? null;
    expect(majorityIdentity([1, 2, 3, 4], identity, 2 / 3)).toBe('a');
    expect(majorityIdentity([1, 3, 4], identity, 2 / 3)).toBeNull();
    expect(majorityIdentity([4], identity, 2 / 3)).toBeNull();
    expect(majorityIdentity([1, 2, 3, 5], identity, 2 / 3)).toBeNull();
  });

  it('gives the same groups whatever order the edges come in', () => {
    const edges = line();
    const forward = joined(edges, BEHAVIOUR_GROUPS).groups;
    expect(joined([...edges].reverse(), BEHAVIOUR_GROUPS).groups).toEqual(forward);
  });

  describe('into a group no row names', () => {
    // Line 1's operator station polls six PLCs, and so does SCADA. PLC 1 owns two I/O adapters and is not in the
    // asset list; PLCs 2-6 are, as "line 1|PLC". Line 2 (10.3.5.x, the same block) has its own station.
    const STATION = '10.3.2.1';
    const STATION_2 = '10.3.2.2';
    const filedPlcs = (ip: string): string | null => (ip.startsWith('10.3.0.') && ip !== PLC(1) ? 'line 1|PLC' : null);
    function lineOne(): ProfileEdge[] {
      const edges: ProfileEdge[] = [];
      for (let n = 1; n <= 6; n++) edges.push(tcp(SCADA, PLC(n), 502), tcp(STATION, PLC(n), 502));
      for (const io of [1, 2]) edges.push(tcp(PLC(1), IO(io), 44818), udp(IO(io), PLC(1), 2222));
      for (let n = 1; n <= 4; n++) edges.push(tcp(`10.8.0.${n}`, '10.8.1.1', 445), tcp(`10.8.0.${n}`, '10.8.1.2', 443));
      return edges;
    }
    const GROUPS = [[PLC(1)], [PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)], [IO(1), IO(2)]];

    it('joins the filed PLCs to the unlisted one that does their work for the same clients and also owns I/O', () => {
      const { groups, notes } = joined(lineOne(), GROUPS, filedPlcs);
      expect(groups).toContainEqual([PLC(1), PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
      expect(notes.get(PLC(2))).toMatch(/^filed under line 1\|PLC; group 10\.3\.0\.1, which no row names, does for the same clients everything most of its part did, and more/);
    });

    it('never joins a part that a pod list names to an unlisted group: that could be any service', () => {
      expect(joined(lineOne(), GROUPS, filedPlcs, () => null).groups).toContainEqual([PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
    });

    it('joins it with one extra duty (an interlock read of line 2), not with two', () => {
      const one = [...lineOne(), tcp(STATION_2, '10.3.5.1', 502), tcp(PLC(1), '10.3.5.1', 502)];
      expect(joined(one, GROUPS, filedPlcs).groups).toContainEqual([PLC(1), PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
      const two = [...one, tcp(STATION_2, '10.3.5.2', 4840), tcp(PLC(1), '10.3.5.2', 4840)];
      expect(joined(two, GROUPS, filedPlcs).groups).toContainEqual([PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
    });

    it("counts a port it answers the part's own clients besides theirs as a duty", () => {
      const web = [...lineOne(), tcp(STATION, PLC(1), 80)];
      expect(joined(web, GROUPS, filedPlcs).groups).toContainEqual([PLC(1), PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
      const andInterlock = [...web, tcp(STATION_2, '10.3.5.1', 502), tcp(PLC(1), '10.3.5.1', 502)];
      expect(joined(andInterlock, GROUPS, filedPlcs).groups).toContainEqual([PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
    });

    it("never joins an unlisted PLC that answers another line's station instead of theirs", () => {
      const edges = lineOne().filter((edge) => !(edge.client === STATION && edge.server === PLC(1)));
      edges.push(tcp(STATION_2, PLC(1), 502));
      expect(joined(edges, GROUPS, filedPlcs).groups).toContainEqual([PLC(2), PLC(3), PLC(4), PLC(5), PLC(6)]);
    });

    it('never joins a station to the SCADA server that does all it does and more', () => {
      // Three stations (filed) poll the line; SCADA (unlisted) polls it and line 2, and answers the historian.
      const edges = [...lineOne(), tcp('10.3.2.3', PLC(2), 502), tcp('10.3.2.4', PLC(3), 502), tcp(SCADA, '10.3.5.1', 502), tcp(SCADA, '10.3.5.2', 502)];
      edges.push(tcp('10.5.0.9', STATION, 8081), tcp('10.5.0.9', SCADA, 8081), tcp('10.5.0.9', '10.3.2.3', 8081), tcp('10.5.0.9', '10.3.2.4', 8081));
      const stations = (ip: string): string | null => (ip.startsWith('10.3.2.') ? 'line 1|HMI' : null);
      const { groups } = joined(edges, [[STATION, '10.3.2.3', '10.3.2.4'], [SCADA]], stations);
      expect(groups).toContainEqual([STATION, '10.3.2.3', '10.3.2.4']);
      expect(groups.flat()).not.toContain(SCADA);
    });

    it('never joins a part that answers no one: every client of the other would pass for its own devices', () => {
      // Three filed stations poll the line and answer nothing; an unlisted gateway polls the same PLCs and serves the historian.
      const edges = [...lineOne(), ...[2, 3].flatMap((n) => [1, 2, 3, 4, 5, 6].map((plc) => tcp(`10.3.2.${n + 1}`, PLC(plc), 502)))];
      edges.push(...[1, 2, 3, 4, 5, 6].map((plc) => tcp('10.3.2.50', PLC(plc), 502)), tcp('10.5.0.9', '10.3.2.50', 4840));
      const stations = (ip: string): string | null => (ip.startsWith('10.3.2.') && ip !== '10.3.2.50' ? 'line 1|HMI' : null);
      const { groups } = joined(edges, [[STATION, '10.3.2.3', '10.3.2.4'], ['10.3.2.50']], stations);
      expect(groups.flat()).not.toContain('10.3.2.50');
    });

    it("never takes a metrics scrape for a part's role: every filed server answers it to the one scraper", () => {
      // Two jump hosts (filed) answer only the monitoring host's scrape, as the line's filed PLCs and the unlisted
      // file server do; the file server also serves the desks.
      const MONITOR = '10.5.0.20';
      const JUMPS = ['10.3.9.1', '10.3.9.2'];
      const FILES = '10.3.9.10';
      const edges = [...lineOne(), ...[...JUMPS, FILES, ...[2, 3, 4, 5, 6].map(PLC)].map((server) => tcp(MONITOR, server, 9182))];
      for (const desk of ['10.3.8.1', '10.3.8.2', '10.3.8.3']) edges.push(tcp(desk, FILES, 445));
      // Linux servers with no Windows exporter: the scrape is on a minority of the servers, no collector service.
      for (let n = 1; n <= 12; n++) edges.push(tcp('10.3.8.1', `10.3.7.${n}`, 443));
      const filed = (ip: string): string | null => (JUMPS.includes(ip) ? 'admin jump' : filedPlcs(ip));
      const { groups } = joined(edges, [...GROUPS, JUMPS, [FILES]], filed);
      expect(groups).toContainEqual(JUMPS);
    });

    it('takes no side where parts of two identities would join the same unlisted group', () => {
      const twoFilings = (ip: string): string | null => (ip === PLC(2) || ip === PLC(3) || ip === PLC(4) ? 'line 1|PLC' : ip === PLC(5) || ip === PLC(6) ? 'line 1|safety PLC' : null);
      const { groups } = joined(lineOne(), [[PLC(1)], [PLC(2), PLC(3), PLC(4)], [PLC(5), PLC(6)], [IO(1), IO(2)]], twoFilings);
      expect(groups.flat()).not.toContain(PLC(1));
    });
  });
});
