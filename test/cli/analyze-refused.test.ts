import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { fixture } from '../helpers/fixtures';
import { HAS_SHARED_DATA, sample } from '../helpers/samples';

/**
 * Issue #9: refused traffic must never become an allow rule. The parsers
 * read each format's connection state; these runs check what that does at
 * the end of the pipeline: the scan is flagged and the policy holds no rule
 * built from a refused or unanswered connection.
 */

interface PolicyRule {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly evidence: { readonly edges: readonly { readonly client: string; readonly server: string; readonly port: number }[] };
}

async function analyze(inputs: string[]) {
  const out = await mkdtemp(join(tmpdir(), 'flowfence-refused-'));
  const { code, stdout } = await cli(['analyze', ...inputs, '--json', '--out', out]);
  const summary = JSON.parse(stdout) as { anomalies: { kind: string; src: string; dst: string; ports: string; reason: string }[] };
  const policy = JSON.parse(await readFile(join(out, 'policy.json'), 'utf8')) as { rules: PolicyRule[] };
  const edges = (await readFile(join(out, 'edges.csv'), 'utf8')).trimEnd().split('\n').slice(1).map((line) => line.split(','));
  return { code, summary, policy, edges };
}

const SCANME = '45.33.32.156';

describe('refused traffic never becomes an allow rule', () => {
  it('the nmap scan of scanme.nmap.org (Zeek REJ rows) is flagged as a scan, and no rule points at the scanned host', async () => {
    const { code, summary, policy, edges } = await analyze([fixture('zeek/nmap-vertical-scan.conn.json.log')]);
    expect(code).toBe(0);
    // 22 REJ ports deny; port 80 (RSTO, answered) allow.
    const toScanme = edges.filter((edge) => edge[1] === SCANME);
    expect(toScanme.filter((edge) => edge[4] === 'deny')).toHaveLength(22);
    expect(toScanme.filter((edge) => edge[4] !== 'deny').map((edge) => [edge[3], edge[4]])).toEqual([['80', 'allow']]);
    // 25 targets of 192.168.1.9 (22 refused ports, port 80, GitHub's 443, the resolver's 53): 22/25 = 88% refused ≥ 50%.
    const scans = summary.anomalies.filter((anomaly) => anomaly.kind === 'scan');
    expect(scans.map((scan) => scan.src)).toEqual(['192.168.1.9']);
    expect(scans[0]!.reason).toContain('88% of all its targets only ever refused');
    // Refused edges make no rule, and the open port found by the scan is flagged with it.
    expect(policy.rules.filter((rule) => rule.evidence.edges.some((edge) => edge.server === SCANME))).toEqual([]);
  });

  it.skipIf(!HAS_SHARED_DATA)('on the whole Stratosphere folder: no rule towards scanme.nmap.org, none from the internet scanner 193.46.255.92 (needs ../shared/data)', async () => {
    const { summary, policy, edges } = await analyze([sample('stratosphere-slips-dataset')]);
    // Before the parsers read the state, all 3,529 edges were unknown, 44 rules pointed at 45.33.32.0/24 and 408 came from 193.46.255.0/24.
    expect(new Set(edges.map((edge) => edge[4]))).toEqual(new Set(['unknown', 'allow', 'deny']));
    expect(policy.rules.filter((rule) => rule.to.includes('45.33.32.') || rule.evidence.edges.some((edge) => edge.server === SCANME))).toEqual([]);
    expect(policy.rules.filter((rule) => rule.from.includes('193.46.255.') || rule.evidence.edges.some((edge) => edge.client === '193.46.255.92'))).toEqual([]);
    const scanners = summary.anomalies.filter((anomaly) => anomaly.kind === 'scan').map((anomaly) => anomaly.src);
    // The nmap scan (Zeek), four internet scanners of the Suricata honeypot, and the port-81 sweep (Argus REQ).
    expect(scanners).toEqual(expect.arrayContaining(['192.168.1.9', '193.46.255.92', '45.143.203.2', '45.143.200.102', '45.143.200.10', '185.193.88.29', '192.168.2.12']));
  });
});
