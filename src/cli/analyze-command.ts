import { readFile } from 'node:fs/promises';
import { analyze } from '../core/analyze';
import { parseApprovedGroups } from '../core/discover/approved-groups';
import type { ApprovedGroup } from '../core/discover/approved-groups';
import { openNodeDuckDb } from '../core/node/duckdb-wasm-node';
import { fileDigest } from '../core/node/file-digest';
import { nodeIngestHost } from '../core/node/gunzip';
import { workerParsePool } from '../core/node/worker-parse-pool';
import { anomaliesCsv, edgesCsv, groupsCsv, hostsCsv, rejectsCsv } from '../core/report/csv-writers';
import type { AnalysisSummary } from '../core/report/summary';
import { parseAnalyzeArgs, ANALYZE_USAGE, UsageError } from './args';
import { humanSummary } from './human-summary';
import { terminalProgress } from './progress-bar';
import { EXIT } from './exit-codes';
import { inputVerdict } from './input-verdict';
import { checkOutFolder, writeOutputs } from './out-folder';
import { inputFiles } from './input-files';
import { parseWorkerScript } from './parse-worker-script';
import { policyJson } from '../core/policy/build-policy';
import { rulesCsv } from '../core/report/policy-csv';

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  readonly signal?: AbortSignal;
}

export async function analyzeCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseAnalyzeArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${ANALYZE_USAGE}\n`);
    return EXIT.ok;
  }
  await checkOutFolder(args.out);
  const files = inputFiles;
  const request = {
    inputs: await files(args.inputs),
    inventories: await files(args.inventories),
    pods: await files(args.pods),
    logons: await files(args.logons),
  };
  const approved = args.approved === undefined ? undefined : await approvedGroups(args.approved);
  const db = await openNodeDuckDb();
  const progress = terminalProgress(io.stderr);
  try {
    const { summary, discovery, anomalies, policy } = await analyze(
      { db, host: nodeIngestHost },
      request,
      {
        parse: args.csvMap === undefined ? {} : { csvMap: args.csvMap },
        serverPorts: args.serverPorts,
        internalCidrs: args.internalCidrs,
        discovery: { clusters: args.clusters, approved },
        policy: { trainUntilMs: args.trainUntilMs },
        digest: fileDigest,
        pool: workerParsePool({ script: parseWorkerScript() }),
      },
      { signal: io.signal, onProgress: progress.update },
    );
    progress.done();
    if (summary.holdout !== undefined && (summary.rules === 0 || summary.holdout.replayedEdges === 0)) {
      io.stderr.write(`flowfence: warning: --train-until leaves ${summary.rules === 0 ? 'no traffic to learn rules from' : 'no traffic of known services to replay'}; check the time against the data's window (${summary.window.from ?? '?'} → ${summary.window.to ?? '?'})\n`);
    }
    const exit = exitCodeOf(summary);
    const written = await writeOutputs(
      args.out,
      [
        ['edges.csv', edgesCsv(db)],
        ['rejects.csv', rejectsCsv(db)],
        ['hosts.csv', hostsCsv(db)],
        ['groups.csv', groupsCsv(discovery)],
        ['anomalies.csv', anomaliesCsv(anomalies)],
        ['policy.json', [policyJson(policy.policy)]],
        ['rules.csv', rulesCsv(policy.policy)],
      ],
      inputVerdict(summary.inputs).flowsAccepted,
      io,
    );
    io.stdout.write(args.json ? `${JSON.stringify(summary, null, 2)}\n` : humanSummary(summary, written));
    return exit;
  } finally {
    progress.done();
    await db.close();
  }
}

async function approvedGroups(path: string): Promise<ApprovedGroup[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--approved: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return parseApprovedGroups(text);
  } catch (error) {
    throw new UsageError(`--approved ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Unusable input: a file that could not be read, or nothing to analyse at all. */
export function exitCodeOf(summary: AnalysisSummary): number {
  const verdict = inputVerdict(summary.inputs);
  return verdict.unreadable || !verdict.flowsAccepted ? EXIT.unusableInput : EXIT.ok;
}
