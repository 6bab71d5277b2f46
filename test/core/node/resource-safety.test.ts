import { readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classifyInput } from '../../../src/core/enrich/classify-input';
import { loadEnrichment } from '../../../src/core/enrich/load-enrichment';
import { FLOW_FORMATS } from '../../../src/core/ingest/registry';
import type { InputFile } from '../../../src/core/ingest/source';
import { fileInput } from '../../../src/core/node/fs-input';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { parseInput } from '../../helpers/parse-file';
import { textFile } from '../../helpers/engine';

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

describe('files, streams and large exports are handled safely', () => {
  it('closes every file it only sniffed or refused', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'flowfence-fds-'));
    const paths: string[] = [];
    for (let i = 0; i < 60; i++) {
      const path = join(directory, `f${i}.${i % 3 === 0 ? 'gz' : 'txt'}`);
      const text = i % 2 === 0 ? 'not a flow export at all\n'.repeat(5000) : 'version srcaddr dstaddr\n';
      await writeFile(path, i % 3 === 0 ? gzipSync(text) : text);
      paths.push(path);
    }
    const before = openDescriptors();
    const files = await Promise.all(paths.map((path) => fileInput(path)));
    for (const file of files) await classifyInput(file, nodeIngestHost, FLOW_FORMATS);
    for (const file of files) await parseInput(file);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openDescriptors()).toBeLessThanOrEqual(before + 2);
  });

  it('turns a read error inside a gzip file into that file’s error', async () => {
    const compressed = gzipSync('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n'.repeat(2000));
    const failing: InputFile = {
      path: 'failing.log.gz',
      size: compressed.length,
      async *open() {
        yield compressed.subarray(0, 1000);
        throw new Error('EIO: i/o error, read');
      },
      read: () => Promise.reject(new Error('no random access')),
    };
    const parsed = await parseInput(failing);
    expect(parsed.report.error).toMatch(/EIO: i\/o error, read/);
  });

  it('keeps every row of a logon export of 200,000 events', async () => {
    const line = (i: number) => JSON.stringify({ EventID: 4624, TimeCreated: '2026-01-05 10:00:00.000000', Computer: `host-${i % 50}.corp`, TargetUserName: `user${i % 900}`, TargetDomainName: 'CORP', LogonType: '3', IpAddress: `10.0.${(i >> 8) & 255}.${i & 255}` });
    const text = Array.from({ length: 200_000 }, (_, i) => line(i)).join('\n');
    const loaded = await loadEnrichment([{ file: textFile('logons.ndjson', text), format: 'windows-logons', fileIndex: 0 }], nodeIngestHost, [], () => undefined);
    expect(loaded.reports[0]).toMatchObject({ read: 200_000, accepted: 200_000, error: null });
    expect(loaded.data.logons).toHaveLength(200_000);
  });
});
