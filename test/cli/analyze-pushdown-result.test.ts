import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { awsFlowLogText, awsFlowRecords } from '../core/pushdown/aws-flow-records';
import { writeAwsParquet } from '../core/pushdown/edge-rows';

// The analyst's whole pushdown path: flowfence pushdown writes the query,
// the warehouse (native DuckDB here, over Hive-partitioned Parquet) runs it
// and exports CSV, and analyze reads that file as it reads flow logs. The
// rules learned must be the ones learned from the raw records, and
// policy.json must say where the edges came from.

const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-pushdown-analyze-'));

let raw = '';
let edges = '';
let querySha256 = '';

beforeAll(async () => {
  const records = awsFlowRecords(41, 1500);
  const dir = await tempDir();
  raw = join(dir, 'flows.log');
  await writeFile(raw, awsFlowLogText(records));
  const parquet = await writeAwsParquet(records);
  const queryFile = join(dir, 'edges.sql');
  const written = await cli(['pushdown', '--dialect', 'duckdb', '--source-format', 'aws-vpc', '--table', 'vpc_flow_logs', '--out', queryFile]);
  expect(written.code, written.stderr).toBe(0);
  const query = await readFile(queryFile, 'utf8');
  querySha256 = /[0-9a-f]{64}/.exec(query)![0];
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE VIEW vpc_flow_logs AS SELECT * FROM read_parquet('${parquet}/**/*.parquet', hive_partitioning = true)`);
    edges = join(dir, 'edges.csv');
    await connection.run(`COPY (${query.replace(/^--.*\n/gm, '').trim().replace(/;$/, '')}) TO '${edges}' (HEADER)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}, 180_000);

describe('analyze on a pushdown result', () => {
  it('learns the rules it learns from the raw records, and records the query\'s digest as provenance', async () => {
    const fromRaw = await tempDir();
    const fromEdges = await tempDir();
    const a = await cli(['analyze', raw, '--out', fromRaw, '--json']);
    const b = await cli(['analyze', edges, '--out', fromEdges, '--json']);
    const told = await cli(['analyze', edges, '--out', await tempDir()]);
    expect(told.stdout).toContain(`edges computed in the warehouse by pushdown query ${querySha256.slice(0, 16)}… over `);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const summary = JSON.parse(b.stdout) as { inputs: { format: string; read: number; accepted: number; rejected: number }[] };
    expect(summary.inputs).toHaveLength(1);
    expect(summary.inputs[0]).toMatchObject({ format: 'flowfence-edges', rejected: 0 });
    expect(summary.inputs[0]!.read).toBe(summary.inputs[0]!.accepted);
    expect(await readFile(join(fromEdges, 'rules.csv'), 'utf8')).toBe(await readFile(join(fromRaw, 'rules.csv'), 'utf8'));
    expect(await readFile(join(fromEdges, 'edges.csv'), 'utf8')).toBe(await readFile(join(fromRaw, 'edges.csv'), 'utf8'));
    const policy = JSON.parse(await readFile(join(fromEdges, 'policy.json'), 'utf8')) as { inputs: { files: { name: string; pushdown?: { querySha256: string; source: string } }[] } };
    expect(policy.inputs.files[0]!.pushdown).toEqual({ querySha256, source: expect.stringContaining('aws-vpc') });
  }, 180_000);
});
