import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { pushdownQuery, SOURCE_FORMATS } from '../../../src/core/pushdown/pushdown-query';
import { verifiedDigest } from '../../../src/core/pushdown/query-digest';
import { parseTableName } from '../../../src/core/pushdown/table-name';
import { GOLDEN_CASES } from './golden-cases';

/**
 * The dialects that cannot run here (Athena/Trino, BigQuery, Spark, KQL)
 * keep golden query files, so every change to a query shows in review
 * (rewrite them with test/tools/write-pushdown-golden.ts), and each is
 * checked by a parser of its language: the Trino and Spark grammars of
 * dt-sql-parser (ANTLR, from the engines' own grammars), node-sql-parser's
 * BigQuery grammar, and Microsoft's Kusto.Language, which also resolves
 * every column and function against the table's schema. DuckDB and
 * ClickHouse run for real in engine-parity.test.ts; the netflow layout
 * runs here in chdb against goflow2's table.
 */

const golden = (file: string): string => readFileSync(join('test', 'fixtures', 'pushdown', file), 'utf8');
const query = (file: string): string => GOLDEN_CASES.find((c) => c.file === file)!.request && pushdownQuery(GOLDEN_CASES.find((c) => c.file === file)!.request).text;

describe('golden pushdown queries', () => {
  for (const { file, request } of GOLDEN_CASES) {
    it(`${file} is what the generator writes, and checks against its own digest`, () => {
      const text = pushdownQuery(request).text;
      expect(text).toBe(golden(file));
      expect(verifiedDigest(text)).toMatch(/^[0-9a-f]{64}$/);
      expect(text).toContain(`'${verifiedDigest(text)}'`);
    });
  }
});

describe('syntax of the dialects that cannot run here', () => {
  // dt-sql-parser's ANTLR grammars build their prediction tables on the first parse: pure CPU. The Trino
  // check took 16 s in a clean CI run, 27 s beside a two-job harness run and 64 s in an overloaded CI run
  // (2 cores each). A slow parse is no failure here.
  const grammarTimeout = 180_000;

  it('athena: Trino grammar (dt-sql-parser) accepts both queries', { timeout: grammarTimeout }, async () => {
    const { TrinoSQL } = await import('dt-sql-parser');
    for (const file of ['aws-vpc.athena.sql', 'aws-vpc.athena.window.sql']) expect(new TrinoSQL().validate(query(file)), file).toEqual([]);
    expect(new TrinoSQL().validate('SELECT FROM WHERE').length).toBeGreaterThan(0);
  });

  it('spark: Spark SQL grammar (dt-sql-parser) accepts the query', { timeout: grammarTimeout }, async () => {
    const { SparkSQL } = await import('dt-sql-parser');
    expect(new SparkSQL().validate(query('aws-vpc.spark.sql'))).toEqual([]);
    expect(new SparkSQL().validate('SELECT a FROM (SELECT').length).toBeGreaterThan(0);
  });

  it('bigquery: node-sql-parser’s BigQuery grammar parses the log sink query', () => {
    const parser = new Parser();
    expect(() => parser.astify(query('gcp-vpc.bigquery.sql'), { database: 'BigQuery' })).not.toThrow();
    expect(() => parser.astify('SELECT FROM `x`', { database: 'BigQuery' })).toThrow();
  });

  it('kql: Kusto.Language parses both queries and resolves every name against the tables’ schemas', () => {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.js');
    const kusto = (globalThis as unknown as { Kusto: KustoNamespace }).Kusto;
    const table = (name: string, schema: string) => kusto.Language.Symbols.TableSymbol.From(schema).WithName(name);
    const database = new kusto.Language.Symbols.DatabaseSymbol.$ctor1('db', [
      table('NTANetAnalytics', SOURCE_FORMATS['azure-vnet'].tableDdl.kql!.split('\n').filter((l) => !l.includes('created by') && !l.includes('learn.microsoft')).map((l) => l.replace(/^\/\/ ?/, '')).join(' ').replace(/\s*\(([TU/IOAD]+)\)/g, '').replace(/^\s*/, '(').concat(')')),
      table('vpc_flow_logs', `(${/\(([^]*)\)/.exec(SOURCE_FORMATS['aws-vpc'].tableDdl.kql!)![1]!.replace(/\['end'\]/, "['end']")})`),
    ]);
    const globals = kusto.Language.GlobalState.Default.WithDatabase(database);
    const problems = (text: string): string[] => {
      const diagnostics = kusto.Language.KustoCode.ParseAndAnalyze(text, globals).GetDiagnostics();
      const found: string[] = [];
      for (let i = 0; i < (diagnostics.Count ?? 0); i++) {
        const d = diagnostics.getItem(i);
        found.push(`${d.Start}: ${d.Message}`);
      }
      return found;
    };
    expect(problems(query('azure-vnet.kql.kql'))).toEqual([]);
    expect(problems(query('aws-vpc.kql.kql'))).toEqual([]);
    expect(problems('NTANetAnalytics | project NoSuchColumn')).toHaveLength(1);
  });

  it('netflow: the query runs in ClickHouse (chdb) over goflow2’s flows_raw and names each IPv4 and IPv6 address', async () => {
    const { Session } = await import('chdb');
    const session = new Session();
    try {
      session.query(SOURCE_FORMATS.netflow.tableDdl.clickhouse!.replace(/^--.*\n/gm, ''));
      session.query(`INSERT INTO flows_raw (Date, TimeReceived, TimeFlowStart, SamplerAddress, SrcAddr, DstAddr, EType, Proto, SrcPort, DstPort, Bytes, Packets) VALUES
        ('2026-01-05', '2026-01-05 10:00:05', '2026-01-05 10:00:00', toFixedString(unhex('0a000001'), 16), toFixedString(unhex('0a000105'), 16), toFixedString(unhex('0a000209'), 16), 2048, 6, 51000, 443, 900, 6),
        ('2026-01-05', '2026-01-05 10:00:05', '2026-01-05 10:00:00', toFixedString(unhex('0a000001'), 16), toFixedString(unhex('0a000209'), 16), toFixedString(unhex('0a000105'), 16), 2048, 6, 443, 51000, 4000, 5),
        ('2026-01-05', '2026-01-05 10:00:05', '2026-01-05 10:00:00', toFixedString(unhex('0a000001'), 16), IPv6StringToNum('2001:db8::1'), IPv6StringToNum('2001:db8::2'), 34525, 17, 40000, 53, 80, 1)`);
      const rows = session.query(query('netflow.clickhouse.sql'), 'TSV').trim().split('\n').map((line) => line.split('\t').slice(0, 12).join(' '));
      // 10.0.1.5:51000 → 10.0.2.9:443, seen both ways by one exporter: one flow, 6 + 5 packets; port range decides (reason 7).
      // 2026-01-05T10:00Z is 1767607200000 ms, hour 1767607200000 / 3600000 = 491002.
      expect(rows).toEqual([
        '491002 10.0.1.5 10.0.2.9 6 443 0 1 11 4900 1767607200000 1767607200000 7',
        '491002 2001:db8::1 2001:db8::2 17 53 0 1 1 80 1767607200000 1767607200000 7',
      ]);
    } finally {
      session.close();
    }
  });
});

describe('table names', () => {
  it('refuses names that could carry SQL, and quotes reserved words', () => {
    for (const hostile of ['x; DROP TABLE y', 'a"b', 'a`b', "a'b", 't--', 'a b', 'a.b.c.d', '', 'a..b', '1abc'])
      expect(() => parseTableName(hostile, 'athena'), hostile).toThrow();
    expect(() => parseTableName('proj-1.ds.t', 'athena')).toThrow();
    expect(parseTableName('proj-1.ds.t', 'bigquery')).toEqual(['proj-1', 'ds', 't']);
    expect(() => parseTableName('db.t', 'kql')).toThrow();
    const athena = pushdownQuery({ dialect: 'athena', sourceFormat: 'aws-vpc', table: 'end', version: 'v' }).text;
    expect(athena).toContain('FROM "end"');
    expect(athena).toContain('"end"');
    expect(pushdownQuery({ dialect: 'spark', sourceFormat: 'aws-vpc', table: 'db.select', version: 'v' }).text).toContain('FROM db.`select`');
  });

  it('refuses a layout in a dialect it is not documented for', () => {
    expect(() => pushdownQuery({ dialect: 'athena', sourceFormat: 'netflow', version: 'v' })).toThrow(/netflow is documented for clickhouse only/);
  });
});

interface KustoNamespace {
  Language: {
    Symbols: { TableSymbol: { From(schema: string): { WithName(name: string): unknown } }; DatabaseSymbol: { $ctor1: new (name: string, tables: unknown[]) => unknown } };
    GlobalState: { Default: { WithDatabase(database: unknown): unknown } };
    KustoCode: { ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): { Count?: number; getItem(i: number): { Start: number; Message: string } } } };
  };
}
