import { describe, expect, it } from 'vitest';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { joinQuietBlockMembers } from '../../../src/core/discover/quiet-block-members';
import { runGroupJoin, tcpEdge as tcp } from './group-join-fixture';

// Radiology's desks fill 10.20.20.0/24: they log on at the domain controller, open the image viewer and receive
// studies from the PACS over DICOM. Desk .215 was switched off most of the capture: it logged on and opened the
// viewer, and received nothing (quiet-block-members.ts).

const DC = '10.10.10.11';
const VIEWER = '10.10.40.15';
const PACS = '10.10.40.11';
const LAB = '10.10.40.35';
const DESKS = ['10.20.20.11', '10.20.20.12', '10.20.20.13', '10.20.20.14'];
const QUIET = '10.20.20.215';

function department(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const desk of DESKS) edges.push(tcp(desk, DC, 88), tcp(desk, DC, 445), tcp(desk, VIEWER, 443), tcp(PACS, desk, 104));
  edges.push(tcp(QUIET, DC, 88), tcp(QUIET, VIEWER, 443));
  // The lab's desks next door, in their own block.
  for (const desk of ['10.20.30.11', '10.20.30.12', '10.20.30.13']) edges.push(tcp(desk, DC, 88), tcp(desk, LAB, 7010));
  return edges;
}

const joined = (edges: readonly ProfileEdge[], groups: readonly (readonly string[])[], identities: Record<string, string> = {}) => runGroupJoin(joinQuietBlockMembers, edges, groups, identities);

describe('joinQuietBlockMembers', () => {
  it("joins a desk that did only part of what its block's one group did to that group, saying why", () => {
    const { groups, notes } = joined(department(), [DESKS, [QUIET]]);
    expect(groups).toContainEqual([...DESKS, QUIET].sort());
    expect(notes.get(QUIET)).toBe(
      'it lies wholly in address block 10.20.20.0/24, serves nothing, and everything it used group {10.20.20.11 +3} used too, whose block it is (every other host there is in that group, but for plumbing): a member that did little while the capture ran',
    );
    expect(notes.has(DESKS[0]!)).toBe(false);
  });

  it("takes a group's one address in each of many blocks (the VLANs' gateways) for plumbing, and two of them for a second population", () => {
    const gateways = [...department(), { client: '10.20.20.1', server: '10.10.10.15', proto: 17, port: 67 }, { client: '10.20.30.1', server: '10.10.10.15', proto: 17, port: 67 }];
    expect(joined(gateways, [DESKS, [QUIET], ['10.20.20.1', '10.20.30.1']]).groups).toContainEqual([...DESKS, QUIET].sort());
    const twoHere = [...gateways, { client: '10.20.20.2', server: '10.10.10.15', proto: 17, port: 67 }];
    expect(joined(twoHere, [DESKS, [QUIET], ['10.20.20.1', '10.20.20.2', '10.20.30.1']]).groups).toContainEqual([QUIET]);
  });

  it('keeps apart a quiet host that used something the group never did', () => {
    const edges = [...department(), tcp(QUIET, LAB, 7010)];
    expect(joined(edges, [DESKS, [QUIET]]).groups).toContainEqual([QUIET]);
  });

  it('keeps apart a host that used nothing, one that serves, and one in a block shared with a host that serves', () => {
    const probed = [...department().filter((edge) => edge.client !== QUIET), { client: '10.60.0.1', server: QUIET, proto: 1, port: 8 }];
    expect(joined(probed, [DESKS, [QUIET]]).groups).toContainEqual([QUIET]);
    const serving = [...department(), tcp('10.20.30.11', QUIET, 8080)];
    expect(joined(serving, [DESKS, [QUIET]]).groups).toContainEqual([QUIET]);
    const printer = [...department(), tcp(DESKS[0]!, '10.20.20.250', 9100)];
    expect(joined(printer, [DESKS, [QUIET]]).groups).toContainEqual([QUIET]);
  });

  it('needs three hosts of the group in the block, and no recorded identity against it', () => {
    const two = department().filter((edge) => edge.client !== DESKS[2] && edge.client !== DESKS[3] && edge.server !== DESKS[2] && edge.server !== DESKS[3]);
    expect(joined(two, [DESKS.slice(0, 2), [QUIET]]).groups).toContainEqual([QUIET]);
    const filed = Object.fromEntries([...DESKS.map((ip) => [ip, 'radiology desk']), [QUIET, 'kiosk']]);
    expect(joined(department(), [DESKS, [QUIET]], filed).groups).toContainEqual([QUIET]);
  });

  it('gives the same groups whatever the order of the edges', () => {
    expect(joined([...department()].reverse(), [DESKS, [QUIET]]).groups.sort()).toEqual(joined(department(), [DESKS, [QUIET]]).groups.sort());
  });
});
