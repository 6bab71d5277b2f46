import type { DoorBatch } from './door';
import type { CompactObsRows } from './obs-compact';
import type { StoredObsRows } from './obs-stored';
import type { ReadLimits } from './file-reader';
import type { FileReport } from './file-report';
import type { ParseOptions } from './format';
import type { InputFile } from './source';

export interface ParseJob {
  /** The file's id in the analysis (rejects refer to it). */
  readonly fileIndex: number;
  readonly file: InputFile;
}

export interface ParseSettings {
  readonly parse: ParseOptions;
  readonly limits: ReadLimits;
  /** Rows a door holds before it hands its first batch over. */
  readonly doorCapacity: number;
  /** Rows it holds once it has filled (door.ts); absent: doorCapacity. */
  readonly doorCapacityOnceFull?: number;
  /** How large files are cut into pieces read side by side (split/); absent: the pool's default. */
  readonly split?: PoolSplitSettings;
}

export interface PoolSplitSettings {
  /** Decompressed bytes per piece. */
  readonly pieceBytes: number;
  /**
   * Whether files are split at all. A pool with threads splits files too
   * large to share out whole; one without splits only when told (tests).
   */
  readonly enabled?: boolean;
  /** Files read whole whatever their size (after a SplitFileRestart). */
  readonly wholeFiles?: readonly number[];
}

export interface ParseEvents {
  /** Aggregates from one door; `source` tells doors apart (their ids are local). */
  onBatch(source: number, batch: DoorBatch): void;
  onRejects(fileIndex: number, lines: readonly number[], reasons: readonly string[]): void;
  /** Raw bytes of the file read so far. */
  /** Bytes of the file read so far, and its rows (accepted and rejected). */
  onProgress(fileIndex: number, bytes: number, rows: number): void;
  /**
   * Once every file is read: given each door's hours, the hours whose rows
   * must stay per observer in the last batches (the rest each door folds itself).
   */
  sharedHours(hoursByDoor: readonly (readonly number[])[]): ReadonlySet<number>;
}

/** Called as each day is folded: how many are done, of how many. */
export type DayFoldedListener = (done: number, total: number) => void;

/**
 * Where files are parsed: in the calling thread, or spread over worker
 * threads by a host that has them. Either way every file is read exactly
 * once and reported; batches may arrive in any order, and each door's last
 * batch (DoorAggregator.drainFinal) comes after sharedHours was asked.
 */
export interface ParsePool {
  parseAll(jobs: readonly ParseJob[], settings: ParseSettings, events: ParseEvents, signal?: AbortSignal): Promise<FileReport[]>;
  /**
   * Folds each day's spilled per-observer rows (obs-spill.ts's foldDay) on
   * the pool's threads: the folded rows, one part a day, in the days'
   * order. Takes the days: it may empty `days` (and detach their buffers)
   * as it goes, so that folded rows are released. Absent: the caller folds
   * them itself, one day after another.
   */
  foldDays?(days: StoredObsRows[][], signal?: AbortSignal, onDayFolded?: DayFoldedListener): Promise<CompactObsRows[]>;
}
