import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type FlowRecord } from '../../src/core/flow/record';
import { DEFAULT_READ_LIMITS, readFlowFile, type ReadLimits } from '../../src/core/ingest/file-reader';
import type { FileReport } from '../../src/core/ingest/file-report';
import type { ParseOptions } from '../../src/core/ingest/format';
import { FLOW_FORMATS, TABULAR_FORMATS } from '../../src/core/ingest/registry';
import { memoryInputFile, type InputFile } from '../../src/core/ingest/source';
import { nodeIngestHost } from '../../src/core/node/gunzip';

/** A plain copy of an accepted record (the parser reuses its instance). */
export type ParsedRecord = Omit<FlowRecord, 'reset' | 'setHint'>;

export interface ParsedFile {
  readonly report: FileReport;
  readonly records: ParsedRecord[];
  readonly rejects: { line: number; reason: string }[];
}

function copy(record: FlowRecord): ParsedRecord {
  const { startMs, endMs, src, dst, srcPort, dstPort, proto, packets, bytes, revPackets, revBytes, action, tcpFlags, hint, hintReason, observer } = record;
  return { startMs, endMs, src, dst, srcPort, dstPort, proto, packets, bytes, revPackets, revBytes, action, tcpFlags, hint, hintReason, observer };
}

/** Runs the real file reader (sniffing, decompression, parsing) over one input. */
export async function parseInput(file: InputFile, options: ParseOptions = {}, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<ParsedFile> {
  const records: ParsedRecord[] = [];
  const rejects: { line: number; reason: string }[] = [];
  const report = await readFlowFile(
    file,
    { host: nodeIngestHost, formats: FLOW_FORMATS, tabular: TABULAR_FORMATS, options, limits },
    {
      onRecord: (record) => records.push(copy(record)),
      onReject: (line, reason) => rejects.push({ line, reason }),
      onProgress: () => undefined,
      checkpoint: () => Promise.resolve(),
    },
  );
  return { report, records, rejects };
}

export async function parsePath(path: string, options: ParseOptions = {}): Promise<ParsedFile> {
  return parseInput(memoryInputFile(path, new Uint8Array(await readFile(path))), options);
}

export function parseText(text: string, options: ParseOptions = {}, name = 'inline.txt'): Promise<ParsedFile> {
  return parseInput(memoryInputFile(name, new TextEncoder().encode(text)), options);
}

export function parseGzipText(text: string, options: ParseOptions = {}, name = 'inline.txt.gz'): Promise<ParsedFile> {
  return parseInput(memoryInputFile(name, new Uint8Array(gzipSync(text))), options);
}

/** read = accepted + rejected, every rejected row has a reason, and the counts match what was emitted. */
export function expectAccounted(parsed: ParsedFile): void {
  const { report, records, rejects } = parsed;
  const where = basename(report.path);
  if (report.read !== report.accepted + report.rejected) throw new Error(`${where}: read != accepted + rejected`);
  if (records.length !== report.accepted) throw new Error(`${where}: ${records.length} records emitted, ${report.accepted} counted`);
  if (rejects.length !== report.rejected) throw new Error(`${where}: ${rejects.length} rejects emitted, ${report.rejected} counted`);
  const reasons = Object.values(report.rejectReasons).reduce((a, b) => a + b, 0);
  if (reasons !== report.rejected) throw new Error(`${where}: reasons add up to ${reasons}, not ${report.rejected}`);
}
