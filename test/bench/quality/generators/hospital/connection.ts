// One conversation as it happened on the wire (before the sensor's view of
// it): who opened it to whom, when, how much each side said and how it
// ended. eve.ts turns it into what Suricata logs.
import { US_PER_SECOND } from './clock';
import type { Device } from './estate';
import type { Rand } from './random';
import { TCP, type Service } from './services';

/**
 * How it ended: `closed` FIN both ways, `reset` torn down with an RST after
 * the exchange, `refused` SYN answered by RST, `unanswered` SYN(s) nobody
 * answered (or a UDP datagram with no reply), `open` still up when the
 * capture stopped.
 */
export type Outcome = 'closed' | 'reset' | 'refused' | 'unanswered' | 'open';

export interface Alert {
  readonly sid: number;
  readonly rev: number;
  readonly signature: string;
  readonly category: string;
  readonly severity: number;
}

export interface Connection {
  readonly client: Device;
  readonly server: Device;
  readonly clientIp: string;
  readonly serverIp: string;
  readonly service: Service;
  readonly clientPort: number;
  /** The server port (for ICMP the request type). */
  readonly port: number;
  readonly startUs: number;
  /** The last packet. */
  readonly endUs: number;
  /** Payload bytes each way. */
  readonly up: number;
  readonly down: number;
  readonly outcome: Outcome;
  /** Picked up mid-stream when the sensor started: no handshake seen, and the first packet seen may be the server's. */
  readonly midstream: boolean;
  readonly firstFromServer: boolean;
  /** Part of the truth's legitimate uses (false for planted attacks and for misconfigurations nobody answers). */
  readonly legit: boolean;
  /** Remote administration from an admin host (the truth's adminEdges). */
  readonly admin: boolean;
  readonly alert: Alert | null;
  /** Protocol the proxy tunnelled (CONNECT then TLS): Suricata 7 logs app_proto tls with app_proto_orig http. */
  readonly tunnelled: boolean;
}

export interface ConnectOptions {
  readonly up?: number;
  readonly down?: number;
  readonly seconds?: number;
  readonly outcome?: Outcome;
  readonly clientPort?: number;
  readonly port?: number;
  readonly legit?: boolean;
  readonly admin?: boolean;
  readonly alert?: Alert | null;
  readonly tunnelled?: boolean;
  readonly midstream?: boolean;
  readonly firstFromServer?: boolean;
}

/** A connection of `service` from `client` to `server` starting at `startUs`, sized around the service's typical figures. */
export function connect(rand: Rand, service: Service, client: Device, clientIp: string, server: Device, serverIp: string, startUs: number, options: ConnectOptions = {}): Connection {
  const outcome = options.outcome ?? (service.proto === TCP ? endingOf(rand, service.ending) : 'closed');
  const failed = outcome === 'refused' || outcome === 'unanswered';
  const seconds = failed ? (outcome === 'unanswered' && service.proto === TCP ? rand.pick([0, 3, 9, 21]) : rand.real(0, 0.002)) : (options.seconds ?? rand.around(service.seconds, 0.7));
  // Sizes given by the caller are taken as they are (a scanner's accepted-then-reset probe carries no payload).
  const up = failed ? 0 : options.up !== undefined ? Math.round(options.up) : Math.max(service.proto === TCP ? 1 : 20, Math.round(rand.around(service.up, 0.6)));
  const down = failed ? 0 : options.down !== undefined ? Math.round(options.down) : Math.max(0, Math.round(rand.around(service.down, 0.6)));
  return {
    client,
    server,
    clientIp,
    serverIp,
    service,
    clientPort: options.clientPort ?? service.clientPort ?? rand.ephemeral(client.windows),
    port: options.port ?? service.port,
    startUs,
    endUs: startUs + Math.round(seconds * US_PER_SECOND),
    up,
    down,
    outcome,
    midstream: options.midstream ?? false,
    firstFromServer: options.firstFromServer ?? false,
    legit: options.legit ?? true,
    admin: options.admin ?? false,
    alert: options.alert ?? null,
    tunnelled: options.tunnelled ?? false,
  };
}

function endingOf(rand: Rand, ending: Service['ending']): Outcome {
  if (ending === 'fin') return rand.chance(0.93) ? 'closed' : 'reset';
  if (ending === 'rst') return rand.chance(0.8) ? 'reset' : 'closed';
  return rand.chance(0.55) ? 'closed' : 'reset';
}

/** The truth's key of a legitimate use: client|server|proto|port. */
export function edgeKey(conn: Connection): string {
  return `${conn.clientIp}|${conn.serverIp}|${conn.service.proto}|${conn.port}`;
}
