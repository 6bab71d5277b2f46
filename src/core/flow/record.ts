/**
 * The one normalised flow schema every format parser fills.
 *
 * Parsers reuse a single mutable instance per file and hand it to the sink
 * synchronously: at millions of rows per second, one allocation per row is the
 * difference between meeting the ingest target and not.
 */

export const Action = { unknown: 0, allow: 1, deny: 2 } as const;
export type ActionCode = (typeof Action)[keyof typeof Action];
export const ACTION_NAMES = ['unknown', 'allow', 'deny'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** What a single record says about which side opened the connection. */
export const Hint = { none: 0, srcIsClient: 1, srcIsServer: 2 } as const;
export type HintCode = (typeof Hint)[keyof typeof Hint];

/**
 * Why a flow's client and server were decided as they were. The order of the
 * explicit codes is their strength: when records of one conversation disagree,
 * the side with the strongest evidence opened it (more records break a tie
 * of equal strength). Codes are persisted (DuckDB, CSV); append only.
 */
export const DirectionReason = {
  none: 0,
  /** TCP flags: SYN without ACK from the client, or SYN-ACK from the server. */
  tcpFlags: 1,
  /** The format records the initiator (Zeek orig/resp, Suricata, Argus, Azure tuples). */
  initiator: 2,
  /** An explicit request/reply field (Hubble is_reply, a flow-direction field). */
  replyField: 3,
  /** ICMP request/reply type pairs (echo, timestamp, neighbour discovery, …). */
  icmpType: 4,
  /** The analyst pinned this server port. */
  pinnedPort: 5,
  /** Across the whole data set this endpoint listens: many peers, or an explicit server elsewhere. */
  listeningPort: 6,
  /** Well-known or registered port against an ephemeral one. */
  portRange: 7,
  /** The busier host is the server. */
  degree: 8,
  /** Nothing else told them apart: the lower port, then the lower address, is taken as the server. */
  tieBreak: 9,
  /**
   * A refused record's sender opened the connection: nothing answers a
   * packet that was dropped (AWS REJECT). The weakest explicit evidence:
   * TCP flags or a recorded initiator elsewhere in the conversation win.
   */
  refusedSender: 10,
} as const;
export type DirectionReasonCode = (typeof DirectionReason)[keyof typeof DirectionReason];
export const DIRECTION_REASON_NAMES = [
  'none',
  'tcp-flags',
  'initiator',
  'reply-field',
  'icmp-type',
  'pinned-port',
  'listening-port',
  'port-range',
  'degree',
  'tie-break',
  'refused-sender',
] as const;
export type DirectionReasonName = (typeof DIRECTION_REASON_NAMES)[number];

/** Port value meaning "this protocol has no ports" (ICMP keeps its type in dstPort). */
export const NO_PORT = -1;

export class FlowRecord {
  /** Epoch milliseconds, UTC; NaN when the format carries no time. */
  startMs = NaN;
  endMs = NaN;
  /** Canonical address text (IPv4 dotted quad, IPv6 RFC 5952). */
  src = '';
  dst = '';
  srcPort: number = NO_PORT;
  dstPort: number = NO_PORT;
  /** IANA protocol number. */
  proto = 0;
  /** Counters in the src→dst direction. */
  packets = 0;
  bytes = 0;
  /** Counters in the dst→src direction, for formats that record both (Zeek, Azure v2, Suricata, Argus). */
  revPackets = 0;
  revBytes = 0;
  action: ActionCode = Action.unknown;
  /** TCP flag bitmask as seen src→dst (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32); -1 when absent. */
  tcpFlags = -1;
  hint: HintCode = Hint.none;
  hintReason: DirectionReasonCode = DirectionReason.none;
  /**
   * Who observed the record (interface id, GCP reporter, exporter). The same
   * connection seen by two observers counts once; '' means "the file itself".
   */
  observer = '';

  reset(): void {
    this.startMs = NaN;
    this.endMs = NaN;
    this.src = '';
    this.dst = '';
    this.srcPort = NO_PORT;
    this.dstPort = NO_PORT;
    this.proto = 0;
    this.packets = 0;
    this.bytes = 0;
    this.revPackets = 0;
    this.revBytes = 0;
    this.action = Action.unknown;
    this.tcpFlags = -1;
    this.hint = Hint.none;
    this.hintReason = DirectionReason.none;
    this.observer = '';
  }

  /** Record that this record's source opened (or answered) the connection. */
  setHint(hint: HintCode, reason: DirectionReasonCode): void {
    this.hint = hint;
    this.hintReason = reason;
  }
}
