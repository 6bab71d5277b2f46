import { compareText } from '../util/compare';
import { CallLog, type ObservedCall } from './observed-calls';

/**
 * The protocol a sensor identified on a server's port (Zeek's `service`,
 * from its dynamic protocol detection: "http" on 9090, "ssh" on 2222):
 * better evidence for naming a service than the port number. Only single,
 * plain names are kept ("http", "krb_tcp"); a list of analyzers
 * ("gssapi,smb") names no one protocol.
 */
export interface ObservedService {
  readonly ip: string;
  readonly proto: number;
  readonly port: number;
  readonly service: string;
  /** Records that named it. */
  readonly count: number;
}

/** Distinct server ports kept per file; the rest are counted and the report says so (see observed-pods.ts). */
export const MAX_OBSERVED_SERVICES = 100_000;

const PLAIN_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export class ObservedServices {
  private readonly counts = new Map<string, Map<string, number>>();
  /** Records naming a server port beyond the bound (counted per record: the dropped ones are not kept to tell). */
  overflow = 0;
  /** Set for one piece of a split file (see observed-pods.ts). */
  private readonly log: CallLog<[string, number, number, string]> | null;

  constructor(recording = false) {
    this.log = recording ? new CallLog() : null;
  }

  add(ip: string, proto: number, port: number, service: string | undefined, times = 1): void {
    if (service === undefined) return;
    const name = service.toLowerCase();
    if (!PLAIN_NAME.test(name)) return;
    const key = `${ip}\u0000${proto}\u0000${port}`;
    if (this.log !== null) {
      this.log.note(`${key}\u0000${name}`, [ip, proto, port, name]);
      return;
    }
    let names = this.counts.get(key);
    if (names === undefined) {
      if (this.counts.size >= MAX_OBSERVED_SERVICES) {
        this.overflow += times;
        return;
      }
      this.counts.set(key, (names = new Map()));
    }
    names.set(name, (names.get(name) ?? 0) + times);
  }

  /** The calls logged while recording, since the last time they were taken. */
  takeCalls(): ObservedCall<[string, number, number, string]>[] {
    return this.log?.take() ?? [];
  }

  /** Every (server port, name) with its count, in a stable order. */
  list(): ObservedService[] {
    const out: ObservedService[] = [];
    for (const [key, names] of this.counts) {
      const [ip, proto, port] = key.split('\u0000');
      for (const [service, count] of names) out.push({ ip: ip!, proto: Number(proto), port: Number(port), service, count });
    }
    return out.sort((a, b) => compareText(a.ip, b.ip) || a.proto - b.proto || a.port - b.port || compareText(a.service, b.service));
  }
}

/**
 * One name per server port over all files: the one most records gave
 * (ties: text order), so file order cannot matter. Keyed "ip|proto|port".
 */
export function serviceOfPorts(observed: Iterable<ObservedService>): Map<string, string> {
  const totals = new Map<string, Map<string, number>>();
  for (const entry of observed) {
    const key = `${entry.ip}|${entry.proto}|${entry.port}`;
    let names = totals.get(key);
    if (names === undefined) totals.set(key, (names = new Map()));
    names.set(entry.service, (names.get(entry.service) ?? 0) + entry.count);
  }
  const chosen = new Map<string, string>();
  for (const [key, names] of totals) chosen.set(key, [...names].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]![0]);
  return chosen;
}
