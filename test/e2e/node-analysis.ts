import { basename } from 'node:path';
import { analyze, type Analysis, type AnalyzeOptions } from '../../src/core/analyze';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import type { Policy } from '../../src/core/policy/policy-model';
import type { AnalysisSummary } from '../../src/core/report/summary';
import { Workbench } from '../../src/core/workbench/workbench';

/**
 * What the CLI reports for the same files (same engine, Node adapters), with
 * each file named by its base name as the page names a picked file.
 */
export async function analyzeWithNode(paths: readonly string[], options: AnalyzeOptions = {}): Promise<AnalysisSummary> {
  const db = await openNodeDuckDb();
  try {
    const inputs = await Promise.all(paths.map(async (path) => ({ ...(await fileInput(path)), path: basename(path) })));
    return (await analyze({ db, host: nodeIngestHost }, { inputs }, options)).summary;
  } finally {
    await db.close();
  }
}

/** The summary and the generated policy, as the page's worker hands them over. */
export async function analysisWithNode(paths: readonly string[]): Promise<{ summary: AnalysisSummary; policy: Policy }> {
  const { analysis } = await workbenchWithNode(paths);
  return { summary: analysis.summary, policy: analysis.policy.policy };
}

/** The whole analysis and a workbench over it, built as the page's worker builds them, to replay the page's edits on. */
export async function workbenchWithNode(paths: readonly string[], trainUntilMs?: number): Promise<{ analysis: Analysis; workbench: Workbench }> {
  const db = await openNodeDuckDb();
  try {
    const inputs = await Promise.all(paths.map(async (path) => ({ ...(await fileInput(path)), path: basename(path) })));
    const analysis = await analyze({ db, host: nodeIngestHost }, { inputs }, trainUntilMs === undefined ? {} : { policy: { trainUntilMs } });
    return { analysis, workbench: Workbench.of(analysis) };
  } finally {
    await db.close();
  }
}
