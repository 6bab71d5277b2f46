// How many requests each service handles, following the users' requests
// down the call graph rather than giving every call its own rate: a request
// at an entrance makes each of its service's calls with a probability drawn
// per call (some calls made on nearly every request, some on a few, some a
// few times a day), and what a callee receives it passes on the same way.
// Services no request reaches (queue consumers, reporters) work on their own
// clock. The users' day follows a smooth curve in their time zone.
import type { MeshApp, MeshCall } from './services';
import type { Rng } from './rng';

export interface CallLoad {
  readonly call: MeshCall;
  /** Chance that one request through the caller makes this call. */
  readonly chance: number;
}

export interface AppLoad {
  readonly calls: readonly CallLoad[];
  /** Requests per 15 minutes at the day's peak, per service. */
  readonly peak: ReadonlyMap<string, number>;
  /** Requests per 15 minutes at peak, per entrance ("service:port"). */
  readonly entrancePeak: ReadonlyMap<string, number>;
  /** Services that work on their own clock (no user rhythm). */
  readonly selfDriven: ReadonlySet<string>;
  /** The users' activity, 0.1–1, at an instant. */
  activity(ms: number): number;
}

export function planLoad(app: MeshApp, random: Rng): AppLoad {
  const entrancePeak = new Map<string, number>();
  const inflow = new Map<string, number>();
  for (const entrance of app.entrances) {
    const peak = random.between(300, 1500);
    entrancePeak.set(`${entrance.service}:${entrance.port}`, peak);
    inflow.set(entrance.service, (inflow.get(entrance.service) ?? 0) + peak);
  }
  const kinds = app.calls.map(() => random.float());
  const draft = app.calls.map((call, index) => ({ call, chance: kinds[index]! < 0.4 ? random.uniform(0.6, 1) : kinds[index]! < 0.8 ? random.uniform(0.05, 0.4) : -random.uniform(6, 30) }));

  // Requests reach the callees through the graph; a few passes settle it (cycles thin out, capped).
  const propagate = (calls: readonly { call: MeshCall; chance: number }[]): Map<string, number> => {
    let load = new Map(inflow);
    for (let pass = 0; pass < 10; pass++) {
      const next = new Map(inflow);
      for (const { call, chance } of calls) {
        const through = (load.get(call.caller) ?? 0) * Math.max(chance, 0);
        next.set(call.callee, Math.min(50_000, (next.get(call.callee) ?? 0) + through));
      }
      load = next;
    }
    return load;
  };
  let peak = propagate(draft);
  const selfDriven = new Set<string>();
  for (const service of app.services) {
    if ((peak.get(service.name) ?? 0) === 0 && app.calls.some((call) => call.caller === service.name)) {
      selfDriven.add(service.name);
      inflow.set(service.name, random.between(20, 120));
    }
  }
  peak = propagate(draft);
  // A call made "a few times a day" becomes a chance per request from its caller's daily volume
  // (about 40 peak-equivalent quarter hours a day at this curve).
  const calls: CallLoad[] = draft.map(({ call, chance }) => {
    if (chance >= 0) return { call, chance };
    const daily = Math.max(1, (peak.get(call.caller) ?? 0) * 40);
    return { call, chance: Math.min(1, -chance / daily) };
  });
  peak = propagate(calls);

  const zoneHours = random.between(-8, 10);
  const floor = random.uniform(0.08, 0.2);
  const activity = (ms: number): number => {
    const local = new Date(ms + zoneHours * 3_600_000);
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
    const day = hour >= 7 && hour <= 23 ? Math.sin((Math.PI * (hour - 7)) / 16) : 0;
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6 ? 0.7 : 1;
    return Math.max(floor, day * weekend);
  };
  return { calls, peak, entrancePeak, selfDriven, activity };
}
