import { readFile } from 'node:fs/promises';
import type { FileReport } from '../core/ingest/file-report';
import { inputVerdict } from './input-verdict';
import { terminalText } from './terminal-text';
import { loadFlows, type LoadedFlows } from '../core/load-flows';
import { openNodeDuckDb } from '../core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../core/node/gunzip';
import { workerParsePool } from '../core/node/worker-parse-pool';
import { loadPolicyEdges, loadPolicyHosts, loadTrafficHours } from '../core/policy/load-policy-input';
import type { PolicyEdge, PolicyHost } from '../core/policy/policy-input';
import type { Policy } from '../core/policy/policy-model';
import { PolicyFileError, readPolicyFile, type PolicyFile } from '../core/policy/policy-schema';
import { parseWorkerScript } from './parse-worker-script';
import { UsageError } from './args';
import type { CommandIo } from './analyze-command';
import { inputFiles } from './input-files';
import type { PolicyCommandArgs } from './policy-args';
import { terminalProgress } from './progress-bar';

export interface ReplayInput {
  readonly policy: Policy;
  /** The version the policy file was written in, when it was older and migrated on reading; null when current. */
  readonly migratedFrom: number | null;
  /** What to tell the user about the policy file: it was migrated from an older version, or edited by hand after it was generated. */
  readonly policyWarnings: readonly string[];
  readonly loaded: LoadedFlows;
  readonly edges: PolicyEdge[];
  readonly hosts: Map<string, PolicyHost>;
  /** Flows per hour (epoch hour) with any traffic, in order: what the data covers, and its gaps (only when asked for: attest). */
  readonly hours: readonly { readonly hour: number; readonly flows: number }[];
  /** A file could not be read, or no flow was accepted. */
  readonly unusable: boolean;
  /** Some flow record was accepted: there is something to write. */
  readonly flowsAccepted: boolean;
}

/** Reads the policy (a bad one is unusable input) and loads the flows to replay against it. */
export async function replayFlows(args: PolicyCommandArgs, io: CommandIo, options: { readonly hours?: boolean } = {}): Promise<ReplayInput> {
  const file = await readPolicy(args.policy);
  const policy = file.policy;
  const request = {
    inputs: await inputFiles(args.inputs),
    inventories: await inputFiles(args.inventories),
    pods: await inputFiles(args.pods),
    logons: await inputFiles(args.logons),
  };
  const db = await openNodeDuckDb();
  const progress = terminalProgress(io.stderr);
  try {
    const loaded = await loadFlows(
      { db, host: nodeIngestHost },
      request,
      {
        parse: args.csvMap === undefined ? {} : { csvMap: args.csvMap },
        serverPorts: args.serverPorts,
        // The ranges the policy was made with, plus any given now.
        internalCidrs: [...policy.settings.internalCidrs, ...args.internalCidrs],
        pool: workerParsePool({ script: parseWorkerScript() }),
      },
      { signal: io.signal, onProgress: progress.update },
    );
    // Every file that could not be read, and why, whatever the output mode.
    for (const report of loaded.reports) if (report.error !== null) io.stderr.write(`flowfence: ${terminalText(report.path)}: ${terminalText(report.error)}\n`);
    // The hourly coverage is one more pass over the hourly edges: only attest shows it.
    const [edges, hosts, hours] = await Promise.all([loadPolicyEdges(db), loadPolicyHosts(db), options.hours === true ? loadTrafficHours(db) : []]);
    return { policy, migratedFrom: file.migratedFrom, policyWarnings: policyWarnings(args.policy, file), loaded, edges, hosts, hours, unusable: unusableInput(loaded.reports), flowsAccepted: inputVerdict(loaded.reports).flowsAccepted };
  } finally {
    progress.done();
    await db.close();
  }
}

function unusableInput(reports: readonly FileReport[]): boolean {
  const verdict = inputVerdict(reports);
  return verdict.unreadable || !verdict.flowsAccepted;
}

/** Sentences about a policy file read (migrated from an older version, edited after it was generated). */
export function policyWarnings(path: string, file: PolicyFile): string[] {
  const warnings: string[] = [];
  if (file.migratedFrom !== null) {
    warnings.push(`${path} is a version-${file.migratedFrom} policy, migrated to version ${file.policy.version} on reading: ${file.migration.join('; ')}`);
  }
  if (file.edited) warnings.push(`${path} was edited after it was generated: its content no longer matches its contentSha256`);
  return warnings;
}

/** Reads and checks --policy; a missing or invalid file is a usage error. */
export async function readPolicy(path: string): Promise<PolicyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--policy: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return readPolicyFile(text, path);
  } catch (error) {
    if (error instanceof PolicyFileError) throw new UsageError(error.message);
    throw error;
  }
}
