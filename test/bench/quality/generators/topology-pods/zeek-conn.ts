// Connections as Zeek conn.log records in Zeek's JSON encoding (one object a
// line, epoch-seconds `ts`, fields in Zeek's order, unset fields left out),
// the shape of ../shared/data/samples/zeek/conn.doc-examples.ndjson and the
// brimdata sample.
//
// One-way capture: one sensor that sees only the originators' packets (a
// mirror port on the uplink of one direction). Zeek then logs only upper-case
// history letters, nothing from the responder (resp_pkts 0, resp_bytes 0), a
// refused connection as an unanswered SYN (S0), and a completed TCP
// connection as SH (SYN and FIN seen, no SYN-ACK).
import type { Prng } from './random';

export type Outcome = 'ok' | 'refused' | 'unanswered';

export interface Conn {
  readonly orig: string;
  readonly origPort: number;
  readonly resp: string;
  readonly respPort: number;
  readonly proto: 6 | 17;
  readonly startMs: number;
  readonly durationMs: number;
  readonly origBytes: number;
  readonly respBytes: number;
  readonly outcome: Outcome;
}

const UID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SERVICE_BY_PORT: Readonly<Record<number, string>> = { 22: 'ssh', 53: 'dns', 80: 'http', 443: 'ssl', 8080: 'http', 9080: 'http', 8079: 'http', 5000: 'http' };

const isLocal = (ip: string): boolean => ip.startsWith('10.') || ip.startsWith('172.18.');
const round6 = (seconds: number): number => Math.round(seconds * 1e6) / 1e6;

export function zeekConnLine(conn: Conn, oneWay: boolean, random: Prng): string {
  const tcp = conn.proto === 6;
  const segment = tcp ? 1448 : 1472;
  const header = tcp ? 52 : 28;
  let history: string;
  let state: string;
  let origPkts: number;
  let respPkts: number;
  let origBytes = conn.origBytes;
  let respBytes = conn.respBytes;
  let duration: number | null = (conn.durationMs + random.next()) / 1000;
  if (conn.outcome === 'ok') {
    origPkts = Math.ceil(origBytes / segment) + (tcp ? 3 : 0);
    respPkts = Math.ceil(respBytes / segment) + (tcp ? 2 : 0);
    if (!tcp && origPkts === 0) origPkts = 1;
    history = tcp ? 'ShADadFf' : respBytes > 0 ? 'Dd' : 'D';
    state = tcp ? 'SF' : respBytes > 0 ? 'SF' : 'S0';
  } else if (conn.outcome === 'refused' && tcp) {
    origPkts = 1;
    respPkts = 1;
    origBytes = 0;
    respBytes = 0;
    history = 'Sr';
    state = 'REJ';
  } else {
    origPkts = tcp ? random.int(1, 3) : Math.max(1, Math.ceil(origBytes / segment));
    respPkts = 0;
    if (tcp) origBytes = 0;
    respBytes = 0;
    history = tcp ? 'S' : 'D';
    state = 'S0';
    if (origPkts === 1) duration = null;
  }
  if (oneWay) {
    history = history.replace(/[a-z^]/g, '');
    respPkts = 0;
    respBytes = 0;
    if (tcp && history === 'SADF') state = 'SH';
    else if (state === 'REJ' || state === 'SF') state = 'S0';
    if (tcp && history.length === 0) history = 'S';
  }
  const record: Record<string, unknown> = {
    ts: round6((conn.startMs + random.next()) / 1000),
    uid: `C${random.text(UID_ALPHABET, 17)}`,
    'id.orig_h': conn.orig,
    'id.orig_p': conn.origPort,
    'id.resp_h': conn.resp,
    'id.resp_p': conn.respPort,
    proto: tcp ? 'tcp' : 'udp',
  };
  const service = SERVICE_BY_PORT[conn.respPort];
  if (service !== undefined && conn.outcome === 'ok' && !oneWay) record.service = service;
  if (duration !== null) {
    record.duration = round6(duration);
    record.orig_bytes = origBytes;
    record.resp_bytes = respBytes;
  }
  record.conn_state = state;
  record.local_orig = isLocal(conn.orig);
  record.local_resp = isLocal(conn.resp);
  record.missed_bytes = 0;
  record.history = history;
  record.orig_pkts = origPkts;
  record.orig_ip_bytes = origBytes + origPkts * header;
  record.resp_pkts = respPkts;
  record.resp_ip_bytes = respBytes + respPkts * header;
  record.ip_proto = conn.proto;
  return JSON.stringify(record);
}
