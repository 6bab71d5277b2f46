import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { memoryInputFile } from '../../../src/core/ingest/source';
import { expectAccounted, parseInput, parsePath } from '../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../helpers/samples';

/** Real exports of every format that can come gzip-compressed (all of them) or as Parquet (the tables). */
const TEXT_SAMPLES = [
  ['aws-vpc', 'elastic-integrations/aws_vpcflow/test-extra-samples.log'],
  ['aws-tgw', 'elastic-integrations/aws_vpcflow/test-tgw-samples.log'],
  ['azure-nsg', 'elastic-integrations/azure_nsg/testdata-records.json'],
  ['azure-vnet', 'elastic-integrations/azure_vnet/testdata-records.json'],
  ['gcp-vpc', 'elastic-beats/gcp_vpcflow/vpc-flow-log-entries.first14.ndjson'],
  ['hubble', 'cilium-hubble-otel/basic-sample-10-flows.json'],
  ['suricata-eve', 'elastic-integrations/suricata_eve/test-eve-6-0.log'],
  ['zeek-conn', 'zeek/conn.zeek-cut-logs.tsv.log'],
  ['nfdump', 'nfdump-generated/v1.7.1-debian/wikipedia.csv'],
  ['pmacct', 'pmacct-generated/wikipedia.pmacct.json'],
  ['argus', 'stratosphere-slips-dataset/test3-mixed.binetflow'],
  ['csv', 'unsw-nb15-sample/UNSW-NB15_1.head-with-header.csv'],
] as const;

const TABLE_SAMPLES = [
  ['nfdump', 'nfdump-generated/v1.7.8-head/smtp.csv', ','],
  ['pmacct', 'pmacct-generated/smtp.pmacct.csv', ','],
  ['argus', 'stratosphere-slips-dataset/test2-malicious.binetflow', ','],
  ['csv', 'unsw-nb15-sample/UNSW-NB15_1.head-with-header.csv', ','],
] as const;

describe.skipIf(!HAS_SHARED_DATA)('compression and containers change nothing (needs ../shared/data)', () => {
  it.each(TEXT_SAMPLES)('%s gzip-compressed reads exactly as plain text', async (format, path) => {
    const plain = await parsePath(sample(path));
    expect(plain.report.format).toBe(format);
    const gzipped = await parseInput(memoryInputFile(`${basename(path)}.gz`, new Uint8Array(gzipSync(await readFile(sample(path))))));
    expectAccounted(gzipped);
    expect(gzipped.report).toMatchObject({ format, compression: 'gzip', read: plain.report.read, accepted: plain.report.accepted });
    expect(gzipped.records).toEqual(plain.records);
  });

  it.each(TABLE_SAMPLES)('%s as Parquet (every column text) reads exactly as its CSV', async (format, path, delimiter) => {
    const plain = await parsePath(sample(path));
    expect(plain.report.format).toBe(format);
    const lines = (await readFile(sample(path), 'utf8')).replace(/^\uFEFF/, '').split('\n').filter((line) => line.trim() !== '');
    const header = lines[0]!.split(delimiter);
    const rows = lines.slice(1).map((line) => line.split(delimiter));
    // Rows the CSV reader rejects as malformed (wrong field count) have no place in a table.
    const whole = rows.filter((row) => row.length === header.length);
    const buffer = parquetWriteBuffer({
      columnData: header.map((name, column) => ({ name, data: whole.map((row) => row[column] ?? ''), type: 'STRING' as const })),
    });
    const parquet = await parseInput(memoryInputFile(`${basename(path)}.parquet`, new Uint8Array(buffer)));
    expectAccounted(parquet);
    expect(parquet.report).toMatchObject({ format, container: 'parquet', read: whole.length });
    expect(parquet.records).toEqual(plain.records);
  });
});
