// A legitimate, recurring use of one service by one client: the unit the
// ground truth counts (client|server|proto|port) and the scheduler turns
// into connections hour by hour.

import type { Proto } from './connection';
import type { TrafficKind } from './traffic-kinds';

/**
 * When a usage happens:
 * - steady: every hour, a little more in office hours (machines talking to machines);
 * - business: follows the users (office hours full, evenings and weekends light);
 * - batch: 01:00–05:00 every night;
 * - desk: while the client desktop is switched on;
 * - session: a few administration sessions on working days (see admin-sessions.ts).
 */
export type Rhythm = 'steady' | 'business' | 'batch' | 'desk' | 'session';

export interface Usage {
  readonly client: string;
  readonly server: string;
  readonly proto: Proto;
  readonly port: number;
  readonly kind: TrafficKind;
  readonly rhythm: Rhythm;
  /** Mean connections per hour at full activity. */
  readonly rate: number;
  /** Remote administration: goes into truth.adminEdges too. */
  readonly admin: boolean;
  /** First hour the service exists (0, or in the replay for genuinely new services). */
  readonly fromHour: number;
}

export const TCP: Proto = 6;
export const UDP: Proto = 17;

/** Collects usages; one (client, server, proto, port) is one usage, so a second call for it adds to the rate. */
export class UsageList {
  private readonly byKey = new Map<string, Usage>();

  add(client: string, server: string, proto: Proto, port: number, kind: TrafficKind, rhythm: Rhythm, rate: number, extra: { admin?: boolean; fromHour?: number } = {}): void {
    if (client === server) return;
    const key = `${client}|${server}|${proto}|${port}`;
    const known = this.byKey.get(key);
    if (known !== undefined) {
      this.byKey.set(key, { ...known, rate: known.rate + rate });
      return;
    }
    this.byKey.set(key, { client, server, proto, port, kind, rhythm, rate, admin: extra.admin ?? false, fromHour: extra.fromHour ?? 0 });
  }

  list(): Usage[] {
    return [...this.byKey.values()];
  }
}
