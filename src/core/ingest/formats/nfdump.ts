import type { FlowRecord } from '../../flow/record';
import { canonicalIp } from '../../net/ip';
import type { LineFormat, LineParser, SniffSample, TabularRowReader, TabularSupport } from '../format';
import { RowError } from '../row-error';
import { fieldCountError } from './delimited';
import { parseJsonLine } from './json-fields';
import { DEFAULT_COLUMNS, LEGACY_COLUMNS, nfdumpColumns, readNfdumpRow, type NfdumpColumns } from './nfdump-csv';
import { readNfdumpJson } from './nfdump-json';

/**
 * nfdump text exports: the CSV of ≤ 1.7.4 (48 fixed columns and a Summary
 * footer) and of ≥ 1.7.5 (named fields, csv-fast, custom csv: formats), with
 * or without a header (-q), plus its NDJSON and pretty-printed JSON. The
 * `-o line/long/extended` tables are not claimed: they abbreviate IPv6
 * addresses ("fe80::2..d7:cf65"), which cannot be read back.
 */

/** A pretty-printed JSON object longer than this is not nfdump's. */
const MAX_OBJECT_LINES = 1000;

const LEGACY = nfdumpColumns(LEGACY_COLUMNS)!;
const DEFAULT = nfdumpColumns(DEFAULT_COLUMNS)!;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

class NfdumpLineParser implements LineParser {
  private columns: NfdumpColumns | null = null;
  /** Lines of the ≤ 1.7.4 "Summary" footer still to pass over. */
  private footer = 0;
  /** Body lines of a pretty-printed JSON object being collected. */
  private object: string[] | null = null;

  parseLine(line: string, _lineNo: number, record: FlowRecord): boolean {
    if (this.object !== null) return this.continueObject(line, record);
    const first = line.charCodeAt(0);
    if (first === 123 /* { */) {
      if (line.trim() === '{') {
        this.object = [];
        return false;
      }
      readNfdumpJson(parseJsonLine(line), record);
      return true;
    }
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed === '[' || trimmed === ']') return false;
    // The footer is exactly "Summary", "flows,bytes,packets,…" and one line
    // of totals; anything else after "Summary" is read as usual.
    if (this.footer === 2) {
      this.footer = 0;
      if (line.startsWith('flows,')) {
        this.footer = 1;
        return false;
      }
    } else if (this.footer === 1) {
      this.footer = 0;
      return false;
    }
    if (trimmed === 'Summary') {
      this.footer = 2;
      return false;
    }
    const values = line.split(',');
    if (!isDigit(first)) {
      // A header names nfdump's columns; a custom layout's rows may start with an IPv6 address.
      const columns = nfdumpColumns(values);
      if (columns !== null) {
        this.columns = columns;
        return false;
      }
      if (this.columns === null) throw new RowError('', 'neither an nfdump CSV row nor its header', line);
    }
    const columns = this.columns ?? headerlessColumns(values.length);
    if (values.length !== columns.count) throw fieldCountError(values.length, columns.count);
    readNfdumpRow(values, columns, record);
    return true;
  }

  /** A pretty-printed object still open when the file ends (a truncated export) is a row, rejected. */
  end(): void {
    if (this.object === null) return;
    this.object = null;
    throw new RowError('', 'JSON object not closed at the end of the file');
  }

  private continueObject(line: string, record: FlowRecord): boolean {
    const body = this.object!;
    const trimmed = line.trim();
    if (trimmed === '}' || trimmed === '},' || trimmed === '}]') {
      this.object = null;
      readNfdumpJson(parseJsonLine(`{${body.join('\n')}}`), record);
      return true;
    }
    if (trimmed === '{') {
      this.object = [];
      throw new RowError('', 'JSON object not closed before the next one');
    }
    if (body.length >= MAX_OBJECT_LINES) {
      this.object = null;
      throw new RowError('', `JSON object longer than ${MAX_OBJECT_LINES} lines`);
    }
    body.push(line);
    return false;
  }
}

function headerlessColumns(count: number): NfdumpColumns {
  if (count === LEGACY.count) return LEGACY;
  if (count === DEFAULT.count) return DEFAULT;
  throw new RowError('', `no header line and ${count} fields match no nfdump CSV layout (48 or 10)`);
}

const LEGACY_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const MS_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;
const JSON_FLOW = /"type"\s*:\s*"(?:FLOW|EVENT)"/;
const JSON_ADDRESS = /"(?:src|dst)[46]_addr"\s*:/;

function sniffNfdump(sample: SniffSample): number {
  const first = sample.lines[0];
  if (first === undefined) return 0;
  if (first.startsWith('ts,te,td,sa,da,sp,dp,pr,')) return 1;
  if (first.startsWith('{')) return JSON_FLOW.test(first) && JSON_ADDRESS.test(first) ? 0.95 : 0;
  if (first.trim() === '[') return sniffPrettyJson(sample.lines);
  const values = first.split(',');
  const columns = nfdumpColumns(values);
  if (columns !== null) {
    return values.includes('firstSeen') || values.includes('ts') ? 0.95 : 0.8;
  }
  if (values.length === LEGACY.count && LEGACY_TIME.test(values[0]!) && canonicalIp(values[3]!) !== null) return 0.85;
  if (values.length === DEFAULT.count && MS_TIME.test(values[0]!) && canonicalIp(values[3]!) !== null && canonicalIp(values[5]!) !== null) {
    return 0.8;
  }
  return 0;
}

/** `-o json` of 1.7.x: "[", "{", then one `"key" : value,` per line. */
function sniffPrettyJson(lines: readonly string[]): number {
  if (lines[1]?.trim() !== '{') return 0;
  let flow = false;
  let address = false;
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().startsWith('}')) break;
    if (JSON_FLOW.test(line)) flow = true;
    else if (JSON_ADDRESS.test(line)) address = true;
  }
  return flow && address ? 0.9 : 0;
}

function tabularReader(columns: readonly string[]): TabularRowReader | null {
  const plan = nfdumpColumns(columns);
  if (plan === null) return null;
  return (values, record) => readNfdumpRow(values, plan, record);
}

export const nfdumpFormat: LineFormat & TabularSupport = {
  id: 'nfdump',
  kind: 'lines',
  description: 'nfdump CSV (1.6–1.7.4 and 1.7.5+ layouts), NDJSON and JSON',
  sniff: sniffNfdump,
  createParser: () => new NfdumpLineParser(),
  tabularReader,
  // A header names all the columns anew, and every header names the protocol
  // (`pr` or `proto`), which the footer's lines never do. Pieces start and
  // end between CSV rows (which start with a digit): never inside the
  // footer or a JSON object, and a JSON export is never cut at all.
  split: { context: 'prologue', marker: 'pr', reset: '', cutBetween: isDigit },
};
