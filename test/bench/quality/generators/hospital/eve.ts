// What the Suricata 7.0 sensor at the data-centre core writes for each
// connection: an EVE `flow` event, written when the flow manager expires
// the flow (its timeout after the last packet: TCP 60 s once closed or
// still new, 600 s established; UDP and ICMP 30 s new, 300 s established),
// so a file holds events in the order they were written, not started, and a
// flow that ended at 23:58 lands in the next day's file. What a real sensor
// shows and this one does too:
// - one flow per 5-tuple while packets keep coming: a phone's SIP REGISTER
//   and the call manager's INVITE to it (5060↔5060), a router's DHCP relays
//   (67↔67) within the UDP timeout are one flow, whoever spoke first its src;
// - TCP flags per direction in hex, the booleans of their union and the
//   stream state; refused connections (SYN / RST-ACK), unanswered SYNs
//   (state new, syn_sent), resets after the exchange;
// - app_proto as the 7.0 detection would have it: absent when no payload
//   went, `failed` for what no parser claims (DICOM, HL7, TDS, LDAP in 7.0,
//   RTP, syslog…), `tls` with `app_proto_orig: http` for CONNECT tunnels
//   through the proxy;
// - connections already up when the sensor started are picked up mid-stream
//   (`stream.midstream: false`): no handshake, no stream state, no
//   app_proto, and when the server spoke first it is the src;
// - when the sensor is stopped at the end, flows still in the table are
//   flushed with reason `shutdown`; a few TCP flows are logged `forced`
//   (their tuple reused before they timed out);
// - the SPAN carries 802.1Q tags (`vlan`, with `vlan.use-for-tracking` off
//   so both directions meet in one flow);
// - a sliver of flows is lost to capture drops.
// One-way capture (params.oneWay): the sensor sees only the originators'
// packets, so `*_toclient` are 0, `tcp_flags_tc` is "00" and every flow
// stays `new`.
import { suricataTime, US_PER_SECOND, type Calendar } from './clock';
import type { Connection } from './connection';
import type { Device } from './estate';
import type { Rand } from './random';
import { ICMP, TCP, UDP } from './services';

export interface SensorSetup {
  readonly iface: string;
  readonly host: string;
  /** When the sensor was stopped for the export (a little before the capture's end). */
  readonly stopUs: number;
  readonly oneWay: boolean;
}

export interface EveEvent {
  /** Write time (µs), the file order. */
  readonly us: number;
  readonly line: string;
}

/** Names and answers for the few DNS transactions logged as dns events. */
export type DnsAnswer = (conn: Connection, rand: Rand) => { readonly rrname: string; readonly rdata: string | null } | null;

const FLAG = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20, ecn: 0x40, cwr: 0x80 } as const;
const PROTO_NAME: Record<number, string> = { [TCP]: 'TCP', [UDP]: 'UDP', [ICMP]: 'ICMP' };
// Parsers in Suricata 7.0 that recognise a protocol from the client's side alone.
const ONE_SIDED_DETECTION = new Set(['tls', 'http', 'smb', 'dcerpc', 'krb5', 'dns', 'ntp', 'dhcp', 'snmp', 'sip', 'rdp', 'ssh', 'nfs', 'tftp']);

/** Fold UDP exchanges that share a 5-tuple (fixed ports both ends) into the one flow Suricata keeps while packets keep coming. */
export function mergeUdp(conns: readonly Connection[]): Connection[] {
  const out: Connection[] = [];
  const byTuple = new Map<string, Connection[]>();
  for (const conn of conns) {
    if (conn.service.proto !== UDP || conn.service.clientPort === null) {
      out.push(conn);
      continue;
    }
    const a = `${conn.clientIp}:${conn.clientPort}`;
    const b = `${conn.serverIp}:${conn.port}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const list = byTuple.get(key) ?? [];
    list.push(conn);
    byTuple.set(key, list);
  }
  for (const list of byTuple.values()) {
    list.sort((x, y) => x.startUs - y.startUs);
    let current: Connection | null = null;
    for (const conn of list) {
      const timeout = (current !== null && current.down > 0 ? 300 : 30) * US_PER_SECOND;
      if (current !== null && conn.startUs <= current.endUs + timeout) {
        const open: Connection = current;
        const same: boolean = conn.clientIp === open.clientIp;
        current = {
          ...open,
          endUs: Math.max(open.endUs, conn.endUs),
          up: open.up + (same ? conn.up : conn.down),
          down: open.down + (same ? conn.down : conn.up),
          outcome: open.outcome === 'unanswered' && conn.outcome !== 'unanswered' ? conn.outcome : open.outcome,
        };
        continue;
      }
      if (current !== null) out.push(current);
      current = conn;
    }
    if (current !== null) out.push(current);
  }
  return out;
}

interface Counts {
  pktsTs: number;
  pktsTc: number;
  bytesTs: number;
  bytesTc: number;
  flagsTs: number;
  flagsTc: number;
}

function tcpCounts(conn: Connection, rand: Rand, seconds: number): Counts {
  const seg = Math.min(conn.service.segment, 1448);
  const segUp = conn.up > 0 ? Math.ceil(conn.up / seg) : 0;
  const segDown = conn.down > 0 ? Math.ceil(conn.down / seg) : 0;
  const keepalive = Math.floor(seconds / 60);
  const hdrC = conn.client.windows ? 54 : 66;
  const hdrS = conn.server.windows ? 54 : 66;
  const data = (f: number, payload: number): number => (payload > 0 ? f | FLAG.psh : f);
  switch (conn.outcome) {
    case 'refused': {
      const k = conn.client.windows ? rand.int(2, 3) : 1;
      return { pktsTs: k, pktsTc: k, bytesTs: k * (hdrC + 12), bytesTc: k * hdrS, flagsTs: FLAG.syn, flagsTc: FLAG.rst | FLAG.ack };
    }
    case 'unanswered': {
      const k = 1 + [0, 3, 9, 21].filter((t) => t > 0 && t <= seconds).length;
      return { pktsTs: k, pktsTc: 0, bytesTs: k * (hdrC + 12), bytesTc: 0, flagsTs: FLAG.syn, flagsTc: 0 };
    }
    default: {
      const hand = conn.midstream ? 0 : 1;
      const fin = conn.outcome === 'closed' ? 1 : 0;
      const rst = conn.outcome === 'reset' ? 1 : 0;
      const pktsTs = hand * 2 + segUp + Math.ceil(segDown / 2) + keepalive + fin * 2 + rst;
      const pktsTc = hand + segDown + Math.ceil(segUp / 2) + keepalive + fin;
      const base = (hand ? FLAG.syn : 0) | FLAG.ack | (fin ? FLAG.fin : 0);
      return {
        pktsTs,
        pktsTc,
        bytesTs: conn.up + pktsTs * hdrC + hand * 12,
        bytesTc: conn.down + pktsTc * hdrS + hand * 12,
        flagsTs: data(base | (rst ? FLAG.rst : 0), conn.up),
        flagsTc: data(base, conn.down),
      };
    }
  }
}

function udpCounts(conn: Connection, rand: Rand): Counts {
  const seg = conn.service.segment;
  if (conn.outcome === 'unanswered') {
    const k = rand.int(1, 3);
    return { pktsTs: k, pktsTc: 0, bytesTs: k * (conn.service.up + 42), bytesTc: 0, flagsTs: 0, flagsTc: 0 };
  }
  const pktsTs = Math.max(1, Math.ceil(conn.up / seg));
  const pktsTc = conn.down > 0 ? Math.max(1, Math.ceil(conn.down / seg)) : 0;
  return { pktsTs, pktsTc, bytesTs: conn.up + pktsTs * 42, bytesTc: conn.down + pktsTc * 42, flagsTs: 0, flagsTc: 0 };
}

function icmpCounts(conn: Connection, rand: Rand): Counts {
  const k = rand.int(1, 3);
  const answered = conn.outcome !== 'unanswered';
  return { pktsTs: k, pktsTc: answered ? k : 0, bytesTs: k * 98, bytesTc: answered ? k * 98 : 0, flagsTs: 0, flagsTc: 0 };
}

const hex = (flags: number): string => flags.toString(16).padStart(2, '0');

function tcpObject(flagsTs: number, flagsTc: number, state: string | null): Record<string, unknown> {
  const all = flagsTs | flagsTc;
  const out: Record<string, unknown> = { tcp_flags: hex(all), tcp_flags_ts: hex(flagsTs), tcp_flags_tc: hex(flagsTc) };
  for (const [name, bit] of Object.entries(FLAG)) if (all & bit) out[name] = true;
  // Suricata prints the booleans in the order syn, fin, rst, psh, ack, urg, ecn, cwr.
  const ordered: Record<string, unknown> = { tcp_flags: out.tcp_flags, tcp_flags_ts: out.tcp_flags_ts, tcp_flags_tc: out.tcp_flags_tc };
  for (const name of ['syn', 'fin', 'rst', 'psh', 'ack', 'urg', 'ecn', 'cwr']) if (out[name] === true) ordered[name] = true;
  if (state !== null) ordered.state = state;
  return ordered;
}

function vlanTag(sender: Device): number {
  return sender.site.kind === 'dc' ? sender.vlan : sender.site.transitVlan;
}

export class EveWriter {
  private readonly flowIds = new Set<number>();
  readonly events: EveEvent[] = [];
  /** Per flow written: its connection and the sensor's src/dest (for the tests and the stats). */
  readonly written: { conn: Connection; src: string; dest: string }[] = [];
  private stats = { pkts: 0, bytes: 0, tcp: 0, udp: 0, icmp: 0, alerts: 0 };

  constructor(
    private readonly setup: SensorSetup,
    private readonly calendar: Calendar,
    private readonly rand: Rand,
    private readonly dns: DnsAnswer,
  ) {}

  private flowId(): number {
    for (;;) {
      const id = this.rand.int(1e14, 2.25e15);
      if (!this.flowIds.has(id)) {
        this.flowIds.add(id);
        return id;
      }
    }
  }

  private time(us: number): string {
    return suricataTime(us, this.calendar.zone);
  }

  /** Write the flow event (and its alert or dns events) of one connection; false when the sensor never logged it. */
  flow(original: Connection): boolean {
    const { setup, rand } = this;
    if (original.startUs >= setup.stopUs) return false;
    if (rand.chance(0.0004)) return false; // lost to capture drops
    // Still up when the sensor stopped: cut at its last packet before the stop, flushed at shutdown.
    let conn = original;
    if (conn.endUs >= setup.stopUs) {
      const last = Math.max(conn.startUs, setup.stopUs - Math.floor(rand.real(0.01, 20) * US_PER_SECOND));
      const share = (last - conn.startUs) / Math.max(1, conn.endUs - conn.startUs);
      conn = { ...conn, endUs: last, up: Math.round(conn.up * share), down: Math.round(conn.down * share), outcome: conn.outcome === 'closed' || conn.outcome === 'reset' ? 'open' : conn.outcome };
    }
    const proto = conn.service.proto;
    const seconds = (conn.endUs - conn.startUs) / US_PER_SECOND;
    const counts = proto === TCP ? tcpCounts(conn, rand, seconds) : proto === UDP ? udpCounts(conn, rand) : icmpCounts(conn, rand);
    const oneWay = setup.oneWay;
    if (oneWay) {
      counts.pktsTc = 0;
      counts.bytesTc = 0;
      counts.flagsTc = 0;
    }
    const swap = conn.firstFromServer && !oneWay;
    const answered = counts.pktsTc > 0;

    // Flow and stream state, and how long the flow manager waits before logging it.
    let state: string;
    let tcpState: string | null = null;
    if (oneWay) {
      state = 'new';
      if (proto === TCP && !conn.midstream) tcpState = conn.outcome === 'unanswered' || conn.outcome === 'refused' ? 'syn_sent' : conn.outcome === 'closed' ? 'fin_wait1' : conn.outcome === 'reset' ? 'closed' : 'established';
    } else if (proto === TCP) {
      state = conn.midstream ? 'established' : conn.outcome === 'unanswered' ? 'new' : conn.outcome === 'open' ? 'established' : 'closed';
      if (!conn.midstream) tcpState = conn.outcome === 'unanswered' ? 'syn_sent' : conn.outcome === 'open' ? 'established' : 'closed';
    } else state = answered ? 'established' : 'new';
    const timeout = state === 'established' ? (proto === TCP ? 600 : 300) : state === 'new' ? (proto === TCP ? 60 : 30) : 60;
    let reason = 'timeout';
    let logUs = conn.endUs + (timeout + rand.real(0.2, 9)) * US_PER_SECOND;
    if (proto === TCP && state === 'closed' && rand.chance(0.005)) {
      reason = 'forced';
      logUs = conn.endUs + rand.real(0.5, 30) * US_PER_SECOND;
    }
    if (logUs >= setup.stopUs) {
      reason = 'shutdown';
      logUs = setup.stopUs + rand.real(0.001, 0.4) * US_PER_SECOND;
    }
    logUs = Math.floor(logUs);

    // The application protocol, as detection would have left it.
    const payload = conn.up > 0 || (!oneWay && conn.down > 0);
    let app: string | null = null;
    let appOrig: string | null = null;
    if (proto !== ICMP && payload && !(conn.midstream && proto === TCP) && conn.outcome !== 'refused' && conn.outcome !== 'unanswered') {
      app = conn.tunnelled ? 'tls' : conn.service.app;
      if (conn.tunnelled) appOrig = 'http';
      if (oneWay && app === 'failed' && proto === TCP) app = null;
      if (oneWay && app !== null && app !== 'failed' && !ONE_SIDED_DETECTION.has(app)) app = proto === UDP ? 'failed' : null;
    }

    const src = swap ? conn.server : conn.client;
    const srcIp = swap ? conn.serverIp : conn.clientIp;
    const destIp = swap ? conn.clientIp : conn.serverIp;
    const srcPort = swap ? conn.port : conn.clientPort;
    const destPort = swap ? conn.clientPort : conn.port;
    const ts = swap ? { p: counts.pktsTc, b: counts.bytesTc, f: counts.flagsTc } : { p: counts.pktsTs, b: counts.bytesTs, f: counts.flagsTs };
    const tc = swap ? { p: counts.pktsTs, b: counts.bytesTs, f: counts.flagsTs } : { p: counts.pktsTc, b: counts.bytesTc, f: counts.flagsTc };
    const id = this.flowId();
    const vlan = vlanTag(src);
    const head = (eventType: string, at: number): Record<string, unknown> => ({ timestamp: this.time(at), flow_id: id, in_iface: setup.iface, event_type: eventType, vlan: [vlan] });
    const ports = (event: Record<string, unknown>, reverse = false): void => {
      event.src_ip = reverse ? destIp : srcIp;
      if (proto !== ICMP) event.src_port = reverse ? destPort : srcPort;
      event.dest_ip = reverse ? srcIp : destIp;
      if (proto !== ICMP) event.dest_port = reverse ? srcPort : destPort;
      event.proto = PROTO_NAME[proto];
      if (proto === ICMP) {
        event.icmp_type = reverse ? 0 : 8;
        event.icmp_code = 0;
        if (answered && !reverse) {
          event.response_icmp_type = 0;
          event.response_icmp_code = 0;
        }
      }
    };

    const event = head('flow', logUs);
    ports(event);
    if (app !== null) event.app_proto = app;
    if (appOrig !== null) event.app_proto_orig = appOrig;
    event.flow = {
      pkts_toserver: ts.p,
      pkts_toclient: tc.p,
      bytes_toserver: ts.b,
      bytes_toclient: tc.b,
      start: this.time(conn.startUs),
      end: this.time(conn.endUs),
      age: Math.floor(conn.endUs / US_PER_SECOND) - Math.floor(conn.startUs / US_PER_SECOND),
      state,
      reason,
      alerted: conn.alert !== null,
    };
    if (proto === TCP) event.tcp = tcpObject(ts.f, tc.f, tcpState);
    event.host = setup.host;
    this.push(logUs, event);
    this.written.push({ conn, src: srcIp, dest: destIp });
    this.stats.pkts += ts.p + tc.p;
    this.stats.bytes += ts.b + tc.b;
    this.stats[proto === TCP ? 'tcp' : proto === UDP ? 'udp' : 'icmp']++;

    if (conn.alert !== null) {
      const at = conn.startUs + Math.floor(rand.real(0.0005, 0.05) * US_PER_SECOND);
      const alert = head('alert', at);
      ports(alert);
      alert.tx_id = 0;
      alert.alert = { action: 'allowed', gid: 1, signature_id: conn.alert.sid, rev: conn.alert.rev, signature: conn.alert.signature, category: conn.alert.category, severity: conn.alert.severity };
      if (app !== null) alert.app_proto = app;
      alert.direction = 'to_server';
      alert.flow = { pkts_toserver: Math.min(ts.p, 4), pkts_toclient: Math.min(tc.p, 3), bytes_toserver: Math.min(ts.b, 420), bytes_toclient: Math.min(tc.b, 260), start: this.time(conn.startUs) };
      alert.host = setup.host;
      this.push(at, alert);
      this.stats.alerts++;
    }

    // A few DNS transactions are logged in full (query and answer events) beside their flow.
    if (conn.service.key === 'dns' && answered && !swap && rand.chance(0.04)) {
      const answer = this.dns(conn, rand);
      if (answer !== null) {
        const txid = rand.int(1, 65535);
        const query = head('dns', conn.startUs);
        ports(query);
        query.dns = { type: 'query', id: txid, rrname: answer.rrname, rrtype: 'A', tx_id: 0, opcode: 0 };
        query.host = setup.host;
        this.push(conn.startUs, query);
        const replyAt = conn.startUs + Math.max(1, Math.floor((conn.endUs - conn.startUs) * 0.9));
        const reply = head('dns', replyAt);
        ports(reply, true);
        reply.dns = {
          version: 2,
          type: 'answer',
          id: txid,
          flags: answer.rdata === null ? '8183' : '8180',
          qr: true,
          rd: true,
          ra: true,
          opcode: 0,
          rrname: answer.rrname,
          rrtype: 'A',
          rcode: answer.rdata === null ? 'NXDOMAIN' : 'NOERROR',
          ...(answer.rdata === null ? {} : { answers: [{ rrname: answer.rrname, rrtype: 'A', ttl: rand.int(60, 1200), rdata: answer.rdata }], grouped: { A: [answer.rdata] } }),
        };
        reply.host = setup.host;
        this.push(replyAt, reply);
      }
    }
    return true;
  }

  /** The engine's counters every five minutes (the sensor's stats interval was raised from the default 8 s). */
  statsEvents(): void {
    const { setup, calendar, rand } = this;
    const totalFlows = this.written.length;
    let kernel = 0;
    let drops = 0;
    let n = 0;
    for (let at = calendar.startUs + 300 * US_PER_SECOND; at < setup.stopUs; at += 300 * US_PER_SECOND) {
      n++;
      const share = (at - calendar.startUs) / (setup.stopUs - calendar.startUs);
      const pkts = Math.round(this.stats.pkts * share);
      kernel = Math.max(kernel, Math.round(pkts * 1.04));
      drops += rand.chance(0.05) ? rand.int(100, 40_000) : 0;
      const stamp = at + rand.int(0, 999_999);
      const event = {
        timestamp: this.time(stamp),
        event_type: 'stats',
        stats: {
          uptime: 300 * n,
          capture: { kernel_packets: kernel, kernel_drops: drops, errors: 0 },
          decoder: { pkts, bytes: Math.round(this.stats.bytes * share), ipv4: pkts, ipv6: 0, ethernet: pkts, vlan: pkts, tcp: Math.round(pkts * 0.93), udp: Math.round(pkts * 0.069), icmpv4: Math.round(pkts * 0.001) },
          flow: { memcap: 0, tcp: Math.round(this.stats.tcp * share), udp: Math.round(this.stats.udp * share), icmpv4: Math.round(this.stats.icmp * share), spare: 10000, emerg_mode_entered: 0, memuse: rand.int(7_000_000, 9_000_000) },
          detect: { engines: [{ id: 0, last_reload: this.time(calendar.startUs - 3_600 * US_PER_SECOND), rules_loaded: 48_213, rules_failed: 34, rules_skipped: 0 }], alert: Math.round(this.stats.alerts * share) },
          flow_mgr: { flows_checked: Math.round(totalFlows * share * 3), flows_timeout: Math.round(totalFlows * share) },
        },
        host: setup.host,
      };
      this.push(stamp, event);
    }
  }

  private push(us: number, event: Record<string, unknown>): void {
    this.events.push({ us, line: JSON.stringify(event) });
  }
}
