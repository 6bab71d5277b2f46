import type { DoorBatch } from '../ingest/door';
import type { FileReport } from '../ingest/file-report';
import type { FormatId } from '../ingest/format';
import type { CompactObsRows } from '../ingest/obs-compact';
import type { StoredObsRows } from '../ingest/obs-stored';
import type { ParseSettings } from '../ingest/parse-pool';
import type { PieceJob, PieceResult } from '../ingest/split/parse-piece';

/** Messages between the ingest pool and its parse worker threads. */
export type ToParseWorker =
  | { readonly type: 'parse'; readonly fileIndex: number; readonly path: string; readonly location: string; readonly foundInFolder: boolean; readonly settings: ParseSettings }
  /** One piece of a split file (its bytes transferred, not copied): a PieceJob, its format by id (a format's functions do not cross threads). */
  | (Omit<PieceJob, 'format'> & {
      readonly type: 'piece';
      readonly format: FormatId;
      readonly doorCapacity: number;
      readonly doorCapacityOnceFull?: number;
      /** The file on disk, for pieces the thread reads from it itself (Parquet row groups). */
      readonly location: string;
    })
  /** Every file is read: report the door's hours. */
  | { readonly type: 'hours' }
  /** Hand everything over; rows of these hours stay per observer, the rest folded. */
  | { readonly type: 'flush'; readonly sharedHours: readonly number[] }
  /** Once every file is read: one day of spilled per-observer rows to fold (their buffers transferred). */
  | { readonly type: 'fold-day'; readonly day: number; readonly chunks: readonly StoredObsRows[] };

export type FromParseWorker =
  | { readonly type: 'batch'; readonly batch: DoorBatch }
  | { readonly type: 'rejects'; readonly fileIndex: number; readonly lines: readonly number[]; readonly reasons: readonly string[] }
  | { readonly type: 'progress'; readonly fileIndex: number; readonly bytes: number; readonly rows: number }
  | { readonly type: 'done'; readonly fileIndex: number; readonly report: FileReport }
  | { readonly type: 'piece-done'; readonly fileIndex: number; readonly result: PieceResult }
  | { readonly type: 'hours'; readonly hours: readonly number[] }
  | { readonly type: 'flushed' }
  | { readonly type: 'folded-day'; readonly day: number; readonly rows: CompactObsRows }
  | { readonly type: 'failed'; readonly fileIndex: number; readonly message: string };
