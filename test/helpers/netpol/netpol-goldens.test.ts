// Proves the independent NetworkPolicy evaluator against the connlist goldens
// of np-guard/netpol-analyzer (../shared/data/netpol-goldens, see SOURCE.txt),
// plus a few hand-made cases that run without the shared data.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../samples';
import { connlistLines } from './connlist';
import { NetpolEvaluator, type NetpolPod } from './evaluator';
import { loadManifests } from './manifests';

const GOLDENS = join(SHARED_DATA, 'netpol-goldens');
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Every manifest file under a case's input/ folder, recursively, as the analyzer reads a directory. */
function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return manifestFiles(path);
      return MANIFEST_FILE.test(entry.name) ? [path] : [];
    })
    .sort();
}

function goldenCases(): string[] {
  return readdirSync(GOLDENS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(GOLDENS, entry.name, 'expected.txt')))
    .map((entry) => entry.name)
    .sort();
}

const HAS_GOLDENS = existsSync(GOLDENS);
if (!HAS_GOLDENS) console.warn(`[flowfence tests] ${GOLDENS} is absent: the NetworkPolicy golden cases are skipped.`);

describe.skipIf(!HAS_GOLDENS)('NetworkPolicy connlist goldens (np-guard/netpol-analyzer; skipped where ../shared/data/netpol-goldens is absent)', () => {
  it('finds the 29 curated cases', () => {
    expect(goldenCases()).toHaveLength(29);
  });

  it.each(HAS_GOLDENS ? goldenCases() : [])('%s', (name) => {
    const files = manifestFiles(join(GOLDENS, name, 'input'));
    const manifests = loadManifests(
      files.map((file) => readFileSync(file, 'utf8')),
      files,
    );
    const actualLines = [...connlistLines(manifests)].sort();
    const expectedLines = readFileSync(join(GOLDENS, name, 'expected.txt'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .sort();
    expect(actualLines).toEqual(expectedLines);
  });
});

function pod(namespace: string, name: string, labels: Record<string, string>, ports: NetpolPod['ports'] = []): NetpolPod {
  return { namespace, name, labels, ports };
}

describe('NetpolEvaluator on hand-made policies', () => {
  const web = pod('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  const db = pod('shop', 'db', { app: 'db', tier: 'data' });
  const other = pod('ops', 'probe', { app: 'probe' });
  const namespaces = [{ name: 'shop', labels: { team: 'shop' } }];

  it('default deny ingress isolates the selected pods only in that direction', () => {
    const evaluator = new NetpolEvaluator(namespaces, [
      { kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    ]);
    expect(evaluator.allows({ pod: other }, { pod: web }, 'TCP', 8080)).toBe(false);
    expect(evaluator.allows({ ip: '203.0.113.9' }, { pod: db }, 'UDP', 53)).toBe(false);
    // Egress is untouched, and the pod in another namespace is not isolated.
    expect(evaluator.allows({ pod: web }, { pod: other }, 'TCP', 443)).toBe(true);
    expect(evaluator.allows({ pod: web }, { ip: '198.51.100.1' }, 'SCTP', 1)).toBe(true);
  });

  it('egress to an ipBlock with except allows the cidr minus the hole, never pods', () => {
    const evaluator = new NetpolEvaluator(namespaces, [
      {
        kind: 'NetworkPolicy',
        metadata: { name: 'out', namespace: 'shop' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 443 }] }],
        },
      },
    ]);
    expect(evaluator.allows({ pod: web }, { ip: '10.2.3.4' }, 'TCP', 443)).toBe(true);
    expect(evaluator.allows({ pod: web }, { ip: '10.1.3.4' }, 'TCP', 443)).toBe(false);
    expect(evaluator.allows({ pod: web }, { ip: '10.2.3.4' }, 'UDP', 443)).toBe(false);
    expect(evaluator.allows({ pod: web }, { ip: '10.2.3.4' }, 'TCP', 80)).toBe(false);
    expect(evaluator.allows({ pod: web }, { ip: '2001:db8::1' }, 'TCP', 443)).toBe(true);
    expect(evaluator.allows({ pod: web }, { ip: '2001:db9::1' }, 'TCP', 443)).toBe(false);
    expect(evaluator.allows({ pod: web }, { pod: db }, 'TCP', 443)).toBe(false);
    // Without `policyTypes` Ingress is always affected: with no ingress rules, web is ingress-isolated.
    expect(evaluator.allows({ ip: '192.0.2.1' }, { pod: web }, 'TCP', 22)).toBe(false);
    expect(evaluator.allows({ ip: '192.0.2.1' }, { pod: db }, 'TCP', 22)).toBe(true);
  });

  it('a named port resolves against the destination pod and its protocol', () => {
    const evaluator = new NetpolEvaluator(namespaces, [
      {
        kind: 'NetworkPolicy',
        metadata: { name: 'named', namespace: 'shop' },
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 'http' }, { port: 'http', protocol: 'UDP' }] }] },
      },
    ]);
    expect(evaluator.allows({ pod: other }, { pod: web }, 'TCP', 8080)).toBe(true);
    expect(evaluator.allows({ pod: other }, { pod: web }, 'UDP', 8080)).toBe(false);
    expect(evaluator.allows({ pod: other }, { pod: web }, 'TCP', 80)).toBe(false);
    // db has no port named http: the rule allows nothing there.
    expect(evaluator.allows({ pod: other }, { pod: db }, 'TCP', 8080)).toBe(false);
  });

  it('matchExpressions NotIn also selects pods and namespaces lacking the key', () => {
    const evaluator = new NetpolEvaluator(namespaces, [
      {
        kind: 'NetworkPolicy',
        metadata: { name: 'not-in', namespace: 'shop' },
        spec: {
          podSelector: { matchLabels: { app: 'db' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['ops'] }] },
                  podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] },
                },
              ],
              ports: [{ port: 5432, endPort: 5433 }],
            },
          ],
        },
      },
    ]);
    expect(evaluator.allows({ pod: other }, { pod: db }, 'TCP', 5433)).toBe(true);
    expect(evaluator.allows({ pod: other }, { pod: db }, 'TCP', 5434)).toBe(false);
    expect(evaluator.allows({ pod: web }, { pod: db }, 'TCP', 5432)).toBe(false);
    expect(evaluator.allows({ pod: pod('shop', 'job', {}) }, { pod: db }, 'TCP', 5432)).toBe(true);
    expect(evaluator.allows({ ip: '10.0.0.1' }, { pod: db }, 'TCP', 5432)).toBe(false);
  });
});
