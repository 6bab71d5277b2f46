import { dsvFormat } from 'd3-dsv';
import { Action, type FlowRecord } from '../../flow/record';
import { applyCumulativeFlagsHint, applyIcmpType, flagsFromLetters } from '../../flow/direction-hints';
import { hasPorts, isIcmp } from '../../flow/protocols';
import type { ColumnMap, CsvField, LineFormat, LineParser, ParseOptions, SniffSample, TabularRowReader, TabularSupport } from '../format';
import { FormatError, RowError } from '../row-error';
import { checkTimeOrder, counter, flexibleTime, ip, optionalPort, protocol, decimalInteger, hexInteger } from '../values';
import { mostFrequentSeparator } from '../delimiters';
import { missingMappedColumns, resolveColumns } from './csv-columns';

/**
 * Generic delimited flow exports: any table with source and destination
 * address columns, named by --map or recognised by common names. It is the
 * fallback after every specific format, so its sniffer stays modest.
 */
type Columns = Partial<Record<CsvField, number>>;

function firstDataLines(sample: SniffSample): string[] {
  return sample.lines.filter((line) => !line.startsWith('#'));
}

function sniffCsv(sample: SniffSample, options?: ParseOptions): number {
  const [header, firstRow] = firstDataLines(sample);
  if (header === undefined || header.startsWith('{') || header.startsWith('<')) return 0;
  const delimiter = mostFrequentSeparator(header);
  const columns = header.split(delimiter);
  if (columns.length < 2) return 0;
  const resolved = resolveColumns(columns, options?.csvMap);
  if (resolved.src === undefined || resolved.dst === undefined) return 0;
  if (firstRow !== undefined && firstRow.split(delimiter).length < 2) return 0;
  // An explicit mapping that fits the header is as sure as a specific format.
  return options?.csvMap !== undefined ? 0.99 : 0.55;
}

const ALLOW = new Set(['allow', 'allowed', 'accept', 'accepted', 'permit', 'permitted', 'pass', 'passed', 'a', 'forwarded']);
const DENY = new Set(['deny', 'denied', 'drop', 'dropped', 'reject', 'rejected', 'block', 'blocked', 'd', 'refused']);

function readRow(values: readonly string[], c: Columns, names: readonly string[], record: FlowRecord): void {
  const at = (field: CsvField): string | undefined => {
    const index = c[field];
    return index === undefined ? undefined : values[index]?.trim();
  };
  const name = (field: CsvField): string => names[c[field]!] ?? field;
  record.src = ip(at('src'), name('src'));
  record.dst = ip(at('dst'), name('dst'));
  if (c.proto === undefined) throw new FormatError('no protocol column (pass --map proto=…)');
  record.proto = protocol(at('proto'), name('proto'));
  if (hasPorts(record.proto)) {
    record.srcPort = c.sport === undefined ? -1 : optionalPort(at('sport'), name('sport'));
    record.dstPort = c.dport === undefined ? -1 : optionalPort(at('dport'), name('dport'));
  } else if (isIcmp(record.proto) && c.dport !== undefined) {
    const type = optionalPort(at('dport'), name('dport'));
    if (type >= 0 && type <= 255) applyIcmpType(record, type);
  }
  if (c.packets !== undefined) record.packets = counter(at('packets'), name('packets'));
  if (c.bytes !== undefined) record.bytes = counter(at('bytes'), name('bytes'));
  if (c.rpackets !== undefined) record.revPackets = counter(at('rpackets'), name('rpackets'));
  if (c.rbytes !== undefined) record.revBytes = counter(at('rbytes'), name('rbytes'));
  const start = at('start');
  if (start !== undefined && start !== '' && start !== '-') {
    record.startMs = flexibleTime(start, name('start'));
    const end = at('end');
    record.endMs = end !== undefined && end !== '' && end !== '-' ? flexibleTime(end, name('end')) : record.startMs;
    checkTimeOrder(record.startMs, record.endMs, name('end'));
  }
  const action = at('action')?.toLowerCase();
  if (action !== undefined && action !== '' && action !== '-') {
    if (ALLOW.has(action)) record.action = Action.allow;
    else if (DENY.has(action)) record.action = Action.deny;
    else throw new RowError(name('action'), 'expected allow/accept/permit or deny/drop/reject/block', action);
  }
  const flags = at('flags');
  if (record.proto === 6 && flags !== undefined && flags !== '' && flags !== '-') {
    const bits = decimalInteger(flags) ?? (flags.startsWith('0x') ? hexInteger(flags) : null) ?? flagsFromLetters(flags.toUpperCase());
    applyCumulativeFlagsHint(record, bits);
  }
}

class CsvLineParser implements LineParser {
  private header: string[] | null = null;
  private columns: Columns = {};
  private delimiter = ',';
  private parseRows: (text: string) => string[][] = (text) => dsvFormat(',').parseRows(text);

  constructor(private readonly map: ColumnMap | undefined) {}

  parseLine(line: string, _lineNo: number, record: FlowRecord): boolean {
    if (line.trim() === '' || line.startsWith('#')) return false;
    if (this.header === null) {
      this.delimiter = mostFrequentSeparator(line);
      const format = dsvFormat(this.delimiter);
      this.parseRows = (text) => format.parseRows(text);
      this.header = this.split(line);
      this.columns = resolveColumns(this.header, this.map);
      const missing = missingMappedColumns(this.header, this.map);
      if (missing.length > 0) {
        throw new FormatError(`--map names columns the header lacks: ${missing.join(', ')} (header: ${this.header.join(', ')})`);
      }
      return false;
    }
    const values = this.split(line);
    if (values.length !== this.header.length) {
      throw new RowError('', `row has ${values.length} fields but the header names ${this.header.length}`);
    }
    readRow(values, this.columns, this.header, record);
    return true;
  }

  private split(line: string): string[] {
    // Quotes are rare in flow exports; when present, d3-dsv applies RFC 4180.
    return line.includes('"') ? (this.parseRows(line)[0] ?? []) : line.split(this.delimiter);
  }
}

export const csvFormat: LineFormat & TabularSupport = {
  id: 'csv',
  kind: 'lines',
  description: 'generic delimited text with a column mapping (--map src=…,dst=…)',
  sniff: sniffCsv,
  // The header is its first line that is not blank or a comment.
  split: { context: 'prologue' },
  createParser: (options) => new CsvLineParser(options.csvMap),
  tabularReader(columns, options): TabularRowReader | null {
    const resolved = resolveColumns(columns, options.csvMap);
    if (resolved.src === undefined || resolved.dst === undefined) return null;
    return (values, record) => readRow(values, resolved, columns, record);
  },
};
