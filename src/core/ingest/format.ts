import type { FlowRecord } from '../flow/record';
import type { ObservedLabels } from './observed-labels';
import type { ObservedNames } from './observed-names';
import type { ObservedPods } from './observed-pods';
import type { ObservedServices } from './observed-services';

/** Format names as reported in the CLI's JSON. */
export const FORMAT_IDS = [
  'aws-vpc',
  'aws-tgw',
  'azure-nsg',
  'azure-vnet',
  'gcp-vpc',
  'nfdump',
  'zeek-conn',
  'suricata-eve',
  'hubble',
  'pmacct',
  'argus',
  'csv',
  'flowfence-edges',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** What a sniffer sees: the decoded start of the file. */
export interface SniffSample {
  /** Up to the first 64 KiB of decoded text. */
  readonly text: string;
  /**
   * The first complete lines (at most 64), without terminators or blank lines.
   * A file whose first line does not end within the sample yields that prefix
   * as its only line.
   */
  readonly lines: readonly string[];
}

/** Column mapping for generic CSV: canonical field → column name in the file. */
export type ColumnMap = Partial<Record<CsvField, string>>;
export const CSV_FIELDS = [
  'src',
  'dst',
  'sport',
  'dport',
  'proto',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'rpackets',
  'rbytes',
  'flags',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

export interface ParseOptions {
  /** `--map` for generic CSV. */
  readonly csvMap?: ColumnMap;
  /**
   * Set by the reader of one piece of a split file (split/parse-piece.ts):
   * the parser's observed-things collectors log their calls instead of
   * keeping them, and the file's collector replays the logs in file order.
   */
  readonly recordObserved?: boolean;
}

interface FormatBase {
  readonly id: FormatId;
  /** One line for error messages and the UI ("AWS VPC flow logs (v2–v8, custom fields)"). */
  readonly description: string;
  /** 0: not this format; 1: certain. Must be cheap and must not throw. */
  sniff(sample: SniffSample, options?: ParseOptions): number;
}

/**
 * Turns one line into at most one row. Returns false for lines that are not
 * rows (headers, comments, footers, blank). Returns true after filling
 * `record` with an accepted row. Throws RowError to reject the row.
 */
export interface LineParser {
  parseLine(line: string, lineNo: number, record: FlowRecord): boolean;
  /** After the last line: throws RowError when a row spanning lines was left unfinished (it is then rejected). */
  end?(): void;
  /** For formats whose records name their pods (Hubble): those of the accepted rows. */
  readonly observedPods?: ObservedPods;
  /** For formats whose records name their hosts (GCP's VM names): those of the accepted rows. */
  readonly observedNames?: ObservedNames;
  /** For formats whose records name the protocol on the server's port (Zeek's service): those of the accepted rows. */
  readonly observedServices?: ObservedServices;
  /** For formats whose records place hosts in the network (GCP's VPC and subnet): those of the accepted rows. */
  readonly observedLabels?: ObservedLabels;
}

/**
 * The same contract as LineParser, on the bytes [start, end) of one line:
 * for ASCII-delimited formats on the hot path, so lines are never decoded
 * into strings at all.
 */
export interface ByteLineParser {
  parseBytes(bytes: Uint8Array, start: number, end: number, lineNo: number, record: FlowRecord): boolean;
  /**
   * Optional fast path for the common shape of a line: reads the line at
   * `start` (its newline before `bound`) into `record` and returns the
   * newline's index, or returns -1 to leave the line to parseBytes. It may
   * only accept lines parseBytes accepts, with the same record; it never
   * rejects.
   */
  parsePlainLine?(bytes: Uint8Array, start: number, bound: number, record: FlowRecord): number;
  end?(): void;
}

/**
 * How a large file of a line format may be cut into pieces parsed side by
 * side (split/file-pieces.ts). A parser's state (a header, Zeek's #fields)
 * must then be known where each piece starts: every piece's parser first
 * reads the file's prologue (its lines before the first accepted row,
 * those the parser did not accept) and every later line containing
 * `marker`, and discards what they give. That is exact when accepting a
 * row never changes the parser's state, and every line past the prologue
 * that can change it contains the marker.
 */
export type LineSplit = (
  /** Each line is read alone (JSON lines): pieces need nothing before them. */
  | { readonly context: 'none' }
  /**
   * After the prologue only lines containing `marker` (when given) that the
   * parser reads as no row change the state; one starting with `reset`
   * ('' for any) sets it all anew (a header, a new log).
   */
  | { readonly context: 'prologue'; readonly marker?: string; readonly reset?: string }
) & {
  /**
   * When given, a piece ends only between two lines whose first bytes both
   * pass: where some lines mean something only after the ones before them
   * (nfdump's summary footer, its multi-line JSON objects), pieces then
   * start and end among plain rows. Absent: at any line end.
   */
  readonly cutBetween?: (firstByte: number) => boolean;
};

/** Text formats read line by line (delimited text and NDJSON). */
export interface LineFormat extends FormatBase {
  readonly kind: 'lines';
  /** Absent: a line's meaning may depend on lines before it in ways no context carries; its files are read whole. */
  readonly split?: LineSplit;
  createParser(options: ParseOptions): LineParser;
  /** Optional faster path over bytes; must accept exactly what createParser's parser accepts. */
  createByteParser?(options: ParseOptions): ByteLineParser;
}

/** Hands rows of a JSON document's element to the driver. */
export interface RowEmitter {
  /** A cleared record for the next row. */
  begin(): FlowRecord;
  /** Accepts the record filled since begin(). */
  accept(): void;
  /** Rejects a row; `where` locates it inside the document (a JSON path). */
  reject(error: unknown, where: string): void;
}

export interface JsonElementParser {
  /** Emits the rows in one element (e.g. one Azure record with many flow tuples). */
  parseElement(value: unknown, where: string, rows: RowEmitter): void;
  /** For formats whose records place hosts in the network (Azure's NSG and rule names): those of the accepted rows. */
  readonly observedLabels?: ObservedLabels;
}

/** JSON documents too large to hold whole: elements are streamed one by one. */
export interface JsonDocumentFormat extends FormatBase {
  readonly kind: 'json-document';
  /** JSONPath of the elements to stream, e.g. "$.records.*". */
  readonly elementPaths: readonly string[];
  /** When a format comes in several shapes (blob, bare array, one value per line): the paths for this file. */
  elementPathsFor?(sample: SniffSample): readonly string[];
  createParser(options: ParseOptions): JsonElementParser;
}

export type FlowFormat = LineFormat | JsonDocumentFormat;

/** Fills `record` from one row of named columns, or throws RowError. */
export type TabularRowReader = (values: readonly string[], record: FlowRecord) => void;

/**
 * Formats that are tables of named columns. The same reader serves their
 * text form and Parquet files carrying the same columns.
 */
export interface TabularSupport {
  readonly id: FormatId;
  /** A reader for these column names, or null when they are not this format's. */
  tabularReader(columns: readonly string[], options: ParseOptions): TabularRowReader | null;
}
