import type { FlowRecord } from '../../flow/record';
import type { LineFormat, LineParser, SniffSample, TabularRowReader, TabularSupport } from '../format';
import { RowError } from '../row-error';
import { fieldCountError, separatorOf } from './delimited';
import { isObject, parseJsonLine, textOf } from './json-fields';
import { JSON_KEYS, pmacctColumns, readPmacctRow, type PmacctColumns } from './pmacct-fields';

/**
 * pmacct (pmacctd, nfacctd, sfacctd) print plugin output: CSV with a header
 * of upper-case primitives (any separator pmacct's print_output_separator
 * allows: ',', TAB, ';' or '|'), or JSON with one object per line. Flows
 * are unidirectional aggregates; a file aggregated without any time
 * primitive yields records without times.
 */

const JSON_COLUMNS = pmacctColumns(JSON_KEYS)!;

class PmacctLineParser implements LineParser {
  private columns: PmacctColumns | null = null;
  private separator = ',';
  private header = '';
  private readonly json: string[] = new Array<string>(JSON_KEYS.length);

  parseLine(line: string, _lineNo: number, record: FlowRecord): boolean {
    if (line.charCodeAt(0) === 123 /* { */) {
      this.readJson(parseJsonLine(line), record);
      return true;
    }
    if (line.trim().length === 0) return false;
    // The print plugin repeats the header at the top of every output file.
    if (this.columns === null || line === this.header) {
      this.readHeader(line);
      return false;
    }
    const values = line.split(this.separator);
    if (values.length !== this.columns.count) throw fieldCountError(values.length, this.columns.count);
    readPmacctRow(values, this.columns, record);
    return true;
  }

  private readHeader(line: string): void {
    const separator = separatorOf(line) ?? ',';
    const columns = pmacctColumns(line.split(separator));
    if (columns === null) throw new RowError('', 'no pmacct CSV header (SRC_IP, DST_IP, …) before this row', line);
    this.columns = columns;
    this.separator = separator;
    this.header = line;
  }

  private readJson(value: unknown, record: FlowRecord): void {
    if (!isObject(value)) throw new RowError('', 'expected a JSON object');
    const event = value.event_type;
    // Kafka/AMQP streams interleave purge_init/purge_close markers and BGP/BMP logs.
    if (event !== undefined && event !== 'purge') {
      throw new RowError('event_type', 'not a flow event', textOf(event) ?? JSON.stringify(event));
    }
    const values = this.json;
    for (let i = 0; i < JSON_KEYS.length; i++) values[i] = textOf(value[JSON_KEYS[i]!]) ?? '';
    readPmacctRow(values, JSON_COLUMNS, record);
  }
}

function sniffPmacct(sample: SniffSample): number {
  const first = sample.lines[0];
  if (first === undefined) return 0;
  if (first.startsWith('{')) return sniffJson(sample.lines);
  const separator = separatorOf(first);
  if (separator === null) return 0;
  const names = first.split(separator);
  if (pmacctColumns(names) === null) return 0;
  // pmacct always prints its counters last.
  return names.includes('PACKETS') || names.includes('BYTES') ? 0.95 : 0.8;
}

/** Kafka/AMQP dumps open with purge_init markers: look past them to the first record. */
function sniffJson(lines: readonly string[]): number {
  for (const line of lines.slice(0, 8)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return 0;
    }
    if (!isObject(value)) return 0;
    if ('ip_src' in value && 'ip_dst' in value) return 0.95;
    if (value.event_type === 'purge') return 'packets' in value || 'bytes' in value ? 0.8 : 0;
    if (value.event_type !== 'purge_init' && value.event_type !== 'purge_close') return 0;
  }
  return 0;
}

function tabularReader(columns: readonly string[]): TabularRowReader | null {
  const plan = pmacctColumns(columns);
  if (plan === null) return null;
  return (values, record) => readPmacctRow(values, plan, record);
}

export const pmacctFormat: LineFormat & TabularSupport = {
  id: 'pmacct',
  kind: 'lines',
  description: 'pmacct print output (CSV or JSON)',
  sniff: sniffPmacct,
  // Its header is the first line; a header repeated later changes nothing.
  split: { context: 'prologue' },
  createParser: () => new PmacctLineParser(),
  tabularReader,
};
