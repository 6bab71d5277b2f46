// nfdump's CSV output up to 1.7.4 (`nfdump -R <day's nfcapd files> -o csv`):
// the 48-column header, one line per record in the order the collector
// stored them (by when it received them, so a record that a long session
// exported at its active timeout sits among the short flows of that minute,
// whatever its start), times in the collector's zone (UTC) to the second,
// durations to the millisecond, protocol by name, the flag string, zeros
// where the exporter sent nothing (AS numbers, masks, next hops, VLANs,
// MACs, MPLS labels, latencies), then the Summary footer over the file.
// One file per day, named after the day's first nfcapd file.
import { ICMP, TCP, UDP } from './catalogue';
import { flagString } from './connection';
import type { FlowRecord } from './netflow';

export const NFDUMP_HEADER =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';

const PROTOCOL_NAMES = new Map<number, string>([
  [ICMP, 'ICMP'],
  [TCP, 'TCP'],
  [UDP, 'UDP'],
]);
const ZERO_MAC = '00:00:00:00:00:00';
const NO_LABEL = '0-0-0';
/** Latencies (client, server, application) as nfdump pads them: %9.3f. */
const NO_LATENCY = '    0.000';
const MIDDLE = ['0.0.0.0', '0.0.0.0', '0', '0', ZERO_MAC, ZERO_MAC, ZERO_MAC, ZERO_MAC, ...Array<string>(10).fill(NO_LABEL), NO_LATENCY, NO_LATENCY, NO_LATENCY].join(',');

const two = (n: number): string => String(n).padStart(2, '0');

/** "YYYY-MM-DD HH:MM:SS" in UTC, the seconds truncated as nfdump does. */
export function seconds(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function withMillis(ms: number): string {
  return `${seconds(ms)}.${String(ms % 1000).padStart(3, '0')}`;
}

export function csvLine(r: FlowRecord): string {
  const td = ((r.teMs - r.tsMs) / 1000).toFixed(3);
  const pr = PROTOCOL_NAMES.get(r.proto) ?? String(r.proto);
  return [
    seconds(r.tsMs), seconds(r.teMs), td, r.sa, r.da, r.sp, r.dp, pr, flagString(r.proto === TCP ? r.flags : 0),
    0, r.tos, r.packets, r.bytes, 0, 0, r.inIf, r.outIf, 0, 0, 0, 0, 0, 0, MIDDLE, r.ra, '0/0', r.exid, withMillis(r.trMs),
  ].join(',');
}

/** nfdump's Summary over the records of one file: totals, and rates over the span from the first packet to the last. */
export function summary(records: readonly FlowRecord[]): string {
  let bytes = 0;
  let packets = 0;
  let first = Infinity;
  let last = 0;
  for (const r of records) {
    bytes += r.bytes;
    packets += r.packets;
    if (r.tsMs < first) first = r.tsMs;
    if (r.teMs > last) last = r.teMs;
  }
  const duration = records.length === 0 ? 0 : (last - first) / 1000;
  const rate = (value: number): number => (duration > 0 ? Math.floor(value / duration) : 0);
  const bpp = duration > 0 && packets > 0 ? Math.floor(bytes / packets) : 0;
  return `Summary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n${records.length},${bytes},${packets},${rate(bytes * 8)},${rate(packets)},${bpp}\n`;
}

/** The day's export: records the collector received in [fromMs, toMs), in the order it stored them. */
export function dayFile(records: readonly FlowRecord[], fromMs: number, toMs: number): { name: string; content: string; records: number } {
  const day = records.filter((r) => r.trMs >= fromMs && r.trMs < toMs);
  const lines = [NFDUMP_HEADER];
  for (const r of day) lines.push(csvLine(r));
  const d = new Date(fromMs);
  const name = `nfcapd.${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}0000.csv`;
  return { name, content: `${lines.join('\n')}\n${summary(day)}`, records: day.length };
}
