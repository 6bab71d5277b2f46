// Turns uses (uses.ts: who uses what, when and how much) into connections
// over the capture. A use says when it happens in one of four ways:
// - persistent: one long-lived connection over each interval of its window
//   (a lane's session to its store server while the shop trades, a broker's
//   replication link all day), re-opened when the application restarts;
//   those already up when the capture starts began before it;
// - periodic: a timer with some jitter (group-policy refresh, policy polls);
// - random: a Poisson process over its window, shaped by a local-time
//   profile (card payments follow the shop's tills, not the clock);
// - at: given instants (nightly jobs, the month-end report).
// Connections are generated from two hours before the capture, so that the
// first file holds the tails of what began the evening before, as a real
// first file does. Every connection lies within both ends' lifetimes (a
// replaced store server's successor only from when it came up).
import { CAPTURE_END, CAPTURE_START, HOUR, MINUTE, SECOND, atLocal, localDay, localHour, localWeekday, type Zone } from './clock';
import { ephemeralPort, type Connection, type Outcome } from './connection';
import type { Endpoint, Host, Shop } from './estate';
import type { Random } from './random';
import { UDP, type Service } from './services';

export const GENERATE_FROM = CAPTURE_START - 2 * HOUR;
export const GENERATE_UNTIL = CAPTURE_END;

export type Interval = readonly [number, number];
/** The intervals of [from, to) during which something may happen. */
export type Window = (from: number, to: number) => Interval[];

export const always: Window = (from, to) => [[from, to]];

/** Every local day, from `fromHour` to `toHour` (wrapping past midnight when toHour < fromHour); `onDay` filters by local weekday. */
export function localHours(zone: Zone, fromHour: number, toHour: number, onDay: (weekday: number) => boolean = () => true): Window {
  return (from, to) => {
    const out: Interval[] = [];
    for (let day = localDay(from, zone) - 1; day <= localDay(to, zone); day++) {
      const weekday = localWeekday(atLocal(day, 12, zone), zone);
      if (!onDay(weekday)) continue;
      const start = atLocal(day, fromHour, zone);
      const end = atLocal(toHour > fromHour ? day : day + 1, toHour, zone);
      clip(out, start, end, from, to);
    }
    return out;
  };
}

/** A shop's trading hours, widened by `before` and `after` hours (staff arrive before opening and leave after closing). */
export function shopHours(shop: Shop, before = 0, after = 0): Window {
  return (from, to) => {
    const out: Interval[] = [];
    for (let day = localDay(from, shop.zone) - 1; day <= localDay(to, shop.zone); day++) {
      const hours = shop.hours(localWeekday(atLocal(day, 12, shop.zone), shop.zone));
      if (hours === null) continue;
      clip(out, atLocal(day, hours[0] - before, shop.zone), atLocal(day, hours[1] + after, shop.zone), from, to);
    }
    return out;
  };
}

function clip(out: Interval[], start: number, end: number, from: number, to: number): void {
  const s = Math.max(start, from);
  const e = Math.min(end, to);
  if (e > s) out.push([s, e]);
}

/** How busy a shop is at an instant, 0 when closed: a lunchtime and an after-work peak. */
export function tradeProfile(shop: Shop): (ms: number) => number {
  return (ms) => {
    const hours = shop.hours(localWeekday(ms, shop.zone));
    const h = localHour(ms, shop.zone);
    if (hours === null || h < hours[0] || h >= hours[1]) return 0;
    return 0.55 + 0.6 * Math.exp(-(((h - 12.5) / 1.6) ** 2)) + 0.7 * Math.exp(-(((h - 17.5) / 1.8) ** 2));
  };
}

/** Web-shop customers: quiet at night, busiest in the evening. */
export function eveningProfile(zone: Zone): (ms: number) => number {
  return (ms) => {
    const h = localHour(ms, zone);
    return 0.08 + 0.5 * Math.exp(-(((h - 12) / 3) ** 2)) + 1 * Math.exp(-(((h - 20.5) / 2.2) ** 2));
  };
}

export interface Shape {
  /** Median payload bytes each way (persistent: bytes per second). */
  readonly up: number;
  readonly down: number;
  /** Median duration of a short connection, seconds. */
  readonly seconds: number;
  /** Log-normal spread of sizes and durations. */
  readonly spread?: number;
}

export type When =
  | { readonly kind: 'persistent'; readonly window: Window; readonly restartHours?: readonly [number, number] }
  | { readonly kind: 'periodic'; readonly window: Window; readonly everyMinutes: number; readonly jitter?: number }
  | { readonly kind: 'random'; readonly window: Window; readonly perHour: number; readonly profile?: (ms: number) => number }
  | { readonly kind: 'at'; readonly times: readonly number[] };

export type Pick = Endpoint | ((rand: Random) => Endpoint);

export interface Use {
  readonly client: Pick;
  readonly server: Pick;
  /** Opened together each time (a logon: Kerberos, LDAP, SMB …), a moment apart. */
  readonly services: readonly Service[];
  readonly when: When;
  readonly shape: Shape;
  readonly admin?: boolean;
  readonly tag?: string;
  /** How every connection of this use ends (retries to a dead server: unanswered). */
  readonly outcome?: Outcome;
  /** A fixed client port (Windows Time and IOS talk NTP from 123). */
  readonly clientPort?: number;
  /** Tried whether or not the server is up (retries while it is down). */
  readonly ignoreServerLife?: boolean;
}

function lifeOf(endpoint: Pick): Interval {
  if (typeof endpoint === 'function' || endpoint.external) return [-Infinity, Infinity];
  const host = endpoint as Host;
  return [host.from, host.to];
}

export function expandUse(use: Use, rand: Random): Connection[] {
  const clientLife = lifeOf(use.client);
  const serverLife = use.ignoreServerLife === true ? ([-Infinity, Infinity] as Interval) : lifeOf(use.server);
  const lo = Math.max(GENERATE_FROM, clientLife[0], serverLife[0]);
  const hi = Math.min(GENERATE_UNTIL, clientLife[1], serverLife[1]);
  if (hi <= lo) return [];
  const out: Connection[] = [];
  const when = use.when;
  if (when.kind === 'persistent') {
    for (const [s, e] of when.window(lo, hi)) persistent(use, rand, s, e, hi, out);
    return out;
  }
  const times: number[] = [];
  if (when.kind === 'periodic') {
    const intervals = when.window(lo, hi);
    const every = when.everyMinutes * MINUTE;
    const jitter = when.jitter ?? 0.15;
    let index = 0;
    for (let t = lo + rand.float() * every; t < hi; t += every * (1 + jitter * (2 * rand.float() - 1))) {
      while (index < intervals.length && intervals[index]![1] <= t) index++;
      if (index < intervals.length && intervals[index]![0] <= t) times.push(Math.round(t));
    }
  } else if (when.kind === 'random') {
    const slice = 15 * MINUTE;
    for (const [s, e] of when.window(lo, hi)) {
      for (let t = s; t < e; t += slice) {
        const length = Math.min(slice, e - t);
        const mean = (when.perHour * length * (when.profile?.(t + length / 2) ?? 1)) / HOUR;
        for (let n = rand.poisson(mean); n > 0; n--) times.push(Math.round(t + rand.float() * length));
      }
    }
  } else {
    for (const t of when.times) if (t >= lo && t < hi) times.push(t);
  }
  times.sort((a, b) => a - b);
  for (const t of times) {
    const client = resolve(use.client, rand);
    const server = resolve(use.server, rand);
    let offset = 0;
    for (const service of use.services) {
      out.push(short(use, rand, client, server, service, t + offset));
      offset += rand.int(15, 400);
    }
  }
  return out;
}

function resolve(pick: Pick, rand: Random): Endpoint {
  return typeof pick === 'function' ? pick(rand) : pick;
}

function short(use: Use, rand: Random, client: Endpoint, server: Endpoint, service: Service, start: number): Connection {
  const spread = use.shape.spread ?? 0.6;
  const forced = use.outcome;
  // A refused or unanswered TCP connection carries no payload; an unanswered datagram (syslog) still carries its own.
  const failed = service.proto !== UDP && (forced === 'unanswered' || forced === 'refused');
  const seconds = failed ? rand.real(0, 0.6) : rand.logNormal(use.shape.seconds, spread);
  let outcome: Outcome = forced ?? (service.proto !== UDP && rand.chance(0.04) ? 'reset' : 'closed');
  const end = start + Math.max(1, Math.round(seconds * SECOND));
  if (end >= CAPTURE_END && outcome === 'closed') outcome = 'open';
  return {
    client,
    server,
    service,
    clientPort: use.clientPort ?? ephemeralPort(rand, client),
    serverPort: service.port,
    start,
    end,
    up: failed ? 0 : Math.max(1, Math.round(rand.logNormal(use.shape.up, spread))),
    down: failed || forced === 'unanswered' ? 0 : Math.max(1, Math.round(rand.logNormal(use.shape.down, spread))),
    outcome,
    halfOpen: false,
    legit: true,
    admin: use.admin === true,
    tag: use.tag ?? service.name,
  };
}

/** Long-lived connections over [s, e): restarted every restartHours, already up before the capture if the window began with it. */
function persistent(use: Use, rand: Random, s: number, e: number, hi: number, out: Connection[]): void {
  const when = use.when as Extract<When, { kind: 'persistent' }>;
  const [minHours, maxHours] = when.restartHours ?? [20, 60];
  const client = resolve(use.client, rand);
  const server = resolve(use.server, rand);
  // A window that starts with the generation began before it: the connection was opened some time earlier.
  let t = s <= GENERATE_FROM ? s - rand.real(0, minHours) * HOUR : s + rand.int(200, 90_000);
  while (t < e) {
    const planned = t + rand.real(minHours, maxHours) * HOUR;
    const end = Math.min(planned, e);
    for (const [index, service] of use.services.entries()) {
      // A pool's connections open a few milliseconds apart.
      const start = Math.round(t) + index * rand.int(2, 60);
      const seconds = (end - start) / SECOND;
      // Ended by the schedule (shop closing, a restart): FIN; by a host going away or still up at the end: no teardown seen.
      const outcome: Outcome = end >= CAPTURE_END || (end === hi && hi < GENERATE_UNTIL) ? 'open' : 'closed';
      out.push({
        client,
        server,
        service,
        clientPort: use.clientPort ?? ephemeralPort(rand, client),
        serverPort: service.port,
        start,
        end: Math.max(start + 1, Math.round(end)),
        up: Math.max(1, Math.round(use.shape.up * seconds * rand.logNormal(1, 0.2))),
        down: Math.max(1, Math.round(use.shape.down * seconds * rand.logNormal(1, 0.2))),
        outcome,
        halfOpen: false,
        legit: true,
        admin: use.admin === true,
        tag: use.tag ?? service.name,
      });
    }
    t = end + rand.int(300, 20_000);
  }
}
