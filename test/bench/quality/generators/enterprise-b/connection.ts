// One TCP or UDP conversation as the NSGs would see it: who opened it, when,
// for how long, how much went each way, and whether the server's NSG let it
// through. The writer turns it into B/C/E flow tuples.

export type Proto = 6 | 17;

export interface Connection {
  /** Whole seconds since the epoch, in ms. */
  readonly startMs: number;
  readonly durationS: number;
  readonly client: string;
  readonly clientPort: number;
  readonly server: string;
  readonly port: number;
  readonly proto: Proto;
  readonly pktsOut: number;
  readonly bytesOut: number;
  readonly pktsBack: number;
  readonly bytesBack: number;
  /** A: allowed; D: denied by the server's NSG (the client's NSG still saw it leave). */
  readonly decision: 'A' | 'D';
}

/** The edge a connection belongs to, in the truth's spelling. */
export const edgeKeyOf = (c: Pick<Connection, 'client' | 'server' | 'proto' | 'port'>): string => `${c.client}|${c.server}|${c.proto}|${c.port}`;

/** Ephemeral source ports: Windows uses 49152–65535, Linux 32768–60999, the internet anything high. */
export function ephemeralPort(os: 'windows' | 'linux' | 'internet', draw: (lo: number, hi: number) => number): number {
  if (os === 'windows') return draw(49_152, 65_535);
  if (os === 'linux') return draw(32_768, 60_999);
  return draw(1_024, 65_535);
}
