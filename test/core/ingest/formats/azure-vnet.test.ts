import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { sniffSample } from '../../../../src/core/ingest/sniff';
import { azureNsgFormat } from '../../../../src/core/ingest/formats/azure-nsg';
import { azureVnetFormat } from '../../../../src/core/ingest/formats/azure-vnet';
import { expectAccounted, parsePath, parseText } from '../../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

describe.skipIf(!HAS_SHARED_DATA)('azure-vnet on the real samples (needs ../shared/data)', () => {
  it('reads v4 tuples: epoch ms, numeric protocol, state D as deny with zero counters, ACL observers', async () => {
    const parsed = await parsePath(sample('elastic-integrations/azure_vnet/testdata-records.json'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'azure-vnet', read: 19, accepted: 19, rejected: 0 });
    expect(parsed.records[0]).toMatchObject({
      startMs: 1663146003599,
      endMs: 1663146003599,
      src: '10.0.0.6',
      dst: '52.239.184.180',
      srcPort: 23956,
      dstPort: 443,
      proto: 6,
      packets: 0,
      action: Action.allow,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
      observer: '00224871C205@00000000-1234-abcd-ef00-c1c2c3c4c5c6',
    });
    expect(parsed.records[9]).toMatchObject({ src: '10.0.0.6', dst: '104.16.218.84', packets: 22, bytes: 2217, revPackets: 33, revBytes: 32466 });
    const denied = parsed.records.filter((record) => record.action === Action.deny);
    expect(denied).toHaveLength(9);
    expect(denied.every((record) => record.packets === 0 && record.bytes === 0 && record.dst === '10.0.0.6')).toBe(true);
    expect(denied[0]).toMatchObject({ src: '101.33.218.153', dstPort: 22, observer: '00224871C205@01020304-abcd-ef00-1234-102030405060' });
  });

  it('is claimed by the VNet sniffer only, also when records come one per line', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(sample('elastic-integrations/azure_vnet/testdata-records.json'), 'utf8');
    expect(azureVnetFormat.sniff(sniffSample(text))).toBe(1);
    expect(azureNsgFormat.sniff(sniffSample(text))).toBe(0);
    const line = await parsePath(sample('elastic-integrations/azure_vnet/test-vnet.log'));
    expectAccounted(line);
    expect(line.report.format).toBe('azure-vnet');
    expect(line.report.accepted).toBeGreaterThan(0);
  });
});

function vnetBlob(flows: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    records: [
      {
        time: '2024-01-01T00:01:00.0000000Z',
        flowLogVersion: 4,
        macAddress: '00224871c205',
        category: 'FlowLogFlowEvent',
        flowLogResourceID: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NW/FLOWLOGS/F',
        operationName: 'FlowLogFlowEvent',
        flowRecords: { flows },
        ...extra,
      },
    ],
  });
}

describe('azure-vnet edge cases', () => {
  it('rejects bad tuples with their path and reads ICMP without ports', async () => {
    const parsed = await parseText(
      vnetBlob([
        {
          aclID: 'acl-1',
          flowGroups: [
            {
              rule: 'R',
              flowTuples: [
                '1704067200000,10.0.0.4,10.0.0.5,0,0,1,O,E,NX,4,336,4,336',
                '1704067200000,10.0.0.4,10.0.0.5,50000,53,17,O,C,X,1,80,1,120',
                '1704067200000,10.0.0.4,10.0.0.5,50000,53,999,O,C,X,1,80,1,120',
                '1704067200000,10.0.0.4,10.0.0.5,50000,53,17,O,A,X,1,80,1,120',
                '1704067200000,10.0.0.4,10.0.0.5,50000,53,17,X,C,X,1,80,1,120',
                '1704067200,10.0.0.4,10.0.0.5,50000,443,T,O,A,B,,,,',
                '1704067200000,10.0.0.4,10.0.0.5,50000,53,17,O,C,X,1,80,1',
              ],
            },
          ],
        },
        { aclID: 'acl-2' },
      ]),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'azure-vnet', read: 8, accepted: 2, rejected: 6 });
    expect(parsed.records[0]).toMatchObject({ proto: 1, srcPort: -1, dstPort: -1, packets: 4, action: Action.allow, observer: '00224871C205@acl-1' });
    expect(parsed.records[1]).toMatchObject({ proto: 17, srcPort: 50000, dstPort: 53, revBytes: 120 });
    expect(parsed.report.rejectReasons).toEqual({
      'protocol: unknown protocol': 2, // 999, and the NSG-style letter T
      'state: expected one of B, C, E, D': 1,
      'direction: expected one of I, O': 1,
      'flowTuple: expected 13 comma-separated fields': 1,
      'flowRecords.flows[1].flowGroups: missing': 1,
    });
    expect(parsed.rejects[0]!.reason).toBe('element 0: flowRecords.flows[0].flowGroups[0].flowTuples[2]: protocol: unknown protocol (got "999")');
  });

  it('names an NSG record found in a VNet blob', async () => {
    const parsed = await parseText(
      JSON.stringify({
        records: [
          { flowLogVersion: 4, category: 'FlowLogFlowEvent', flowRecords: { flows: [] } },
          { category: 'FlowLogFlowEvent', properties: { Version: 2, flows: [] } },
        ],
      }),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'azure-vnet', read: 1, rejected: 1 });
    expect(parsed.rejects[0]!.reason).toContain('flowRecords: missing: an NSG flow log record in a VNet blob');
  });

  it("places the NIC in the flow log's target resource and notes the user rules of allowed tuples", async () => {
    const parsed = await parseText(
      vnetBlob(
        [
          {
            aclID: 'acl-1',
            flowGroups: [
              { rule: 'UserRule_Allow-Api', flowTuples: ['1704067200000,10.0.0.9,10.0.0.4,50000,8080,6,I,B,NX,0,0,0,0'] },
              { rule: 'BlockHighRiskTCPPortsFromInternet', flowTuples: ['1704067200000,198.51.100.7,10.0.0.4,50001,22,6,I,D,NX,0,0,0,0'] },
            ],
          },
        ],
        { targetResourceID: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/prod-vnet/subnets/app' },
      ),
    );
    expect(parsed.report.accepted).toBe(2);
    expect(parsed.report.observedLabels).toEqual([
      { ip: '10.0.0.4', key: 'azure:allowed-by', value: 'UserRule_Allow-Api' },
      { ip: '10.0.0.4', key: 'azure:network', value: 'subnets/app' },
    ]);
  });
});
