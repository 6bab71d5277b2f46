// The list of everything that happens on the plant's network, and the
// ground truth's list of legitimate uses, kept in one place so that no
// legitimate connection can be added without its use being declared. The
// builders here are the shapes traffic takes: a short exchange, a
// long-lived session that lasts for days (and reconnects now and then), a
// steady UDP stream, arrivals over the day.
import { HOUR, MINUTE, SECOND, type Calendar } from './calendar';
import { TCP, UDP, type Proto } from './catalogue';
import { edgeKey, edgePort, type Conn, type Volume } from './connection';
import type { Host, Plant } from './plant';
import type { Dice } from './random';

export interface ExchangeSpec {
  readonly client: Host;
  readonly server: Host;
  readonly proto: Proto;
  readonly port: number;
  readonly at: number;
  readonly durationMs: number;
  /** Packets and bytes of each side. */
  readonly up: readonly [number, number];
  readonly down: readonly [number, number] | null;
  readonly clientPort?: number;
  readonly tos?: number;
  readonly replyTos?: number;
  readonly close?: Conn['close'];
  readonly answer?: Conn['answer'];
}

export interface SessionSpec {
  readonly client: Host;
  readonly server: Host;
  readonly proto: Proto;
  readonly port: number;
  readonly up: { readonly pps: number; readonly size: number };
  readonly down: { readonly pps: number; readonly size: number } | null;
  /** Mean time between unplanned reconnects (communication loss, a device reset). */
  readonly meanLifeMs: number;
  /** Planned restarts (the client's application restarted): the session closes and a new one opens. */
  readonly restarts?: readonly number[];
  /** A fixed client port (UDP streams from a bound socket); otherwise a new ephemeral port per session. */
  readonly clientPort?: number;
  readonly tos?: number;
  readonly replyTos?: number;
  /** Opened at this time rather than long before the capture. */
  readonly from?: number;
  readonly admin?: boolean;
}

export class Planner {
  readonly conns: Conn[] = [];
  readonly legitimate = new Set<string>();
  readonly admin = new Set<string>();

  constructor(
    readonly plant: Plant,
    readonly cal: Calendar,
  ) {}

  /** Declare a legitimate use (client → server, protocol, port). */
  allow(client: Host, server: Host, proto: Proto, port: number, admin = false): void {
    const key = edgeKey(client.ip, server.ip, proto, port);
    this.legitimate.add(key);
    if (admin) this.admin.add(key);
  }

  /** A connection of a legitimate use, declared with it. */
  add(conn: Conn, admin = false): void {
    if (conn.server !== null) this.allow(conn.client, conn.server, conn.proto, edgePort(conn), admin);
    this.conns.push(conn);
  }

  /** A connection that is no use of a service (broadcasts) or is not legitimate (planted attacks). */
  addUnlisted(conn: Conn): void {
    this.conns.push(conn);
  }

  ephemeral(host: Host, dice: Dice): number {
    return dice.between(host.clientPorts[0], host.clientPorts[1]);
  }

  exchange(dice: Dice, s: ExchangeSpec): Conn {
    return {
      client: s.client,
      server: s.server,
      serverIp: s.server.ip,
      proto: s.proto,
      clientPort: s.clientPort ?? this.ephemeral(s.client, dice),
      serverPort: s.port,
      startMs: s.at,
      endMs: s.at + s.durationMs,
      close: s.close ?? (s.proto === TCP ? 'fin' : 'open'),
      answer: s.answer ?? 'yes',
      up: { packets: s.up[0], bytes: s.up[1] },
      down: s.down === null ? null : { packets: s.down[0], bytes: s.down[1] },
      tos: s.tos ?? 0,
      replyTos: s.replyTos ?? 0,
    };
  }

  /** A short request/response, added as a legitimate use. */
  short(dice: Dice, s: ExchangeSpec, admin = false): void {
    this.add(this.exchange(dice, s), admin);
  }

  /**
   * A session that is up the whole capture (opened long before it, unless
   * `from` says when), closed and reopened with a new client port at each
   * planned restart and, now and then, after a communication loss.
   */
  session(dice: Dice, s: SessionSpec): void {
    const tcp = s.proto === TCP;
    const end = this.cal.endMs + 3 * HOUR;
    let start = s.from ?? this.cal.startMs - dice.real(2 * HOUR, 40 * 24 * HOUR);
    const planned = [...(s.restarts ?? [])].filter((t) => t > start && t < end).sort((a, b) => a - b);
    let plannedIndex = 0;
    for (;;) {
      const loss = start + dice.exp(s.meanLifeMs);
      const nextPlanned = planned[plannedIndex] ?? Infinity;
      const stop = Math.min(loss, nextPlanned, end);
      const last = stop >= end;
      const wasPlanned = !last && nextPlanned <= loss;
      if (wasPlanned) plannedIndex++;
      const conn: Conn = {
        client: s.client,
        server: s.server,
        serverIp: s.server.ip,
        proto: s.proto,
        clientPort: s.clientPort ?? this.ephemeral(s.client, dice),
        serverPort: s.port,
        startMs: start,
        endMs: last ? end : stop,
        // A restart closes politely; a communication loss ends in a reset once the client gives up.
        close: last || !tcp ? 'open' : wasPlanned ? 'fin' : 'rst',
        answer: 'yes',
        up: s.up,
        down: s.down,
        tos: s.tos ?? 0,
        replyTos: s.replyTos ?? 0,
      };
      this.add(conn, s.admin ?? false);
      if (last) return;
      // Restarting an HMI runtime takes a minute or two; a reconnect after a loss, seconds.
      start = stop + (wasPlanned ? dice.real(30, 150) : dice.real(3, 45)) * SECOND;
      while (plannedIndex < planned.length && planned[plannedIndex]! <= start) plannedIndex++;
    }
  }

  /** A one-way UDP stream from a bound socket (syslog, NetFlow export): one long flow, no reply. */
  stream(dice: Dice, client: Host, server: Host, port: number, volume: Volume): void {
    this.add({
      client,
      server,
      serverIp: server.ip,
      proto: UDP,
      clientPort: this.ephemeral(client, dice),
      serverPort: port,
      startMs: this.cal.startMs - dice.real(2 * HOUR, 20 * 24 * HOUR),
      endMs: this.cal.endMs + 3 * HOUR,
      close: 'open',
      answer: 'yes',
      up: volume,
      down: null,
      tos: 0,
      replyTos: 0,
    });
  }

  /** Instants of a Poisson process over [from, to) whose hourly rate may change with the time of day. */
  arrivals(dice: Dice, from: number, to: number, perHour: (ms: number) => number): number[] {
    const out: number[] = [];
    for (let hour = from; hour < to; hour += HOUR) {
      const span = Math.min(HOUR, to - hour);
      const n = dice.count((perHour(hour + span / 2) * span) / HOUR);
      for (let i = 0; i < n; i++) out.push(hour + dice.real(0, span));
    }
    return out.sort((a, b) => a - b);
  }

  /** Instants every `periodMs` (± jitter) over the capture, from a random phase, starting a little before it. */
  every(dice: Dice, periodMs: number, jitter = 0.1, from = this.cal.startMs - periodMs, to = this.cal.endMs): number[] {
    const out: number[] = [];
    for (let t = from + dice.real(0, periodMs); t < to; t += periodMs * dice.real(1 - jitter, 1 + jitter)) out.push(t);
    return out;
  }

  /** A random instant within an office window, away from its edges. */
  inOffice(dice: Dice, window: readonly [number, number], marginMs = 20 * MINUTE): number {
    return dice.real(window[0] + marginMs, Math.max(window[0] + marginMs + 1, window[1] - marginMs));
  }
}
