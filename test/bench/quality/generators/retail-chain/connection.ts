// One conversation as it happened on the wire, before any exporter's view of
// it: who opened it to whom, on which ports, from when to when, how much each
// side sent and how it ended. flow-writer.ts turns it into the NetFlow
// records each exporter on its path would have sent.
import type { Endpoint, Host } from './estate';
import type { Random } from './random';
import type { Service } from './services';

/**
 * How it ended: `closed` FIN both ways; `reset` torn down by an RST after
 * the exchange; `refused` SYN answered by RST-ACK; `unanswered` SYN (or a
 * UDP datagram) nobody answered; `open` still up when the capture ends.
 * UDP exchanges that got an answer are `closed`.
 */
export type Outcome = 'closed' | 'reset' | 'refused' | 'unanswered' | 'open';

export interface Connection {
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly service: Service;
  readonly clientPort: number;
  /** The server's port (for ICMP, type × 256 + code as NetFlow v9 carries it). */
  readonly serverPort: number;
  readonly start: number;
  /** Its last packet. */
  readonly end: number;
  /** Payload bytes each way. */
  readonly up: number;
  readonly down: number;
  readonly outcome: Outcome;
  /** A nmap-style half-open probe: the client answers the SYN-ACK with an RST. */
  readonly halfOpen: boolean;
  readonly legit: boolean;
  readonly admin: boolean;
  /** What produced it, for the tests (e.g. "month-end", "stock-count", "attack:scan"). */
  readonly tag: string;
}

/** `${client}|${server}|${proto}|${port}`, the truth's edge key. */
export function edgeKey(conn: Connection): string {
  return `${conn.client.ip}|${conn.server.ip}|${conn.service.proto}|${conn.serverPort}`;
}

/** An ephemeral port as the client's stack hands them out: Windows from 49152, Linux from 32768, appliances anywhere above 1024. */
export function ephemeralPort(rand: Random, client: Endpoint): number {
  if (client.external) return rand.int(1024, 65535);
  const os = (client as Host).os;
  if (os === 'windows') return rand.int(49152, 65535);
  if (os === 'linux') return rand.int(32768, 60999);
  return rand.int(1025, 65000);
}
