import { canonicalIp, ipSortKey } from '../net/ip';
import type { ProgressListener } from '../progress';
import type { SqlPort } from '../store/sql-port';
import { INGEST_SCHEMA_SQL, convIpc, hostsIpc, rejectsIpc } from '../store/tables';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './file-reader';
import type { FileReport } from './file-report';
import type { ParseOptions } from './format';
import type { InternTable } from './interning';
import { convColumns } from './fold-observers';
import { obsColumnRows, type ObsColumnRows } from './obs-compact';
import { ObsMerger } from './obs-merger';
import { ObsSpill, foldDaysHere } from './obs-spill';
import { inlineParsePool } from './parse-file';
import type { ParsePool, PoolSplitSettings } from './parse-pool';
import { SplitFileRestart } from './split/read-split-file';
import type { IngestHost, InputFile } from './source';

export interface IngestOptions {
  readonly parse?: ParseOptions;
  readonly limits?: ReadLimits;
  /** Rows a parser's door holds before handing them to the merger; by default 2M at first, 512k once it has filled. */
  readonly doorCapacity?: number;
  /** Where files are parsed; the calling thread by default. */
  readonly pool?: ParsePool;
  /** How large files are cut into pieces (parse-pool.ts). */
  readonly split?: PoolSplitSettings;
}

export interface IngestControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

/**
 * The conversation-hours, folded across observers (rows in the obs layout,
 * observer 0, global host ids), with each host's sort key (by host id) for
 * tie-breaks.
 */
export interface IngestedConversations {
  /** In compact columns (obs-compact.ts): at scale these are the largest thing held until the edges are built. */
  readonly batches: readonly ObsColumnRows[];
  readonly hostSortKeys: readonly string[];
}

export interface IngestOutcome {
  /** One report per input, in input order; `fileId` in the store is the index here. */
  readonly inputs: FileReport[];
  readonly conversations: IngestedConversations;
}

/**
 * Rows a door holds before handing its first batch over (~340 MB a
 * parser): inputs of up to a few million records per parse thread fit it
 * whole, and each thread then folds its own hours in parallel at the end,
 * with nothing spilled and nothing left to fold after parsing (on the
 * 30-file ingest benchmark, alternating runs took 9.9-11.2 s against
 * 11.0-12.1 s with 512k doors throughout).
 */
const DEFAULT_DOOR_ROWS = 1 << 21;

/**
 * Rows a door holds once it has filled (~90 MB a parser). Its rows go to
 * the spill in any case then, and the door's cost is its hash lookups: an
 * index and rows of half a million stay far better in the CPU's caches than
 * millions. 11.4M records of the scale enterprise (bench:scale's data)
 * loaded 19-25 % faster than with 2M rows, and 256k was slower again (rows
 * of one day no longer met). The first, larger fill costs nothing
 * measurable there (alternating 50M-record runs: 95-97 s against 96-100 s).
 */
const DEFAULT_DOOR_ROWS_ONCE_FULL = 1 << 19;

/** Rows per Arrow batch handed to DuckDB: bounds the transient copy. */
const INSERT_ROWS = 500_000;

/**
 * Reads every input file into the store: parses them (in the pool), merges
 * the door aggregates, and records every rejected row. One file's failure is
 * recorded in its report and never stops the others.
 */
export async function ingestFlows(
  db: SqlPort,
  host: IngestHost,
  files: readonly InputFile[],
  options: IngestOptions,
  control: IngestControl = {},
): Promise<IngestOutcome> {
  const wholeFiles: number[] = [...(options.split?.wholeFiles ?? [])];
  for (;;) {
    try {
      return await ingestOnce(db, host, files, { ...options, split: { ...(options.split ?? DEFAULT_SPLIT), wholeFiles } }, control);
    } catch (error) {
      if (!(error instanceof SplitFileRestart) || wholeFiles.includes(error.fileIndex)) throw error;
      // Rare (a file-level problem past a split file's first piece): start again, reading that file whole.
      wholeFiles.push(error.fileIndex);
      for (const statement of INGEST_SCHEMA_SQL) await db.run(`DROP TABLE IF EXISTS ${tableOf(statement)}`);
    }
  }
}

/** Decompressed bytes per piece when a pool splits a file: parsed in tens of milliseconds, so a message and a context per piece cost well under 1 %. */
export const DEFAULT_PIECE_BYTES = 4 * 2 ** 20;
const DEFAULT_SPLIT: PoolSplitSettings = { pieceBytes: DEFAULT_PIECE_BYTES };

function tableOf(createStatement: string): string {
  const name = /^CREATE TABLE (\w+)/.exec(createStatement)?.[1];
  if (name === undefined) throw new Error(`not a CREATE TABLE statement: ${createStatement.slice(0, 40)}`);
  return name;
}

async function ingestOnce(
  db: SqlPort,
  host: IngestHost,
  files: readonly InputFile[],
  options: IngestOptions,
  control: IngestControl,
): Promise<IngestOutcome> {
  for (const statement of INGEST_SCHEMA_SQL) await db.run(statement);
  const sizes = files.map((file) => Math.max(1, file.size));
  const merger = new ObsMerger();
  // Per-observer rows the doors could not fold themselves: they stay in memory, cut by day,
  // and are folded one day at a time at the end (the hourly aggregation before orientation).
  const spill = new ObsSpill();
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  const readBytes = new Array<number>(files.length).fill(0);
  let readTotal = 0;
  const rowsRead = new Array<number>(files.length).fill(0);
  let rowsTotal = 0;
  const pendingRejects: { fileIds: number[]; lines: number[]; reasons: string[] } = { fileIds: [], lines: [], reasons: [] };
  let storeWork: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>): void => {
    storeWork = storeWork.then(work);
    // Handled when awaited below; until then a failed insert must not count as an unhandled rejection.
    storeWork.catch(() => undefined);
  };

  const pool = options.pool ?? inlineParsePool(host);
  // Inserts already queued must finish before a failure leaves: a restart drops and makes the tables
  // again, and a late insert would land in the new ones or fail with no one to hear it.
  const parsed = pool.parseAll(
    files.map((file, fileIndex) => ({ fileIndex, file })),
    {
      parse: options.parse ?? {},
      limits: options.limits ?? DEFAULT_READ_LIMITS,
      // A size given is the door's throughout.
      doorCapacity: options.doorCapacity ?? DEFAULT_DOOR_ROWS,
      doorCapacityOnceFull: options.doorCapacity ?? DEFAULT_DOOR_ROWS_ONCE_FULL,
      ...(options.split === undefined ? {} : { split: options.split }),
    },
    {
      onBatch(source, batch) {
        for (const rows of merger.merge(source, batch)) spill.add(rows);
      },
      onRejects(fileIndex, lines, reasons) {
        for (let i = 0; i < reasons.length; i++) {
          pendingRejects.fileIds.push(fileIndex);
          pendingRejects.lines.push(lines[i]!);
          pendingRejects.reasons.push(reasons[i]!);
        }
        if (pendingRejects.reasons.length >= 50_000) {
          const batch = takeRejects(pendingRejects);
          enqueue(() => db.insertArrow('rejects', batch));
        }
      },
      sharedHours: (hoursByDoor) => merger.sharedHours(hoursByDoor),
      onProgress(fileIndex, bytes, rows) {
        const clamped = Math.min(bytes, sizes[fileIndex]!);
        readTotal += clamped - readBytes[fileIndex]!;
        readBytes[fileIndex] = clamped;
        rowsTotal += rows - rowsRead[fileIndex]!;
        rowsRead[fileIndex] = rows;
        control.onProgress?.({ stage: 'ingest', fraction: (0.9 * readTotal) / totalBytes, detail: files[fileIndex]!.path, rows: rowsTotal });
      },
    },
    control.signal,
  );
  let inputs: Awaited<typeof parsed>;
  try {
    inputs = await parsed;
  } catch (error) {
    await storeWork.catch(() => undefined);
    throw error;
  }
  await storeWork;
  control.signal?.throwIfAborted();
  control.onProgress?.({ stage: 'store', fraction: 0.9 });
  const folded = merger.takeFolded();
  const hostSortKeys = sortKeysOf(merger.hosts);
  if (pendingRejects.reasons.length > 0) await db.insertArrow('rejects', takeRejects(pendingRejects));
  await insertHosts(db, merger.hosts, hostSortKeys);
  // Rows of shared hours and those handed over early: added up and folded a day at a time.
  const days = spill.takeDays();
  // Several seconds on a long window: the last tenth of the ingest stage follows the days folded.
  const onDayFolded = (done: number, total: number): void => control.onProgress?.({ stage: 'store', fraction: 0.9 + (0.1 * done) / total });
  folded.push(...(pool.foldDays === undefined ? foldDaysHere(days, control.signal, onDayFolded) : await pool.foldDays(days, control.signal, onDayFolded)));
  const conversations: IngestedConversations = { batches: folded.map((rows) => obsColumnRows(rows)), hostSortKeys };
  control.onProgress?.({ stage: 'ingest', fraction: 1 });
  return { inputs, conversations };
}

/** Folded conversation-hours into conv_in, for the edge SQL. */
export async function insertConversations(db: SqlPort, rows: ObsColumnRows): Promise<void> {
  const conv = convColumns(rows);
  for (let from = 0; from < conv.length; from += INSERT_ROWS) {
    await db.insertArrow('conv_in', convIpc(conv, from, Math.min(conv.length, from + INSERT_ROWS)));
  }
}

function takeRejects(pending: { fileIds: number[]; lines: number[]; reasons: string[] }): Uint8Array {
  const ipc = rejectsIpc(Uint32Array.from(pending.fileIds), Uint32Array.from(pending.lines), pending.reasons);
  pending.fileIds = [];
  pending.lines = [];
  pending.reasons = [];
  return ipc;
}

/** Each host's sort key (canonical address order), by host id. */
function sortKeysOf(hosts: InternTable): string[] {
  return hosts.values.map((ip) => ipSortKey(canonicalIp(ip) ?? ip));
}

async function insertHosts(db: SqlPort, hosts: InternTable, sortKeys: readonly string[]): Promise<void> {
  if (hosts.size === 0) return;
  const ids = Uint32Array.from(hosts.values, (_ip, id) => id);
  await db.insertArrow('hosts', hostsIpc(ids, hosts.values, sortKeys));
}
