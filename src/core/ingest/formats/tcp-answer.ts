import { Action, type ActionCode } from '../../flow/record';
import { ACK, CWR, ECE, FIN, PSH, RST, SYN } from '../../flow/tcp-flags';

/**
 * What a TCP connection's flags say about its answer: refused (an RST
 * answered the SYN) or unanswered (nothing came back) become Action.deny,
 * so that no rule is ever built from them and scan detection counts them as
 * refused; an answer from a listener (SYN-ACK, data) becomes Action.allow;
 * anything else stays unknown. Used by the formats that carry flags per side
 * (Suricata, Argus -Z b) or per unidirectional record (NetFlow).
 */

/** ECE and CWR: an ECN-setup SYN carries both. */
const ECN = ECE | CWR;

/**
 * `client` and `server` are the flags OR-ed over each side's packets (0 when
 * that side sent none); `serverSilent` says the server is known to have sent
 * nothing at all. The client's side must show a SYN and no ACK for a refusal:
 * a client that acknowledged something was answered, even if the sensor
 * missed the answer (a one-sided capture), so that is never read as
 * "unanswered".
 */
export function actionOfTcpSides(client: number, server: number, serverSilent: boolean): ActionCode {
  if (client < 0 || server < 0) return Action.unknown;
  // A SYN-ACK: something listens on that port and accepted.
  if ((server & SYN) !== 0) return Action.allow;
  if ((client & SYN) !== 0 && (client & ACK) === 0) {
    if ((server & RST) !== 0 || serverSilent) return Action.deny;
    return Action.unknown;
  }
  // Picked up midstream: the server acknowledging or sending data answered; a lone RST says nothing.
  if ((server & ACK) !== 0 && (server & RST) === 0) return Action.allow;
  return Action.unknown;
}

/**
 * One unidirectional NetFlow/IPFIX record's cumulative flags:
 * - SYN with ACK: the handshake got its answer (a server's SYN-ACK, or the
 *   client's ACK, which only follows one): allow.
 * - RST-ACK with no SYN, FIN or data: how a host (or a firewall's tcp-reset)
 *   refuses a SYN, since an RST answering a segment without ACK carries one
 *   (RFC 9293, 3.10.7.1): deny.
 * - a bare SYN (ECN bits aside): the client never acknowledged anything, so
 *   no SYN-ACK reached it; its own later ACK would be in this record even
 *   when the answer took another path (asymmetric routing): unanswered, deny.
 *   Packet-sampled exports can catch a connection's SYN alone; those rows
 *   then count as refused for that hour and client port only.
 */
export function actionOfTcpRecord(flags: number): ActionCode {
  if (flags < 0) return Action.unknown;
  if ((flags & SYN) !== 0 && (flags & ACK) !== 0) return Action.allow;
  if ((flags & (RST | ACK)) === (RST | ACK) && (flags & (SYN | FIN | PSH)) === 0) return Action.deny;
  if ((flags & ~ECN) === SYN) return Action.deny;
  return Action.unknown;
}

/**
 * The format's own verdict (a firewall's drop, a forwarding status) and what
 * the TCP exchange says, as one action: a drop stays a drop; a connection
 * the host refused is refused even when the firewall let it through; else
 * whichever says something.
 */
export function combineActions(declared: ActionCode, observed: ActionCode): ActionCode {
  if (declared === Action.deny || observed === Action.deny) return Action.deny;
  if (declared === Action.allow || observed === Action.allow) return Action.allow;
  return Action.unknown;
}
