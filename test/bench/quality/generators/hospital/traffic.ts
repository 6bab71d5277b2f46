// Turns the book of uses and sessions into connections, hour by hour, in
// the local rhythm of the hospital. Connections that stay inside one site
// are drawn like the others (so that the randomness does not depend on
// what the sensor sees) and then dropped: the sensor never saw them.
import { US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, type Calendar } from './clock';
import { connect, type Connection } from './connection';
import { ipAt, visible, type Device } from './estate';
import type { Rand } from './random';
import { activity } from './rhythm';
import type { Session, Use, UseBook } from './uses';

export interface Drawn {
  readonly seen: Connection[];
  /** What happened out of the sensor's sight (inside one site): for the tests. */
  readonly unseen: Connection[];
}

export function drawUses(book: UseBook, calendar: Calendar, hours: number, rand: Rand): Drawn {
  const seen: Connection[] = [];
  const unseen: Connection[] = [];
  for (let hour = 0; hour < hours; hour++) {
    const hourStart = calendar.startUs + hour * US_PER_HOUR;
    const local = hour % 24; // the capture starts at local midnight
    for (const use of book.uses) {
      const level = activity(use.rhythm, local, use.rhythmSite ?? use.client.site);
      if (level === 0) continue;
      const clientIp = ipAt(use.client, hour);
      if (clientIp === undefined) continue;
      for (let n = rand.poisson(use.perHour * level); n > 0; n--) {
        const server = pickServer(use, rand);
        const serverIp = ipAt(server, hour);
        const start = hourStart + Math.floor(rand.float() * US_PER_HOUR);
        if (serverIp === undefined) continue;
        const conn = connect(rand, use.service, use.client, clientIp, server, serverIp, start, { admin: use.admin, tunnelled: use.tunnelled > 0 && rand.chance(use.tunnelled) });
        (visible(use.client, server) ? seen : unseen).push(conn);
      }
    }
  }
  return { seen, unseen };
}

function pickServer(use: Use, rand: Rand): Device {
  if (use.pick === 'primary' && use.servers.length > 1) return rand.chance(0.9) ? use.servers[0]! : rand.pick(use.servers.slice(1));
  return rand.pick(use.servers);
}

/**
 * Long-lived connections, each as a run of segments: up for a while, torn
 * down, reopened a few seconds later. Those already up when the sensor
 * started are picked up mid-stream; those still up when it stopped are
 * flushed at shutdown (eve.ts).
 */
export function drawSessions(book: UseBook, calendar: Calendar, hours: number, rand: Rand): Connection[] {
  const out: Connection[] = [];
  for (const session of book.sessions) {
    for (const [from, to] of segments(session, calendar, hours, rand)) {
      const hour = Math.floor((from - calendar.startUs) / US_PER_HOUR);
      const clientIp = ipAt(session.client, Math.max(0, hour));
      const serverIp = ipAt(session.server, Math.max(0, hour));
      if (clientIp === undefined || serverIp === undefined) continue;
      const midstream = from <= calendar.startUs;
      const start = midstream ? calendar.startUs + Math.floor(rand.real(0.2, 40) * US_PER_SECOND) : from;
      const hoursUp = Math.max(0.001, (to - start) / US_PER_HOUR);
      const conn = connect(rand, session.service, session.client, clientIp, session.server, serverIp, start, {
        seconds: (to - start) / US_PER_SECOND,
        up: Math.round(rand.around(session.upPerHour, 0.2) * hoursUp) + 40,
        down: Math.round(rand.around(session.downPerHour, 0.2) * hoursUp) + 40,
        outcome: rand.chance(0.6) ? 'closed' : 'reset',
        midstream,
        firstFromServer: midstream && rand.chance(session.serverTalksFirst),
      });
      if (visible(session.client, session.server)) out.push(conn);
    }
  }
  return out;
}

function segments(session: Session, calendar: Calendar, hours: number, rand: Rand): [number, number][] {
  const end = calendar.startUs + hours * US_PER_HOUR;
  const out: [number, number][] = [];
  const breaks = session.breaks.map((hour) => calendar.startUs + hour * US_PER_HOUR + Math.floor(rand.real(5, 50) * US_PER_MINUTE));
  if (session.officeHours) {
    // A clinic desk: switched on before opening, off after closing; the channel lives in between.
    const site = session.client.site;
    for (let day = 0; day * 24 < hours; day++) {
      const on = calendar.startUs + (day * 24 + site.open) * US_PER_HOUR - Math.floor(rand.real(5, 45) * US_PER_MINUTE);
      const off = calendar.startUs + (day * 24 + site.close) * US_PER_HOUR + Math.floor(rand.real(5, 90) * US_PER_MINUTE);
      out.push([on + Math.floor(rand.real(60, 240) * US_PER_SECOND), off]);
    }
    return out;
  }
  // Up since some time before the capture began.
  let at = calendar.startUs - Math.floor(rand.real(0, session.meanHours) * US_PER_HOUR);
  while (at < end) {
    let until = at + Math.floor(Math.max(0.1, -Math.log(1 - rand.float()) * session.meanHours) * US_PER_HOUR);
    let gap = Math.floor(rand.real(1, 20) * US_PER_SECOND);
    const cut = breaks.find((b) => b > at && b < until);
    if (cut !== undefined) {
      until = cut;
      gap = Math.floor(rand.real(6, 14) * US_PER_MINUTE); // the reboot
    }
    if (until > calendar.startUs) out.push([at, until]);
    at = until + gap;
  }
  return out;
}
