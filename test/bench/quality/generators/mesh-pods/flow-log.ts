// Writes the connections as GCP VPC Flow Logs: Cloud Logging LogEntry JSON,
// one entry per line (the Cloud Storage sink layout; shape as in
// ../shared/data/samples/elastic-beats/gcp_vpcflow). Each entry is one
// direction of one connection over one 15-minute aggregation interval, seen
// by one VM: the sender's VM reports it (SRC) and so does the receiver's
// (DEST) when both ends are VMs, so traffic between pods usually appears
// twice. Flow logs sample packets, and then entries (flowSampling): an entry
// whose packets were all skipped, or that the entry sampling drops, is not
// written; one-packet probes thin out most. Counters
// are strings, ports numbers, times RFC 3339 with nanoseconds; bytes_sent
// counts payload only (0 for a bare SYN or reset).
//
// One-way: a log-router exclusion that keeps only the entries sent towards a
// service port, the requests' direction (a common way to halve the bill).
import type { Rng } from './rng';
import { SLOT_MS, type SlotConn } from './traffic';

export interface Place {
  /** The VM an address lives on (a worker node), or null outside the VPC. */
  readonly vm: string | null;
  readonly zone: string;
}

const PROJECT = 'shop-prod-4471';
const REGION = 'europe-west1';
// The platform samples packets (about half here), then the subnet's flowSampling setting keeps a
// share of the entries (0.5, the default).
const PACKET_SAMPLING = 0.5;
const FLOW_SAMPLING = 0.5;

function nanos(ms: number, random: Rng): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, milli: string) => `.${milli}${String(random.between(0, 999_999)).padStart(6, '0')}Z`);
}

export function flowLogLines(conns: readonly SlotConn[], placeOf: (ip: string) => Place, startMs: number, oneWay: boolean, random: Rng): string[] {
  const lines: string[] = [];
  let serial = 0;
  const side = (prefix: 'src' | 'dest', place: Place): Record<string, unknown> =>
    place.vm === null
      ? { [`${prefix}_location`]: { asn: 15169, continent: 'Europe', country: 'bel' } }
      : {
          [`${prefix}_instance`]: { project_id: PROJECT, region: REGION, vm_name: place.vm, zone: place.zone },
          [`${prefix}_vpc`]: { project_id: PROJECT, subnetwork_name: 'mesh-nodes', vpc_name: 'shop-vpc' },
        };
  const write = (src: string, srcPort: number, dst: string, dstPort: number, proto: number, bytes: number, packets: number, from: number, to: number): void => {
    if (packets <= 0) return;
    const srcPlace = placeOf(src);
    const dstPlace = placeOf(dst);
    for (const reporter of ['SRC', 'DEST'] as const) {
      const place = reporter === 'SRC' ? srcPlace : dstPlace;
      if (place.vm === null) continue;
      // The reporting VM samples packets on its own: at least one must be kept for an entry to exist.
      if (random.float() < Math.pow(1 - PACKET_SAMPLING, packets) || !random.yes(FLOW_SAMPLING)) continue;
      const timestamp = to + random.between(20_000, 90_000);
      const entry = {
        insertId: `${random.hex(6)}${(serial++).toString(36)}`,
        jsonPayload: {
          bytes_sent: String(bytes),
          connection: { dest_ip: dst, dest_port: dstPort, protocol: proto, src_ip: src, src_port: srcPort },
          ...side('dest', dstPlace),
          end_time: nanos(to, random),
          packets_sent: String(packets),
          reporter,
          ...(proto === 6 && random.yes(0.8) ? { rtt_msec: String(random.between(1, 9)) } : {}),
          ...side('src', srcPlace),
          start_time: nanos(from, random),
        },
        logName: `projects/${PROJECT}/logs/compute.googleapis.com%2Fvpc_flows`,
        receiveTimestamp: nanos(timestamp + 1_500, random),
        resource: { labels: { location: place.zone, project_id: PROJECT, subnetwork_id: '4410287365519284113', subnetwork_name: 'mesh-nodes' }, type: 'gce_subnetwork' },
        timestamp: nanos(timestamp, random),
      };
      lines.push(JSON.stringify(entry));
    }
  };
  for (const conn of conns) {
    const base = startMs + conn.slot * SLOT_MS;
    const from = base + conn.fromMs;
    const to = base + Math.max(conn.toMs, conn.fromMs);
    write(conn.client, conn.clientPort, conn.server, conn.serverPort, conn.proto, conn.upBytes, conn.upPackets, from, to);
    if (!oneWay) write(conn.server, conn.serverPort, conn.client, conn.clientPort, conn.proto, conn.downBytes, conn.downPackets, from, to);
  }
  return lines;
}
