import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifiedDigest } from '../../src/core/pushdown/query-digest';
import { VERSION_TEXT } from '../../src/cli/version';
import { cli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'flowfence-pushdown-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowfence pushdown', () => {
  it('prints the query with its digest, version, dialect, source format and window in the header', async () => {
    const { code, stdout } = await cli(['pushdown', '--dialect', 'athena', '--source-format', 'aws-vpc', '--from', '2026-01-01', '--to', '2026-01-02T12:00Z', '--server-port', '8443/tcp']);
    expect(code).toBe(0);
    const digest = verifiedDigest(stdout);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(stdout.split('\n').slice(0, 4).join('\n')).toContain(`-- ${VERSION_TEXT}; dialect athena; source format aws-vpc; table vpc_flow_logs 2026-01-01T00:00:00.000Z..2026-01-02T12:00:00.000Z; server ports 8443/6`);
    expect(stdout).toContain(`'${digest}' AS query_sha256`);
    // The window is exact on the start time, in ms.
    expect(stdout).toContain(`>= ${Date.UTC(2026, 0, 1)}`);
    expect(stdout).toContain(`< ${Date.UTC(2026, 0, 2, 12)}`);
  });

  it('writes --out atomically and says so, leaving no temporary file', async () => {
    const out = join(dir, 'query.kql');
    const { code, stdout, stderr } = await cli(['pushdown', '--dialect', 'kql', '--source-format', 'azure-vnet', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(stderr).toContain(`query_sha256 ${verifiedDigest(text)}`);
    expect(text.startsWith('// Flowfence pushdown')).toBe(true);
    expect(readdirSync(dir)).toEqual(['query.kql']);
  });

  it('the same arguments give the same bytes', async () => {
    const args = ['pushdown', '--dialect', 'clickhouse', '--source-format', 'netflow', '--table', 'flows.flows_raw'];
    expect((await cli(args)).stdout).toBe((await cli(args)).stdout);
  });

  it.each([
    [['pushdown', '--source-format', 'aws-vpc'], /--dialect is required/],
    [['pushdown', '--dialect', 'oracle', '--source-format', 'aws-vpc'], /--dialect: "oracle" is not one of/],
    [['pushdown', '--dialect', 'athena'], /--source-format is required/],
    [['pushdown', '--dialect', 'kql', '--source-format', 'gcp-vpc'], /gcp-vpc is documented for bigquery only/],
    [['pushdown', '--dialect', 'duckdb', '--source-format', 'aws-vpc', '--table', 'flows; DROP TABLE x'], /table name/],
    [['pushdown', '--dialect', 'duckdb', '--source-format', 'aws-vpc', '--from', '2026-02-01', '--to', '2026-01-01'], /--from must be before --to/],
    [['pushdown', '--dialect', 'duckdb', '--source-format', 'aws-vpc', '--from', 'yesterday'], /--from: "yesterday" is not a time/],
    [['pushdown', '--dialect', 'duckdb', '--source-format', 'aws-vpc', 'file.log'], /reads no files/],
  ])('refuses %j with exit 2', async (args, message) => {
    const { code, stderr, stdout } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('flowfence pushdown --help');
    expect(stdout).toBe('');
  });

  it('has usage text listing the dialects and layouts, and a line in the command list', async () => {
    const help = await cli(['pushdown', '--help']);
    expect(help.code).toBe(0);
    for (const word of ['athena', 'bigquery', 'clickhouse', 'spark', 'kql', 'duckdb', 'aws-vpc', 'gcp-vpc', 'azure-vnet', 'netflow']) expect(help.stdout).toContain(word);
    expect((await cli(['--help'])).stdout).toContain('pushdown --dialect D --source-format F');
  });
});
