import { JSONParser } from '@streamparser/json';
import { isDocumentName } from './document-name';
import { PARQUET_MAGIC, readAll, startsWith } from './byte-stream';
import { newFileReport, type FileReport } from './file-report';
import type { FlowFormat, JsonDocumentFormat, JsonElementParser, LineParser, ParseOptions, RowEmitter, SniffSample, TabularSupport } from './format';
import { knownBinaryFormat } from './binary-formats';
import { MAX_OBSERVED_LABELS } from './observed-labels';
import { MAX_OBSERVED_NAMES } from './observed-names';
import { MAX_OBSERVED_PODS } from './observed-pods';
import { MAX_OBSERVED_SERVICES } from './observed-services';
import { matchTabular, openParquet, randomAccessBuffer, toArrayBuffer } from './parquet';
import { noTabularMatch, readTabularRows } from './tabular-rows';
import { FormatError, RowError } from './row-error';
import { openContent, type OpenedContent } from './open-content';
import { binaryReason, detectFormat, sniffSample } from './sniff';
import type { IngestHost, InputFile } from './source';
import type { FlowRecord } from '../flow/record';
import { forEachText, readLines, type RowCounter } from './line-reader';
import { RowCounter as FileRowCounter } from './line-reader';

export interface ReadLimits {
  /** Longer lines are rejected (and never held in memory). */
  readonly maxLineLength: number;
  /** Gzip-compressed Parquet must be decompressed into memory; refuse beyond this. */
  readonly maxInMemoryBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxLineLength: 1 << 20,
  maxInMemoryBytes: 1 << 30,
};

export interface FileReaderDeps {
  readonly host: IngestHost;
  readonly formats: readonly FlowFormat[];
  readonly tabular: readonly TabularSupport[];
  readonly options: ParseOptions;
  readonly limits: ReadLimits;
}

export interface FileReaderEvents {
  /** An accepted record; consume before returning (the instance is reused). */
  onRecord(record: FlowRecord): void;
  onReject(line: number, reason: string): void;
  /** Raw bytes of this file consumed so far. */
  onProgress(rawBytes: number): void;
  /** Called between chunks: the owner may drain buffers into the store here. */
  checkpoint(): Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * Reads one input file to its end: sniffs compression, container and format
 * from content, parses every row, and accounts for each one. Problems with
 * the file as a whole end up in `report.error`; they never throw (only
 * cancellation does), so one bad file never stops the others.
 */
export async function readFlowFile(file: InputFile, deps: FileReaderDeps, events: FileReaderEvents): Promise<FileReport> {
  const report = newFileReport(file.path);
  const counter = new FileRowCounter(report, events);
  let opened: OpenedContent | null = null;
  try {
    opened = await openContent(file, deps.host, events.onProgress, events.signal);
    report.compression = opened.compression;
    const bytes = opened.bytes;
    const content = classifyContent(file, opened, deps, report);
    if (content.kind === 'refused') return report;
    if (content.kind === 'parquet') {
      await readParquetFile(file, bytes, report, counter, deps, events);
      finish(report, counter);
      return report;
    }
    const { format, sample } = content;
    if (format.kind === 'lines') keepObserved(report, (await readLines(bytes, format, deps, counter, events)).parser);
    else keepObserved(report, await readJsonDocument(bytes, format, sample, deps.options, counter, events));
    finish(report, counter);
  } catch (error) {
    if (isAbort(error, events.signal)) throw error;
    report.error = describeFileError(error, report);
  } finally {
    // Files refused after sniffing, and Parquet read by random access, are not read to their end.
    await opened?.close().catch(() => undefined);
  }
  return report;
}

export type ClassifiedContent =
  | { readonly kind: 'parquet' }
  /** Not flow data, or not a format known: the report says why. */
  | { readonly kind: 'refused' }
  | { readonly kind: 'format'; readonly format: FlowFormat; readonly sample: SniffSample };

/** What a file's first bytes say it is; a refusal is written on the report. */
export function classifyContent(file: InputFile, opened: OpenedContent, deps: Pick<FileReaderDeps, 'formats' | 'options'>, report: FileReport): ClassifiedContent {
  const first = opened.head;
  if (first.byteLength === 0) {
    report.error = opened.compression === null ? 'the file is empty' : 'the file is empty once decompressed';
    return { kind: 'refused' };
  }
  if (startsWith(first, PARQUET_MAGIC)) return { kind: 'parquet' };
  const known = knownBinaryFormat(first);
  if (known !== null) {
    report.error = `not a flow export: ${known}`;
    return { kind: 'refused' };
  }
  const sampleText = new TextDecoder('utf-8').decode(first, { stream: true });
  const binary = binaryReason(sampleText);
  if (binary !== null) {
    if (!skipDocument(file, report)) report.error = `not a flow export: ${binary}; tried ${formatList(deps.formats)} and Parquet`;
    return { kind: 'refused' };
  }
  const sample = sniffSample(sampleText);
  const { format } = detectFormat(deps.formats, sample, deps.options);
  if (format === null) {
    if (!skipDocument(file, report)) report.error = unknownFormatMessage(deps.formats, sample.lines[0] ?? '');
    return { kind: 'refused' };
  }
  report.format = format.id;
  return { kind: 'format', format, sample };
}

/** The pods, host names and server protocols a file's records carried, on its report; a bound reached is said. */
export function keepObserved(report: FileReport, parser: Partial<Pick<LineParser, 'observedPods' | 'observedNames' | 'observedServices' | 'observedLabels'>> | undefined): void {
  const pods = parser?.observedPods;
  if (pods !== undefined) {
    report.observedPods = pods.list();
    if (pods.overflow > 0) report.warnings.push(`names more than ${MAX_OBSERVED_PODS} distinct pods: ${pods.overflow} records naming others were not used to name hosts`);
  }
  const names = parser?.observedNames;
  if (names !== undefined) {
    report.observedNames = names.list();
    if (names.overflow > 0) report.warnings.push(`names more than ${MAX_OBSERVED_NAMES} distinct hosts: ${names.overflow} records naming others were not used to name hosts`);
  }
  const services = parser?.observedServices;
  if (services !== undefined) {
    report.observedServices = services.list();
    if (services.overflow > 0) report.warnings.push(`names the protocol on more than ${MAX_OBSERVED_SERVICES} server ports: ${services.overflow} records beyond those were not used to name services`);
  }
  const labels = parser?.observedLabels;
  if (labels !== undefined) {
    report.observedLabels = labels.list();
    if (labels.overflow > 0) report.warnings.push(`places hosts under more than ${MAX_OBSERVED_LABELS} distinct network names: ${labels.overflow} records beyond those were not used to explain hosts`);
  }
}

async function readJsonDocument(
  bytes: AsyncIterable<Uint8Array>,
  format: JsonDocumentFormat,
  sample: SniffSample,
  options: ParseOptions,
  counter: RowCounter,
  events: FileReaderEvents,
): Promise<JsonElementParser> {
  const parser = format.createParser(options);
  const paths = format.elementPathsFor?.(sample) ?? format.elementPaths;
  // separator '' lets one JSON value follow another (one record per line) instead of ending after the first.
  const json = new JSONParser({ paths: [...paths], keepStack: false, separator: '' });
  let element = 0;
  const emitter: RowEmitter = {
    begin() {
      counter.record.reset();
      return counter.record;
    },
    accept() {
      counter.accept();
    },
    reject(error, where) {
      counter.reject(0, error, where);
    },
  };
  json.onValue = ({ value, key }) => {
    const where = `element ${element++}${typeof key === 'string' ? ` (${key})` : ''}`;
    try {
      parser.parseElement(value, where, emitter);
    } catch (error) {
      emitter.reject(error, where);
    }
  };
  await forEachText(bytes, events, (text) => json.write(text));
  if (!json.isEnded) json.end();
  return parser;
}

async function readParquetFile(
  file: InputFile,
  bytes: AsyncIterable<Uint8Array>,
  report: FileReport,
  counter: RowCounter,
  deps: FileReaderDeps,
  events: FileReaderEvents,
): Promise<void> {
  report.container = 'parquet';
  let buffer;
  if (report.compression === null) buffer = randomAccessBuffer(file);
  else {
    const whole = await readAll(bytes, deps.limits.maxInMemoryBytes, 'compressed Parquet');
    buffer = { byteLength: whole.byteLength, slice: (start: number, end?: number) => toArrayBuffer(whole.slice(start, end)) };
  }
  const table = await openParquet(buffer);
  const match = matchTabular(deps.tabular, table.columns, deps.options);
  if (match === null) {
    report.error = noTabularMatch(table.columns, deps.tabular);
    return;
  }
  report.format = match.id;
  let rowsBefore = 0;
  for await (const rows of table.rowGroups()) {
    readTabularRows(rows, match.reader, counter, rowsBefore);
    rowsBefore += rows.length;
    await events.checkpoint();
    events.signal?.throwIfAborted();
  }
}

/** A document found in a folder, which no format recognised: skipped with a note (document-name.ts). */
function skipDocument(file: InputFile, report: FileReport): boolean {
  if (file.foundInFolder !== true || !isDocumentName(file.path)) return false;
  report.skipped = 'a document found in the folder, not flow data: skipped';
  return true;
}

export function finish(report: FileReport, counter: Pick<RowCounter, 'times'>): void {
  if (report.error === null && report.read === 0) {
    report.warnings.push('no rows: the file holds only a header, comments or metadata');
  }
  const times = counter.times.warning();
  if (times !== null) report.warnings.push(times);
}

/** Once cancelled, whatever broke the read is a consequence of cancelling: let the cancellation through. */
export function isAbort(_error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function formatList(formats: readonly FlowFormat[]): string {
  return formats.map((format) => format.id).join(', ');
}

function unknownFormatMessage(formats: readonly FlowFormat[], firstLine: string): string {
  const preview = firstLine.length > 120 ? `${firstLine.slice(0, 120)}…` : firstLine;
  return (
    `unknown format: none of ${formatList(formats)} or Parquet recognised its content ` +
    `(first line: ${JSON.stringify(preview)}); for other delimited files pass --map src=…,dst=…`
  );
}

export function describeFileError(error: unknown, report: FileReport): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof FormatError) return message;
  const code = (error as { code?: unknown } | null)?.code;
  const position = report.read > 0 ? ` after ${report.read} rows` : '';
  const zlib = typeof code === 'string' && code.startsWith('Z_');
  if (zlib || /unexpected end of file|incorrect header check|invalid (stored|block|distance|code)|compressed data|decompress/i.test(message)) {
    return `truncated or corrupt gzip data${position}: ${message}`;
  }
  if (report.format !== null && /JSON|Unexpected|token/i.test(message) && !(error instanceof RowError)) {
    return `invalid JSON${position}: ${message}`;
  }
  return `could not read the file${position}: ${message}`;
}
