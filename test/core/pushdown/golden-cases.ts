import type { PushdownRequest } from '../../../src/core/pushdown/pushdown-query';

/** The queries kept as golden files under test/fixtures/pushdown: every documented dialect and layout, and one with a window and pins. */
export const GOLDEN_CASES: readonly { readonly file: string; readonly request: PushdownRequest }[] = [
  ...(['athena', 'bigquery', 'clickhouse', 'spark', 'kql', 'duckdb'] as const).map((dialect) => ({
    file: `aws-vpc.${dialect}.${dialect === 'kql' ? 'kql' : 'sql'}`,
    request: { dialect, sourceFormat: 'aws-vpc' as const, version: 'flowfence golden' },
  })),
  { file: 'gcp-vpc.bigquery.sql', request: { dialect: 'bigquery', sourceFormat: 'gcp-vpc', table: 'my-project.flow_logs.compute_googleapis_com_vpc_flows', version: 'flowfence golden' } },
  { file: 'azure-vnet.kql.kql', request: { dialect: 'kql', sourceFormat: 'azure-vnet', version: 'flowfence golden' } },
  { file: 'netflow.clickhouse.sql', request: { dialect: 'clickhouse', sourceFormat: 'netflow', version: 'flowfence golden' } },
  {
    file: 'aws-vpc.athena.window.sql',
    request: {
      dialect: 'athena',
      sourceFormat: 'aws-vpc',
      table: 'awsdatacatalog.flowlogs.vpc_flow_logs',
      fromMs: Date.UTC(2026, 0, 1),
      toMs: Date.UTC(2026, 0, 8),
      pins: [{ proto: 6, port: 8443 }],
      version: 'flowfence golden',
    },
  },
];
