import { compareText } from '../util/compare';
import { CallLog, type ObservedCall } from './observed-calls';

/**
 * Host names that flow records carry by themselves (GCP VPC Flow Logs name
 * the VM at each end: `src_instance.vm_name`). They name hosts that no
 * inventory or pod list names.
 */
export interface ObservedName {
  readonly ip: string;
  readonly name: string;
}

/** Distinct addresses kept per file; the rest are counted and the report says so (see observed-pods.ts). */
export const MAX_OBSERVED_NAMES = 100_000;

export class ObservedNames {
  private readonly byIp = new Map<string, string>();
  /** Records naming an address beyond the bound (counted per record: the dropped ones are not kept to tell). */
  overflow = 0;
  /** Set for one piece of a split file (see observed-pods.ts). */
  private readonly log: CallLog<[string, string]> | null;

  constructor(recording = false) {
    this.log = recording ? new CallLog() : null;
  }

  add(ip: string, name: string, times = 1): void {
    if (this.log !== null) {
      this.log.note(`${ip}\u0000${name}`, [ip, name]);
      return;
    }
    const known = this.byIp.get(ip);
    if (known === undefined) {
      if (this.byIp.size >= MAX_OBSERVED_NAMES) this.overflow += times;
      else this.byIp.set(ip, name);
    } else if (compareText(name, known) < 0) {
      // An address reused by another VM within the window: the same name wins whatever the order of the records.
      this.byIp.set(ip, name);
    }
  }

  /** The calls logged while recording, since the last time they were taken. */
  takeCalls(): ObservedCall<[string, string]>[] {
    return this.log?.take() ?? [];
  }

  list(): ObservedName[] {
    return [...this.byIp].sort((a, b) => compareText(a[0], b[0])).map(([ip, name]) => ({ ip, name }));
  }
}
