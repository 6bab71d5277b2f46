// Turns usages into connections, hour by hour: a Poisson count around the
// usage's rate times its rhythm's activity. Every usage is then topped up to
// at least two connections in training and one in the replay (from its first
// hour on), so each legitimate service shows on both sides of the split.

import { END_MS, HOURS, HOUR_MS, REPLAY_FIRST_HOUR, dayOf, hourOfDay, hourStartMs, isOfficeHour, isWeekend } from './calendar';
import { ephemeralPort, type Connection } from './connection';
import type { DeskCalendar } from './desk-calendar';
import type { Estate } from './estate';
import type { Rng } from './random';
import { volumeOf } from './traffic-kinds';
import type { Usage } from './usage';

/** One knob for the scenario's volume: scales every usage's rate. */
export const RATE_SCALE = 0.6;
const MIN_TRAINING = 2;
const MIN_REPLAY = 1;

function businessActivity(hour: number): number {
  const h = hourOfDay(hour);
  if (isWeekend(dayOf(hour))) return h >= 8 && h < 20 ? 0.25 : 0.08;
  if (h >= 8 && h < 18) return 1;
  return (h >= 6 && h < 8) || (h >= 18 && h < 22) ? 0.35 : 0.1;
}

/** Administration happens in office hours on working days, a few sessions per server. */
function sessionHours(usage: Usage, rng: Rng): Map<number, number> {
  const office = Array.from({ length: HOURS }, (_, h) => h).filter(isOfficeHour);
  const train = office.filter((h) => h < REPLAY_FIRST_HOUR);
  const replay = office.filter((h) => h >= REPLAY_FIRST_HOUR);
  const chosen = [...rng.shuffle(train).slice(0, rng.int(2, 3)), ...rng.shuffle(replay).slice(0, rng.int(1, 2))];
  // WinRM runs a handful of short commands per session; SSH and RDP are one long session.
  return new Map(chosen.map((h) => [h, usage.kind === 'winrm' ? rng.int(1, 3) : 1]));
}

export class Scheduler {
  constructor(
    private readonly estate: Estate,
    private readonly calendar: DeskCalendar,
  ) {}

  private activity(usage: Usage, hour: number): number {
    if (hour < usage.fromHour) return 0;
    switch (usage.rhythm) {
      case 'steady':
        return isOfficeHour(hour) ? 1.3 : 1;
      case 'business':
        return businessActivity(hour);
      case 'batch':
        return hourOfDay(hour) >= 1 && hourOfDay(hour) < 5 ? 1 : 0;
      case 'desk':
        return this.calendar.get(usage.client)?.[hour] ?? 0;
      case 'session':
        return isOfficeHour(hour) ? 1 : 0;
    }
  }

  /** Connections per hour of the capture for one usage. */
  private counts(usage: Usage, rng: Rng): Map<number, number> {
    if (usage.rhythm === 'session') return sessionHours(usage, rng);
    const counts = new Map<number, number>();
    for (let hour = usage.fromHour; hour < HOURS; hour++) {
      const n = rng.poisson(usage.rate * RATE_SCALE * this.activity(usage, hour));
      if (n > 0) counts.set(hour, n);
    }
    const topUp = (inPart: (hour: number) => boolean, minimum: number): void => {
      let have = 0;
      for (const [hour, n] of counts) if (inPart(hour)) have += n;
      const eligible = Array.from({ length: HOURS }, (_, h) => h).filter((h) => inPart(h) && this.activity(usage, h) > 0);
      if (eligible.length === 0) {
        throw new Error(`enterprise-b: ${usage.client}→${usage.server}:${usage.port} has no active hour to show in`);
      }
      for (; have < minimum; have++) {
        const hour = rng.pick(eligible);
        counts.set(hour, (counts.get(hour) ?? 0) + 1);
      }
    };
    if (usage.fromHour < REPLAY_FIRST_HOUR) topUp((h) => h < REPLAY_FIRST_HOUR, MIN_TRAINING);
    topUp((h) => h >= REPLAY_FIRST_HOUR, MIN_REPLAY);
    return counts;
  }

  connectionsOf(usage: Usage, rng: Rng): Connection[] {
    const clientOs = this.estate.byIp.get(usage.client)?.os ?? 'internet';
    const out: Connection[] = [];
    const hours = [...this.counts(usage, rng)].sort((a, b) => a[0] - b[0]);
    for (const [hour, n] of hours) {
      for (let i = 0; i < n; i++) {
        const startMs = hourStartMs(hour) + rng.int(0, 3_599) * 1_000;
        const volume = volumeOf(usage.kind, usage.proto, rng);
        out.push({
          startMs,
          // Nothing runs past the end of the capture (the last tuple stays in the last day's files).
          durationS: Math.max(0, Math.min(volume.durationS, Math.floor((END_MS - HOUR_MS / 60 - startMs) / 1_000))),
          client: usage.client,
          clientPort: ephemeralPort(clientOs, (lo, hi) => rng.int(lo, hi)),
          server: usage.server,
          port: usage.port,
          proto: usage.proto,
          pktsOut: volume.pktsOut,
          bytesOut: volume.bytesOut,
          pktsBack: volume.pktsBack,
          bytesBack: volume.bytesBack,
          decision: 'A',
        });
      }
    }
    return out;
  }
}
