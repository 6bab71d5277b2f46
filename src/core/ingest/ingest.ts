import { canonicalIp, ipSortKey } from '../net/ip';
import type { ProgressListener } from '../progress';
import type { SqlPort } from '../store/sql-port';
import { INGEST_SCHEMA_SQL, hostsIpc, obsBatchIpc, rejectsIpc } from '../store/tables';
import { DoorAggregator } from './door';
import { DEFAULT_READ_LIMITS, readFlowFile, type ReadLimits } from './file-reader';
import type { FileReport } from './file-report';
import type { ParseOptions } from './format';
import { InternTable } from './interning';
import { FLOW_FORMATS, TABULAR_FORMATS } from './registry';
import type { IngestHost, InputFile } from './source';

/** An analyst's pin: this port is a server port (for flows with no explicit direction). */
export interface ServerPortPin {
  readonly proto: number;
  readonly port: number;
}

export interface IngestOptions {
  readonly parse?: ParseOptions;
  readonly limits?: ReadLimits;
  readonly serverPorts?: readonly ServerPortPin[];
  /** Conversations held in memory before they are handed to DuckDB. */
  readonly doorCapacity?: number;
}

export interface IngestControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export interface IngestOutcome {
  /** One report per input, in input order; `fileId` in the store is the index here. */
  readonly inputs: FileReport[];
  readonly acceptedRows: number;
  readonly hosts: number;
}

const REJECT_BATCH = 50_000;

/**
 * Reads every input file into the store: creates the ingest tables, streams
 * each file through its parser into the door aggregator, and records every
 * rejected row. Files are read one after another; one file's failure is
 * recorded in its report and never stops the others.
 */
export async function ingestFlows(
  db: SqlPort,
  host: IngestHost,
  files: readonly InputFile[],
  options: IngestOptions,
  control: IngestControl = {},
): Promise<IngestOutcome> {
  for (const statement of INGEST_SCHEMA_SQL) await db.run(statement);
  const hosts = new InternTable();
  const observers = new InternTable();
  const door = new DoorAggregator(hosts, observers, options.doorCapacity);
  const rejects = new RejectBuffer(db);
  const totalBytes = files.reduce((sum, file) => sum + Math.max(1, file.size), 0);
  let doneBytes = 0;
  let acceptedRows = 0;
  const inputs: FileReport[] = [];
  const drain = async (): Promise<void> => {
    if (door.size > 0) await db.insertArrow('obs', obsBatchIpc(door.drain()));
  };

  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const file = files[fileIndex] as InputFile;
    control.signal?.throwIfAborted();
    const report = await readFlowFile(
      file,
      {
        host,
        formats: FLOW_FORMATS,
        tabular: TABULAR_FORMATS,
        options: options.parse ?? {},
        limits: options.limits ?? DEFAULT_READ_LIMITS,
      },
      {
        onRecord: (record) => door.add(record, fileIndex),
        onReject: (line, reason) => rejects.add(fileIndex, line, reason),
        onProgress: (bytes) =>
          control.onProgress?.({
            stage: 'ingest',
            fraction: (doneBytes + Math.min(bytes, Math.max(1, file.size))) / totalBytes,
            detail: file.path,
          }),
        checkpoint: async () => {
          if (door.full) await drain();
          await rejects.flushIfFull();
        },
        signal: control.signal,
      },
    );
    doneBytes += Math.max(1, file.size);
    acceptedRows += report.accepted;
    inputs.push(report);
  }
  await drain();
  await rejects.flush();
  await insertHosts(db, hosts);
  await insertPins(db, options.serverPorts ?? []);
  control.onProgress?.({ stage: 'ingest', fraction: 1 });
  return { inputs, acceptedRows, hosts: hosts.size };
}

class RejectBuffer {
  private fileIds: number[] = [];
  private lines: number[] = [];
  private reasons: string[] = [];

  constructor(private readonly db: SqlPort) {}

  add(fileId: number, line: number, reason: string): void {
    this.fileIds.push(fileId);
    this.lines.push(line);
    this.reasons.push(reason);
  }

  async flushIfFull(): Promise<void> {
    if (this.reasons.length >= REJECT_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.reasons.length === 0) return;
    const ipc = rejectsIpc(Uint32Array.from(this.fileIds), Uint32Array.from(this.lines), this.reasons);
    this.fileIds = [];
    this.lines = [];
    this.reasons = [];
    await this.db.insertArrow('rejects', ipc);
  }
}

async function insertHosts(db: SqlPort, hosts: InternTable): Promise<void> {
  if (hosts.size === 0) return;
  const ids = new Uint32Array(hosts.size);
  const sortKeys: string[] = [];
  hosts.values.forEach((ip, id) => {
    ids[id] = id;
    sortKeys.push(ipSortKey(canonicalIp(ip) ?? ip));
  });
  await db.insertArrow('hosts', hostsIpc(ids, hosts.values, sortKeys));
}

async function insertPins(db: SqlPort, pins: readonly ServerPortPin[]): Promise<void> {
  if (pins.length === 0) return;
  const values = pins.map((pin) => `(${pin.proto | 0}, ${pin.port | 0})`).join(', ');
  await db.run(`INSERT INTO server_pins VALUES ${values}`);
}
