// A file read in pieces (here in the calling thread, pieces of a few dozen
// bytes so that nearly every line starts a piece) must leave exactly what a
// whole read leaves: reports, rejects with their line numbers, and edges.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS } from '../../../../src/core/ingest/file-reader';
import { inlineParsePool } from '../../../../src/core/ingest/parse-file';
import { FLOW_FORMATS, TABULAR_FORMATS } from '../../../../src/core/ingest/registry';
import { openFilePieces } from '../../../../src/core/ingest/split/file-pieces';
import { memoryInputFile, type InputFile } from '../../../../src/core/ingest/source';
import { nodeIngestHost } from '../../../../src/core/node/gunzip';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';
import { ingestSnapshot, splittingPool, wholePool } from './split-run';

const inlineSplitting = (pieceBytes: number) => splittingPool(inlineParsePool(nodeIngestHost), pieceBytes);

async function expectSameAsWhole(files: readonly InputFile[], pieceBytes: number): Promise<string> {
  const whole = await ingestSnapshot(files, wholePool());
  const split = await ingestSnapshot(files, inlineSplitting(pieceBytes));
  expect(split).toBe(whole);
  return whole;
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
/** Read 7 bytes at a time: boundaries of the stream fall everywhere too. */
const file = (path: string, bytes: Uint8Array): InputFile => memoryInputFile(path, bytes, 7);

const AWS_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const awsRow = (i: number): string =>
  `2 123456789012 eni-0a${i % 3} 10.0.${i % 5}.${(i * 7) % 250} 10.1.0.${i % 4} ${40000 + i} ${[443, 22, 5432][i % 3]} 6 ${i + 1} ${100 * (i + 1)} ${1767225600 + 60 * i} ${1767225660 + 60 * i} ${i % 4 === 0 ? 'REJECT' : 'ACCEPT'} OK`;

/** AWS lines with rejects, a header repeated and then changed midway (fewer fields), and blank lines. */
function awsText(): string {
  const lines = [AWS_HEADER];
  for (let i = 0; i < 60; i++) {
    if (i === 20) lines.push(AWS_HEADER);
    if (i === 40) lines.push('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action');
    if (i % 9 === 4) lines.push(`2 123456789012 eni-0a1 10.0.0.${i} 10.1.0.1 notaport 443 6 1 1 1767225600 1767225660 ACCEPT OK`);
    else if (i % 13 === 6) lines.push('');
    lines.push(i >= 40 ? awsRow(i).replace(/ OK$/, '') : awsRow(i));
  }
  return lines.join('\n');
}

describe('a file read in pieces gives what a whole read gives', () => {
  it('AWS flow logs with rejects, a repeated then changed header, blank lines, and no newline at the end', async () => {
    const snapshot = await expectSameAsWhole([file('aws.log', encode(awsText()))], 40);
    // The test means something: rows were read, some rejected, on both sides of the header change.
    const parsed = JSON.parse(snapshot) as { reports: { read: number; rejected: number }[]; rejects: { line: number }[] };
    expect(parsed.reports[0]!.rejected).toBeGreaterThan(3);
    expect(parsed.rejects.some((reject) => reject.line > 45)).toBe(true);
  }, 60_000);

  it('AWS with CRLF line ends, gzip-compressed', async () => {
    await expectSameAsWhole([file('aws-crlf.log.gz', gzipSync(encode(awsText().replace(/\n/g, '\r\n'))))], 33);
  }, 60_000);

  it('a byte-order mark; an over-long line far past the limit in the middle, rejected with its length', async () => {
    const text = `\ufeff${AWS_HEADER}\n${awsRow(1)}\n${awsRow(2)}\n${'9'.repeat(5000)}\n${awsRow(3)}\n${awsRow(4)}\n`;
    await expectSameAsWhole([file('bom.log', encode(text))], 25);
    // The limit is the engine's default (1 MiB): this line is over three times that, so the cutter skips it itself.
    const huge = `${AWS_HEADER}\n${awsRow(1)}\n${awsRow(2)}\n${'9'.repeat(3_500_000)}\r\n${awsRow(3)}\n${awsRow(4)}`;
    const snapshot = await expectSameAsWhole([memoryInputFile('huge.log', encode(huge), 1 << 16)], 64);
    expect(snapshot).toContain('line longer than 1048576 characters (got \\"3500001 characters\\")');
  }, 120_000);

  it('generic CSV: a quoted field holding a newline is two lines, split or not (as the CSV reader has always read it)', async () => {
    const text = [
      'src,dst,sport,dport,proto,bytes,note',
      '10.0.0.1,10.0.0.2,40000,443,6,100,plain',
      '10.0.0.1,10.0.0.2,40001,443,6,100,"a note',
      'over two lines"',
      '10.0.0.3,10.0.0.2,40002,443,6,100,"quoted, with comma"',
      '10.0.0.4,10.0.0.2,40003,80,6,7,plain',
    ].join('\n');
    const snapshot = JSON.parse(await expectSameAsWhole([file('notes.csv', encode(text))], 20)) as { rejects: { line: number }[] };
    expect(snapshot.rejects.map((reject) => reject.line)).toEqual([4]);
  }, 60_000);

  it('a header midway that no row can fit (no protocol field): the file stops there, as in a whole read', async () => {
    const lines = [AWS_HEADER];
    for (let i = 0; i < 30; i++) lines.push(awsRow(i));
    lines.push('version account-id interface-id srcaddr dstaddr srcport dstport packets bytes start end action log-status');
    // The same rows without their protocol (the 8th field).
    for (let i = 30; i < 40; i++) lines.push(awsRow(i).split(' ').filter((_, field) => field !== 7).join(' '));
    // A whole read never gets here; pieces past this header read good rows, which must not count.
    lines.push(AWS_HEADER);
    for (let i = 40; i < 60; i++) lines.push(awsRow(i));
    const snapshot = JSON.parse(await expectSameAsWhole([file('broken.log', encode(lines.join('\n')))], 40)) as { reports: { error: string | null }[] };
    expect(snapshot.reports[0]!.error).toMatch(/^line 33: this custom flow log format has no protocol field/);
  }, 60_000);

  it('nfdump CSV: a footer midway, a header of another layout, rejects, and a run with no place to cut (read whole again)', async () => {
    const row = (i: number): string => `2015-01-19 22:${String(10 + (i % 50)).padStart(2, '0')}:08,2015-01-19 22:54:09,1.000,10.0.${i % 4}.1,10.0.9.${i % 7},${40000 + i},${i % 9 === 4 ? 'port' : 443},TCP,${i + 1},${100 * (i + 1)}`;
    const lines = ['ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt'];
    for (let i = 0; i < 30; i++) lines.push(row(i));
    lines.push('Summary', 'flows,bytes,packets,avg_bps,avg_pps,avg_bpp', '30,46500,465,7092,2,383');
    for (let i = 30; i < 45; i++) lines.push(row(i));
    // Another layout whose rows start with an IPv6 address: no piece may end among them.
    lines.push('sa,da,sp,dp,pr,ts,ibyt,ipkt');
    for (let i = 0; i < 25; i++) lines.push(`fd00::${i + 1},fd00::99,${50000 + i},53,UDP,2015-01-19 23:00:0${i % 10},${60 + i},1`);
    const plain = lines.join('\n') + '\n';
    const snapshot = await expectSameAsWhole([file('nfdump.csv', encode(plain))], 30);
    const parsed = JSON.parse(snapshot) as { reports: { read: number; rejected: number }[] };
    expect(parsed.reports[0]).toMatchObject({ read: 70, rejected: 5 });
    // Cut where it can be: the same rows without the IPv6 run, split for real.
    const short = lines.slice(0, 50).join('\n');
    await expectSameAsWhole([file('nfdump-short.csv', encode(short))], 30);
    // The tests above mean something: pieces were cut, never inside the footer, and the IPv6 run stopped the cutting.
    const kinds = async (text: string): Promise<string[]> => {
      const opening = await openFilePieces(file('n.csv', encode(text)), { host: nodeIngestHost, formats: FLOW_FORMATS, tabular: TABULAR_FORMATS, options: {}, limits: DEFAULT_READ_LIMITS }, { pieceBytes: 30 }, () => undefined);
      if (opening.kind !== 'pieces') return [opening.kind];
      const out: string[] = [];
      for await (const piece of opening.pieces) out.push(piece.content.kind === 'lines' ? new TextDecoder().decode(piece.content.bytes) : piece.content.kind);
      return out;
    };
    const pieces = await kinds(short);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.some((piece) => piece.includes('Summary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n30,'))).toBe(true);
    expect((await kinds(plain)).at(-1)).toBe('uncuttable');
  }, 60_000);

  it('a truncated gzip file: the lines before the break are read, then the error', async () => {
    // Past the 64 KB the sniffer reads, so that the break comes while pieces are cut.
    const rows = Array.from({ length: 1500 }, (_, i) => awsRow(i));
    const gzip = gzipSync(encode([AWS_HEADER, ...rows].join('\n')));
    const snapshot = JSON.parse(await expectSameAsWhole([memoryInputFile('cut.log.gz', gzip.subarray(0, Math.floor(gzip.length * 0.8)), 512)], 3000)) as {
      reports: { read: number; error: string | null }[];
    };
    expect(snapshot.reports[0]!.error).toMatch(/^truncated or corrupt gzip data after \d+ rows/);
    expect(snapshot.reports[0]!.read).toBeGreaterThan(1000);
  }, 60_000);

  it('several files at once, one of them not splittable (a JSON document)', async () => {
    const azure = encode(JSON.stringify({ records: [] }));
    await expectSameAsWhole([file('a.log', encode(awsText())), file('b.json', azure), file('c.log.gz', gzipSync(encode(awsText())))], 50);
  }, 60_000);
});

const SAMPLES: readonly [string, number][] = [
  ['zeek/conn.btest.core.cisco-fabric-path.tsv.log', 60],
  ['stratosphere-slips-dataset/test9-mixed-zeek-dir__conn.log', 200],
  ['cilium-hubble-otel/basic-sample-400-tcp-flows.json', 300],
  ['stratosphere-slips-dataset/test5-mixed.binetflow', 80],
  ['pmacct-generated/krb_kinit.pmacct.csv', 60],
  ['pmacct-generated/krb_kinit.pmacct.json', 100],
  ['unsw-nb15-sample/UNSW-NB15_1.head-with-header.csv', 2000],
  ['elastic-integrations/suricata_eve/test-eve-6-0.log', 200],
  // nfdump: the ≤ 1.7.4 layout with its Summary footer, ≥ 1.7.5 layouts (IPv6 rows, csv-fast, custom), and JSON read whole.
  ['nfdump-generated/v1.7.1-debian/krb_kinit.csv', 500],
  ['nfdump-generated/v1.7.8-head/wikipedia.csv', 70],
  ['nfdump-generated/v1.7.8-head/icmp_ipv6_misc.csv-fast.csv', 90],
  ['nfdump-generated/v1.7.8-head/brim_sample.bidir-b.custom.csv', 120],
  ['nfdump-generated/v1.7.1-debian/wikipedia.json', 300],
  ['nfdump-generated/v1.7.8-head/wikipedia.ndjson', 300],
];

describe.skipIf(!HAS_SHARED_DATA)(`real exports read in pieces (skipped when ../shared/data is absent: ${HAS_SHARED_DATA ? 'present' : 'absent'})`, () => {
  for (const [path, pieceBytes] of SAMPLES) {
    it(path, async () => {
      const bytes = new Uint8Array(await readFile(sample(path)));
      await expectSameAsWhole([file(path, bytes)], pieceBytes);
    }, 120_000);
  }
  it('nfdump exports concatenated: footers midway, then a header of another layout', async () => {
    const legacy = await readFile(sample('nfdump-generated/v1.7.1-debian/krb_kinit.csv'), 'utf8');
    const current = await readFile(sample('nfdump-generated/v1.7.8-head/wikipedia.csv'), 'utf8');
    const snapshot = await expectSameAsWhole([file('nfdump-both.csv.gz', gzipSync(encode(legacy + current + legacy)))], 400);
    // Rows of both layouts were read, and the footers were passed over (no row rejected for them).
    const parsed = JSON.parse(snapshot) as { reports: { read: number; rejected: number }[] };
    expect(parsed.reports[0]!.read).toBeGreaterThan(2 * 188);
    expect(parsed.reports[0]!.rejected).toBe(0);
  }, 120_000);

  it('Zeek logs concatenated (a second #separator block mid-file), gzip-compressed', async () => {
    const one = await readFile(sample('zeek/conn.btest.core.cisco-fabric-path.tsv.log'), 'utf8');
    const other = await readFile(sample('zeek/conn.btest.opt.basic.tsv.log'), 'utf8');
    await expectSameAsWhole([file('both.log.gz', gzipSync(encode(one + other + one)))], 90);
  }, 120_000);
});
