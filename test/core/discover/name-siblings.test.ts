import { describe, expect, it } from 'vitest';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { joinNameSiblings, nameShape } from '../../../src/core/discover/name-siblings';
import { runGroupJoin, tcpEdge as tcp } from './group-join-fixture';

// Four shops' store servers, named S0113-SRV01…, serve their tills on 8443, log on at the domain controller and
// are scraped by the monitoring on 9182. Shop 0387's replacement server S0387-SRV02 came up late in the capture:
// it logged on and was scraped, and its tills were still on the old server (name-siblings.ts).

const DC = '10.10.10.11';
const MONITOR = '10.10.11.10';
const SERVERS = ['10.100.1.20', '10.100.2.20', '10.100.3.20', '10.100.4.20'];
const TILLS = ['10.100.1.41', '10.100.2.41', '10.100.3.41', '10.100.4.41'];
const NEW = '10.100.4.21';
const SHOPS = ['S0113', 'S0128', 'S0131', 'S0387'];

function shops(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  SERVERS.forEach((server, shop) => edges.push(tcp(server, DC, 445), tcp(server, DC, 389), tcp(MONITOR, server, 9182), tcp(TILLS[shop]!, server, 8443)));
  edges.push(tcp(NEW, DC, 445), tcp(MONITOR, NEW, 9182));
  return edges;
}

const NAMES = new Map([...SERVERS.map((ip, shop): [string, string] => [ip, `${SHOPS[shop]}-SRV01`]), [NEW, 'S0387-SRV02']]);

const joined = (edges: readonly ProfileEdge[], groups: readonly (readonly string[])[], names: ReadonlyMap<string, string> = NAMES, identities: Record<string, string> = {}) =>
  runGroupJoin((features, all, grouped, identity) => joinNameSiblings(features, all, grouped, identity, names), edges, groups, identities);

describe('nameShape', () => {
  it('reads each run of digits as a counter, in lower case', () => {
    expect(nameShape('S0387-SRV02')).toBe('s#-srv#');
    expect(nameShape(' web01.Prod.example.com ')).toBe('web#.prod.example.com');
  });

  it('finds no convention in a name without a counter, or one that is an address', () => {
    expect(nameShape('mailserver')).toBeNull();
    expect(nameShape('10.1.2.3')).toBeNull();
    expect(nameShape('h10-1-2-3')).toBeNull();
    expect(nameShape(undefined)).toBeNull();
  });
});

describe('joinNameSiblings', () => {
  it("joins a host that did only what its namesakes did to their group, saying why", () => {
    const { groups, notes } = joined(shops(), [SERVERS, [NEW]]);
    expect(groups).toContainEqual([...SERVERS, NEW].sort());
    expect(notes.get(NEW)).toBe(
      'its name S0387-SRV02 follows the convention of the 4 other hosts named like S0113-SRV01, S0128-SRV01, all in group {10.100.1.20 +3}, and it served and used nothing that group did not: a host named for a role it had not yet taken up while the capture ran',
    );
    expect(notes.has(SERVERS[0]!)).toBe(false);
  });

  it('keeps apart a host that served or used something its namesakes did not', () => {
    expect(joined([...shops(), tcp(NEW, '10.10.10.30', 445)], [SERVERS, [NEW]]).groups).toContainEqual([NEW]);
    expect(joined([...shops(), tcp('10.100.4.99', NEW, 8080)], [SERVERS, [NEW]]).groups).toContainEqual([NEW]);
    // What its namesakes serve, but to clients none of them serve, is a role of its own too.
    expect(joined([...shops(), tcp('10.100.9.41', NEW, 8443)], [SERVERS, [NEW]]).groups).toContainEqual([NEW]);
  });

  it('takes remote administration and pings for nobody’s role', () => {
    const managed = [...shops(), tcp('10.10.11.20', NEW, 3389), { client: '10.10.11.30', server: NEW, proto: 1, port: 8 }];
    expect(joined(managed, [SERVERS, [NEW]]).groups).toContainEqual([...SERVERS, NEW].sort());
  });

  it('needs three namesakes, all in one group, that outnumber it', () => {
    expect(joined(shops(), [SERVERS.slice(0, 2), SERVERS.slice(2), [NEW]]).groups).toContainEqual([NEW]);
    const twoNamed = new Map([...NAMES].filter(([ip]) => ip !== SERVERS[0] && ip !== SERVERS[1]));
    expect(joined(shops(), [SERVERS, [NEW]], twoNamed).groups).toContainEqual([NEW]);
    // Four new servers beside four old ones: which group follows whose convention is no longer clear.
    const fresh = ['10.100.1.21', '10.100.2.21', '10.100.3.21', NEW];
    const fourNew = [...shops(), ...fresh.slice(0, 3).flatMap((ip) => [tcp(ip, DC, 445), tcp(MONITOR, ip, 9182)])];
    const freshNames = new Map([...NAMES, ...fresh.map((ip, shop): [string, string] => [ip, `${SHOPS[shop]}-SRV02`])]);
    expect(joined(fourNew, [SERVERS, fresh], freshNames).groups).toContainEqual(fresh.sort());
  });

  it('finds no convention in names without a counter, and joins no recorded identity to another', () => {
    const plain = new Map([...NAMES].map(([ip, name]) => [ip, name.replace(/\d+/g, '')]));
    expect(joined(shops(), [SERVERS, [NEW]], plain).groups).toContainEqual([NEW]);
    const filed = Object.fromEntries([...SERVERS.map((ip) => [ip, 'store server']), [NEW, 'kiosk']]);
    expect(joined(shops(), [SERVERS, [NEW]], NAMES, filed).groups).toContainEqual([NEW]);
  });

  it('gives the same groups whatever the order of the edges', () => {
    expect(joined([...shops()].reverse(), [SERVERS, [NEW]]).groups.sort()).toEqual(joined(shops(), [SERVERS, [NEW]]).groups.sort());
  });
});
