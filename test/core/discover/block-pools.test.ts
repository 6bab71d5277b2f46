import { describe, expect, it } from 'vitest';
import { joinBlockPools } from '../../../src/core/discover/block-pools';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { runGroupJoin, tcpEdge } from './group-join-fixture';

// A VPN pool (10.250.10.0/24) whose sessions the cut spread over three groups by what each happened to open:
// most only the EHR, two also the file share, one also the image viewer. Beside them, in one server subnet
// (10.40.1.0/24), the workers of two applications: both use the broker, each its own database (block-pools.ts).

const tcp = tcpEdge;

const DNS = '10.10.10.11';
const EHR = '10.10.20.11';
const FILES = '10.10.10.30';
const VIEWER = '10.10.40.15';
const BROKER = '10.40.2.10';
const DB_A = '10.40.3.10';
const DB_B = '10.40.3.20';
const pool = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `10.250.10.${from + i}`);
const EHR_ONLY = pool(20, 6);
const FILE_USERS = pool(40, 2);
const VIEWER_USER = '10.250.10.50';
const WORKERS_A = ['10.40.1.11', '10.40.1.12'];
const WORKERS_B = ['10.40.1.21', '10.40.1.22'];

function estate(): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  for (const session of [...EHR_ONLY, ...FILE_USERS, VIEWER_USER]) edges.push(tcp(session, DNS, 53), tcp(session, EHR, 443));
  for (const session of FILE_USERS) edges.push(tcp(session, FILES, 445));
  edges.push(tcp(VIEWER_USER, VIEWER, 443));
  for (const worker of WORKERS_A) edges.push(tcp(worker, BROKER, 5672), tcp(worker, DB_A, 5432));
  for (const worker of WORKERS_B) edges.push(tcp(worker, BROKER, 5672), tcp(worker, DB_B, 5432));
  return edges;
}

const joined = (edges: readonly ProfileEdge[], groups: readonly (readonly string[])[], identities: Record<string, string> = {}) => runGroupJoin(joinBlockPools, edges, groups, identities);

describe('joinBlockPools', () => {
  it('joins the groups of one pool whose uses one holds all of the other\'s, into the largest', () => {
    const { groups, notes } = joined(estate(), [EHR_ONLY, FILE_USERS, [VIEWER_USER], WORKERS_A, WORKERS_B]);
    expect(groups).toContainEqual([...EHR_ONLY, ...FILE_USERS, VIEWER_USER].sort());
    expect(notes.get(FILE_USERS[0]!)).toBe(
      'it and a group at least as large lie wholly in address block 10.250.10.0/24 and serve nothing, and what that group used, this one did too: one desk network or address pool',
    );
    expect(notes.has(EHR_ONLY[0]!)).toBe(false);
  });

  it('keeps apart two roles that share a block, each using what the other does not', () => {
    const { groups } = joined(estate(), [EHR_ONLY, FILE_USERS, [VIEWER_USER], WORKERS_A, WORKERS_B]);
    expect(groups).toContainEqual([...WORKERS_A].sort());
    expect(groups).toContainEqual([...WORKERS_B].sort());
  });

  it('joins nothing that serves, spans two blocks, or carries another recorded identity', () => {
    // The file users answer a service: no longer desks.
    const serving = [...estate(), tcp(EHR, FILE_USERS[0]!, 8080)];
    expect(joined(serving, [EHR_ONLY, FILE_USERS, [VIEWER_USER]]).groups).toContainEqual([...FILE_USERS].sort());
    // A group with a member outside the pool's /24.
    const spread = [...estate(), tcp('10.251.0.9', DNS, 53), tcp('10.251.0.9', EHR, 443), tcp('10.251.0.9', FILES, 445)];
    expect(joined(spread, [EHR_ONLY, [...FILE_USERS, '10.251.0.9'], [VIEWER_USER]]).groups).toContainEqual([...FILE_USERS, '10.251.0.9'].sort());
    // The file users recorded as another workload than the EHR-only sessions.
    const recorded = Object.fromEntries([...EHR_ONLY.map((ip) => [ip, 'vpn']), ...FILE_USERS.map((ip) => [ip, 'contractors'])]);
    expect(joined(estate(), [EHR_ONLY, FILE_USERS, [VIEWER_USER]], recorded).groups).toContainEqual([...FILE_USERS].sort());
  });

  it('joins no group that uses nothing, or only what most groups use: it says nothing of a pool', () => {
    // Addresses of the pool only ever pinged (a sweep's targets), in a group larger than every other.
    const probed = Array.from({ length: 8 }, (_, i) => `10.250.10.${100 + i}`);
    const pinged = [...estate(), ...probed.map((ip) => ({ client: '10.60.0.1', server: ip, proto: 1, port: 8 }))];
    const { groups } = joined(pinged, [EHR_ONLY, FILE_USERS, [VIEWER_USER], probed]);
    expect(groups).toContainEqual([...probed].sort());
    expect(groups).toContainEqual([...EHR_ONLY, ...FILE_USERS, VIEWER_USER].sort());
  });

  it('gives the same groups whatever the order of the edges', () => {
    const groups = [EHR_ONLY, FILE_USERS, [VIEWER_USER], WORKERS_A, WORKERS_B];
    expect(joined([...estate()].reverse(), groups).groups.sort()).toEqual(joined(estate(), groups).groups.sort());
  });
});
