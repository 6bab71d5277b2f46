import type { FlowRecord } from '../../flow/record';
import type { LineFormat, LineParser, ParseOptions, SniffSample, TabularRowReader, TabularSupport } from '../format';
import { RowError } from '../row-error';
import { ConnValues, connColumns, looksLikeConnTable, readConn, valuesFromRow, type ConnColumns } from './zeek-fields';
import { ObservedServices } from '../observed-services';
import { isConnPath, readJsonConn, zeekJsonScore } from './zeek-json';

/**
 * Zeek conn.log in its ASCII (TSV) form, read by each section's #fields
 * header, never by position: columns differ between Zeek versions (no
 * local_resp, ip_proto since 7.1), plugins (vlan) and renaming maps (src,
 * src_port). One stream may concatenate several logs, each with its own
 * #path and #fields; rows of logs other than conn are rejected. JSON lines
 * (LogAscii::use_json, brim exports) are read in the same stream.
 */

const DEFAULT_UNSET = '-';
const DEFAULT_EMPTY = '(empty)';

/** Decodes the \xHH escapes Zeek writes in #separator. */
function decodeEscapes(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

class ZeekLineParser implements LineParser {
  private separator = '\t';
  private unset = DEFAULT_UNSET;
  private empty = DEFAULT_EMPTY;
  private path: string | null = null;
  private pathIsConn = true;
  private columns: ConnColumns | null = null;
  private readonly values = new ConnValues();
  readonly observedServices: ObservedServices;

  constructor(options: ParseOptions) {
    this.observedServices = new ObservedServices(options.recordObserved === true);
  }

  parseLine(rawLine: string, _lineNo: number, record: FlowRecord): boolean {
    let line = rawLine;
    let first = line.charCodeAt(0);
    if (first === 9 || first === 32) {
      // Some tools indent the first header line; data rows never start blank.
      const trimmed = line.trimStart();
      if (trimmed.length === 0) return false;
      if (trimmed.charCodeAt(0) === 35 /* # */) {
        line = trimmed;
        first = 35;
      }
    }
    if (line.length === 0) return false;
    if (first === 35 /* # */) {
      this.header(line);
      return false;
    }
    if (first === 123 /* { */) readJsonConn(line, this.values, record);
    else this.readRow(line, record);
    // Once nothing can reject the row: the protocol Zeek found on the responder's port.
    this.observedServices.add(record.dst, record.proto, record.dstPort, this.values.service);
    return true;
  }

  private header(line: string): void {
    if (line.startsWith('#separator')) {
      // A new log starts: its separator line is the only one written with a space.
      const value = decodeEscapes(line.slice('#separator'.length).replace(/^[ \t]/, ''));
      this.separator = value.length > 0 ? value : '\t';
      this.unset = DEFAULT_UNSET;
      this.empty = DEFAULT_EMPTY;
      this.path = null;
      this.pathIsConn = true;
      this.columns = null;
      return;
    }
    const parts = line.split(this.separator);
    switch (parts[0]) {
      case '#unset_field':
        this.unset = parts[1] ?? DEFAULT_UNSET;
        break;
      case '#empty_field':
        this.empty = parts[1] ?? DEFAULT_EMPTY;
        break;
      case '#path':
        this.path = parts[1] ?? '';
        this.pathIsConn = isConnPath(this.path);
        this.columns = null;
        break;
      case '#fields':
        this.columns = connColumns(parts.slice(1));
        break;
      default:
        // #set_separator, #open, #types, #close and comments carry nothing a flow needs.
        break;
    }
  }

  private readRow(line: string, record: FlowRecord): void {
    if (!this.pathIsConn) throw new RowError('#path', 'row of another Zeek log, not conn', this.path ?? '');
    const columns = this.columns;
    if (columns === null) throw new RowError('#fields', 'data row before any #fields header');
    if (columns.unusable !== null) throw columns.unusable;
    const row = line.split(this.separator);
    if (row.length !== columns.count) {
      throw new RowError('', `row has ${row.length} fields but #fields names ${columns.count}`);
    }
    valuesFromRow(row, columns, this.unset, this.empty, this.values);
    readConn(this.values, columns.names, record);
  }
}

function sniffZeek(sample: SniffSample): number {
  let jsonLines = 0;
  let best = 0;
  for (const raw of sample.lines) {
    const line = raw.trimStart();
    if (line.startsWith('#separator') || line.startsWith('#fields') || line.startsWith('#path')) {
      const conn = /^#path[ \t]+conn\b/m.test(sample.text) || /^#fields\t.*\bconn_state\b/m.test(sample.text);
      return conn ? 1 : 0.8;
    }
    if (line.startsWith('#')) continue;
    if (!line.startsWith('{')) return 0;
    // brim exports open with other logs (capture_loss), so look a little further.
    best = Math.max(best, zeekJsonScore(line));
    if (best === 1 || best === 0 || ++jsonLines >= 16) break;
  }
  return best;
}

function tabularReader(columns: readonly string[]): TabularRowReader | null {
  const c = connColumns(columns);
  if (!looksLikeConnTable(c, columns)) return null;
  const values = new ConnValues();
  return (row, record) => {
    valuesFromRow(row, c, DEFAULT_UNSET, DEFAULT_EMPTY, values);
    readConn(values, c.names, record);
  };
}

export const zeekConnFormat: LineFormat & TabularSupport = {
  id: 'zeek-conn',
  kind: 'lines',
  description: 'Zeek conn.log (TSV with #fields headers, or JSON lines)',
  sniff: sniffZeek,
  // Every line that sets how later rows are read (#separator, #fields, #path…) starts with '#'.
  split: { context: 'prologue', marker: '#', reset: '#separator' },
  createParser: (options) => new ZeekLineParser(options),
  tabularReader,
};
