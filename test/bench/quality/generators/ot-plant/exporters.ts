// Where the NetFlow comes from. The plant's switches run Flexible NetFlow
// (v9) on the ingress of their access ports only, as Cisco recommends so
// that a packet is not counted twice: a packet is recorded once, by the
// switch its sender hangs on (site operations: the core switch; a line:
// that line's industrial switch). So the request and the reply of one
// connection often come from two exporters. Trunks between switches are
// not monitored, so what a switch sends itself (its syslog, its own
// export) is never recorded. The DMZ switch exports nothing; the IT/OT
// firewall exports NetFlow on all of its interfaces, so whatever crosses it
// is recorded by it too: traffic between site operations and the DMZ or
// the enterprise is in the files twice, once from the core switch and once
// from the firewall, with their own active timeouts.
import type { Host, Plant } from './plant';

export interface Exporter {
  readonly key: string;
  /** The exporter's address as nfdump prints it in `ra`. */
  readonly ip: string;
  /** nfcapd's exporter sysid, in the order exporters first sent. */
  readonly exid: number;
  readonly activeMs: number;
  readonly inactiveMs: number;
}

export interface Observation {
  readonly exporter: Exporter;
  readonly inIf: number;
  readonly outIf: number;
}

const FW_OUTSIDE = 1;
const FW_INSIDE = 2;
const FW_DMZ = 3;

export class Exporters {
  readonly all: readonly Exporter[];
  private readonly byKey = new Map<string, Exporter>();
  private readonly trunkIf = new Map<string, number>();

  constructor(private readonly plant: Plant) {
    const list: Exporter[] = [
      // Catalyst core: Cisco's default cache timeouts (active 1800 s, inactive 15 s).
      { key: 'core', ip: `${plant.mgmtPrefix}.1`, exid: 1, activeMs: 1_800_000, inactiveMs: 15_000 },
      // The firewall's NetFlow profile: a five-minute active timeout.
      { key: 'fw', ip: plant.firewall.ip, exid: 2, activeMs: 300_000, inactiveMs: 15_000 },
    ];
    [...plant.switches.keys()].forEach((key, i) => {
      list.push({ key, ip: `${plant.mgmtPrefix}.${11 + i}`, exid: 3 + i, activeMs: 1_800_000, inactiveMs: 15_000 });
      this.trunkIf.set(key, 49 + i);
    });
    this.all = list;
    for (const exporter of list) this.byKey.set(exporter.key, exporter);
  }

  /** Who records a packet from `src` to `dst` (null: a broadcast on src's subnet), with the interfaces in and out. */
  of(src: Host, dst: Host | null): Observation[] {
    const out: Observation[] = [];
    if (src.attach !== null) out.push({ exporter: this.byKey.get(src.attach)!, inIf: src.ifIndex, outIf: this.egress(src.attach, dst) });
    if (dst !== null && src !== this.plant.firewall && dst !== this.plant.firewall) {
      const from = fwSide(src);
      const to = fwSide(dst);
      if (from !== to) out.push({ exporter: this.byKey.get('fw')!, inIf: from, outIf: to });
    }
    return out;
  }

  private egress(switchKey: string, dst: Host | null): number {
    if (dst === null) return 0;
    if (dst.attach === switchKey) return dst.ifIndex;
    if (switchKey !== 'core') return 1;
    if (dst.attach !== null && dst.attach !== 'core') return this.trunkIf.get(dst.attach)!;
    return this.plant.firewall.ifIndex;
  }
}

function fwSide(host: Host): number {
  if (host.place === 'dmz') return FW_DMZ;
  if (host.place === 'corp' || host.place === 'internet') return FW_OUTSIDE;
  return FW_INSIDE;
}
