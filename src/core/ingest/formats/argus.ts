import type { FlowRecord } from '../../flow/record';
import type { LineFormat, LineParser, SniffSample, TabularRowReader, TabularSupport } from '../format';
import { RowError } from '../row-error';
import { fieldCountError, separatorOf } from './delimited';
import { argusColumns, readArgusRow, type ArgusColumns } from './argus-fields';

/**
 * Argus bidirectional flow records as printed by `ra` with a field
 * separator: CTU-13's .binetflow (comma or TAB separated, header
 * StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,…,Label).
 * Times are naive ("2011/08/10 09:46:53.047277") and read as UTC.
 */

class ArgusLineParser implements LineParser {
  private columns: ArgusColumns | null = null;
  private separator = ',';
  private header = '';

  parseLine(line: string, _lineNo: number, record: FlowRecord): boolean {
    if (line.trim().length === 0) return false;
    // Concatenated exports repeat the header.
    if (this.columns === null || line === this.header) {
      this.readHeader(line);
      return false;
    }
    const values = line.split(this.separator);
    const columns = this.columns;
    if (values.length !== columns.count && !(columns.trailingLabel && values.length > columns.count)) {
      throw fieldCountError(values.length, columns.count);
    }
    readArgusRow(values, columns, record);
    return true;
  }

  private readHeader(line: string): void {
    const separator = separatorOf(line) ?? ',';
    const columns = argusColumns(line.split(separator));
    if (columns === null) throw new RowError('', 'no Argus header (StartTime, Proto, SrcAddr, DstAddr, …) before this row', line);
    this.columns = columns;
    this.separator = separator;
    this.header = line;
  }
}

function sniffArgus(sample: SniffSample): number {
  const first = sample.lines[0];
  if (first === undefined) return 0;
  const separator = separatorOf(first);
  if (separator === null) return 0;
  const names = first.split(separator);
  if (argusColumns(names) === null) return 0;
  return names.includes('Dir') || names.includes('TotBytes') ? 0.95 : 0.8;
}

function tabularReader(columns: readonly string[]): TabularRowReader | null {
  const plan = argusColumns(columns);
  if (plan === null) return null;
  return (values, record) => readArgusRow(values, plan, record);
}

export const argusFormat: LineFormat & TabularSupport = {
  id: 'argus',
  kind: 'lines',
  description: 'Argus flow records (ra CSV, CTU-13 binetflow)',
  sniff: sniffArgus,
  // Its header is the first line; a header repeated later changes nothing.
  split: { context: 'prologue' },
  createParser: () => new ArgusLineParser(),
  tabularReader,
};
