import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { csvParseRows } from 'd3-dsv';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_TARGETS } from '../../src/core/export/export-types';
import { cli } from '../helpers/cli';
import { armLiteralText, stringValues } from '../helpers/cloud-eval/azure-arm-read';
import { tokenize } from '../helpers/powershell/tokenize';

// A hostile inventory through every target and every report: owner, app,
// environment and host names carrying markup, script, spreadsheet formulas,
// quotes, newlines, template interpolations and shell metacharacters. The
// demo is analysed with it, exported to every target, attested; every file
// written must parse in its own format, and the hostile text must come back
// only as data (a string, a comment, an escaped cell), never as code.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources', 'demo');
const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-hostile-'));

/** CSV-quoted, each one a whole inventory cell. */
const HOSTILE = {
  owner: '<script>alert(1)</script>"; DROP TABLE x; ${jndi:ldap://x}',
  app: '=cmd|\' /C calc\'!A0',
  env: "prod' -Action Block -Name '",
  hostname: '@SUM(1)\n+1 `$(reboot)` [resourceId()] %{ for x in y }',
};
const csvCell = (text: string): string => `"${text.replaceAll('"', '""')}"`;

let out = '';
const files = new Map<string, string>();

beforeAll(async () => {
  const demo = await tempDir();
  await cp(DEMO, demo, { recursive: true });
  const inventory = (await readFile(join(demo, 'inventory.csv'), 'utf8'))
    .split('\n')
    .map((line) => (line.startsWith('10.1.0.1') || line.startsWith('10.1.2.10') ? `${line.split(',')[0]},${csvCell(HOSTILE.hostname)},${csvCell(HOSTILE.env)},${csvCell(HOSTILE.app)},web,,,linux,${csvCell(HOSTILE.owner)}` : line))
    .join('\n');
  await writeFile(join(demo, 'inventory.csv'), inventory);
  const analysis = await tempDir();
  const analysed = await cli(['analyze', demo, '--out', analysis]);
  expect(analysed.code, analysed.stderr).toBe(0);
  // A pod list for the Kubernetes targets: two demo hosts as pods with hostile labels and names.
  const podList = { apiVersion: 'v1', kind: 'List', items: ['10.1.0.10', '10.1.2.10'].map((ip, index) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${index}`, namespace: 'shop', labels: { app: 'web', owner: HOSTILE.owner, note: HOSTILE.hostname } }, status: { podIP: ip, hostIP: '10.0.0.1' } })) };
  const pods = join(analysis, 'pods.json');
  await writeFile(pods, JSON.stringify(podList));
  out = await tempDir();
  const exported = await cli(['export', '--policy', join(analysis, 'policy.json'), '--target', EXPORT_TARGETS.join(','), '--pods', pods, '--out', join(out, 'export')]);
  expect(exported.code, exported.stderr).toBe(0);
  // Staged: the hostile host's group observed, decided by a hostile analyst, and exported to every target again.
  const policyFile = join(analysis, 'policy.json');
  const policy = JSON.parse(await readFile(policyFile, 'utf8')) as { groups: { id: string; members: string[] }[] };
  const hostileGroup = policy.groups.find((group) => group.members.includes('10.1.2.10'))!.id;
  const stagedPolicy = join(analysis, 'staged-policy.json');
  await cp(policyFile, stagedPolicy);
  const staged = await cli(['stage', '--policy', stagedPolicy, '--group', hostileGroup, '--to', 'observe', '--by', HOSTILE.owner, '--why', HOSTILE.hostname]);
  expect(staged.code, staged.stderr).toBe(0);
  const stagedExport = await cli(['export', '--policy', stagedPolicy, '--target', EXPORT_TARGETS.join(','), '--pods', pods, '--out', join(out, 'staged-export')]);
  expect(stagedExport.code, stagedExport.stderr).toBe(0);
  expect(stagedExport.stdout).toMatch(/stages: \d+ enforced, 1 observed/);
  const attested = await cli(['attest', '--policy', join(analysis, 'policy.json'), '--key', join(out, 'key.pem'), '--out', join(out, 'packs'), demo]);
  expect(attested.code, attested.stderr).toBe(0);
  for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.pem')) files.set(join(entry.parentPath, entry.name).slice(out.length + 1), await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
}, 240_000);

const byExtension = (extension: string): [string, string][] => [...files].filter(([path]) => path.endsWith(extension));
const HOSTILE_FRAGMENTS = ['<script>', 'DROP TABLE', 'jndi', 'calc', '-Action Block', '$(reboot)', '[resourceId()]', '%{ for'];

describe('a hostile inventory through every target and every report', () => {
  it('reaches the exports and the packs (the test would prove nothing otherwise)', () => {
    expect(files.size).toBeGreaterThan(100);
    // The staged export is among them: an observed group's log prefix and its stage coverage.
    expect([...files.keys()].filter((path) => path.startsWith('staged-export/')).length).toBeGreaterThan(20);
    expect(files.get('staged-export/csv/stages.csv')).toContain(',observe,');
    const carrying = new Set([...files].filter(([, text]) => HOSTILE_FRAGMENTS.some((fragment) => text.includes(fragment))).map(([path]) => path.slice(path.lastIndexOf('.'))));
    for (const extension of ['.csv', '.html', '.json', '.ps1', '.tf', '.yaml']) expect(carrying, extension).toContain(extension);
  });

  it('CSV: every file parses to rows of one width, and no cell starts a formula', () => {
    for (const [path, text] of byExtension('.csv')) {
      const rows = csvParseRows(text);
      for (const row of rows) {
        expect(row.length, path).toBe(rows[0]!.length);
        for (const cell of row) expect(cell, `${path}: ${cell}`).not.toMatch(/(^|[\n\r]) *[=+\-@\t\r]/);
      }
    }
  });

  it('HTML: no script, no event handler, no markup from the inputs', () => {
    for (const [path, html] of byExtension('.html')) {
      expect(html, path).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
      expect(html, path).toContain('Content-Security-Policy');
    }
    expect([...files].some(([path, html]) => path.endsWith('.html') && html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'))).toBe(true);
  });

  it('JSON and YAML: parse, with hostile text only inside strings; ARM strings are never expressions', () => {
    for (const [path, text] of byExtension('.json')) {
      const value = JSON.parse(text) as unknown;
      if (path.endsWith('azuredeploy.json')) for (const { path: at, value: string } of stringValues(value)) if (HOSTILE_FRAGMENTS.some((fragment) => string.includes(fragment))) expect(() => armLiteralText(string), at).not.toThrow();
    }
    for (const [path, text] of byExtension('.yaml')) for (const document of parseAllDocuments(text)) expect(document.errors, path).toEqual([]);
  });

  it('Terraform: HashiCorp\'s parser reads every file, and no hostile text became an interpolation', async () => {
    for (const [path, text] of byExtension('.tf')) {
      const parsed = JSON.stringify(await parseHcl(path, text));
      for (const fragment of ['${jndi', '%{ for']) expect(parsed, path).not.toContain(fragment);
    }
  });

  it('PowerShell: every script tokenizes, and hostile text sits only in strings and comments', () => {
    const scripts = byExtension('.ps1');
    expect(scripts.length).toBeGreaterThan(10);
    for (const [path, text] of scripts) {
      for (const token of tokenize(text)) {
        if (token.kind === 'string' || token.kind === 'comment') continue;
        for (const fragment of HOSTILE_FRAGMENTS) expect(token.raw, `${path}: ${token.kind}`).not.toContain(fragment);
      }
    }
  });

  it('nftables and iptables: every file passes its tool\'s check where the tools run', () => {
    const checks = [
      ['.nft', 'nft', ['-c', '-f']],
      ['.v4.rules', 'iptables-restore', ['--test']],
      ['.v6.rules', 'ip6tables-restore', ['--test']],
    ] as const;
    for (const [extension, tool, args] of checks) {
      if (spawnSync('unshare', ['-rn', tool, '--version']).status !== 0) {
        console.warn(`hostile ${tool} check skipped: unshare -rn ${tool} does not run here`);
        continue;
      }
      // Every staged file (the hostile analyst's stage reaches their log prefixes), then the first 40 others.
      const candidates = byExtension(extension);
      const staged = candidates.filter(([path]) => path.startsWith('staged-export/'));
      expect(staged.length, `staged ${extension} files`).toBeGreaterThan(0);
      for (const [path] of [...staged, ...candidates.filter(([path]) => !path.startsWith('staged-export/')).slice(0, 40)]) {
        const result = spawnSync('unshare', ['-rn', tool, ...args, join(out, path)], { encoding: 'utf8' });
        expect(result.status, `${path}: ${result.stderr}`).toBe(0);
      }
    }
    // A hundred-odd tool processes, one after another: on a busy 2-core machine they alone passed the 60 s default.
  }, 180_000);

  it('the packs verify', async () => {
    expect((await cli(['verify-pack', join(out, 'packs')])).code).toBe(0);
  });
});
