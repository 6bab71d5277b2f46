import type { DoorBatch } from '../ingest/door';
import type { ReadLimits } from '../ingest/file-reader';
import type { FileReport } from '../ingest/file-report';
import type { FormatId, ParseOptions } from '../ingest/format';
import type { ParseSettings } from '../ingest/parse-pool';
import type { FilePiece } from '../ingest/split/file-pieces';
import type { PieceResult } from '../ingest/split/parse-piece';

/** Messages between the ingest pool and its parse worker threads. */
export type ToParseWorker =
  | { readonly type: 'parse'; readonly fileIndex: number; readonly path: string; readonly location: string; readonly foundInFolder: boolean; readonly settings: ParseSettings }
  /** One piece of a split file (its bytes transferred, not copied). */
  | {
      readonly type: 'piece';
      readonly fileIndex: number;
      readonly format: FormatId;
      readonly piece: FilePiece;
      readonly options: ParseOptions;
      readonly limits: ReadLimits;
      readonly nowMs: number;
      readonly last: boolean;
      readonly endVersion: number;
      readonly doorCapacity: number;
    }
  /** Every file is read: report the door's hours. */
  | { readonly type: 'hours' }
  /** Hand everything over; rows of these hours stay per observer, the rest folded. */
  | { readonly type: 'flush'; readonly sharedHours: readonly number[] };

export type FromParseWorker =
  | { readonly type: 'batch'; readonly batch: DoorBatch }
  | { readonly type: 'rejects'; readonly fileIndex: number; readonly lines: readonly number[]; readonly reasons: readonly string[] }
  | { readonly type: 'progress'; readonly fileIndex: number; readonly bytes: number; readonly rows: number }
  | { readonly type: 'done'; readonly fileIndex: number; readonly report: FileReport }
  | { readonly type: 'piece-done'; readonly fileIndex: number; readonly result: PieceResult }
  | { readonly type: 'hours'; readonly hours: readonly number[] }
  | { readonly type: 'flushed' }
  | { readonly type: 'failed'; readonly fileIndex: number; readonly message: string };
