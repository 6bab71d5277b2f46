import { DirectionReason as R } from '../flow/record';
import type { ObsColumnRows } from '../ingest/obs-compact';
import { TupleIndex } from '../util/tuple-index';
import { PORT_CLASS, portClass } from './port-class';

/**
 * Client and server of every conversation, decided in memory from the
 * conversation-hours ingest folded (rows in the obs layout, observer 0).
 * The same rules, in the same order, as the SQL in edges-sql.ts, which runs
 * when ingest had to leave rows in DuckDB; tests hold the two to identical
 * edges. Doing it here saves handing a million conversation-hours to the
 * single-threaded wasm engine and joining them there several times.
 */

/** An analyst's pin: this port is a server port (for flows with no explicit direction). */
export interface ServerPortPin {
  readonly proto: number;
  readonly port: number;
}

export interface ConversationOrientation {
  /** Per input batch, per row: the conversation (hours folded together) it belongs to. */
  readonly conversationOfRow: readonly Int32Array[];
  /** Per conversation: 1 when hi is the server, 0 when lo is. */
  readonly serverIsHi: Uint8Array;
  /** Per conversation: the DirectionReason code behind the decision. */
  readonly reason: Uint8Array;
}

/** Per conversation: 0 when explicit evidence is absent or even, else which side opened it. */
const OPENER_LO = 1;
const OPENER_HI = 2;

/** Port (−1 for none) and protocol in one int: 17 + 8 bits. */
export const portProto = (port: number, proto: number): number => ((port + 1) << 8) | proto;


export function orientConversations(
  batches: readonly ObsColumnRows[],
  hostSortKeys: readonly string[],
  pins: readonly ServerPortPin[],
): ConversationOrientation {
  const conversations = collectConversations(batches);
  const { index, evLo, evHi, evLoReason, evHiReason } = conversations;
  const count = index.size;

  // Which side explicit evidence says opened each conversation (edges-sql.ts's explicitOpener).
  const opener = new Uint8Array(count);
  for (let c = 0; c < count; c++) {
    const lo = evLoReason[c]!;
    const hi = evHiReason[c]!;
    if (lo > 0 && (hi === 0 || lo < hi)) opener[c] = OPENER_LO;
    else if (hi > 0 && (lo === 0 || hi < lo)) opener[c] = OPENER_HI;
    else if (lo > 0 && evLo[c]! > evHi[c]!) opener[c] = OPENER_LO;
    else if (hi > 0 && evHi[c]! > evLo[c]!) opener[c] = OPENER_HI;
  }

  const endpoints = endpointEvidence(index, opener);
  const samePortDegree = samePortPeers(index, endpoints);
  const degree = hostDegrees(index, hostSortKeys.length);
  const pinned = new Set(pins.map((pin) => portProto(pin.port, pin.proto)));

  const serverIsHi = new Uint8Array(count);
  const reason = new Uint8Array(count);
  for (let c = 0; c < count; c++) {
    const lo = index.key(c, 0) >>> 0;
    const hi = index.key(c, 1) >>> 0;
    const loPortProto = index.key(c, 2);
    const proto = loPortProto & 0xff;
    const loPort = (loPortProto >> 8) - 1;
    const hiPort = index.key(c, 3);
    if (opener[c] === OPENER_LO) {
      serverIsHi[c] = 1;
      reason[c] = evLoReason[c]!;
      continue;
    }
    if (opener[c] === OPENER_HI) {
      serverIsHi[c] = 0;
      reason[c] = evHiReason[c]!;
      continue;
    }
    const loEndpoint = endpoints.loEndpoint[c]!;
    const hiEndpoint = endpoints.hiEndpoint[c]!;
    const loExplicit = endpoints.explicitServer(loEndpoint);
    const hiExplicit = endpoints.explicitServer(hiEndpoint);
    const loPeerPorts = endpoints.peerPorts(loEndpoint);
    const hiPeerPorts = endpoints.peerPorts(hiEndpoint);
    const loPinned = pinned.has(loPortProto);
    const hiPinned = pinned.has(portProto(hiPort, proto));
    const loClass = portClass(proto, loPort);
    const hiClass = portClass(proto, hiPort);
    const loDegree = degree[lo]!;
    const hiDegree = degree[hi]!;
    // Both ends on one port (NTP's 123 to 123): the end that meets more peers on it serves it.
    const loPortDegree = loPort === hiPort ? samePortDegree[loEndpoint]! : 0;
    const hiPortDegree = loPort === hiPort ? samePortDegree[hiEndpoint]! : 0;
    const loListens = loPeerPorts >= 2 && loPeerPorts > hiPeerPorts && !(loClass === PORT_CLASS.ephemeral && hiClass > PORT_CLASS.ephemeral);
    const hiListens = hiPeerPorts >= 2 && hiPeerPorts > loPeerPorts && !(hiClass === PORT_CLASS.ephemeral && loClass > PORT_CLASS.ephemeral);

    let loServes: boolean;
    if (loPinned !== hiPinned) {
      loServes = loPinned;
      reason[c] = R.pinnedPort;
    } else if (loExplicit !== hiExplicit || loListens || hiListens) {
      loServes = loExplicit !== hiExplicit ? loExplicit : loListens;
      reason[c] = R.listeningPort;
    } else if (loClass !== hiClass) {
      loServes = loClass > hiClass;
      reason[c] = R.portRange;
    } else if (loPortDegree !== hiPortDegree) {
      loServes = loPortDegree > hiPortDegree;
      reason[c] = R.degree;
    } else if (loDegree !== hiDegree) {
      loServes = loDegree > hiDegree;
      reason[c] = R.degree;
    } else {
      loServes = loPort >= 0 && loPort < hiPort ? true : hiPort >= 0 && hiPort < loPort ? false : hostSortKeys[lo]! <= hostSortKeys[hi]!;
      reason[c] = R.tieBreak;
    }
    serverIsHi[c] = loServes ? 0 : 1;
  }
  return { conversationOfRow: conversations.conversationOfRow, serverIsHi, reason };
}

/** Conversations across hours, with their explicit evidence summed (edges-sql.ts's conv_dir). */
function collectConversations(batches: readonly ObsColumnRows[]) {
  let total = 0;
  for (const batch of batches) total += batch.length;
  const index = new TupleIndex(total);
  // Evidence counts summed over a conversation's hours: whole records, far below 2^32 (checked).
  const evLo = new Uint32Array(total);
  const evHi = new Uint32Array(total);
  const evLoReason = new Uint8Array(total);
  const evHiReason = new Uint8Array(total);
  const conversationOfRow = batches.map((batch) => {
    const rowConversation = new Int32Array(batch.length);
    // Columns in locals: after each call to index.id their properties would be loaded again.
    const { lo, hi, loPort, hiPort, proto, evLo: rowEvLo, evHi: rowEvHi, evLoReason: rowEvLoReason, evHiReason: rowEvHiReason } = batch;
    for (let row = 0; row < batch.length; row++) {
      const c = index.id(lo[row]!, hi[row]!, portProto(loPort[row]!, proto[row]!), hiPort[row]!);
      rowConversation[row] = c;
      evLo[c] = checkedCount(evLo[c]! + rowEvLo[row]!);
      evHi[c] = checkedCount(evHi[c]! + rowEvHi[row]!);
      evLoReason[c] = strongest(evLoReason[c]!, rowEvLoReason[row]!);
      evHiReason[c] = strongest(evHiReason[c]!, rowEvHiReason[row]!);
    }
    return rowConversation;
  });
  return { index, evLo, evHi, evLoReason, evHiReason, conversationOfRow };
}

/** A count that must fit 32 bits unsigned (it is stored in a Uint32Array). */
function checkedCount(count: number): number {
  if (count > 0xffffffff) throw new RangeError(`a conversation's evidence count ${count} does not fit 32 bits`);
  return count;
}

/** The stronger (lower, non-zero) of two reason codes; 0 is none. */
function strongest(a: number, b: number): number {
  return b !== 0 && (a === 0 || b < a) ? b : a;
}

/**
 * Per endpoint (host, port, protocol): how many distinct peer ports reached
 * it, and whether an explicitly oriented conversation named it the server
 * (edges-sql.ts's endpoint_evidence). A listening endpoint meets a fresh
 * ephemeral port per connection; a client's fixed source port meets few.
 */
function endpointEvidence(conversations: TupleIndex, opener: Uint8Array) {
  const count = conversations.size;
  const endpoints = new TupleIndex(count, 2);
  const loEndpoint = new Int32Array(count);
  const hiEndpoint = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    const loPortProto = conversations.key(c, 2);
    loEndpoint[c] = endpoints.id(conversations.key(c, 0), loPortProto);
    hiEndpoint[c] = endpoints.id(conversations.key(c, 1), portProto(conversations.key(c, 3), loPortProto & 0xff));
  }
  const peerPorts = distinctPeerPorts(conversations, endpoints.size, loEndpoint, hiEndpoint);
  const explicit = new Uint8Array(endpoints.size);
  for (let c = 0; c < count; c++) {
    if (opener[c] === OPENER_HI) explicit[loEndpoint[c]!] = 1;
    else if (opener[c] === OPENER_LO) explicit[hiEndpoint[c]!] = 1;
  }
  return {
    loEndpoint,
    hiEndpoint,
    count: endpoints.size,
    explicitServer: (endpoint: number): boolean => explicit[endpoint] === 1,
    /** As the SQL sees it: endpoints with one peer port and no explicit role are left out there, so they count 0. */
    peerPorts: (endpoint: number): number => (peerPorts[endpoint]! >= 2 || explicit[endpoint] === 1 ? peerPorts[endpoint]! : 0),
  };
}

/**
 * Distinct peer ports per endpoint. The peer ports are laid out endpoint by
 * endpoint (a counting sort) and each endpoint's run deduplicated on its own:
 * most endpoints (clients' ephemeral ports) have a run of one, and a hash set
 * of (endpoint, peer port) pairs would cost two million random lookups.
 */
function distinctPeerPorts(conversations: TupleIndex, endpointCount: number, loEndpoint: Int32Array, hiEndpoint: Int32Array): Uint32Array {
  const count = conversations.size;
  const runStart = new Int32Array(endpointCount + 1);
  for (let c = 0; c < count; c++) {
    runStart[loEndpoint[c]! + 1]!++;
    runStart[hiEndpoint[c]! + 1]!++;
  }
  for (let e = 0; e < endpointCount; e++) runStart[e + 1]! += runStart[e]!;
  const next = runStart.slice(0, endpointCount);
  const peers = new Int32Array(count * 2);
  for (let c = 0; c < count; c++) {
    peers[next[loEndpoint[c]!]!++] = conversations.key(c, 3);
    peers[next[hiEndpoint[c]!]!++] = (conversations.key(c, 2) >> 8) - 1;
  }
  const distinct = new Uint32Array(endpointCount);
  for (let e = 0; e < endpointCount; e++) {
    const from = runStart[e]!;
    const to = runStart[e + 1]!;
    if (to - from <= 1) {
      distinct[e] = to - from;
      continue;
    }
    const run = peers.subarray(from, to).sort();
    let kinds = 1;
    for (let i = 1; i < run.length; i++) if (run[i] !== run[i - 1]) kinds++;
    distinct[e] = kinds;
  }
  return distinct;
}

/** Per endpoint, over conversations with the same port at both ends: how many it has, one per peer (edges-sql.ts's same_port_degree). */
function samePortPeers(conversations: TupleIndex, endpoints: ReturnType<typeof endpointEvidence>): Uint32Array {
  const degree = new Uint32Array(endpoints.count);
  for (let c = 0; c < conversations.size; c++) {
    if ((conversations.key(c, 2) >> 8) - 1 !== conversations.key(c, 3)) continue;
    // One conversation per peer on this port; a host talking to itself counts at both ends, as in the SQL.
    degree[endpoints.loEndpoint[c]!]!++;
    degree[endpoints.hiEndpoint[c]!]!++;
  }
  return degree;
}

/** Distinct peers per host id (edges-sql.ts's host_degree). */
function hostDegrees(conversations: TupleIndex, hosts: number): Uint32Array {
  const degree = new Uint32Array(hosts);
  const pairs = new TupleIndex(Math.min(conversations.size, 1 << 16), 2);
  for (let c = 0; c < conversations.size; c++) {
    const lo = conversations.key(c, 0);
    const hi = conversations.key(c, 1);
    const before = pairs.size;
    pairs.id(lo, hi);
    if (pairs.size === before) continue;
    degree[lo >>> 0]!++;
    if (hi !== lo) degree[hi >>> 0]!++;
  }
  return degree;
}
