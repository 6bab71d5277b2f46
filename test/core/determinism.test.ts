import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import type { InputFile } from '../../src/core/ingest/source';
import { openNodeDuckDb } from '../../src/core/node/duckdb-wasm-node';
import { fileInput } from '../../src/core/node/fs-input';
import { nodeIngestHost } from '../../src/core/node/gunzip';
import { workerParsePool } from '../../src/core/node/worker-parse-pool';
import type { ParsePool } from '../../src/core/ingest/parse-pool';
import { anomaliesCsv, edgesCsv, groupsCsv, hostsCsv, rejectsCsv } from '../../src/core/report/csv-writers';
import { policyJson } from '../../src/core/policy/build-policy';
import { rulesCsv } from '../../src/core/report/policy-csv';
import { awsDataset } from '../../src/core/synth/aws-dataset';
import { Random } from '../../src/core/util/random';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

async function outputs(inputs: readonly InputFile[], pool?: ParsePool): Promise<Record<string, string>> {
  const db = await openNodeDuckDb();
  const { discovery, summary, anomalies, policy } = await analyze({ db, host: nodeIngestHost }, { inputs }, { pool, doorCapacity: 20_000 });
  const { contentSha256: _content, inputs: _inputs, ...learned } = policy.policy;
  return {
    edges: await text(edgesCsv(db)),
    hosts: await text(hostsCsv(db)),
    rejects: await text(rejectsCsv(db)),
    groups: await text(groupsCsv(discovery)),
    anomalies: await text(anomaliesCsv(anomalies)),
    groupsJson: JSON.stringify([summary.groups, summary.assignments, summary.clustering]),
    policy: policyJson(policy.policy),
    rules: [...rulesCsv(policy.policy)].join(''),
    // Everything the policy learned, apart from the digests of the input files themselves.
    learned: JSON.stringify(learned),
    replay: JSON.stringify([summary.simulation, summary.exposure]),
  };
}

describe('same inputs in any order give byte-identical files', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'flowfence-determinism-'));
  const dataset = awsDataset({ seed: 3, startMs: Date.UTC(2026, 0, 5), days: 1, apps: 2, workstationScale: 0.3, intensity: 0.4 });
  const [header, ...records] = [...[...dataset.days()][0]!.chunks()].flat();
  // Every hour's records spread round-robin over four files: the files share all their hours,
  // so parsers on different threads must merge per observer before folding.
  const parts: string[][] = [[], [], [], []];
  records.forEach((line, i) => parts[i % 4]!.push(line));
  parts[1]!.push('2 123456789012 eni-bad 10.0.0.999 10.0.0.1 1 2 6 1 1 1767571200 1767571260 ACCEPT OK');
  const paths: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const path = join(directory, `part-${i}.log`);
    await writeFile(path, [header, ...parts[i]!].join('\n') + '\n');
    paths.push(path);
  }
  // Two inventories that disagree about the same addresses.
  const inventories = [
    ['ip,hostname,env', '10.1.0.10,alpha,prod', '10.0.0.10,dns-a,shared', '10.1.0.0/16,,prod-net'].join('\n'),
    ['ip,hostname,env', '10.1.0.10,beta,staging', '10.0.0.10,dns-b,shared', '10.1.0.0/16,,prod-zone'].join('\n'),
  ];
  for (let i = 0; i < inventories.length; i++) {
    const path = join(directory, `inventory-${i}.csv`);
    await writeFile(path, `${inventories[i]}\n`);
    paths.push(path);
  }
  const files = await Promise.all(paths.map((path) => fileInput(path)));
  const reference = await outputs(files);

  it('on worker threads with the files in reverse order', async () => {
    const pool = workerParsePool({ script: new URL('../../src/core/node/parse-worker.ts', import.meta.url), threads: 2, minBytes: 0 });
    expect(await outputs([...files].reverse(), pool)).toEqual(reference);
    expect(reference.rejects).toContain('srcaddr: not an IPv4 or IPv6 address');
  });

  it('with the rows of every file shuffled', async () => {
    const random = new Random(99);
    const shuffled: InputFile[] = [];
    for (let i = 0; i < parts.length; i++) {
      const rows = [...parts[i]!];
      for (let j = rows.length - 1; j > 0; j--) {
        const k = random.int(0, j);
        [rows[j], rows[k]] = [rows[k]!, rows[j]!];
      }
      const path = join(directory, `shuffled-${i}.log`);
      await writeFile(path, [header, ...rows].join('\n') + '\n');
      shuffled.push({ ...(await fileInput(path)), path: paths[i]! });
    }
    for (let i = 0; i < inventories.length; i++) {
      const lines = inventories[i]!.split('\n');
      const path = join(directory, `inventory-shuffled-${i}.csv`);
      await writeFile(path, [lines[0], ...lines.slice(1).reverse()].join('\n') + '\n');
      shuffled.push({ ...(await fileInput(path)), path: paths[parts.length + 1 - i]! });
    }
    const result = await outputs(shuffled);
    expect(result.edges).toBe(reference.edges);
    expect(result.hosts).toBe(reference.hosts);
    expect(result.groups).toBe(reference.groups);
    expect(result.anomalies).toBe(reference.anomalies);
    expect(result.groupsJson).toBe(reference.groupsJson);
    expect(result.rules).toBe(reference.rules);
    expect(result.learned).toBe(reference.learned);
    expect(result.replay).toBe(reference.replay);
    // Shuffled files have other bytes, hence other digests: only the inputs section may differ.
    expect(result.policy).not.toBe(reference.policy);
  });
});
