import { PlausibleTimes } from '../flow/plausible-time';
import { FlowRecord } from '../flow/record';
import { ByteLineSplitter } from './byte-lines';
import type { FileReaderDeps, FileReaderEvents } from './file-reader';
import type { FileReport } from './file-report';
import type { ByteLineParser, LineFormat, LineParser } from './format';
import { FormatError, RowError } from './row-error';
import { RowTally } from './row-tally';
import { LineSplitter } from './text-lines';

/** Lets queued messages (cancel, progress) through during long synchronous stretches. */
const YIELD_EVERY_MS = 50;

/** The file's tally, handing each accepted record on (the record is reused row after row). */
export class RowCounter extends RowTally {
  readonly record = new FlowRecord();
  readonly times: PlausibleTimes;

  constructor(
    report: FileReport,
    private readonly events: Pick<FileReaderEvents, 'onRecord' | 'onReject'>,
    nowMs?: number,
  ) {
    super(report, events.onReject);
    this.times = new PlausibleTimes(nowMs);
  }

  override accept(): void {
    super.accept();
    this.times.check(this.record);
    this.events.onRecord(this.record);
  }
}

/** How much of a file a call to readLines reads: all of it, or one piece of a split file. */
export interface LineSpan {
  /** Lines the parser reads first, whatever they give dropped: the state where a piece starts (format.ts, LineSplit). */
  readonly context: readonly string[];
  /** The span starts the file: a UTF-8 byte-order mark there is dropped. */
  readonly fileStart: boolean;
  /** The span ends the file: the parser is told (a row spanning lines left open is rejected). */
  readonly fileEnd: boolean;
  /**
   * A parser of this format already in the state the context stands for
   * (it read the piece that ended where this context starts): used instead
   * of a new one, which saves building its caches and reading the context.
   */
  readonly parser?: LineParser | ByteLineParser;
}

export const WHOLE_FILE: LineSpan = { context: [], fileStart: true, fileEnd: true };

/** Reads every line; returns the text parser, whose observed pods and names the report keeps (none for byte parsers). */
export async function readLines(
  bytes: AsyncIterable<Uint8Array>,
  format: LineFormat,
  deps: Pick<FileReaderDeps, 'options' | 'limits'>,
  counter: RowCounter,
  events: Pick<FileReaderEvents, 'checkpoint' | 'signal'>,
  span: LineSpan = WHOLE_FILE,
): Promise<{ parser: LineParser | undefined; used: LineParser | ByteLineParser; lines: number }> {
  const record = counter.record;
  const limit = deps.limits.maxLineLength;
  const overlong = (lineNo: number, length: number): void => {
    counter.reject(lineNo, new RowError('', `line longer than ${limit} characters`, `${length} characters`));
  };
  const finish = (parser: { end?(): void }, lastLine: number): void => {
    if (!span.fileEnd) return;
    try {
      parser.end?.();
    } catch (error) {
      counter.reject(lastLine, error);
    }
  };
  const failed = (lineNo: number, error: unknown): void => {
    if (error instanceof FormatError) throw new FormatError(`line ${lineNo}: ${error.message}`, { line: lineNo, problem: error.message });
    counter.reject(lineNo, error);
  };
  const handle = (lineNo: number, parse: () => boolean): void => {
    record.reset();
    try {
      if (parse()) counter.accept();
    } catch (error) {
      failed(lineNo, error);
    }
  };
  if (format.createByteParser !== undefined) {
    const reused = span.parser as ByteLineParser | undefined;
    const parser = reused ?? format.createByteParser(deps.options);
    if (reused === undefined) primeByteParser(parser, span.context, record);
    // No closure per line here: this runs for every record of the big formats.
    const line = (buffer: Uint8Array, start: number, end: number, lineNo: number): void => {
      record.reset();
      try {
        if (parser.parseBytes(buffer, start, end, lineNo, record)) counter.accept();
      } catch (error) {
        failed(lineNo, error);
      }
    };
    const plain =
      parser.parsePlainLine === undefined
        ? undefined
        : (buffer: Uint8Array, start: number, bound: number): number => {
            record.reset();
            const newline = parser.parsePlainLine!(buffer, start, bound, record);
            if (newline >= 0) counter.accept();
            return newline;
          };
    const splitter = new ByteLineSplitter(plain === undefined ? { line, overlong } : { line, overlong, plain }, limit);
    await forEachChunk(bytes, events, (chunk) => splitter.push(chunk), span.fileStart);
    splitter.end();
    finish(parser, splitter.linesSeen);
    return { parser: undefined, used: parser, lines: splitter.linesSeen };
  }
  const reused = span.parser as LineParser | undefined;
  const parser = reused ?? format.createParser(deps.options);
  if (reused === undefined) primeTextParser(parser, span.context, record);
  const splitter = new LineSplitter({ line: (text, lineNo) => handle(lineNo, () => parser.parseLine(text, lineNo, record)), overlong }, limit);
  await forEachText(bytes, events, (text) => splitter.push(text), span.fileStart);
  splitter.end();
  finish(parser, splitter.linesSeen);
  return { parser, used: parser, lines: splitter.linesSeen };
}

/** Context lines set the parser's state; what they give was counted where they are in the file. */
function primeTextParser(parser: LineParser, context: readonly string[], record: FlowRecord): void {
  for (const line of context) {
    record.reset();
    try {
      parser.parseLine(line, 0, record);
    } catch {
      // Counted (rejected, or the file's error) in the piece that holds the line.
    }
  }
}

function primeByteParser(parser: ByteLineParser, context: readonly string[], record: FlowRecord): void {
  const encoder = new TextEncoder();
  for (const line of context) {
    const bytes = encoder.encode(line);
    record.reset();
    try {
      parser.parseBytes(bytes, 0, bytes.length, 0, record);
    } catch {
      // As above.
    }
  }
}

/** Decodes UTF-8 (BOM dropped at the file's start) and hands text on. */
export async function forEachText(
  bytes: AsyncIterable<Uint8Array>,
  events: Pick<FileReaderEvents, 'checkpoint' | 'signal'>,
  handle: (text: string) => void,
  fileStart = true,
): Promise<void> {
  // Past the file's start a byte-order mark is text like any other.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: !fileStart });
  await forEachChunk(bytes, events, (chunk) => handle(decoder.decode(chunk, { stream: true })), fileStart);
  const tail = decoder.decode();
  if (tail.length > 0) handle(tail);
}

/** Hands chunks on, lets the owner drain between them, and yields to the event loop now and then. */
export async function forEachChunk(
  bytes: AsyncIterable<Uint8Array>,
  events: Pick<FileReaderEvents, 'checkpoint' | 'signal'>,
  handle: (chunk: Uint8Array) => void,
  fileStart = true,
): Promise<void> {
  let lastYield = Date.now();
  let first = fileStart;
  for await (const raw of bytes) {
    // A UTF-8 byte-order mark says nothing about the data; the text path drops it too.
    const chunk = first && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
    first = false;
    handle(chunk);
    await events.checkpoint();
    if (Date.now() - lastYield > YIELD_EVERY_MS) {
      await yieldToEventLoop();
      events.signal?.throwIfAborted();
      lastYield = Date.now();
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
