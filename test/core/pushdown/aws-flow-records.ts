import { mulberry32 } from '../../helpers/prng';

/**
 * Random AWS VPC flow log records (v5 fields) that exercise every rule the
 * pushdown query must reproduce: two interfaces seeing one connection,
 * requests and responses, TCP flags (SYN, SYN-ACK, none), REJECTs either
 * way, UDP, ICMP and GRE without ports, IPv6, NAT'd pkt-srcaddr, equal
 * ports on both ends (tie-breaks), records without a time, NODATA lines,
 * several hours over two days. Null fields are '-' in the text form and
 * NULL in Parquet, as AWS writes them.
 */
export interface AwsFlowRecord {
  readonly interface_id: string | null;
  readonly srcaddr: string | null;
  readonly dstaddr: string | null;
  readonly srcport: number | null;
  readonly dstport: number | null;
  readonly protocol: number | null;
  readonly packets: number | null;
  readonly bytes: number | null;
  readonly start: number | null;
  readonly end: number | null;
  readonly action: string | null;
  readonly log_status: string;
  readonly tcp_flags: number | null;
  readonly pkt_srcaddr: string | null;
  readonly pkt_dstaddr: string | null;
}

export const AWS_TEXT_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes',
  'start', 'end', 'action', 'log-status', 'tcp-flags', 'pkt-srcaddr', 'pkt-dstaddr',
] as const;

const BASE_S = Date.UTC(2024, 2, 9, 21, 0, 0) / 1000; // two days, across a midnight

export function awsFlowRecords(seed: number, connections: number): AwsFlowRecord[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hosts = [
    ...Array.from({ length: 24 }, (_, i) => `10.0.${Math.floor(i / 10)}.${(i % 10) + 1}`),
    ...Array.from({ length: 4 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`),
    '10.0.1.10', '10.0.1.9', '172.16.0.100', '8.8.8.8',
  ];
  const servers: readonly (readonly [number, number])[] = [[6, 443], [6, 5432], [6, 8080], [6, 22], [17, 53], [17, 123], [6, 3389], [6, 40000], [132, 2905]];
  const records: AwsFlowRecord[] = [];
  for (let n = 0; n < connections; n++) {
    const v6 = random() < 0.1;
    const family = hosts.filter((h) => h.includes(':') === v6);
    const client = pick(family);
    let server = pick(family);
    if (random() < 0.03) server = client;
    const kind = random();
    const [proto, dport] = kind < 0.08 ? [1, -1] : kind < 0.11 ? [47, -1] : pick(servers);
    const sport = proto === 17 && dport === 123 && random() < 0.5 ? 123 : 32768 + Math.floor(random() * 28000);
    const start = BASE_S + Math.floor(random() * 48 * 3600);
    const end = start + Math.floor(random() * 600);
    const denied = random() < 0.1;
    const flagged = proto === 6 && random() < 0.6;
    const eni = (host: string): string | null => (host === '8.8.8.8' ? null : `eni-${host.replace(/[.:]/g, '')}`);
    const timeless = random() < 0.02;
    const nat = random() < 0.05 ? '10.9.9.9' : null;
    const record = (observer: string | null, src: string, dst: string, sp: number, dp: number, flags: number | null, action: string, packets: number): AwsFlowRecord => ({
      interface_id: observer,
      srcaddr: nat !== null && src === client ? nat : src,
      dstaddr: dst,
      srcport: proto === 1 ? 0 : sp < 0 ? null : sp,
      dstport: proto === 1 ? 0 : dp < 0 ? null : dp,
      protocol: proto,
      packets,
      bytes: packets * (40 + Math.floor(random() * 1400)),
      start: timeless ? null : start,
      end: timeless ? null : end,
      action,
      log_status: 'OK',
      tcp_flags: proto === 6 ? flags : null,
      pkt_srcaddr: nat !== null && src === client ? src : random() < 0.5 ? src : null,
      pkt_dstaddr: random() < 0.5 ? dst : null,
    });
    for (const observer of [eni(client), eni(server)]) {
      if (observer === null && random() < 0.5) continue;
      const refused = denied && observer === eni(server);
      const packets = 1 + Math.floor(random() * 20);
      records.push(record(observer, client, server, sport, dport, flagged ? 2 : flagged === false && proto === 6 ? 0 : null, refused ? 'REJECT' : 'ACCEPT', packets));
      if (!refused) records.push(record(observer, server, client, dport, sport, flagged ? 18 : null, random() < 0.03 ? 'REJECT' : 'ACCEPT', Math.max(1, packets - 1)));
    }
    if (random() < 0.02) {
      records.push({ interface_id: eni(client), srcaddr: null, dstaddr: null, srcport: null, dstport: null, protocol: null, packets: null, bytes: null, start, end, action: null, log_status: 'NODATA', tcp_flags: null, pkt_srcaddr: null, pkt_dstaddr: null });
    }
  }
  return records;
}

/** The records as an AWS flow log text file with a header line ('-' for nulls). */
export function awsFlowLogText(records: readonly AwsFlowRecord[]): string {
  const dash = (value: string | number | null): string => (value === null ? '-' : String(value));
  const lines = records.map((r) =>
    ['5', '123456789012', r.interface_id, r.srcaddr, r.dstaddr, r.srcport, r.dstport, r.protocol, r.packets, r.bytes, r.start, r.end, r.action, r.log_status, r.tcp_flags, r.pkt_srcaddr, r.pkt_dstaddr]
      .map(dash)
      .join(' '),
  );
  return `${AWS_TEXT_FIELDS.join(' ')}\n${lines.join('\n')}\n`;
}

/** The Hive partition (delivery hour) of a record: its end's hour, or the window's first hour when it has no time. */
export function deliveryHour(record: AwsFlowRecord): Date {
  return new Date(((record.end ?? BASE_S) + 60) * 1000);
}
