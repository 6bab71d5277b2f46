import { caseWhen, col, eq, fn, int, or, type Expr } from '../sql-ast';
import type { SourceFormat } from '../source-record';

/**
 * NetFlow/IPFIX/sFlow collected by goflow2 into ClickHouse: the flows_raw
 * MergeTree of goflow2's compose/kcg/clickhouse/create.sh (addresses as
 * FixedString(16), IPv4 in the first four bytes when EType is 0x0800;
 * TimeFlowStart as DateTime). Akvorado's flows table holds the same fields
 * under the same names (SrcAddr, DstAddr as IPv6, Proto, SrcPort, DstPort,
 * Bytes, Packets). Read as ingest/formats/nfdump.ts reads a record: one
 * direction, the exporter as the observer; this layout keeps no TCP flags,
 * so direction is left to the data set.
 */

const c = (name: string): Expr => col(name);
const proto = c('Proto');
const hasPorts = or(...[6, 17, 132, 33, 136].map((n) => eq(proto, int(n))));
const startMs = fn('epochMs', c('TimeFlowStart'));

export const netflowSource: SourceFormat = {
  id: 'netflow',
  description: 'NetFlow/IPFIX in ClickHouse (goflow2 flows_raw; Akvorado-style columns)',
  dialects: ['clickhouse'],
  defaultTable: 'flows_raw',
  record: {
    accepted: or(eq(c('EType'), int(2048)), eq(c('EType'), int(34525))),
    observer: fn('hex', c('SamplerAddress')),
    src: fn('goflowAddressText', c('SrcAddr'), c('EType')),
    dst: fn('goflowAddressText', c('DstAddr'), c('EType')),
    srcPort: caseWhen([[hasPorts, c('SrcPort')]], int(-1)),
    dstPort: caseWhen([[hasPorts, c('DstPort')]], int(-1)),
    proto,
    records: int(1),
    packets: c('Packets'),
    bytes: c('Bytes'),
    revPackets: int(0),
    revBytes: int(0),
    startMs,
    endMs: startMs,
    action: int(0),
    hint: int(0),
    hintReason: int(0),
  },
  pruning(fromMs, toMs) {
    // flows_raw is partitioned by Date (the day the collector received the flow, never before it started).
    const day = (ms: number): Expr => int(Math.floor(ms / 86_400_000));
    const date = fn('intDiv', fn('epochMs', c('TimeReceived')), int(86_400_000));
    const conditions: Expr[] = [];
    if (fromMs !== undefined) conditions.push({ k: 'cmp', op: '>=', left: date, right: day(fromMs) });
    if (toMs !== undefined) conditions.push({ k: 'cmp', op: '<=', left: date, right: day(toMs + 86_400_000) });
    return conditions;
  },
  tableDdl: {
    clickhouse: `-- goflow2's flows_raw (github.com/netsampler/goflow2, compose/kcg/clickhouse/create.sh)
CREATE TABLE flows_raw (
  Date Date, TimeReceived DateTime, TimeFlowStart DateTime,
  SequenceNum UInt32, SamplingRate UInt64, SamplerAddress FixedString(16),
  SrcAddr FixedString(16), DstAddr FixedString(16), SrcAS UInt32, DstAS UInt32,
  EType UInt32, Proto UInt32, SrcPort UInt32, DstPort UInt32, Bytes UInt64, Packets UInt64
) ENGINE = MergeTree() PARTITION BY Date ORDER BY TimeReceived;`,
  },
  references: ['https://github.com/netsampler/goflow2/blob/main/compose/kcg/clickhouse/create.sh', 'https://github.com/akvorado/akvorado (orchestrator/clickhouse/migrations)'],
  differences: [
    'counters are as exported, not multiplied by SamplingRate (as the embedded nfdump/pmacct readers)',
    'no TCP flags in this layout: direction comes from listening-port evidence, port ranges and degree',
  ],
};
