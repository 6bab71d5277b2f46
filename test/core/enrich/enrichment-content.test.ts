import { describe, expect, it } from 'vitest';
import { enrichmentContentProblem } from '../../../src/core/enrich/enrichment-content';
import { runAnalyze, textFile } from '../../helpers/engine';

describe('enrichmentContentProblem: what an enrichment file plainly is not', () => {
  it('names binary data for any kind', () => {
    for (const format of ['inventory', 'k8s-pods', 'windows-logons'] as const) expect(enrichmentContentProblem('PK\u0003\u0004\u0000\u0000', format)).toMatch(/: it contains NUL bytes \(binary data\)$/);
  });

  it('says an inventory given JSON is JSON, and a pod list given CSV is not JSON', () => {
    expect(enrichmentContentProblem('  {"items": []}', 'inventory')).toBe('not an inventory: it is JSON (it starts with "{"); an inventory is a CSV with an address column (a pod list goes to --pods)');
    expect(enrichmentContentProblem('ip,hostname\n10.0.0.1,a\n', 'k8s-pods')).toBe('not a Kubernetes pod list: it is not JSON (it starts with "ip,hostname\\n10.0.0.1"); give the output of kubectl get pods -o json');
  });

  it('lets the right kinds through to their parsers (logons as XML or NDJSON alike)', () => {
    expect(enrichmentContentProblem('ip,hostname\n10.0.0.1,a\n', 'inventory')).toBeNull();
    expect(enrichmentContentProblem('{"kind": "List", "items": []}', 'k8s-pods')).toBeNull();
    expect(enrichmentContentProblem('{"EventID": 4624}\n', 'windows-logons')).toBeNull();
    expect(enrichmentContentProblem('<Events><Event/></Events>', 'windows-logons')).toBeNull();
  });

  it('reaches the file report of an --inventory given JSON', async () => {
    const flows = textFile('flows.log', 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 1 eni-1 10.0.0.5 10.0.0.9 50000 443 6 1 100 1767600000 1767600060 ACCEPT OK\n');
    const { summary } = await runAnalyze({ inputs: [flows], inventories: [textFile('hosts.json', '[{"ip": "10.0.0.5"}]')] });
    expect(summary.inputs.find((input) => input.path === 'hosts.json')!.error).toBe(
      'not an inventory: it is JSON (it starts with "["); an inventory is a CSV with an address column (a pod list goes to --pods)',
    );
  });
});
