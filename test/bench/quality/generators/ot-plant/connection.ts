// One conversation as the network carried it, before any exporter saw it:
// who opened it, to what, when, what each side sent and how it ended.
// netflow.ts turns each into the records the exporters on its path emit.
import { ICMP, TCP, UDP, type Proto } from './catalogue';
import type { Host } from './plant';

/**
 * What one side sent: a steady stream (packets per second of a typical size)
 * or a total; `acksOnly` when that side only acknowledges (no PSH).
 */
export type Volume = ({ readonly pps: number; readonly size: number } | { readonly packets: number; readonly bytes: number }) & { readonly acksOnly?: boolean };

export interface Conn {
  readonly client: Host;
  /** Null for a broadcast (NetBIOS): nobody in particular serves it. */
  readonly server: Host | null;
  readonly serverIp: string;
  readonly proto: Proto;
  readonly clientPort: number;
  /** For ICMP, the request's type × 256 + code, as nfdump prints it in dp. */
  readonly serverPort: number;
  readonly startMs: number;
  readonly endMs: number;
  /** How the conversation ended (TCP): closed, reset, or still open when the capture stopped (or idle, for UDP). */
  readonly close: 'fin' | 'rst' | 'open';
  /** What came back: an answer, a reset (refused), or nothing. */
  readonly answer: 'yes' | 'rst' | 'none';
  readonly up: Volume;
  /** The server's side; null when nothing comes back by design (syslog, NetFlow export, broadcasts). */
  readonly down: Volume | null;
  /** ToS byte of the client's packets and of the server's (CIP devices mark theirs; Windows does not). */
  readonly tos: number;
  readonly replyTos: number;
  /** Flags of the client's side when they are not the usual ones (scans). */
  readonly upFlags?: number;
  readonly downFlags?: number;
}

export const FIN = 1;
export const SYN = 2;
export const RST = 4;
export const PSH = 8;
export const ACK = 16;

/** nfdump's flag string (≤ 1.7.4): CWR ECE URG ACK PSH RST SYN FIN, a dot for each flag not set. */
export function flagString(flags: number): string {
  const letters = 'CEUAPRSF';
  let out = '';
  for (let bit = 7; bit >= 0; bit--) out += flags & (1 << bit) ? letters[7 - bit] : '.';
  return out;
}

/** The port an edge is keyed on: the server port, or the ICMP request's type. */
export function edgePort(conn: Pick<Conn, 'proto' | 'serverPort'>): number {
  return conn.proto === ICMP ? conn.serverPort >> 8 : conn.serverPort;
}

export function edgeKey(client: string, server: string, proto: Proto, port: number): string {
  return `${client}|${server}|${proto}|${port}`;
}

/** IP-level overhead per packet: IPv4 + TCP (no options on these stacks) or UDP. */
export function headerBytes(proto: Proto): number {
  return proto === TCP ? 40 : proto === UDP ? 28 : 28;
}
