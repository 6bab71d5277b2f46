import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { sniffSample } from '../../../../src/core/ingest/sniff';
import { azureNsgFormat } from '../../../../src/core/ingest/formats/azure-nsg';
import { azureVnetFormat } from '../../../../src/core/ingest/formats/azure-vnet';
import { expectAccounted, parseGzipText, parsePath, parseText } from '../../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';
import { memoryInputFile } from '../../../../src/core/ingest/source';
import { runAnalyze } from '../../../helpers/engine';

const NSG_ID = '/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/FABRIKAMRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/FABRIAKMVM1-NSG';

describe.skipIf(!HAS_SHARED_DATA)('azure-nsg on the real samples (needs ../shared/data)', () => {
  it('reads v2 tuples: empty counters in state B, both directions counted, deny and allow, initiator hint', async () => {
    const parsed = await parsePath(sample('elastic-integrations/azure_nsg/testdata-records.json'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'azure-nsg', read: 11, accepted: 11, rejected: 0 });
    expect(parsed.records[0]).toMatchObject({
      startMs: 1542110402000,
      endMs: 1542110402000,
      src: '94.102.49.190',
      dst: '10.5.16.4',
      srcPort: 28746,
      dstPort: 443,
      proto: 17,
      packets: 0,
      bytes: 0,
      action: Action.deny,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
      observer: `000D3AF87856@${NSG_ID}`,
    });
    const closed = parsed.records.find((record) => record.srcPort === 44931)!;
    expect(closed).toMatchObject({
      src: '10.5.16.4',
      dst: '13.67.143.115',
      dstPort: 443,
      proto: 6,
      packets: 30,
      bytes: 16978,
      revPackets: 24,
      revBytes: 14008,
      action: Action.allow,
    });
    expect(parsed.records.filter((record) => record.action === Action.deny)).toHaveLength(7);
    // Tuples of the second record follow those of the first.
    expect(parsed.records[10]).toMatchObject({ src: '176.119.4.30', dstPort: 52801, startMs: 1542110490000 });
  });

  it('reads v1 tuples (8 fields, no state or counters)', async () => {
    const parsed = await parsePath(sample('azure-nsg-v1-gist/nsg-v1-excerpt.json'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'azure-nsg', read: 9, accepted: 9 });
    expect(parsed.records[0]).toMatchObject({
      startMs: 1491143966000,
      src: '10.2.0.4',
      dst: '23.99.34.232',
      srcPort: 37560,
      dstPort: 443,
      proto: 6,
      packets: 0,
      revBytes: 0,
      action: Action.allow,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
    });
    expect(parsed.records[0]!.observer).toMatch(/^000D3A36C783@\/SUBSCRIPTIONS\/.*\/NETWORKSECURITYGROUPS\/US-WEST$/);
    expect(parsed.records[8]).toMatchObject({ dst: '91.189.89.199', dstPort: 123, proto: 17, startMs: 1491143992000 });
  });

  it('reads records forwarded one per line (Elastic test input) like the same records in a blob', async () => {
    const line = await readFile(sample('elastic-integrations/azure_nsg/test-nsg.log'), 'utf8');
    const parsed = await parseText(line, {}, 'test-nsg.log');
    expectAccounted(parsed);
    expect(parsed.report.format).toBe('azure-nsg');
    expect(parsed.report.accepted).toBeGreaterThan(0);
    const asBlob = await parseText(blob(line.trim().split('\n').map((text) => JSON.parse(text))));
    expect(parsed.records).toEqual(asBlob.records);
    const twoPerFile = await parseText(`${line.trim()}\n${line.trim()}\n`, {}, 'twice.log');
    expect(twoPerFile.report.accepted).toBe(2 * parsed.report.accepted);
  });

  it('is claimed by the NSG sniffer only', async () => {
    for (const file of ['elastic-integrations/azure_nsg/testdata-records.json', 'azure-nsg-v1-gist/nsg-v1-excerpt.json']) {
      const text = await readFile(sample(file), 'utf8');
      expect(azureNsgFormat.sniff(sniffSample(text))).toBe(1);
      expect(azureVnetFormat.sniff(sniffSample(text))).toBe(0);
    }
    const vnet = await readFile(sample('elastic-integrations/azure_vnet/testdata-records.json'), 'utf8');
    expect(azureNsgFormat.sniff(sniffSample(vnet))).toBe(0);
  });

  it("names the VM behind its own NSG (FABRIAKMVM1-NSG guards one address) and keeps the NSG as a flow-log label", async () => {
    const bytes = new Uint8Array(await readFile(sample('elastic-integrations/azure_nsg/testdata-records.json')));
    const { db } = await runAnalyze({ inputs: [memoryInputFile('nsg.json', bytes)] });
    expect(await db.all(`SELECT name, name_source FROM host_info WHERE ip = '10.5.16.4'`)).toEqual([{ name: 'fabriakmvm1', name_source: 'flow-log' }]);
    expect(await db.all(`SELECT key, value, source FROM host_labels WHERE ip = '10.5.16.4'`)).toEqual([{ key: 'azure:nsg', value: 'FABRIAKMVM1-NSG', source: 'flow-log' }]);
  });
});

function blob(records: readonly unknown[]): string {
  return JSON.stringify({ records });
}

function nsgRecord(flows: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    time: '2024-01-01T00:01:00.0000000Z',
    category: 'NetworkSecurityGroupFlowEvent',
    resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WEB-NSG',
    operationName: 'NetworkSecurityGroupFlowEvents',
    properties: { Version: 2, flows },
    ...extra,
  };
}

const rule = (name: string, mac: string, flowTuples: unknown): Record<string, unknown> => ({ rule: name, flows: [{ mac, flowTuples }] });

describe('azure-nsg edge cases', () => {
  it('rejects bad tuples one by one, naming the field and the JSON path', async () => {
    const parsed = await parseText(
      blob([
        nsgRecord([
          rule('UserRule_web', '000D3A000001', [
            '1704067200,10.0.0.4,10.0.0.5,50000,443,T,O,A,B,,,,',
            '1704067200,10.0.0.4,10.0.0.999,50000,443,T,O,A,B,,,,',
            '1704067200,10.0.0.4,10.0.0.5,50000,70000,T,O,A,B,,,,',
            '1704067200,10.0.0.4,10.0.0.5,50000,443,X,O,A,B,,,,',
            '1704067200,10.0.0.4,10.0.0.5,50000,443,T,O,Z,B,,,,',
            '1704067200,10.0.0.4,10.0.0.5,50000,443,T,O,A,Q,,,,',
            '1704067200,10.0.0.4,10.0.0.5,50000,443,T,O,A,E,-3,1,1,1',
            '99999999999,10.0.0.4,10.0.0.5,50000,443,T,O,A,B,,,,',
            '1704067200,10.0.0.4,10.0.0.5,50000,443,T,O',
            42,
            '1704067260,10.0.0.4,10.0.0.5,50000,443,T,O,A,E,10,1000,8,9000',
          ]),
        ]),
      ]),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'azure-nsg', read: 11, accepted: 2, rejected: 9 });
    expect(parsed.rejects[0]!.reason).toBe(
      'element 0: properties.flows[0].flows[0].flowTuples[1]: dstIp: not an IPv4 or IPv6 address (got "10.0.0.999")',
    );
    expect(parsed.report.rejectReasons).toEqual({
      'dstIp: not an IPv4 or IPv6 address': 1,
      'dstPort: not a port (0-65535)': 1,
      'protocol: expected one of T, U': 1,
      'decision: expected one of A, D': 1,
      'state: expected one of B, C, E': 1,
      'packetsSent: negative counter': 1,
      'time: impossible timestamp': 1,
      'flowTuple: expected 8 (version 1) or 13 (version 2) comma-separated fields': 1,
      'flowTuple: expected a string': 1,
    });
    expect(parsed.rejects[8]!.reason).toContain('flowTuples[9]');
    expect(parsed.records[1]).toMatchObject({ packets: 10, bytes: 1000, revPackets: 8, revBytes: 9000, endMs: 1704067260000 });
  });

  it('rejects broken structure once per broken level and keeps reading the rest', async () => {
    const parsed = await parseText(
      blob([
        nsgRecord([rule('A', '000D3A000001', 'not-an-array'), 'not-a-rule', { rule: 'B' }, rule('C', '000D3A000002', ['1704067200,10.0.0.4,10.0.0.5,50000,22,T,I,D'])]),
        { category: 'NetworkSecurityGroupRuleCounter', properties: {} },
        { time: 'x', category: 'NetworkSecurityGroupFlowEvent' },
        'a string',
      ]),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ read: 7, accepted: 1, rejected: 6 });
    expect(parsed.report.rejectReasons).toEqual({
      'properties.flows[0].flows[0].flowTuples: expected an array': 1,
      'properties.flows[1]: expected an object': 1,
      'properties.flows[2].flows: missing': 1,
      'category: not an NSG flow event': 1,
      'properties: missing': 1,
      'record: expected an object': 1,
    });
    expect(parsed.records[0]).toMatchObject({ dstPort: 22, action: Action.deny, observer: expect.stringMatching(/^000D3A000002@/) });
  });

  it('gives each NIC under each NSG its own observer', async () => {
    const tuple = '1704067200,10.0.0.4,10.0.1.5,50000,443,T,O,A,B,,,,';
    const parsed = await parseText(
      blob([
        nsgRecord([rule('R', '000d3a000001', [tuple])]),
        nsgRecord([rule('R', '000D3A000001', [tuple])], { resourceId: '/SUBSCRIPTIONS/S/.../NETWORKSECURITYGROUPS/SUBNET-NSG' }),
        nsgRecord([{ rule: 'R', flows: [{ flowTuples: [tuple] }] }], { resourceId: undefined }),
      ]),
    );
    expect(parsed.records.map((record) => record.observer)).toEqual([
      '000D3A000001@/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WEB-NSG',
      '000D3A000001@/SUBSCRIPTIONS/S/.../NETWORKSECURITYGROUPS/SUBNET-NSG',
      '',
    ]);
  });

  it('streams a large single-line blob, pretty-printed and gzipped blobs, and IPv6 tuples', async () => {
    const tuples = Array.from({ length: 20_000 }, (_, i) => `${1704067200 + (i % 60)},10.0.${i % 250}.4,10.1.0.5,${1024 + (i % 60000)},443,T,O,A,C,1,100,1,200`);
    const big = await parseText(blob([nsgRecord([rule('R', '000D3A000001', tuples)]), nsgRecord([rule('R', '000D3A000001', tuples)])]));
    expect(big.report).toMatchObject({ format: 'azure-nsg', read: 40_000, accepted: 40_000 });
    const pretty = JSON.stringify({ records: [nsgRecord([rule('R', 'M', ['1704067200,2001:DB8::1,2001:db8:0:0::2,50000,443,T,O,A,B,,,,'])])] }, null, 2);
    const gz = await parseGzipText(pretty);
    expect(gz.report).toMatchObject({ format: 'azure-nsg', compression: 'gzip', accepted: 1 });
    expect(gz.records[0]).toMatchObject({ src: '2001:db8::1', dst: '2001:db8::2' });
  });

  it('reads bare arrays of records, and does not claim VNet blobs', async () => {
    const record = nsgRecord([rule('R', 'M', ['1704067200,10.0.0.4,10.0.0.5,50000,443,T,O,A,B,,,,'])]);
    const bare = await parseText(JSON.stringify([record, record]));
    expect(bare.report).toMatchObject({ format: 'azure-nsg', accepted: 2 });
    expect(azureNsgFormat.sniff(sniffSample('{"records":[{"flowLogVersion":4,"flowRecords":{"flows":[]}}]}'))).toBe(0);
    expect(azureNsgFormat.sniff(sniffSample('{"records":[]}'))).toBe(0);
    expect(azureNsgFormat.sniff(sniffSample('{"records":[{"message":"x"}]}'))).toBe(0);
  });

  it('places each NIC behind its NSG and notes the user rules that let its flows through (not the defaults, not denials)', async () => {
    const parsed = await parseText(
      blob([
        nsgRecord([
          // Inbound: the NIC is the destination; outbound: the source.
          rule('UserRule_Allow-Web', 'M1', ['1704067200,203.0.113.9,10.0.0.4,50000,443,T,I,A,B,,,,', '1704067200,10.0.0.4,10.0.9.9,50001,5432,T,O,A,B,,,,']),
          rule('DefaultRule_AllowVnetOutBound', 'M1', ['1704067200,10.0.0.4,10.0.9.9,50002,53,U,O,A,B,,,,']),
          rule('UserRule_Deny-Ssh', 'M1', ['1704067200,198.51.100.7,10.0.0.4,50003,22,T,I,D,B,,,,']),
          // A rejected tuple places no one.
          rule('UserRule_Other', 'M2', ['1704067200,10.0.0.5,10.0.9.9,50004,443,T,X,A,B,,,,']),
        ]),
      ]),
    );
    expect(parsed.report).toMatchObject({ accepted: 4, rejected: 1 });
    expect(parsed.report.observedLabels).toEqual([
      { ip: '10.0.0.4', key: 'azure:allowed-by', value: 'UserRule_Allow-Web' },
      { ip: '10.0.0.4', key: 'azure:nsg', value: 'WEB-NSG' },
    ]);
  });
});
