import { packObsTable, type CompactObsRows, type ObsColumnRows } from './obs-compact';
import { OBS, OBS_STRIDE, ObsTable, combineSharedFields } from './obs-table';

/**
 * Folds door aggregates across observers: the same connection seen by two
 * interfaces (or GCP's two reporters) counts once, by taking the larger of
 * their per-direction counts, while allow/deny and explicit evidence add
 * up. Only correct on complete per-observer rows (each (observer, hour,
 * conversation) once), which is what a door or the merger holds for hours
 * no one else saw. Output rows keep the obs layout with observer 0.
 */
export class ObserverFold {
  private readonly conv: ObsTable;

  constructor(expectedRows = 1 << 16) {
    this.conv = new ObsTable(expectedRows);
  }

  add(d: Float64Array, f: number): void {
    const slot = this.conv.slot(0, d[f + OBS.hour]!, d[f + OBS.lo]!, d[f + OBS.loPort]!, d[f + OBS.hi]!, d[f + OBS.hiPort]!, d[f + OBS.proto]!);
    const c = this.conv.segment(slot);
    const t = (slot & 0xffff) * OBS_STRIDE;
    // Across observers the larger per-direction count wins; the rest combines as when merging.
    for (let k = OBS.recLH; k <= OBS.bytesHL; k++) if (d[f + k]! > c[t + k]!) c[t + k] = d[f + k]!;
    combineSharedFields(c, t, d, f);
  }

  /** The folded rows in compact columns, straight from the fold's table, in a buffer of their size. */
  compactResult(): CompactObsRows {
    return packObsTable(this.conv);
  }

  /** Starts again empty, keeping the storage (ObsTable.reset). */
  reset(expectedRows: number): void {
    this.conv.reset(expectedRows);
  }
}

/** Folded conversation-hours in the columns of DuckDB's conv table. */
export interface ConvColumns {
  readonly length: number;
  readonly hour: Int32Array;
  readonly lo: Uint32Array;
  readonly loPort: Int32Array;
  readonly hi: Uint32Array;
  readonly hiPort: Int32Array;
  readonly proto: Uint8Array;
  /** A request and its response are one flow: the larger of the two directions' record counts. */
  readonly flows: Float64Array;
  readonly packets: Float64Array;
  readonly bytes: Float64Array;
  readonly firstMs: Float64Array;
  readonly lastMs: Float64Array;
  /** 2 when any observer saw it refused, else 1 when any saw it allowed, else 0. */
  readonly action: Uint8Array;
  readonly evLo: Float64Array;
  readonly evHi: Float64Array;
  readonly evLoReason: Uint8Array;
  readonly evHiReason: Uint8Array;
}

const COPIED_FIELDS = ['hour', 'lo', 'loPort', 'hi', 'hiPort', 'proto', 'firstMs', 'lastMs', 'evLo', 'evHi', 'evLoReason', 'evHiReason'] as const;

/** Folded rows (in compact columns) as the conv table's columns, in one pass. */
export function convColumns(folded: ObsColumnRows): ConvColumns {
  const n = folded.length;
  const c = {
    length: n,
    hour: new Int32Array(n),
    lo: new Uint32Array(n),
    loPort: new Int32Array(n),
    hi: new Uint32Array(n),
    hiPort: new Int32Array(n),
    proto: new Uint8Array(n),
    flows: new Float64Array(n),
    packets: new Float64Array(n),
    bytes: new Float64Array(n),
    firstMs: new Float64Array(n),
    lastMs: new Float64Array(n),
    action: new Uint8Array(n),
    evLo: new Float64Array(n),
    evHi: new Float64Array(n),
    evLoReason: new Uint8Array(n),
    evHiReason: new Uint8Array(n),
  };
  const f = folded;
  // Columns the conv table takes as they are (converted to its types by set).
  for (const field of COPIED_FIELDS) (c[field] as { set(values: ArrayLike<number>): void }).set(f[field]);
  for (let i = 0; i < n; i++) {
    c.flows[i] = Math.max(f.recLH[i]!, f.recHL[i]!);
    c.packets[i] = f.pktsLH[i]! + f.pktsHL[i]!;
    c.bytes[i] = f.bytesLH[i]! + f.bytesHL[i]!;
    c.action[i] = f.denyN[i]! > 0 ? 2 : f.allowN[i]! > 0 ? 1 : 0;
  }
  return c;
}
