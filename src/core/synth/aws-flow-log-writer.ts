import type { Connection } from './traffic';
import type { ServiceUse, SynthHost } from './enterprise';

/**
 * Renders connections as AWS VPC flow log records (default v2 format) as AWS
 * captures them with a flow log on every interface: each connection is seen
 * by the client's and the server's interface, each with a request record and
 * a response record, cut into 10-minute aggregation windows. A connection
 * refused by the server's security group leaves an ACCEPT at the client and a
 * REJECT at the server, and no response.
 */
export const AWS_V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
export const AGGREGATION_WINDOW_MS = 600_000;
const ACCOUNT = '123456789012';

export function awsRecordLines(connection: Connection, out: string[]): void {
  const { client, server } = connection;
  const endMs = connection.startMs + connection.durationMs;
  const firstWindow = Math.floor(connection.startMs / AGGREGATION_WINDOW_MS);
  const lastWindow = Math.floor(endMs / AGGREGATION_WINDOW_MS);
  const windows = lastWindow - firstWindow + 1;
  for (let w = firstWindow; w <= lastWindow; w++) {
    const from = Math.max(connection.startMs, w * AGGREGATION_WINDOW_MS);
    const to = Math.min(endMs, (w + 1) * AGGREGATION_WINDOW_MS - 1);
    const start = Math.floor(from / 1000);
    const end = Math.floor(to / 1000);
    const share = (value: number): number => {
      const base = Math.floor(value / windows);
      return w === lastWindow ? value - base * (windows - 1) : base;
    };
    const packets = Math.max(1, share(connection.packets));
    const bytes = Math.max(40, share(connection.bytes));
    const replyPackets = share(connection.replyPackets);
    const replyBytes = share(connection.replyBytes);
    for (const observer of [client, server]) {
      if (observer.eni === null) continue;
      const action = connection.denied && observer === server ? 'REJECT' : 'ACCEPT';
      out.push(line(observer.eni, client.ip, server.ip, connection.sport, connection.dport, connection.proto, packets, bytes, start, end, action));
      if (!connection.denied && replyPackets > 0) {
        out.push(line(observer.eni, server.ip, client.ip, connection.dport, connection.sport, connection.proto, replyPackets, replyBytes, start, end, 'ACCEPT'));
      }
    }
  }
}

function line(eni: string, src: string, dst: string, sport: number, dport: number, proto: number, packets: number, bytes: number, start: number, end: number, action: string): string {
  return `2 ${ACCOUNT} ${eni} ${src} ${dst} ${sport} ${dport} ${proto} ${packets} ${bytes} ${start} ${end} ${action} OK`;
}

/** Records one connection of this use makes (short connections fit one window). */
export function awsRecordsPerConnection(use: ServiceUse, server: SynthHost): number {
  const observers = (use.client.eni === null ? 0 : 1) + (server.eni === null ? 0 : 1);
  if (use.denied) return observers;
  const windows = use.persistent ? 6 : 1;
  const directions = use.responseBytes > 0 ? 2 : 1;
  return observers * directions * windows;
}
