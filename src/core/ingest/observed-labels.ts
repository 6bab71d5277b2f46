import { compareText } from '../util/compare';
import { CallLog, type ObservedCall } from './observed-calls';

/**
 * Where the flow records place a host in the network, by the names the
 * cloud gave its parts: the Azure NSG guarding a NIC and the user rules that
 * let its flows through, the GCP VPC and subnet of a VM. They explain a
 * host (hosts.csv, the group's shared labels, the reasons) and can name it
 * (a per-VM NSG, see named-by-flows.ts); they never group hosts: one NSG or
 * subnet commonly holds many applications (a zone, a tier of several
 * systems), so sharing one is no evidence of being one application.
 */
export interface ObservedLabel {
  readonly ip: string;
  readonly key: string;
  readonly value: string;
}

/** Keys of placement labels: namespaced by cloud so they never collide with an inventory's or a pod's own. */
export const PLACEMENT_KEYS = {
  azureNsg: 'azure:nsg',
  azureAllowedBy: 'azure:allowed-by',
  azureNetwork: 'azure:network',
  gcpVpc: 'gcp:vpc',
  gcpSubnet: 'gcp:subnet',
} as const;

const PLACEMENT_PREFIXES = ['azure:', 'gcp:'];

/** True for a label the flow records placed (PLACEMENT_KEYS): it explains, it does not group. */
export function isPlacementLabel(key: string): boolean {
  return PLACEMENT_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Distinct (address, key, value) kept per file; the rest are counted and the report says so (see observed-pods.ts). */
export const MAX_OBSERVED_LABELS = 100_000;

export class ObservedLabels {
  private readonly seen = new Set<string>();
  /** Records placing an address beyond the bound (counted per record: the dropped ones are not kept to tell). */
  overflow = 0;
  /** Set for one piece of a split file (see observed-pods.ts). */
  private readonly log: CallLog<[string, string, string]> | null;

  constructor(recording = false) {
    this.log = recording ? new CallLog() : null;
  }

  add(ip: string, key: string, value: string | undefined, times = 1): void {
    if (value === undefined || value === '') return;
    const entry = `${ip}\u0000${key}\u0000${value}`;
    if (this.log !== null) {
      this.log.note(entry, [ip, key, value]);
      return;
    }
    if (this.seen.has(entry)) return;
    if (this.seen.size >= MAX_OBSERVED_LABELS) {
      this.overflow += times;
      return;
    }
    this.seen.add(entry);
  }

  /** The calls logged while recording, since the last time they were taken. */
  takeCalls(): ObservedCall<[string, string, string]>[] {
    return this.log?.take() ?? [];
  }

  list(): ObservedLabel[] {
    return [...this.seen]
      .sort(compareText)
      .map((entry) => {
        const [ip, key, value] = entry.split('\u0000');
        return { ip: ip!, key: key!, value: value! };
      });
  }
}
