// Azure NSG flow logs, version 2, as the storage account holds them:
// {"records":[…]}, one record per NSG and minute, its tuples grouped by rule
// and then by NIC (MAC). A tuple is "ts,src,dst,sport,dport,T|U,I|O,A|D,
// B|C|E,pkts→,bytes→,pkts←,bytes←", always written initiator first: B when
// the flow begins (no counters), C every five minutes while it lasts, E when
// it ends (counters since the previous tuple). A flow the NSG denies is one
// D,B tuple with empty counters. One file per NSG and day.
//
// Who logs a connection: both ends' NSGs (the client's outbound, the
// server's inbound), or with oneWay only one of them: the server's NSG when
// the server is ours (where denials are decided), else the client's. The
// tuples themselves carry both directions' counters either way; what one-way
// removes is the second observer.

import { ALL_NSGS, macOf, nsgOf, type Nsg } from './address-plan';
import { DAY_MS, START_MS } from './calendar';
import type { Connection } from './connection';
import { hash32 } from './random';
import type { ScenarioFile } from '../../scenario';

const C_INTERVAL_S = 300;

const PORT_NAMES: Readonly<Record<number, string>> = {
  22: 'ssh', 53: 'dns', 80: 'http', 88: 'kerberos', 123: 'ntp', 135: 'rpc', 389: 'ldap', 443: 'https', 445: 'smb',
  514: 'syslog', 1433: 'mssql', 3000: 'grafana', 3128: 'proxy', 3142: 'apt', 3268: 'gc', 3389: 'rdp', 5022: 'sql-ag',
  5432: 'postgres', 5672: 'amqp', 5985: 'winrm', 6379: 'redis', 6514: 'syslog-tls', 8080: 'http-8080', 8443: 'https-8443',
  8530: 'wsus', 9090: 'tcp-9090', 9092: 'kafka', 9100: 'node-exporter', 9182: 'windows-exporter', 9187: 'pg-exporter',
  9443: 'https-9443', 25672: 'rabbit-cluster', 27017: 'mongodb',
};

interface Tuple {
  readonly rule: string;
  readonly mac: string;
  readonly ts: number;
  readonly text: string;
}

function inboundRule(c: Connection, fromInternet: boolean): string {
  if (c.decision === 'D') return fromInternet ? 'DefaultRule_DenyAllInBound' : 'UserRule_deny-all-in';
  const name = PORT_NAMES[c.port] ?? `${c.proto === 6 ? 'tcp' : 'udp'}-${c.port}`;
  return fromInternet ? `UserRule_allow-${name}-internet-in` : `UserRule_allow-${name}-in`;
}

/** B, then C every five minutes, then E; counters split in proportion to time. */
function allowedTuples(c: Connection, head: string, clientSide: boolean): { ts: number; text: string }[] {
  const start = c.startMs / 1_000;
  const end = start + c.durationS;
  // The client's NSG saw a denied flow leave and never come back.
  const back = clientSide && c.decision === 'D' ? { p: 0, b: 0 } : { p: c.pktsBack, b: c.bytesBack };
  const totals = [c.pktsOut, c.bytesOut, back.p, back.b];
  const at = (t: number): number[] => totals.map((total) => (c.durationS === 0 ? total : Math.round((total * (t - start)) / c.durationS)));
  const out = [{ ts: start, text: `${start},${head},A,B,,,,` }];
  let previous = at(start);
  const marks: { t: number; state: string }[] = [];
  for (let t = start + C_INTERVAL_S; t < end; t += C_INTERVAL_S) marks.push({ t, state: 'C' });
  marks.push({ t: end, state: 'E' });
  for (const { t, state } of marks) {
    const now = at(t);
    const delta = now.map((v, i) => v - previous[i]!);
    out.push({ ts: t, text: `${t},${head},A,${state},${delta.join(',')}` });
    previous = now;
  }
  return out;
}

export class NsgLogWriter {
  /** Per NSG, per minute: the minute's tuples (sorted only when written, a minute at a time). */
  private readonly tuples = new Map<Nsg, Map<number, Tuple[]>>(ALL_NSGS.map((nsg) => [nsg, new Map()]));

  constructor(
    private readonly seed: number,
    private readonly oneWay: boolean,
  ) {}

  add(c: Connection): void {
    const clientNsg = nsgOf(c.client);
    const serverNsg = nsgOf(c.server);
    const proto = c.proto === 6 ? 'T' : 'U';
    const pair = `${c.client},${c.server},${c.clientPort},${c.port},${proto}`;
    const logServer = serverNsg !== null;
    const logClient = clientNsg !== null && (!this.oneWay || serverNsg === null);
    if (logServer) {
      const rule = inboundRule(c, clientNsg === null);
      const mac = macOf(c.server, this.seed);
      const tuples = c.decision === 'D' ? [{ ts: c.startMs / 1_000, text: `${c.startMs / 1_000},${pair},I,D,B,,,,` }] : allowedTuples(c, `${pair},I`, false);
      for (const t of tuples) this.push(serverNsg, rule, mac, t);
    }
    if (logClient) {
      const rule = serverNsg === null ? 'DefaultRule_AllowInternetOutBound' : 'DefaultRule_AllowVnetOutBound';
      const mac = macOf(c.client, this.seed);
      for (const t of allowedTuples(c, `${pair},O`, true)) this.push(clientNsg, rule, mac, t);
    }
  }

  private push(nsg: Nsg, rule: string, mac: string, t: { ts: number; text: string }): void {
    const minutes = this.tuples.get(nsg)!;
    const minute = Math.floor(t.ts / 60);
    let list = minutes.get(minute);
    if (list === undefined) minutes.set(minute, (list = []));
    list.push({ rule, mac, ts: t.ts, text: t.text });
  }

  /** Tuples written so far (for the report). */
  count(): number {
    let n = 0;
    for (const minutes of this.tuples.values()) for (const list of minutes.values()) n += list.length;
    return n;
  }

  files(): ScenarioFile[] {
    const files: ScenarioFile[] = [];
    for (const nsg of ALL_NSGS) {
      const minutes = this.tuples.get(nsg)!;
      const byDay = new Map<number, string[]>();
      for (const minute of [...minutes.keys()].sort((a, b) => a - b)) {
        const list = minutes.get(minute)!.sort((a, b) => cmp(a.rule, b.rule) || cmp(a.mac, b.mac) || a.ts - b.ts || cmp(a.text, b.text));
        const day = Math.floor((minute * 60_000 - START_MS) / DAY_MS);
        const records = byDay.get(day) ?? [];
        records.push(this.record(nsg, minute, list, 0, list.length));
        byDay.set(day, records);
      }
      for (const [day, records] of [...byDay].sort((a, b) => a[0] - b[0])) {
        const date = new Date(START_MS + day * DAY_MS);
        const y = date.getUTCFullYear();
        const m = String(date.getUTCMonth() + 1).padStart(2, '0');
        const d = String(date.getUTCDate()).padStart(2, '0');
        files.push({ name: `${nsg.name}_y=${y}_m=${m}_d=${d}.json`, content: `{"records":[${records.join(',\n')}]}\n` });
      }
    }
    return files;
  }

  /** One record: the minute's tuples of one NSG, by rule, then by MAC. Written a little after the minute closes. */
  private record(nsg: Nsg, minute: number, tuples: readonly Tuple[], from: number, to: number): string {
    // Built as text (same key order as JSON.stringify would give): a fortnight is ~100,000 records.
    let flows = '';
    for (let i = from; i < to; ) {
      const rule = tuples[i]!.rule;
      let macs = '';
      while (i < to && tuples[i]!.rule === rule) {
        const mac = tuples[i]!.mac;
        let list = '';
        for (; i < to && tuples[i]!.rule === rule && tuples[i]!.mac === mac; i++) list += `${list === '' ? '' : ','}"${tuples[i]!.text}"`;
        macs += `${macs === '' ? '' : ','}{"mac":"${mac}","flowTuples":[${list}]}`;
      }
      flows += `${flows === '' ? '' : ','}{"rule":"${rule}","flows":[${macs}]}`;
    }
    const h = hash32(`${this.seed}:${nsg.name}:${minute}`);
    const written = new Date((minute + 1) * 60_000 + (h % 59_000)).toISOString().replace('Z', `${String(h % 10_000).padStart(4, '0')}Z`);
    return (
      `{"time":"${written}","systemId":"${nsg.systemId}","category":"NetworkSecurityGroupFlowEvent","resourceId":"${nsg.resourceId}",` +
      `"operationName":"NetworkSecurityGroupFlowEvents","properties":{"Version":2,"flows":[${flows}]}}`
    );
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
