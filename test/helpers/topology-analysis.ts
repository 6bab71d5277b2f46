import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, type Analysis } from '../../src/core/analyze';
import { parseKubernetesList, type PodEntry } from '../../src/core/enrich/kubernetes';
import { newFileReport } from '../../src/core/ingest/file-report';
import { RowTally } from '../../src/core/ingest/row-tally';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import { buildScenario } from '../bench/quality/generators/topology-pods/index';
import { readTopology } from '../bench/quality/generators/topology-pods/topology';
import { TOPOLOGIES } from './samples';

export interface TopologyAnalysis {
  readonly analysis: Analysis;
  /** The scenario's pod lists as written (what `kubectl get pods -A -o json` gave). */
  readonly podTexts: readonly string[];
  /** The same pods as the engine reads them, for the k8s and cilium targets. */
  readonly pods: readonly PodEntry[];
}

/**
 * A real application topology (../shared/data/topologies) run as pods by
 * the quality harness's own generator, every pod labelled, analysed by the
 * real engine from its Zeek logs and pod list: what the Kubernetes export
 * proofs start from.
 */
export async function analyseTopology(file: string): Promise<TopologyAnalysis> {
  const scenario = buildScenario(`topology:${file}`, readTopology(join(TOPOLOGIES, file)), { seed: 1, labelCoverage: 1, wrongLabelRate: 0, oneWay: false });
  const dir = await mkdtemp(join(tmpdir(), 'flowfence-topology-'));
  try {
    const write = async (name: string, content: string | Uint8Array): Promise<string> => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    };
    const inputs = await Promise.all(scenario.flows.map(async (flow, index) => fileInput(await write(`flows-${index}-${flow.name}`, flow.content))));
    const podFiles = await Promise.all(scenario.pods.map(async (pods, index) => fileInput(await write(`pods-${index}-${pods.name}`, pods.content))));
    const db = await openNodeDuckDb();
    let analysis: Analysis;
    try {
      analysis = await analyze({ db, host: nodeIngestHost }, { inputs, pods: podFiles }, { policy: { trainUntilMs: scenario.trainUntilMs } });
    } finally {
      await db.close();
    }
    const podTexts = scenario.pods.map((pods) => (typeof pods.content === 'string' ? pods.content : new TextDecoder().decode(pods.content)));
    const pods = podTexts.flatMap((text) => parseKubernetesList(text, new RowTally(newFileReport('pods'), () => undefined)).pods);
    return { analysis, podTexts, pods };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
