import { DirectionReason } from '../../flow/record';
import { and, caseWhen, col, eq, fn, int, isNotNull, or, text, type Expr } from '../sql-ast';
import type { SourceFormat } from '../source-record';

/**
 * Azure VNet flow logs as Traffic Analytics writes them to Log Analytics:
 * the NTANetAnalytics table (SubType "FlowLog"), one row per flow
 * aggregated over a processing interval with its flow counts. Read as
 * ingest/formats/azure-vnet.ts reads tuples: the source opened the flow
 * (Azure's tuples are initiator-first), D is denied, the capturing NIC
 * (the destination's for inbound, the source's for outbound) observes.
 */

const c = (name: string): Expr => col(name);
const protocol = caseWhen([[eq(c('L4Protocol'), text('T')), int(6)], [eq(c('L4Protocol'), text('U')), int(17)]], int(0));
const flows = (name: string): Expr => fn('coalesce', c(name), int(0));

export const azureVnetSource: SourceFormat = {
  id: 'azure-vnet',
  description: 'Azure VNet flow logs in Log Analytics (Traffic Analytics NTANetAnalytics table)',
  dialects: ['kql'],
  defaultTable: 'NTANetAnalytics',
  record: {
    accepted: and(eq(c('SubType'), text('FlowLog')), isNotNull(c('SrcIp')), isNotNull(c('DestIp')), or(eq(c('L4Protocol'), text('T')), eq(c('L4Protocol'), text('U')))),
    observer: caseWhen([[eq(c('FlowDirection'), text('I')), fn('coalesce', c('DestNic'), text(''))]], fn('coalesce', c('SrcNic'), text(''))),
    src: c('SrcIp'),
    dst: c('DestIp'),
    // Traffic Analytics aggregates source ports away.
    srcPort: int(-1),
    dstPort: fn('coalesce', c('DestPort'), int(-1)),
    proto: protocol,
    records: { k: 'arith', op: '+', left: { k: 'arith', op: '+', left: flows('AllowedInFlows'), right: flows('AllowedOutFlows') }, right: { k: 'arith', op: '+', left: flows('DeniedInFlows'), right: flows('DeniedOutFlows') } },
    packets: fn('coalesce', c('PacketsSrcToDest'), int(0)),
    bytes: fn('coalesce', c('BytesSrcToDest'), int(0)),
    revPackets: fn('coalesce', c('PacketsDestToSrc'), int(0)),
    revBytes: fn('coalesce', c('BytesDestToSrc'), int(0)),
    startMs: fn('epochMs', c('FlowStartTime')),
    endMs: fn('epochMs', fn('coalesce', c('FlowEndTime'), c('FlowStartTime'))),
    action: caseWhen([[eq(c('FlowStatus'), text('D')), int(2)]], int(1)),
    hint: int(1),
    hintReason: int(DirectionReason.initiator),
  },
  pruning(fromMs, toMs) {
    // TimeGenerated (the table's time column, which Log Analytics indexes) is after the flow started.
    const conditions: Expr[] = [];
    if (fromMs !== undefined) conditions.push({ k: 'cmp', op: '>=', left: fn('epochMs', c('TimeGenerated')), right: int(fromMs) });
    if (toMs !== undefined) conditions.push({ k: 'cmp', op: '<', left: fn('epochMs', c('TimeGenerated')), right: int(toMs + 86_400_000) });
    return conditions;
  },
  tableDdl: {
    kql: `// NTANetAnalytics is created by Traffic Analytics; the columns the query reads
// (learn.microsoft.com/azure/azure-monitor/reference/tables/ntanetanalytics)
// TimeGenerated:datetime, SubType:string, FlowType:string, SrcIp:string, DestIp:string, DestPort:int,
// L4Protocol:string (T/U), FlowDirection:string (I/O), FlowStatus:string (A/D),
// FlowStartTime:datetime, FlowEndTime:datetime, AllowedInFlows:long, DeniedInFlows:long,
// AllowedOutFlows:long, DeniedOutFlows:long, PacketsSrcToDest:long, PacketsDestToSrc:long,
// BytesSrcToDest:long, BytesDestToSrc:long, SrcNic:string, DestNic:string`,
  },
  references: ['https://learn.microsoft.com/azure/azure-monitor/reference/tables/ntanetanalytics'],
  differences: [
    'Traffic Analytics drops source ports: conversations are (source, destination port), so listening-port evidence is not available; the recorded initiator decides every flow, as it does for raw VNet tuples',
    'a row stands for its flow counts (allowed and denied, in and out), not one tuple',
  ],
};
