import type { PolicyEdge } from './policy-input';

/**
 * Usable edges indexed the way rules are built: per cell (from group, to
 * group, protocol) the edges by server port, and per internal service (to
 * group, protocol, port) how many edges each internal client group has on
 * it (for lifting), and per internal use (client group, protocol, port) how
 * many edges each internal server group has on it (for lifting the other
 * way: one client group using a service on most groups). Moving a host only touches the cells and services of its
 * own edges, so what-if regrouping updates this index instead of rebuilding it.
 */

export const cellKey = (from: string, to: string, proto: number): string => `${from}\t${to}\t${proto}`;
export const serviceKey = (to: string, proto: number, port: number): string => `${to}\t${proto}\t${port}`;

/** What one internal client group uses, whichever internal groups serve it: the other direction of lifting. */
export const useKey = (from: string, proto: number, port: number): string => `${from}\t${proto}\t${port}`;

export function splitUseKey(key: string): { from: string; proto: number; port: number } {
  const [from, proto, port] = key.split('\t');
  return { from: from!, proto: Number(proto), port: Number(port) };
}

export function splitCellKey(key: string): { from: string; to: string; proto: number } {
  const [from, to, proto] = key.split('\t');
  return { from: from!, to: to!, proto: Number(proto) };
}

export function splitServiceKey(key: string): { to: string; proto: number; port: number } {
  const [to, proto, port] = key.split('\t');
  return { to: to!, proto: Number(proto), port: Number(port) };
}

/** A 32-bit integer hash (murmur3's finaliser over the value and a seed). */
function mix(value: number, seed: number): number {
  let h = Math.imul(value ^ seed, 0xcc9e2d51);
  h ^= h >>> 15;
  h = Math.imul(h, 0x1b873593);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class RuleIndex {
  /** cell → port → edge numbers. */
  readonly cells = new Map<string, Map<number, Set<number>>>();
  /** internal service → internal client group → edges. */
  readonly serviceClients = new Map<string, Map<string, number>>();
  /**
   * internal service → a fingerprint of its internal-client edge set: the
   * count and two independent 32-bit hashes summed over the edges, so an
   * unchanged set is recognised without listing it (a different set matches
   * with probability about 2^-64).
   */
  readonly serviceEdges = new Map<string, Tally>();
  /** internal use (client group, protocol, port) → internal server group → edges. */
  readonly clientUses = new Map<string, Map<string, number>>();
  /** internal use → a fingerprint of its edge set, as serviceEdges. */
  readonly useEdges = new Map<string, Tally>();
  /** group → the cells it is the from or to side of. */
  readonly cellsOfGroup = new Map<string, Set<string>>();

  constructor(
    readonly edges: readonly PolicyEdge[],
    private readonly isInternalGroup: (group: string) => boolean,
  ) {}

  add(edge: number, from: string, to: string): void {
    const { proto, port } = this.edges[edge]!;
    const key = cellKey(from, to, proto);
    let ports = this.cells.get(key);
    if (ports === undefined) {
      ports = new Map();
      this.cells.set(key, ports);
      this.linkCell(from, key);
      this.linkCell(to, key);
    }
    let set = ports.get(port);
    if (set === undefined) {
      set = new Set();
      ports.set(port, set);
    }
    set.add(edge);
    if (this.isInternalGroup(from) && this.isInternalGroup(to)) {
      const service = serviceKey(to, proto, port);
      countUp(this.serviceClients, service, from);
      tallyAdd(this.serviceEdges, service, edge);
      const use = useKey(from, proto, port);
      countUp(this.clientUses, use, to);
      tallyAdd(this.useEdges, use, edge);
    }
  }

  remove(edge: number, from: string, to: string): void {
    const { proto, port } = this.edges[edge]!;
    const key = cellKey(from, to, proto);
    const ports = this.cells.get(key);
    const set = ports?.get(port);
    if (ports === undefined || set === undefined || !set.delete(edge)) throw new Error(`edge ${edge} is not in cell ${key}`);
    if (set.size === 0) ports.delete(port);
    if (ports.size === 0) {
      this.cells.delete(key);
      this.unlinkCell(from, key);
      this.unlinkCell(to, key);
    }
    if (this.isInternalGroup(from) && this.isInternalGroup(to)) {
      const service = serviceKey(to, proto, port);
      countDown(this.serviceClients, service, from);
      tallyRemove(this.serviceEdges, service, edge);
      const use = useKey(from, proto, port);
      countDown(this.clientUses, use, to);
      tallyRemove(this.useEdges, use, edge);
    }
  }

  private linkCell(group: string, key: string): void {
    let cells = this.cellsOfGroup.get(group);
    if (cells === undefined) {
      cells = new Set();
      this.cellsOfGroup.set(group, cells);
    }
    cells.add(key);
  }

  private unlinkCell(group: string, key: string): void {
    const cells = this.cellsOfGroup.get(group);
    if (cells === undefined) return;
    cells.delete(key);
    if (cells.size === 0) this.cellsOfGroup.delete(group);
  }

  /** Internal groups other than the client's own that serve a use. */
  serverGroups(use: string, from: string): number {
    const servers = this.clientUses.get(use);
    if (servers === undefined) return 0;
    return servers.size - (servers.has(from) ? 1 : 0);
  }

  /** Internal groups other than the server's own that use a service. */
  clientGroups(service: string, to: string): number {
    const clients = this.serviceClients.get(service);
    if (clients === undefined) return 0;
    return clients.size - (clients.has(to) ? 1 : 0);
  }
}

/** One more edge of `member` under `key`. */
function countUp(counts: Map<string, Map<string, number>>, key: string, member: string): void {
  let members = counts.get(key);
  if (members === undefined) {
    members = new Map();
    counts.set(key, members);
  }
  members.set(member, (members.get(member) ?? 0) + 1);
}

/** One edge of `member` under `key` fewer; emptied entries are dropped. */
function countDown(counts: Map<string, Map<string, number>>, key: string, member: string): void {
  const members = counts.get(key)!;
  const left = members.get(member)! - 1;
  if (left > 0) members.set(member, left);
  else members.delete(member);
  if (members.size === 0) counts.delete(key);
}

type Tally = { count: number; hashA: number; hashB: number };

function tallyAdd(tallies: Map<string, Tally>, key: string, edge: number): void {
  const tally = tallies.get(key) ?? { count: 0, hashA: 0, hashB: 0 };
  tally.count++;
  tally.hashA = (tally.hashA + mix(edge, 0x9e3779b1)) >>> 0;
  tally.hashB = (tally.hashB + mix(edge, 0x85ebca77)) >>> 0;
  tallies.set(key, tally);
}

function tallyRemove(tallies: Map<string, Tally>, key: string, edge: number): void {
  const tally = tallies.get(key)!;
  tally.count--;
  tally.hashA = (tally.hashA - mix(edge, 0x9e3779b1)) >>> 0;
  tally.hashB = (tally.hashB - mix(edge, 0x85ebca77)) >>> 0;
  if (tally.count === 0) tallies.delete(key);
}
