import { DirectionReason, Hint, NO_PORT, type FlowRecord } from './record';
import { PROTO_ICMP6, isIcmp } from './protocols';
import { ACK, CWR, ECE, FIN, PSH, RST, SYN, URG } from './tcp-flags';


/**
 * Flags of a single packet, or AWS VPC flow logs' tcp-flags (AWS records only
 * FIN, SYN, RST and SYN-ACK, so an ACK bit always means SYN-ACK there).
 */
export function applyPacketFlagsHint(record: FlowRecord, flags: number): void {
  if (flags < 0 || (flags & SYN) === 0) return;
  record.setHint((flags & ACK) === 0 ? Hint.srcIsClient : Hint.srcIsServer, DirectionReason.tcpFlags);
}

/**
 * A record the network refused (AWS REJECT): its sender opened the
 * connection, since nothing answers a dropped packet. Not when it goes
 * from a well-known port to an ephemeral one: that is a server's response
 * that a stateless ACL dropped on the way back. Only when nothing stronger
 * (TCP flags) already decided the record.
 */
export function applyRefusedSenderHint(record: FlowRecord): void {
  // Ports only: ICMP's direction comes from its types.
  if (record.hint !== Hint.none || record.srcPort < 0 || record.dstPort < 0) return;
  const response = record.srcPort > 0 && record.srcPort < 1024 && record.dstPort >= 1024;
  if (!response) record.setHint(Hint.srcIsClient, DirectionReason.refusedSender);
}

/**
 * Flags OR-ed over a unidirectional NetFlow/IPFIX record. The client's record
 * also carries ACK (every packet after the first), so only a bare SYN proves
 * who opened the connection; SYN+ACK is ambiguous there.
 */
export function applyCumulativeFlagsHint(record: FlowRecord, flags: number): void {
  if (flags < 0 || (flags & SYN) === 0 || (flags & ACK) !== 0) return;
  record.setHint(Hint.srcIsClient, DirectionReason.tcpFlags);
}

/** Parses flag letters as written by nfdump ("...AP.SF", ".A..S.") or Argus/Zeek-like strings. */
export function flagsFromLetters(text: string): number {
  let flags = 0;
  for (let i = 0; i < text.length; i++) {
    switch (text.charCodeAt(i)) {
      case 70: // F
        flags |= FIN;
        break;
      case 83: // S
        flags |= SYN;
        break;
      case 82: // R
        flags |= RST;
        break;
      case 80: // P
        flags |= PSH;
        break;
      case 65: // A
        flags |= ACK;
        break;
      case 85: // U
        flags |= URG;
        break;
      case 69: // E
        flags |= ECE;
        break;
      case 67: // C
        flags |= CWR;
        break;
      default:
        break;
    }
  }
  return flags;
}

/** ICMP request types and the reply that answers each (IPv4 and IPv6). */
const ICMP4_REPLY_TO_REQUEST = new Map([
  [0, 8], // echo reply → echo request
  [14, 13], // timestamp
  [16, 15], // information
  [18, 17], // address mask
  [9, 10], // router advertisement → solicitation
]);
const ICMP4_REQUESTS = new Set([8, 13, 15, 17, 10]);
const ICMP6_REPLY_TO_REQUEST = new Map([
  [129, 128], // echo
  [134, 133], // router advertisement → solicitation
  [136, 135], // neighbour advertisement → solicitation
  [131, 130], // MLD report → query
  [140, 139], // node information reply → query (RFC 4620)
  [142, 141], // inverse neighbour discovery advertisement → solicitation (RFC 3122)
]);
const ICMP6_REQUESTS = new Set([128, 133, 135, 130, 139, 141]);

/**
 * Normalises an ICMP record: the service is the request type (an echo reply
 * belongs to the echo service), carried as the port of the side that answers,
 * so that request and reply records fold into one conversation. Errors
 * (unreachable, time exceeded, …) carry their type on the destination side
 * with no direction hint.
 */
export function applyIcmpType(record: FlowRecord, type: number): void {
  if (!isIcmp(record.proto)) return;
  const v6 = record.proto === PROTO_ICMP6;
  const requests = v6 ? ICMP6_REQUESTS : ICMP4_REQUESTS;
  const replies = v6 ? ICMP6_REPLY_TO_REQUEST : ICMP4_REPLY_TO_REQUEST;
  const request = replies.get(type);
  if (request !== undefined) {
    record.srcPort = request;
    record.dstPort = NO_PORT;
    record.setHint(Hint.srcIsServer, DirectionReason.icmpType);
    return;
  }
  record.srcPort = NO_PORT;
  record.dstPort = type;
  if (requests.has(type)) record.setHint(Hint.srcIsClient, DirectionReason.icmpType);
}
