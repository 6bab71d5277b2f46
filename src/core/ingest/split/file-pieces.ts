import { FlowRecord } from '../../flow/record';
import { classifyContent, type FileReaderDeps } from '../file-reader';
import { newFileReport, type FileReport } from '../file-report';
import type { LineFormat } from '../format';
import { openContent, type OpenedContent } from '../open-content';
import { FormatError } from '../row-error';
import type { InputFile } from '../source';
import { concatBytes } from '../byte-stream';
import { openParquetPieces } from './parquet-pieces';
import { PieceCutter, type RawPiece } from './piece-cutter';
import { SplitContext } from './split-context';

/** One piece of a split file, ready for a parser anywhere. */
export interface FilePiece {
  /** 0, 1, 2… in file order. */
  readonly index: number;
  readonly content: RawPiece;
  /** Lines its parser reads first (format.ts, LineSplit). */
  readonly context: readonly string[];
  /** The context's version (split-context.ts): a parser that ended a piece at this version may go on with this one. */
  readonly version: number;
}

export type FileOpening =
  /** Settled without reading rows (empty, not flow data, unknown format): the report says so. */
  | { readonly kind: 'settled'; readonly report: FileReport }
  /** Not a file to split (compressed Parquet, a JSON document, a format read whole, too small to cut, no row in its first piece): read it whole. */
  | { readonly kind: 'whole' }
  | {
      readonly kind: 'pieces';
      /** With format and compression filled in; the counts come from the pieces. */
      readonly report: FileReport;
      readonly format: LineFormat;
      /** In file order; ends by throwing when the file cannot be read to its end (corrupt gzip). */
      readonly pieces: AsyncIterable<FilePiece>;
      /** Closes the file when its pieces will not all be read. */
      close(): Promise<void>;
      /**
       * Where the pieces come from. Parquet row groups observe no names, and
       * a problem that ends the file there is reported by a whole read.
       */
      readonly source: 'lines' | 'parquet';
    };

/** Lines before a file's first row beyond this are no header (comments, or rows all rejected): the file is read whole. */
const MAX_PROLOGUE_BYTES = 1 << 20;

export interface SplitSettings {
  /** A piece is cut at the first line end past this many decompressed bytes. */
  readonly pieceBytes: number;
}

/**
 * Opens a file to read it in pieces: sniffs it as a whole read does, then
 * cuts the decompressed stream into line-aligned pieces, each with the
 * context its parser needs. The first piece decides: a file that is one
 * piece, or whose first piece holds no accepted row (its prologue would not
 * be known), is read whole.
 */
export async function openFilePieces(
  file: InputFile,
  deps: Pick<FileReaderDeps, 'host' | 'formats' | 'tabular' | 'options' | 'limits'>,
  settings: SplitSettings,
  onRawBytes: (total: number) => void,
  signal?: AbortSignal,
): Promise<FileOpening> {
  const report = newFileReport(file.path);
  let opened: OpenedContent | null = null;
  let handedOver = false;
  try {
    opened = await openContent(file, deps.host, onRawBytes, signal);
    report.compression = opened.compression;
    const content = classifyContent(file, opened, deps, report);
    if (content.kind === 'refused') return { kind: 'settled', report };
    if (content.kind === 'parquet') return opened.compression === null ? await openParquetPieces(file, deps, report, settings, onRawBytes) : { kind: 'whole' };
    if (content.kind !== 'format' || content.format.kind !== 'lines' || content.format.split === undefined) return { kind: 'whole' };
    const format = content.format;
    const split = format.split!;
    const cutter = new PieceCutter({
      pieceBytes: settings.pieceBytes,
      maxLineLength: deps.limits.maxLineLength,
      measure: format.createByteParser === undefined ? 'characters' : 'bytes',
      ...(split.cutBetween === undefined ? {} : { cutBetween: split.cutBetween }),
    });
    const iterator = withoutByteOrderMark(opened.bytes)[Symbol.asyncIterator]();
    // A read error comes after the lines read before it, in order.
    const ready: (RawPiece | { readonly kind: 'failed'; readonly error: unknown })[] = [];
    let ended = false;
    const pull = async (): Promise<RawPiece | { readonly kind: 'failed'; readonly error: unknown } | null> => {
      while (ready.length === 0 && !ended) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          // The lines read before the stream broke are read, as in a whole read; then the error.
          ended = true;
          ready.push(...cutter.completeLines());
          ready.push({ kind: 'failed', error });
          break;
        }
        if (next.done === true) {
          ended = true;
          ready.push(...cutter.end());
        } else ready.push(...cutter.push(next.value));
      }
      return ready.shift() ?? null;
    };
    const context = new SplitContext(
      format.createParser(deps.options),
      new FlowRecord(),
      split.context === 'prologue' ? split.marker : undefined,
      split.context === 'prologue' ? split.reset : undefined,
      { maxLineLength: deps.limits.maxLineLength, measure: format.createByteParser === undefined ? 'characters' : 'bytes' },
    );
    // The first piece runs to the prologue's end at least: the pieces after it need it whole.
    const head: Uint8Array[] = [];
    let headBytes = 0;
    for (;;) {
      const next = await pull();
      if (next === null || next.kind !== 'lines') return { kind: 'whole' };
      head.push(next.bytes);
      headBytes += next.bytes.length;
      if (split.context === 'none') break;
      let end: number;
      try {
        end = context.readPrologue(next.bytes);
      } catch (error) {
        if (error instanceof FormatError) return { kind: 'whole' };
        throw error;
      }
      if (end >= 0) {
        context.scan(next.bytes, end);
        break;
      }
      // A prologue this long is no header: such a file is read whole.
      if (headBytes > Math.max(settings.pieceBytes, MAX_PROLOGUE_BYTES)) return { kind: 'whole' };
    }
    const firstLines: RawPiece = { kind: 'lines', bytes: head.length === 1 ? head[0]! : concatBytes(head) };
    const second = await pull();
    // One piece: nothing to share out; or no place to cut it.
    if (second === null || second.kind === 'uncuttable') return { kind: 'whole' };
    const source = opened;
    handedOver = true;
    async function* pieces(): AsyncGenerator<FilePiece> {
      try {
        yield { index: 0, content: firstLines, context: [], version: -1 };
        let index = 1;
        let next = second;
        while (next !== null) {
          if (next.kind === 'failed') throw next.error;
          yield { index: index++, content: next, context: context.current, version: context.version };
          // The reader goes no further: the file is read whole instead.
          if (next.kind === 'uncuttable') return;
          if (next.kind === 'lines') context.scan(next.bytes);
          next = await pull();
        }
      } finally {
        await source.close().catch(() => undefined);
      }
    }
    return { kind: 'pieces', report, format, pieces: pieces(), close: () => source.close(), source: 'lines' };
  } catch (error) {
    // A file that fails before its pieces start (corrupt from its first bytes) fails as a whole read says.
    if (signal?.aborted === true) throw error;
    return { kind: 'whole' };
  } finally {
    if (!handedOver) await opened?.close().catch(() => undefined);
  }
}

/** The file's leading UTF-8 byte-order mark dropped, as the line reader drops it. */
async function* withoutByteOrderMark(bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let first = true;
  for await (const chunk of bytes) {
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) yield chunk.subarray(3);
    else yield chunk;
    first = false;
  }
}
