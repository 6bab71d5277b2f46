// What the analyst receives: the output of pmacct's nfacctd print plugin,
// collecting NetFlow v9 from every shop router and from the data-centre
// core. The collector's configuration, as such a collector is set up:
//
//   nfacctd_port: 2055
//   plugins: print[flows]
//   aggregate[flows]: peer_src_ip, src_host, dst_host, src_port, dst_port, proto, tcpflags, timestamp_start, timestamp_end
//   print_output[flows]: json
//   print_refresh_time[flows]: 60
//   print_output_file[flows]: /var/spool/pmacct/nfacctd-%Y%m%d.json
//   print_output_file_append[flows]: true
//
// so every NetFlow record becomes one JSON line (the timestamps in the key
// keep records apart), with pmacct's key names and order (event_type first,
// then peer_ip_src, ip_src, ip_dst, port_src, port_dst, tcp_flags as a
// decimal string, ip_proto by name, timestamp_start, timestamp_end, packets,
// bytes), jansson's ", " and ": " separators. The cache is purged every 60 s
// into the file named after the purge's UTC date, in the cache's hash order,
// so lines are grouped by minute of export, not sorted by start.
//
// What the exporters do (ip flow ingress on every interface, cache timeout
// active 3600 s and inactive 60 s on the routers and the core alike):
// - each direction of a conversation is its own record (NetFlow v9 is
//   unidirectional), once per exporter it crosses (network.ts);
// - a conversation longer than the active timeout is cut into hour-long
//   pieces, at each exporter where its own cache entry began: only the
//   first carries the SYN, only the last the FIN; those already running
//   when the capture starts show up without a SYN;
// - a record leaves the exporter a moment after a FIN or RST, 60 s after
//   the last packet otherwise (UDP, unanswered SYNs, connections that just
//   stop); timestamps have the exporters' millisecond grain and their clock
//   error;
// - at a shop's broadband line the return direction is recorded on the
//   outside interface, before translation: its destination is the shop's
//   public address and the translated port;
// - a router records what enters its interfaces, so its own syslog and NTP
//   requests are seen only by the core, while the NTP replies addressed to
//   it are recorded by both.
//
// One-way variant (oneWay): only the initiator → responder records, at
// every exporter on the path. That is what the analyst gets when the export
// was cut down to the requests' direction to halve it (a collector-side
// filter that knows each flow's initiator; pmacct's aggregate_filter on
// ports would only approximate it, this variant is the exact cut): the
// replies, the RST-ACKs of refused connections and the broadband line's
// translated return records are all absent; the duplicates across exporters
// are not.
import { CAPTURE_END, CAPTURE_START, fileDate, MINUTE, pmacctTime, SECOND } from './clock';
import type { Connection } from './connection';
import type { Estate, Host } from './estate';
import { pathOf, type Hop } from './network';
import type { Random } from './random';
import { ICMP, TCP, UDP } from './services';

const FIN = 1;
const SYN = 2;
const RST = 4;
const PSH = 8;
const ACK = 16;

const REFRESH = 60 * SECOND;
const PURGES = Math.ceil((CAPTURE_END - CAPTURE_START) / REFRESH);
const PROTO_NAMES = ['tcp', 'udp', 'icmp'];

/** One direction's counters over the whole conversation. */
interface Direction {
  readonly packets: number;
  readonly bytes: number;
  /** Flags of its first, middle and last pieces' records. */
  readonly firstFlags: number;
  readonly middleFlags: number;
  readonly lastFlags: number;
  /** First and last packet, as sent by its source. */
  readonly first: number;
  readonly last: number;
  /** Exported by the FIN/RST shortcut (else after the inactive timeout). */
  readonly closes: boolean;
}

export interface FlowFiles {
  readonly files: { name: string; content: Uint8Array }[];
  /** Connections with at least one record in the files. */
  readonly written: Connection[];
  /** Those among them whose client and server both show in some record (a request, or a reply not translated at a broadband line). */
  readonly endToEnd: ReadonlySet<Connection>;
  readonly records: number;
  /** Records per connection tag (what the volume is made of). */
  readonly recordsByTag: ReadonlyMap<string, number>;
}

/**
 * The records, column by column until the files are written: half a
 * million JSON strings held at once cost more in garbage collection than
 * formatting them does.
 */
class RecordColumns {
  length = 0;
  private capacity = 1 << 16;
  ints = new Int32Array(this.capacity * 8);
  times = new Float64Array(this.capacity * 2);
  counts = new Float64Array(this.capacity * 2);

  push(purge: number, exporter: number, src: number, dst: number, srcPort: number, dstPort: number, flags: number, proto: number, start: number, end: number, packets: number, bytes: number): void {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    const ints = this.ints;
    ints[i * 8] = purge;
    ints[i * 8 + 1] = exporter;
    ints[i * 8 + 2] = src;
    ints[i * 8 + 3] = dst;
    ints[i * 8 + 4] = srcPort;
    ints[i * 8 + 5] = dstPort;
    ints[i * 8 + 6] = flags;
    ints[i * 8 + 7] = proto;
    this.times[i * 2] = start;
    this.times[i * 2 + 1] = end;
    this.counts[i * 2] = packets;
    this.counts[i * 2 + 1] = bytes;
  }

  private grow(): void {
    this.capacity *= 2;
    const ints = new Int32Array(this.capacity * 8);
    ints.set(this.ints);
    this.ints = ints;
    const times = new Float64Array(this.capacity * 2);
    times.set(this.times);
    this.times = times;
    const counts = new Float64Array(this.capacity * 2);
    counts.set(this.counts);
    this.counts = counts;
  }
}

export class FlowWriter {
  private readonly columns = new RecordColumns();
  private readonly addresses: string[] = [];
  private readonly addressIndex = new Map<string, number>();
  private readonly written: Connection[] = [];
  private readonly endToEnd = new Set<Connection>();
  private readonly byTag = new Map<string, number>();

  constructor(
    private readonly estate: Estate,
    private readonly rand: Random,
    private readonly oneWay: boolean,
  ) {}

  add(conn: Connection): void {
    const hops = pathOf(this.estate, conn.client, conn.server);
    let any = false;
    let both = false;
    const headers = headerBytes(conn);
    const forward = this.forward(conn, headers);
    const reverse = this.oneWay ? null : this.reverse(conn, headers);
    for (const hop of hops) {
      // A router records what enters its interfaces, not what it originates itself (its syslog, its NTP requests).
      if (hop.exporter.ip !== conn.client.ip && this.emit(conn, hop, forward, true)) any = both = true;
      if (reverse !== null && hop.exporter.ip !== conn.server.ip && this.emit(conn, hop, reverse, false)) {
        any = true;
        if (hop.natAddress === null) both = true;
      }
    }
    if (any) this.written.push(conn);
    if (both) this.endToEnd.add(conn);
  }

  finish(): FlowFiles {
    const { columns, addresses } = this;
    const ints = columns.ints;
    // Counting sort by purge; within one purge the print plugin walks its cache in hash order, so the records come in no particular order.
    const starts = new Int32Array(PURGES + 1);
    for (let i = 0; i < columns.length; i++) starts[ints[i * 8]! + 1]!++;
    for (let p = 0; p < PURGES; p++) starts[p + 1]! += starts[p]!;
    const order = new Int32Array(columns.length);
    const next = starts.slice();
    for (let i = 0; i < columns.length; i++) order[next[ints[i * 8]!]!++] = i;
    for (let p = 0; p < PURGES; p++) {
      for (let i = starts[p + 1]! - 1; i > starts[p]!; i--) {
        const j = starts[p]! + Math.floor(this.rand.float() * (i - starts[p]! + 1));
        const held = order[i]!;
        order[i] = order[j]!;
        order[j] = held;
      }
    }
    const files: { name: string; content: Uint8Array }[] = [];
    let buffer = Buffer.allocUnsafe(1 << 24);
    let used = 0;
    let day = '';
    const flush = (): void => {
      if (used > 0) files.push({ name: `nfacctd-${day}.json`, content: new Uint8Array(buffer.subarray(0, used)) });
      used = 0;
    };
    for (let p = 0; p < PURGES; p++) {
      if (starts[p] === starts[p + 1]) continue;
      const purgeDay = fileDate(CAPTURE_START + p * REFRESH);
      if (purgeDay !== day) {
        flush();
        day = purgeDay;
      }
      for (let k = starts[p]!; k < starts[p + 1]!; k++) {
        const i = order[k]!;
        const o = i * 8;
        const line =
          `{"event_type": "purge", "peer_ip_src": "${addresses[ints[o + 1]!]}", "ip_src": "${addresses[ints[o + 2]!]}", "ip_dst": "${addresses[ints[o + 3]!]}", "port_src": ${ints[o + 4]}, "port_dst": ${ints[o + 5]}, ` +
          `"tcp_flags": "${ints[o + 6]}", "ip_proto": "${PROTO_NAMES[ints[o + 7]!]}", "timestamp_start": "${pmacctTime(columns.times[i * 2]!)}", "timestamp_end": "${pmacctTime(columns.times[i * 2 + 1]!)}", ` +
          `"packets": ${columns.counts[i * 2]}, "bytes": ${columns.counts[i * 2 + 1]}}\n`;
        if (used + line.length * 3 > buffer.length) {
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, used);
          buffer = bigger;
        }
        used += buffer.write(line, used, 'utf8');
      }
    }
    flush();
    return { files, written: this.written, endToEnd: this.endToEnd, records: columns.length, recordsByTag: this.byTag };
  }

  private address(ip: string): number {
    let index = this.addressIndex.get(ip);
    if (index === undefined) {
      index = this.addresses.length;
      this.addresses.push(ip);
      this.addressIndex.set(ip, index);
    }
    return index;
  }

  private forward(conn: Connection, header: number): Direction {
    const { service, start, end, outcome } = conn;
    if (service.proto === TCP) {
      if (outcome === 'refused' || outcome === 'unanswered') {
        const windows = !conn.client.external && (conn.client as Host).os === 'windows';
        // Windows tries a refused or silent connection three times; Linux gives up on a refusal at once.
        const packets = outcome === 'refused' ? (windows ? 3 : 1) : this.rand.int(2, 3);
        const synBytes = windows ? 52 : 60;
        return { packets, bytes: packets * synBytes, firstFlags: SYN, middleFlags: SYN, lastFlags: SYN, first: start, last: packets === 1 ? start : Math.max(start, end), closes: false };
      }
      if (conn.halfOpen) return { packets: 2, bytes: 104, firstFlags: SYN | RST, middleFlags: SYN | RST, lastFlags: SYN | RST, first: start, last: end, closes: true };
      const data = dataPackets(conn.up);
      const acks = Math.ceil(dataPackets(conn.down) / 2);
      const teardown = outcome === 'reset' ? RST : outcome === 'closed' ? FIN : 0;
      const packets = 2 + data + acks + (teardown === 0 ? 0 : 1);
      return {
        packets,
        bytes: conn.up + packets * header + 12,
        firstFlags: SYN | ACK | (conn.up > 0 ? PSH : 0),
        middleFlags: ACK | PSH,
        lastFlags: ACK | PSH | teardown,
        first: start,
        last: end,
        closes: teardown !== 0,
      };
    }
    if (service.proto === ICMP) return { packets: 1, bytes: 60, firstFlags: 0, middleFlags: 0, lastFlags: 0, first: start, last: start, closes: false };
    const packets = Math.max(1, Math.ceil(conn.up / 1200));
    return { packets, bytes: conn.up + 28 * packets, firstFlags: 0, middleFlags: 0, lastFlags: 0, first: start, last: packets === 1 ? start : Math.max(start, end - 2), closes: false };
  }

  private reverse(conn: Connection, header: number): Direction | null {
    const { service, start, end, outcome } = conn;
    if (outcome === 'unanswered') return null;
    if (service.proto === TCP) {
      if (outcome === 'refused') {
        const windows = !conn.client.external && (conn.client as Host).os === 'windows';
        const packets = windows ? 3 : 1;
        return { packets, bytes: packets * 40, firstFlags: RST | ACK, middleFlags: RST | ACK, lastFlags: RST | ACK, first: start, last: packets === 1 ? start : Math.max(start, end), closes: true };
      }
      if (conn.halfOpen) return { packets: 1, bytes: 44, firstFlags: SYN | ACK, middleFlags: SYN | ACK, lastFlags: SYN | ACK, first: start, last: start, closes: false };
      const data = dataPackets(conn.down);
      const acks = Math.ceil(dataPackets(conn.up) / 2);
      const fin = outcome === 'closed' ? FIN : 0;
      const packets = 1 + data + acks + (fin === 0 ? 0 : 1);
      return {
        packets,
        bytes: conn.down + packets * header + 12,
        firstFlags: SYN | ACK | (conn.down > 0 ? PSH : 0),
        middleFlags: ACK | PSH,
        lastFlags: ACK | PSH | fin,
        first: start,
        last: end,
        closes: fin !== 0 || outcome === 'reset',
      };
    }
    if (service.proto === ICMP) return { packets: 1, bytes: 60, firstFlags: 0, middleFlags: 0, lastFlags: 0, first: start, last: start, closes: false };
    if (conn.down <= 0) return null;
    const packets = Math.max(1, Math.ceil(conn.down / 1200));
    return { packets, bytes: conn.down + 28 * packets, firstFlags: 0, middleFlags: 0, lastFlags: 0, first: start, last: packets === 1 ? start : end, closes: false };
  }

  /** The records one exporter sends for one direction; true when any falls inside the capture. */
  private emit(conn: Connection, hop: Hop, dir: Direction, isForward: boolean): boolean {
    const exporter = hop.exporter;
    const rand = this.rand;
    // When this direction's packets pass this exporter: the forward ones after the client's delay, replies after the round trip to the server.
    const delay = isForward ? hop.fromClient : hop.fromClient + 2 * hop.fromServer;
    const first = dir.first + delay + exporter.skewMs;
    const last = Math.max(first, dir.last + (isForward ? hop.fromClient : hop.fromServer) + exporter.skewMs);
    const span = last - first;
    const active = exporter.activeMs;
    const pieces = Math.max(1, Math.ceil(span / active));
    // Pieces entirely exported before the capture are skipped without drawing them.
    const firstPiece = Math.max(0, Math.floor((CAPTURE_START - 10 * MINUTE - first) / active));
    let any = false;
    const { srcIp, dstIp, srcPort, dstPort } = this.endpoints(conn, hop, isForward);
    const exporterIndex = this.address(exporter.ip);
    const src = this.address(srcIp);
    const dst = this.address(dstIp);
    const proto = conn.service.proto === TCP ? 0 : conn.service.proto === UDP ? 1 : 2;
    for (let k = firstPiece; k < pieces; k++) {
      const pieceStart = k === 0 ? first : first + k * active + rand.int(5, 1500);
      if (pieceStart >= CAPTURE_END) break;
      const pieceEnd = k === pieces - 1 ? last : Math.max(pieceStart, first + (k + 1) * active - rand.int(1, 900));
      const share = pieces === 1 ? 1 : Math.min(1, Math.max(0, (pieceEnd - pieceStart) / Math.max(1, span)));
      const packets = pieces === 1 ? dir.packets : Math.max(1, Math.round(dir.packets * share * rand.real(0.85, 1.15)));
      const bytes = pieces === 1 ? dir.bytes : Math.max(packets * 40, Math.round(dir.bytes * share * rand.real(0.85, 1.15)));
      const flags = pieces === 1 ? dir.firstFlags | dir.lastFlags : k === 0 ? dir.firstFlags : k === pieces - 1 ? dir.lastFlags : dir.middleFlags;
      const exported = k < pieces - 1 ? first + (k + 1) * active + rand.int(0, 2000) : dir.closes ? pieceEnd + rand.int(300, 3000) : pieceEnd + exporter.inactiveMs + rand.int(0, 4000);
      const purge = Math.ceil((exported + 1) / REFRESH) * REFRESH;
      if (purge < CAPTURE_START) continue;
      if (purge >= CAPTURE_END) break;
      this.columns.push((purge - CAPTURE_START) / REFRESH, exporterIndex, src, dst, srcPort, dstPort, proto === 0 ? flags : 0, proto, pieceStart, pieceEnd, packets, bytes);
      this.byTag.set(conn.tag, (this.byTag.get(conn.tag) ?? 0) + 1);
      any = true;
    }
    return any;
  }

  private readonly natPorts = new Map<Connection, number>();

  private endpoints(conn: Connection, hop: Hop, isForward: boolean): { srcIp: string; dstIp: string; srcPort: number; dstPort: number } {
    const icmp = conn.service.proto === ICMP;
    if (isForward) return { srcIp: conn.client.ip, dstIp: conn.server.ip, srcPort: icmp ? 0 : conn.clientPort, dstPort: conn.serverPort };
    if (icmp) return { srcIp: conn.server.ip, dstIp: conn.client.ip, srcPort: 0, dstPort: 0 };
    if (hop.natAddress !== null) {
      let port = this.natPorts.get(conn);
      if (port === undefined) this.natPorts.set(conn, (port = this.rand.int(1024, 65535)));
      return { srcIp: conn.server.ip, dstIp: hop.natAddress, srcPort: conn.serverPort, dstPort: port };
    }
    return { srcIp: conn.server.ip, dstIp: conn.client.ip, srcPort: conn.serverPort, dstPort: conn.clientPort };
  }
}

/** Packets needed to carry `bytes` of payload: full segments for bulk, small ones for chatter. */
function dataPackets(bytes: number): number {
  if (bytes <= 0) return 0;
  const segment = bytes >= 20_000 ? 1380 : Math.max(90, Math.min(bytes, 650));
  return Math.ceil(bytes / segment);
}

/** IP plus TCP header bytes per packet: with timestamps (Linux to Linux) 52, without (anything Windows) 40. */
function headerBytes(conn: Connection): number {
  const windows = (end: Connection['client']): boolean => !end.external && (end as Host).os === 'windows';
  return windows(conn.client) || windows(conn.server) ? 40 : 52;
}
