// When things happen in a hospital: how busy a kind of use is at a local
// hour, relative to its busiest. The hospital runs three shifts (07:00,
// 15:00, 23:00) and the ED and wards never close; radiology and the lab
// slow down to on-call overnight; patient accounts keep office hours;
// clinics open only in their own hours; backups run in the small hours.
import type { Site } from './estate';

export type Rhythm =
  /** Machines talking to machines, all day long. */
  | 'steady'
  /** Wards and the ED: 24/7, busiest on the day shift. */
  | 'ward'
  /** Logons and profile loads: the ward rhythm with a burst at each shift change. */
  | 'logon'
  /** Radiology, lab: busy in the day, on-call at night. */
  | 'daytime'
  /** Patient accounts / billing: office hours. */
  | 'office'
  /** IT staff: business hours, a little on-call. */
  | 'business'
  /** Server-side load that follows the users (EHR web → app, proxy upstream). */
  | 'users'
  /** The backup window, 01:00–05:00. */
  | 'night';

const SHIFT_CHANGES = new Set([7, 15, 23]);

/** Activity in [0, ~3] of a use of this rhythm at local hour `hour`, for a client at `site`. */
export function activity(rhythm: Rhythm, hour: number, site: Site): number {
  const clinic = site.kind === 'clinic';
  const open = hour >= site.open && hour < site.close;
  switch (rhythm) {
    case 'steady':
      return 1;
    case 'night':
      return hour >= 1 && hour < 5 ? 1 : 0;
    case 'users':
      return hour >= 7 && hour < 19 ? 1 : hour >= 19 && hour < 23 ? 0.6 : 0.3;
    case 'ward':
      if (clinic) return open ? 1 : 0;
      return hour >= 7 && hour < 15 ? 1 : hour >= 15 && hour < 23 ? 0.8 : 0.45;
    case 'logon': {
      if (clinic) return !open ? 0 : hour === site.open ? 3 : 0.8;
      const base = hour >= 7 && hour < 15 ? 1 : hour >= 15 && hour < 23 ? 0.8 : 0.45;
      return SHIFT_CHANGES.has(hour) ? base * 3 : base;
    }
    case 'daytime':
      if (clinic) return open ? 1 : 0;
      return hour >= 7 && hour < 19 ? 1 : hour >= 19 && hour < 23 ? 0.35 : 0.12;
    case 'office':
      if (clinic && !open) return 0;
      return hour >= 8 && hour < 17 ? (hour === 12 ? 0.5 : 1) : hour === 17 ? 0.3 : 0;
    case 'business':
      return hour >= 8 && hour < 18 ? 1 : 0.04;
  }
}
