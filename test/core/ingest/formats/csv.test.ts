import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { memoryInputFile } from '../../../../src/core/ingest/source';
import { expectAccounted, parseInput, parsePath, parseText } from '../../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

describe.skipIf(!HAS_SHARED_DATA)('csv on a real research export (needs ../shared/data)', () => {
  it('recognises UNSW-NB15 columns by name, despite its byte-order mark', async () => {
    const parsed = await parsePath(sample('unsw-nb15-sample/UNSW-NB15_1.head-with-header.csv'));
    expectAccounted(parsed);
    expect(parsed.report.format).toBe('csv');
    expect(parsed.report.read).toBe(3000);
    expect(parsed.records[0]).toMatchObject({
      src: '59.166.0.0',
      srcPort: 1390,
      dst: '149.171.126.6',
      dstPort: 53,
      proto: 17,
      bytes: 132,
      revBytes: 164,
      packets: 2,
      revPackets: 2,
      startMs: 1421927414000,
    });
    // Protocols UNSW labels without an IANA number ("unas", "arp") are rejected by name.
    expect(parsed.report.rejected).toBe(18);
    expect(Object.keys(parsed.report.rejectReasons).length).toBeGreaterThan(0);
    for (const reason of Object.keys(parsed.report.rejectReasons)) expect(reason).toMatch(/^proto: |^dsport: |^sport: /);
  });
});

describe('csv with a column mapping', () => {
  const firewall = [
    'Time,Source Address,Destination Address,Src Port,Dst Port,IP Protocol,Sent Bytes,Recv Bytes,Decision,TCP Flags',
    '2026-01-05T10:00:00Z,10.0.0.5,10.0.1.9,51000,5432,tcp,1200,56000,allow,S',
    '2026-01-05T10:00:05+01:00,10.0.0.5,"10.0.1.10",51001,443,6,300,900,Deny,',
    '2026-01-05T10:00:06Z,10.0.0.5,10.0.1.11,51002,443,tcp,300,900,maybe,',
  ].join('\n');
  const map = {
    start: 'Time',
    src: 'Source Address',
    dst: 'Destination Address',
    sport: 'Src Port',
    dport: 'Dst Port',
    proto: 'IP Protocol',
    bytes: 'Sent Bytes',
    rbytes: 'Recv Bytes',
    action: 'Decision',
    flags: 'TCP Flags',
  } as const;

  it('reads any column names given by --map, with quotes, offsets and decisions', async () => {
    const parsed = await parseText(firewall, { csvMap: map }, 'firewall.csv');
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'csv', read: 3, accepted: 2, rejected: 1 });
    expect(parsed.records[0]).toMatchObject({
      src: '10.0.0.5',
      dst: '10.0.1.9',
      dstPort: 5432,
      bytes: 1200,
      revBytes: 56000,
      action: Action.allow,
      startMs: Date.UTC(2026, 0, 5, 10),
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.tcpFlags,
    });
    expect(parsed.records[1]).toMatchObject({ dst: '10.0.1.10', action: Action.deny, startMs: Date.UTC(2026, 0, 5, 9, 0, 5) });
    expect(parsed.rejects[0]).toEqual({ line: 4, reason: 'Decision: expected allow/accept/permit or deny/drop/reject/block (got "maybe")' });
  });

  it('does not claim such a file without a mapping, and says to pass one', async () => {
    const parsed = await parseText(firewall.replace('Source Address', 'Origin').replace('Destination Address', 'Target'), {}, 'firewall.csv');
    expect(parsed.report.format).toBeNull();
    expect(parsed.report.error).toMatch(/unknown format.*--map src=/);
  });

  it('stops with a clear message when mapped columns are missing', async () => {
    const parsed = await parseText(firewall, { csvMap: { ...map, src: 'Source Address', proto: 'Protocol Name' } }, 'firewall.csv');
    expect(parsed.report.error).toContain('--map names columns the header lacks: Protocol Name');
    expect(parsed.report.read).toBe(0);
  });

  it('stops a file without a protocol column once, naming the fix, instead of rejecting every row', async () => {
    const parsed = await parseText('src_ip,dst_ip,dst_port\n10.0.0.1,10.0.0.2,80\n10.0.0.1,10.0.0.3,80\n', {}, 'noproto.csv');
    expect(parsed.report).toMatchObject({ format: 'csv', read: 0, rejected: 0 });
    expect(parsed.report.error).toBe('line 2: no protocol column (pass --map proto=…)');
  });
});

describe('Parquet', () => {
  it('reads AWS flow logs delivered as Parquet (underscored names, integer columns)', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'version', data: [5, 5], type: 'INT32' },
        { name: 'interface_id', data: ['eni-1', 'eni-1'], type: 'STRING' },
        { name: 'srcaddr', data: ['10.0.0.1', '10.0.0.2'], type: 'STRING' },
        { name: 'dstaddr', data: ['10.0.0.2', '10.0.0.1'], type: 'STRING' },
        { name: 'srcport', data: [40000, 443], type: 'INT32' },
        { name: 'dstport', data: [443, 40000], type: 'INT32' },
        { name: 'protocol', data: [6, 6], type: 'INT32' },
        { name: 'packets', data: [10n, 8n], type: 'INT64' },
        { name: 'bytes', data: [1000n, 9000n], type: 'INT64' },
        { name: 'start', data: [1700000000n, 1700000000n], type: 'INT64' },
        { name: 'end', data: [1700000060n, 1700000060n], type: 'INT64' },
        { name: 'action', data: ['ACCEPT', 'ACCEPT'], type: 'STRING' },
        { name: 'tcp_flags', data: [2, 18], type: 'INT32' },
        { name: 'log_status', data: ['OK', 'OK'], type: 'STRING' },
      ],
    });
    const parsed = await parseInput(memoryInputFile('flows.parquet', new Uint8Array(buffer)));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'aws-vpc', container: 'parquet', read: 2, accepted: 2 });
    expect(parsed.records[0]).toMatchObject({ src: '10.0.0.1', dstPort: 443, bytes: 1000, startMs: 1700000000000, hint: Hint.srcIsClient });
    expect(parsed.records[1]).toMatchObject({ hint: Hint.srcIsServer, observer: 'eni-1' });
  });

  it('reads a generic table as Parquet and names a table it cannot place', async () => {
    const generic = parquetWriteBuffer({
      columnData: [
        { name: 'src_ip', data: ['10.0.0.1'], type: 'STRING' },
        { name: 'dst_ip', data: ['10.0.0.2'], type: 'STRING' },
        { name: 'dst_port', data: [22], type: 'INT32' },
        { name: 'protocol', data: ['tcp'], type: 'STRING' },
      ],
    });
    const parsed = await parseInput(memoryInputFile('generic.parquet', new Uint8Array(generic)));
    expect(parsed.report).toMatchObject({ format: 'csv', container: 'parquet', accepted: 1 });
    const other = parquetWriteBuffer({ columnData: [{ name: 'temperature', data: [21.5], type: 'DOUBLE' }] });
    const unknown = await parseInput(memoryInputFile('weather.parquet', new Uint8Array(other)));
    expect(unknown.report.error).toMatch(/Parquet file with columns temperature matches no known flow format/);
  });
});
