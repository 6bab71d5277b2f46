import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryInputFile, type InputFile } from '../../../src/core/ingest/source';
import { DEFAULT_READ_LIMITS } from '../../../src/core/ingest/file-reader';
import { expectAccounted, parseInput, parseText } from '../../helpers/parse-file';
import { runAnalyze, textFile } from '../../helpers/engine';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const row = (i: number): string => `2 1 eni-a 10.0.0.${(i % 200) + 1} 10.0.1.1 ${40000 + (i % 20000)} 443 6 10 1000 1700000000 1700000060 ACCEPT OK`;
const awsText = (rows: number): string => [HEADER, ...Array.from({ length: rows }, (_, i) => row(i))].join('\n') + '\n';

/** An input whose bytes are produced on the fly, so huge hostile files cost no memory in the test. */
function generatedInput(path: string, size: number, chunk: (offset: number, length: number) => Uint8Array): InputFile {
  return {
    path,
    size,
    async *open() {
      for (let offset = 0; offset < size; offset += 1 << 20) yield chunk(offset, Math.min(1 << 20, size - offset));
    },
    read: () => Promise.reject(new Error('no random access')),
  };
}

describe('bad input gets a clear answer and loses nothing', () => {
  it('truncated gzip: names the problem and keeps the rows read before it', async () => {
    const whole = gzipSync(awsText(20_000));
    const parsed = await parseInput(memoryInputFile('cut.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6))));
    expectAccounted(parsed);
    expect(parsed.report.compression).toBe('gzip');
    expect(parsed.report.error).toMatch(/^truncated or corrupt gzip data after \d+ rows: unexpected end of file/);
    expect(parsed.report.accepted).toBeGreaterThan(0);
    expect(parsed.report.accepted).toBeLessThan(20_000);
  });

  it('binary garbage: refused as binary, naming what was tried', async () => {
    const garbage = new Uint8Array(100_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    const parsed = await parseInput(memoryInputFile('random.bin', garbage));
    expect(parsed.report.error).toMatch(/^not a flow export: it (contains NUL bytes|contains control characters|is not UTF-8 text).*tried aws-vpc, .*csv and Parquet$/);
    expect(parsed.report.read).toBe(0);
  });

  it('a pcap, pcapng, nfcapd or EVTX file: says what it is and what to give instead, gzipped too', async () => {
    const head = (...bytes: number[]): Uint8Array => Uint8Array.from([...bytes, ...new Array<number>(64).fill(0)]);
    const cases: [string, Uint8Array, RegExp][] = [
      ['capture.pcap', head(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0), /packet capture \(pcap\).*zeek -r FILE/],
      ['capture.pcapng', head(0x0a, 0x0d, 0x0d, 0x0a), /packet capture \(pcapng\)/],
      ['nfcapd.202401010000', head(0x0c, 0xa5, 0x01, 0x00), /nfdump binary file \(nfcapd\).*nfdump -r FILE -o csv/],
      ['Security.evtx', head(...new TextEncoder().encode('ElfFile'), 0), /Windows event log \(\.evtx\).*--logons/],
    ];
    for (const [name, bytes, message] of cases) {
      for (const input of [memoryInputFile(name, bytes), memoryInputFile(`${name}.gz`, gzipSync(bytes))]) {
        const parsed = await parseInput(input);
        expect(parsed.report.error).toMatch(/^not a flow export: /);
        expect(parsed.report.error).toMatch(message);
        expect(parsed.report.read).toBe(0);
      }
    }
  });

  it('an empty file and a header-only file', async () => {
    const empty = await parseText('', {}, 'empty.log');
    expect(empty.report.error).toBe('the file is empty');
    const emptyGzip = await parseInput(memoryInputFile('empty.log.gz', gzipSync('')));
    expect(emptyGzip.report.error).toBe('the file is empty once decompressed');
    const headerOnly = await parseText(`${HEADER}\n`, {}, 'header.log');
    expect(headerOnly.report).toMatchObject({ format: 'aws-vpc', read: 0, error: null });
    expect(headerOnly.report.warnings).toEqual(['no rows: the file holds only a header, comments or metadata']);
  });

  it('an unknown text format names the file content and every format tried', async () => {
    const parsed = await parseText('hello world\nthis is not a flow log\n', {}, 'notes.txt');
    expect(parsed.report.error).toBe(
      'unknown format: none of aws-vpc, aws-tgw, azure-nsg, azure-vnet, gcp-vpc, hubble, suricata-eve, zeek-conn, nfdump, pmacct, argus, flowfence-edges, csv or Parquet recognised its content (first line: "hello world"); for other delimited files pass --map src=…,dst=…',
    );
  });

  it('a single 200 MB line is rejected without being held, and the rows around it are read', async () => {
    const head = new TextEncoder().encode(`${HEADER}\n${row(1)}\n`);
    const tail = new TextEncoder().encode(`\n${row(2)}\n`);
    const lineLength = 200 * 2 ** 20;
    const size = head.length + lineLength + tail.length;
    const input = generatedInput('huge-line.log', size, (offset, length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        const at = offset + i;
        if (at < head.length) out[i] = head[at]!;
        else if (at >= head.length + lineLength) out[i] = tail[at - head.length - lineLength]!;
        else out[i] = 65;
      }
      return out;
    });
    const before = process.memoryUsage().rss;
    const parsed = await parseInput(input);
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'aws-vpc', read: 3, accepted: 2, rejected: 1 });
    expect(parsed.rejects[0]).toEqual({ line: 3, reason: `line longer than ${DEFAULT_READ_LIMITS.maxLineLength} characters (got "${lineLength} characters")` });
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 2 ** 20);
  });

  it('a 200 MB single line of unknown content is refused after reading only its start', async () => {
    const size = 200 * 2 ** 20;
    let bytesRead = 0;
    const input = generatedInput('blob.txt', size, (_offset, length) => {
      bytesRead += length;
      return new Uint8Array(length).fill(120);
    });
    const parsed = await parseInput(input);
    expect(parsed.report.error).toMatch(/^unknown format/);
    expect(bytesRead).toBeLessThanOrEqual(2 * 2 ** 20);
  });

  it('invalid addresses, out-of-range ports, negative counters and impossible timestamps: one reason each, naming line and field', async () => {
    const lines = [
      '{"ts":1591367999.3,"uid":"C1","id.orig_h":"192.168.4.76","id.orig_p":36844,"id.resp_h":"192.168.4.1","id.resp_p":53,"proto":"udp","conn_state":"SF","orig_pkts":2,"orig_ip_bytes":118,"resp_pkts":2,"resp_ip_bytes":197}',
      '{"ts":1591367999.3,"uid":"C2","id.orig_h":"192.168.4.300","id.orig_p":36844,"id.resp_h":"192.168.4.1","id.resp_p":53,"proto":"udp","conn_state":"SF"}',
      '{"ts":1591367999.3,"uid":"C3","id.orig_h":"192.168.4.76","id.orig_p":36844,"id.resp_h":"192.168.4.1","id.resp_p":99999,"proto":"udp","conn_state":"SF"}',
      '{"ts":1591367999.3,"uid":"C4","id.orig_h":"192.168.4.76","id.orig_p":36844,"id.resp_h":"192.168.4.1","id.resp_p":53,"proto":"udp","conn_state":"SF","orig_pkts":-4}',
      '{"ts":99999999999999,"uid":"C5","id.orig_h":"192.168.4.76","id.orig_p":36844,"id.resp_h":"192.168.4.1","id.resp_p":53,"proto":"udp","conn_state":"SF"}',
      '{"ts":1591367999.3,"uid":"C6","id.orig_h":"not-an-ip","id.orig_p":36844,"id.resp_h":"192.168.4.1","id.resp_p":53,"proto":"udp","conn_state":"SF"}',
    ];
    const parsed = await parseText(lines.join('\n'), {}, 'conn.json');
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: 6, accepted: 1, rejected: 5 });
    expect(parsed.rejects.map((reject) => reject.line)).toEqual([2, 3, 4, 5, 6]);
    const [address, port, negative, time, text] = parsed.rejects.map((reject) => reject.reason);
    expect(address).toMatch(/^id\.orig_h: not an IPv4 or IPv6 address \(got "192\.168\.4\.300"\)$/);
    expect(port).toMatch(/^id\.resp_p: not a port \(0-65535\)/);
    expect(negative).toMatch(/^orig_pkts: negative counter/);
    expect(time).toMatch(/^ts: impossible timestamp/);
    expect(text).toMatch(/^id\.orig_h: not an IPv4 or IPv6 address/);
  });

  it('cancellation stops a read at once with the abort reason', async () => {
    const controller = new AbortController();
    const input = generatedInput('endless.log', 1 << 30, (offset, length) => {
      if (offset > 4 << 20) controller.abort(new Error('stop'));
      return new TextEncoder().encode(`${offset === 0 ? `${HEADER}\n` : ''}${row(offset)}\n`.repeat(Math.ceil(length / 100))).subarray(0, length);
    });
    const { readFlowFile } = await import('../../../src/core/ingest/file-reader');
    const { FLOW_FORMATS, TABULAR_FORMATS } = await import('../../../src/core/ingest/registry');
    const { nodeIngestHost } = await import('../../../src/core/node/gunzip');
    await expect(
      readFlowFile(
        input,
        { host: nodeIngestHost, formats: FLOW_FORMATS, tabular: TABULAR_FORMATS, options: {}, limits: DEFAULT_READ_LIMITS },
        { onRecord: () => undefined, onReject: () => undefined, onProgress: () => undefined, checkpoint: () => Promise.resolve(), signal: controller.signal },
      ),
    ).rejects.toThrow('stop');
  });

  it('the other files still load, and each problem stays with its file', async () => {
    const good = textFile('good.log', awsText(50));
    const cut = memoryInputFile('cut.log.gz', gzipSync(awsText(5000)).subarray(0, 200));
    const junk = textFile('junk.txt', 'nothing to see\n');
    const empty = textFile('empty.log', '');
    const { summary } = await runAnalyze({ inputs: [good, cut, junk, empty] });
    const byPath = Object.fromEntries(summary.inputs.map((input) => [input.path, input]));
    expect(byPath['good.log']).toMatchObject({ format: 'aws-vpc', read: 50, accepted: 50 });
    expect(byPath['cut.log.gz']!.error).toMatch(/truncated or corrupt gzip/);
    expect(byPath['junk.txt']!.error).toMatch(/unknown format/);
    expect(byPath['empty.log']!.error).toBe('the file is empty');
    expect(summary.edges).toBeGreaterThan(0);
  });
});
