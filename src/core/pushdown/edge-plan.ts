import { SERVICE_PORTS_IN_EPHEMERAL_RANGE } from '../flow/protocols';
import { NAMED_PORTS, PORT_CLASS, PORT_CLASS_BOUNDS } from '../model/port-class';
import { DirectionReason as R } from '../flow/record';
import { HOUR_UNKNOWN, MS_PER_HOUR } from '../ingest/door';
import type { ServerPortPin } from '../model/orient-conversations';
import {
  add, and, as, caseWhen, col, countDistinct, countRows, eq, flag, fn, ge, gt, int, isNotNull, isNull, keep, le, lt, max, min, ne, not, or,
  sum, text, textEq, textLe, textLt,
  type Column, type Expr, type Query, type Select,
} from './sql-ast';
import type { SourceRecord } from './source-record';
import { EDGE_FILE_COLUMNS } from './edge-file-columns';

/**
 * The edge aggregation as one query, the same steps as the embedded engine
 * (ingest/door.ts, ingest/fold-observers.ts, model/edges-sql.ts), stage by
 * stage, so that a warehouse returns exactly the edges_hourly rows the
 * engine would build from the same records:
 *
 * door         per (observer, hour, conversation): the two directions'
 *              records, packets and bytes; first and last time; allow and
 *              deny counts; explicit evidence of who opened it (door.ts).
 *              Read straight from the source table, so a distributed
 *              engine aggregates on its shards.
 * conv         observers folded: the larger count of each direction wins,
 *              allow/deny and evidence add up (fold-observers.ts).
 * conv_dir     evidence over the whole window and which side it says opened
 *              the conversation (edges-sql.ts's explicitOpener).
 * sides…degree listening-port evidence per endpoint, each endpoint's
 *              peers on a port both ends share, and each host's distinct
 *              peers (endpoint_evidence, same_port_degree, host_degree).
 * facts…orient client and server of each conversation and why, in the
 *              engine's order: explicit evidence > pins > listening port >
 *              port range > degree on a shared port > degree >
 *              tie-break.
 * result       edges per hour, with the query's digest and source in every
 *              row (edge-file-columns.ts).
 *
 * Rules every stage keeps so that all dialects print it alike: one join per
 * select, by USING, with the right side's columns renamed apart; no column
 * name reused for a different value inside a select (ClickHouse resolves
 * aliases query-wide); flags as 0/1 integers, "none" reasons as 0.
 */

export interface EdgePlanOptions {
  readonly record: SourceRecord;
  /** Exact filter on the record's start time, [fromMs, toMs). */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Partition conditions implied by the time filter. */
  readonly pruning?: readonly Expr[];
  readonly pins?: readonly ServerPortPin[];
  /** Written into every row: the query's SHA-256 and what it read. */
  readonly querySha256: string;
  readonly source: string;
}

/** model/port-class.ts's portClass over a port column (the conversation's protocol in `proto`). */
const portClass = (port: Expr): Expr =>
  caseWhen(
    [
      [lt(port, int(0)), int(PORT_CLASS.none)],
      [lt(port, int(PORT_CLASS_BOUNDS.registeredFrom)), int(PORT_CLASS.wellKnown)],
      [or(...[...NAMED_PORTS].map(([proto, ports]) => and(eq(col('proto'), int(proto)), or(...ports.map((named) => eq(port, int(named))))))), int(PORT_CLASS.named)],
      [or(lt(port, int(PORT_CLASS_BOUNDS.ephemeralFrom)), ...SERVICE_PORTS_IN_EPHEMERAL_RANGE.map((service) => eq(port, int(service)))), int(PORT_CLASS.registered)],
    ],
    int(PORT_CLASS.ephemeral),
  );

export function edgePlan(options: EdgePlanOptions): Query {
  const stages: { name: string; select: Select }[] = [];
  const stage = (name: string, select: Select): void => void stages.push({ name, select });

  stage('door', doorSelect(options));

  stage('conv', {
    from: { k: 'stage', name: 'door' },
    columns: [
      ...keep('hr', 'lo', 'lo_port', 'hi', 'hi_port', 'proto'),
      as('c_flows', fn('greatest', max(col('rec_lh')), max(col('rec_hl')))),
      as('c_packets', add(max(col('pkts_lh')), max(col('pkts_hl')))),
      as('c_bytes', add(max(col('bytes_lh')), max(col('bytes_hl')))),
      as('c_first', min(col('first_ms'))),
      as('c_last', max(col('last_ms'))),
      as('c_action', caseWhen([[gt(sum(col('deny_n')), int(0)), int(2)], [gt(sum(col('allow_n')), int(0)), int(1)]], int(0))),
      as('c_ev_lo', sum(col('ev_lo'))),
      as('c_ev_hi', sum(col('ev_hi'))),
      as('c_lo_reason', fn('coalesce', min(col('ev_lo_reason'), gt(col('ev_lo_reason'), int(0))), int(0))),
      as('c_hi_reason', fn('coalesce', min(col('ev_hi_reason'), gt(col('ev_hi_reason'), int(0))), int(0))),
    ],
    groupBy: ['hr', 'lo', 'lo_port', 'hi', 'hi_port', 'proto'],
  });

  stage('conv_dir', {
    from: { k: 'stage', name: 'conv' },
    columns: [
      ...keep('lo', 'lo_port', 'hi', 'hi_port', 'proto'),
      as('ev_lo_all', sum(col('c_ev_lo'))),
      as('ev_hi_all', sum(col('c_ev_hi'))),
      as('lo_reason_all', fn('coalesce', min(col('c_lo_reason'), gt(col('c_lo_reason'), int(0))), int(0))),
      as('hi_reason_all', fn('coalesce', min(col('c_hi_reason'), gt(col('c_hi_reason'), int(0))), int(0))),
    ],
    groupBy: ['lo', 'lo_port', 'hi', 'hi_port', 'proto'],
  });

  // Which side explicit evidence says opened the conversation: 1 lo, 2 hi, 0 absent or even.
  const loR = col('lo_reason_all');
  const hiR = col('hi_reason_all');
  stage('conv_open', {
    from: { k: 'stage', name: 'conv_dir' },
    columns: [
      ...keep('lo', 'lo_port', 'hi', 'hi_port', 'proto', 'lo_reason_all', 'hi_reason_all'),
      as(
        'opener',
        caseWhen(
          [
            [and(gt(loR, int(0)), or(eq(hiR, int(0)), lt(loR, hiR))), int(1)],
            [and(gt(hiR, int(0)), or(eq(loR, int(0)), lt(hiR, loR))), int(2)],
            [and(gt(loR, int(0)), gt(col('ev_lo_all'), col('ev_hi_all'))), int(1)],
            [and(gt(hiR, int(0)), gt(col('ev_hi_all'), col('ev_lo_all'))), int(2)],
          ],
          int(0),
        ),
      ),
    ],
  });

  // Each conversation seen from both of its endpoints.
  stage('sides', {
    from: {
      k: 'union',
      parts: [
        {
          from: { k: 'stage', name: 'conv_open' },
          columns: [as('s_host', col('lo')), as('s_port', col('lo_port')), as('s_proto', col('proto')), as('s_peer_host', col('hi')), as('s_peer_port', col('hi_port')), as('s_explicit', flag(eq(col('opener'), int(2))))],
        },
        {
          from: { k: 'stage', name: 'conv_open' },
          columns: [as('s_host', col('hi')), as('s_port', col('hi_port')), as('s_proto', col('proto')), as('s_peer_host', col('lo')), as('s_peer_port', col('lo_port')), as('s_explicit', flag(eq(col('opener'), int(1))))],
        },
      ],
    },
    columns: keep('s_host', 's_port', 's_proto', 's_peer_host', 's_peer_port', 's_explicit'),
  });

  stage('peer_ports', {
    from: { k: 'stage', name: 'sides' },
    columns: [...keep('s_host', 's_port', 's_proto', 's_peer_port'), as('p_explicit', max(col('s_explicit')))],
    groupBy: ['s_host', 's_port', 's_proto', 's_peer_port'],
  });

  // Only endpoints that can decide a conversation: two or more peer ports, or an explicit server role.
  stage('endpoints', {
    from: { k: 'stage', name: 'peer_ports' },
    columns: [...keep('s_host', 's_port', 's_proto'), as('e_peer_ports', countRows()), as('e_explicit', max(col('p_explicit')))],
    groupBy: ['s_host', 's_port', 's_proto'],
    having: or(ge(countRows(), int(2)), eq(max(col('p_explicit')), int(1))),
  });

  // Both ends on one port (NTP's 123 to 123): each endpoint's conversations on it (same_port_degree; a
  // host talking to itself counts at both ends, as there).
  stage('same_port_degrees', {
    from: { k: 'stage', name: 'sides' },
    where: eq(col('s_port'), col('s_peer_port')),
    columns: [...keep('s_host', 's_port', 's_proto'), as('q_degree', countRows())],
    groupBy: ['s_host', 's_port', 's_proto'],
  });

  stage('degrees', {
    from: { k: 'stage', name: 'sides' },
    columns: [keep('s_host')[0]!, as('g_degree', countDistinct(col('s_peer_host')))],
    groupBy: ['s_host'],
  });

  const orientationKey = ['lo', 'lo_port', 'hi', 'hi_port', 'proto', 'lo_reason_all', 'hi_reason_all', 'opener'];
  stage('with_lo_endpoint', {
    from: { k: 'stage', name: 'conv_open' },
    join: { kind: 'left', stage: 'endpoints', columns: [['s_host', 'lo'], ['s_port', 'lo_port'], ['s_proto', 'proto'], ['e_peer_ports', 'lo_peer_ports'], ['e_explicit', 'lo_explicit']], using: ['lo', 'lo_port', 'proto'] },
    columns: keep(...orientationKey, 'lo_peer_ports', 'lo_explicit'),
  });
  stage('with_hi_endpoint', {
    from: { k: 'stage', name: 'with_lo_endpoint' },
    join: { kind: 'left', stage: 'endpoints', columns: [['s_host', 'hi'], ['s_port', 'hi_port'], ['s_proto', 'proto'], ['e_peer_ports', 'hi_peer_ports'], ['e_explicit', 'hi_explicit']], using: ['hi', 'hi_port', 'proto'] },
    columns: keep(...orientationKey, 'lo_peer_ports', 'lo_explicit', 'hi_peer_ports', 'hi_explicit'),
  });
  stage('with_lo_port_degree', {
    from: { k: 'stage', name: 'with_hi_endpoint' },
    join: { kind: 'left', stage: 'same_port_degrees', columns: [['s_host', 'lo'], ['s_port', 'lo_port'], ['s_proto', 'proto'], ['q_degree', 'lo_port_degree']], using: ['lo', 'lo_port', 'proto'] },
    columns: keep(...orientationKey, 'lo_peer_ports', 'lo_explicit', 'hi_peer_ports', 'hi_explicit', 'lo_port_degree'),
  });
  stage('with_hi_port_degree', {
    from: { k: 'stage', name: 'with_lo_port_degree' },
    join: { kind: 'left', stage: 'same_port_degrees', columns: [['s_host', 'hi'], ['s_port', 'hi_port'], ['s_proto', 'proto'], ['q_degree', 'hi_port_degree']], using: ['hi', 'hi_port', 'proto'] },
    columns: keep(...orientationKey, 'lo_peer_ports', 'lo_explicit', 'hi_peer_ports', 'hi_explicit', 'lo_port_degree', 'hi_port_degree'),
  });
  stage('with_lo_degree', {
    from: { k: 'stage', name: 'with_hi_port_degree' },
    join: { kind: 'left', stage: 'degrees', columns: [['s_host', 'lo'], ['g_degree', 'lo_degree']], using: ['lo'] },
    columns: keep(...orientationKey, 'lo_peer_ports', 'lo_explicit', 'hi_peer_ports', 'hi_explicit', 'lo_port_degree', 'hi_port_degree', 'lo_degree'),
  });
  stage('with_hi_degree', {
    from: { k: 'stage', name: 'with_lo_degree' },
    join: { kind: 'left', stage: 'degrees', columns: [['s_host', 'hi'], ['g_degree', 'hi_degree']], using: ['hi'] },
    columns: keep(...orientationKey, 'lo_peer_ports', 'lo_explicit', 'hi_peer_ports', 'hi_explicit', 'lo_port_degree', 'hi_port_degree', 'lo_degree', 'hi_degree'),
  });

  // Missing right-hand rows count as 0 (NULL in most dialects, 0 already in ClickHouse).
  const zeroIfMissing = (name: string, as_: string): Column => as(as_, fn('coalesce', col(name), int(0)));
  const pins = options.pins ?? [];
  const pinned = (port: Expr): Expr =>
    pins.length === 0 ? int(0) : flag(or(...pins.map((pin) => and(eq(col('proto'), int(pin.proto)), eq(port, int(pin.port))))));
  stage('facts', {
    from: { k: 'stage', name: 'with_hi_degree' },
    columns: [
      ...keep(...orientationKey),
      zeroIfMissing('lo_peer_ports', 'f_lo_pp'),
      zeroIfMissing('hi_peer_ports', 'f_hi_pp'),
      zeroIfMissing('lo_explicit', 'f_lo_ex'),
      zeroIfMissing('hi_explicit', 'f_hi_ex'),
      // Only a conversation on one port at both ends is decided by it.
      as('f_lo_pdeg', caseWhen([[eq(col('lo_port'), col('hi_port')), fn('coalesce', col('lo_port_degree'), int(0))]], int(0))),
      as('f_hi_pdeg', caseWhen([[eq(col('lo_port'), col('hi_port')), fn('coalesce', col('hi_port_degree'), int(0))]], int(0))),
      zeroIfMissing('lo_degree', 'f_lo_deg'),
      zeroIfMissing('hi_degree', 'f_hi_deg'),
      as('f_lo_class', portClass(col('lo_port'))),
      as('f_hi_class', portClass(col('hi_port'))),
      as('f_lo_pin', pinned(col('lo_port'))),
      as('f_hi_pin', pinned(col('hi_port'))),
      as('f_lo_key', fn('ipSortKey', col('lo'))),
      as('f_hi_key', fn('ipSortKey', col('hi'))),
    ],
  });

  const f = (name: string): Expr => col(`f_${name}`);
  const factNames = ['lo_pp', 'hi_pp', 'lo_ex', 'hi_ex', 'lo_pdeg', 'hi_pdeg', 'lo_deg', 'hi_deg', 'lo_class', 'hi_class', 'lo_pin', 'hi_pin', 'lo_key', 'hi_key'].map((name) => `f_${name}`);
  stage('rules', {
    from: { k: 'stage', name: 'facts' },
    columns: [
      ...keep(...orientationKey, ...factNames),
      as('lo_listens', flag(and(ge(f('lo_pp'), int(2)), gt(f('lo_pp'), f('hi_pp')), not(and(eq(f('lo_class'), int(PORT_CLASS.ephemeral)), gt(f('hi_class'), int(PORT_CLASS.ephemeral))))))),
      as('hi_listens', flag(and(ge(f('hi_pp'), int(2)), gt(f('hi_pp'), f('lo_pp')), not(and(eq(f('hi_class'), int(PORT_CLASS.ephemeral)), gt(f('lo_class'), int(PORT_CLASS.ephemeral))))))),
    ],
  });

  const opener = col('opener');
  const loPort = col('lo_port');
  const hiPort = col('hi_port');
  // 1 when hi is the server: edges-sql.ts's `decided` CASE, branch for branch.
  const serverIsHi = caseWhen(
    [
      [eq(opener, int(1)), int(1)],
      [eq(opener, int(2)), int(0)],
      [and(eq(f('lo_pin'), int(1)), eq(f('hi_pin'), int(0))), int(0)],
      [and(eq(f('hi_pin'), int(1)), eq(f('lo_pin'), int(0))), int(1)],
      [and(eq(f('lo_ex'), int(1)), eq(f('hi_ex'), int(0))), int(0)],
      [and(eq(f('hi_ex'), int(1)), eq(f('lo_ex'), int(0))), int(1)],
      [eq(col('lo_listens'), int(1)), int(0)],
      [eq(col('hi_listens'), int(1)), int(1)],
      [gt(f('lo_class'), f('hi_class')), int(0)],
      [gt(f('hi_class'), f('lo_class')), int(1)],
      [gt(f('lo_pdeg'), f('hi_pdeg')), int(0)],
      [gt(f('hi_pdeg'), f('lo_pdeg')), int(1)],
      [gt(f('lo_deg'), f('hi_deg')), int(0)],
      [gt(f('hi_deg'), f('lo_deg')), int(1)],
      [and(ge(loPort, int(0)), lt(loPort, hiPort)), int(0)],
      [and(ge(hiPort, int(0)), lt(hiPort, loPort)), int(1)],
      [textLe(f('lo_key'), f('hi_key')), int(0)],
    ],
    int(1),
  );
  const reason = caseWhen(
    [
      [eq(opener, int(1)), col('lo_reason_all')],
      [eq(opener, int(2)), col('hi_reason_all')],
      [ne(f('lo_pin'), f('hi_pin')), int(R.pinnedPort)],
      [or(ne(f('lo_ex'), f('hi_ex')), eq(col('lo_listens'), int(1)), eq(col('hi_listens'), int(1))), int(R.listeningPort)],
      [ne(f('lo_class'), f('hi_class')), int(R.portRange)],
      [or(ne(f('lo_pdeg'), f('hi_pdeg')), ne(f('lo_deg'), f('hi_deg'))), int(R.degree)],
    ],
    int(R.tieBreak),
  );
  stage('orientation', {
    from: { k: 'stage', name: 'rules' },
    columns: [...keep('lo', 'lo_port', 'hi', 'hi_port', 'proto'), as('server_is_hi', serverIsHi), as('o_reason', reason)],
  });

  const hiServes = eq(col('server_is_hi'), int(1));
  const resultColumns: Record<(typeof EDGE_FILE_COLUMNS)[number], Expr> = {
    hour: col('hr'),
    client: caseWhen([[hiServes, col('lo')]], col('hi')),
    server: caseWhen([[hiServes, col('hi')]], col('lo')),
    proto: col('proto'),
    port: caseWhen([[hiServes, col('hi_port')]], col('lo_port')),
    action: col('c_action'),
    flows: sum(col('c_flows')),
    packets: sum(col('c_packets')),
    bytes: sum(col('c_bytes')),
    first_ms: min(col('c_first')),
    last_ms: max(col('c_last')),
    reason: min(col('o_reason')),
    query_sha256: text(options.querySha256),
    source: text(options.source),
  };
  stage('result', {
    from: { k: 'stage', name: 'conv' },
    join: {
      kind: 'inner',
      stage: 'orientation',
      columns: [['lo', 'lo'], ['lo_port', 'lo_port'], ['hi', 'hi'], ['hi_port', 'hi_port'], ['proto', 'proto'], ['server_is_hi', 'server_is_hi'], ['o_reason', 'o_reason']],
      using: ['lo', 'lo_port', 'hi', 'hi_port', 'proto'],
    },
    columns: EDGE_FILE_COLUMNS.map((name) => as(name, resultColumns[name])),
    groupBy: ['hour', 'client', 'server', 'proto', 'port', 'action'],
    orderBy: ['hour', 'client', 'server', 'proto', 'port', 'action'],
  });
  return { stages };
}

/**
 * Door aggregates straight from the source table (door.ts's add, in SQL):
 * lo is the endpoint whose address text sorts first (then the lower port);
 * a record's counters go to its direction, the reverse counters to the other.
 */
function doorSelect(options: EdgePlanOptions): Select {
  const r = options.record;
  const conditions: Expr[] = [r.accepted];
  if (options.fromMs !== undefined) conditions.push(isNotNull(r.startMs), ge(r.startMs, int(options.fromMs)));
  if (options.toMs !== undefined) conditions.push(isNotNull(r.startMs), lt(r.startMs, int(options.toMs)));
  conditions.push(...(options.pruning ?? []));
  // The record's fields once, as the parser would fill a FlowRecord.
  const record: Column[] = [
    as('r_observer', r.observer),
    as('r_src', r.src),
    as('r_dst', r.dst),
    as('r_sport', r.srcPort),
    as('r_dport', r.dstPort),
    as('r_proto', r.proto),
    as('r_records', r.records),
    as('r_packets', r.packets),
    as('r_bytes', r.bytes),
    as('r_rpackets', r.revPackets),
    as('r_rbytes', r.revBytes),
    as('r_start', r.startMs),
    as('r_end', r.endMs),
    as('r_action', r.action),
    as('r_hint', r.hint),
    as('r_reason', r.hintReason),
  ];
  const v = (name: string): Expr => col(`r_${name}`);
  const srcIsLo = or(textLt(v('src'), v('dst')), and(textEq(v('src'), v('dst')), le(v('sport'), v('dport'))));
  // The source opened it when its hint says so; lo opened it when that source is lo, or hi answered.
  const derived: Column[] = [
    as('d_src_lo', flag(srcIsLo)),
    as('d_lo_opened', flag(or(and(eq(v('hint'), int(1)), srcIsLo), and(eq(v('hint'), int(2)), not(srcIsLo))))),
    as('d_hi_opened', flag(or(and(eq(v('hint'), int(1)), not(srcIsLo)), and(eq(v('hint'), int(2)), srcIsLo)))),
  ];
  const srcLo = eq(col('d_src_lo'), int(1));
  const pick = (ifLo: Expr, ifHi: Expr): Expr => caseWhen([[srcLo, ifLo]], ifHi);
  const hour = caseWhen([[isNull(v('start')), int(HOUR_UNKNOWN)]], fn('intDiv', v('start'), int(MS_PER_HOUR)));
  return {
    from: { k: 'source' },
    where: and(...conditions),
    lets: [record, derived],
    columns: [
      as('observer', v('observer')),
      as('hr', hour),
      as('lo', pick(v('src'), v('dst'))),
      as('lo_port', pick(v('sport'), v('dport'))),
      as('hi', pick(v('dst'), v('src'))),
      as('hi_port', pick(v('dport'), v('sport'))),
      as('proto', v('proto')),
      as('rec_lh', sum(v('records'), srcLo)),
      as('rec_hl', sum(v('records'), not(srcLo))),
      as('pkts_lh', sum(pick(v('packets'), v('rpackets')))),
      as('bytes_lh', sum(pick(v('bytes'), v('rbytes')))),
      as('pkts_hl', sum(pick(v('rpackets'), v('packets')))),
      as('bytes_hl', sum(pick(v('rbytes'), v('bytes')))),
      as('first_ms', min(v('start'))),
      as('last_ms', max(v('end'))),
      as('allow_n', sum(v('records'), eq(v('action'), int(1)))),
      as('deny_n', sum(v('records'), eq(v('action'), int(2)))),
      as('ev_lo', sum(v('records'), eq(col('d_lo_opened'), int(1)))),
      as('ev_hi', sum(v('records'), eq(col('d_hi_opened'), int(1)))),
      as('ev_lo_reason', fn('coalesce', min(v('reason'), eq(col('d_lo_opened'), int(1))), int(0))),
      as('ev_hi_reason', fn('coalesce', min(v('reason'), eq(col('d_hi_opened'), int(1))), int(0))),
    ],
    groupBy: ['observer', 'hr', 'lo', 'lo_port', 'hi', 'hi_port', 'proto'],
  };
}
