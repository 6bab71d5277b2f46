import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParseRows } from 'd3-dsv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import type { ExportFile } from '../../../src/core/export/export-types';
import { analyseDemo } from '../../helpers/demo-analysis';
import { HOSTILE, hostilePolicy } from './hostile-policy';
import type { Policy } from '../../../src/core/policy/policy-model';
import { applyStageDecision } from '../../../src/core/policy/stage-decisions';

// Every host firewall file the exports write passes its own tool's check:
// nftables files `nft -c -f`, iptables files `iptables-restore --test` and
// ip6tables files `ip6tables-restore --test`, each run without root in a
// user and network namespace of its own (`unshare -rn`). CI installs
// Debian's nftables and iptables; where a tool or user namespaces are
// missing, its check is skipped with the reason.

const CHECKERS = [
  { tool: 'nft', args: ['-c', '-f'], files: (path: string) => path.endsWith('.nft'), packageName: 'nftables' },
  { tool: 'iptables-restore', args: ['--test'], files: (path: string) => path.endsWith('.v4.rules'), packageName: 'iptables' },
  { tool: 'ip6tables-restore', args: ['--test'], files: (path: string) => path.endsWith('.v6.rules'), packageName: 'iptables' },
] as const;

function problemOf(tool: string, packageName: string): string | null {
  const probe = spawnSync('unshare', ['-rn', tool, '--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `unshare or ${tool} not runnable (${probe.error.message})`;
  if (probe.status !== 0) return `unshare -rn ${tool} failed: ${(probe.stderr || probe.stdout).trim()} (install ${packageName}; user namespaces must be allowed)`;
  return null;
}
const problems = new Map(CHECKERS.map(({ tool, packageName }) => [tool, problemOf(tool, packageName)]));
for (const [tool, problem] of problems) if (problem !== null) console.warn(`${tool} syntax checks skipped: ${problem}`);

const folder = mkdtempSync(join(tmpdir(), 'flowfence-syntax-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the tool's check on each file; returns the failures with its message. */
function check(tool: string, args: readonly string[], files: readonly ExportFile[]): string[] {
  const failures: string[] = [];
  files.forEach((file, index) => {
    const path = join(folder, `${tool}-${index}`);
    writeFileSync(path, file.content);
    const result = spawnSync('unshare', ['-rn', tool, ...args, path], { encoding: 'utf8' });
    if (result.status !== 0) failures.push(`${file.path}: ${(result.stderr || result.stdout).trim()}`);
  });
  return failures;
}

let demoFiles: readonly ExportFile[] = [];
beforeAll(async () => {
  if ([...problems.values()].every((problem) => problem !== null)) return;
  demoFiles = exportPolicy((await analyseDemo()).policy.policy, { targets: ['iptables', 'nftables'], logDrops: true }).files;
}, 120_000);
const hostileFiles = exportPolicy(hostilePolicy(), { targets: ['csv', 'iptables', 'nftables'], logDrops: false }).files;
/** The hostile policy with its hostile-id group observed and a hostile-named group selective: ids reach comments, log prefixes' headers and stages.csv. */
function stagedHostilePolicy(): Policy {
  let policy = hostilePolicy();
  for (const [group, stage, services] of [['g4"\nflush ruleset\n#', 'observe', []], ['g2', 'selective', ['tcp/8443']]] as const) {
    const result = applyStageDecision(policy, { group, stage, services: [...services], by: HOSTILE[0]!, why: HOSTILE[3]! }, '2026-01-01T00:00:00Z');
    if (!result.ok) throw new Error(result.reason);
    policy = result.policy;
  }
  return policy;
}
const stagedHostileFiles = exportPolicy(stagedHostilePolicy(), { targets: ['csv', 'iptables', 'nftables'], logDrops: true }).files;

describe.each(CHECKERS)('host firewall exports pass $tool $args (skipped where unshare -rn $tool cannot run)', ({ tool, args, files }) => {
  it.skipIf(problems.get(tool) !== null)('on the demo\'s policy, every host\'s ruleset and the one for all', () => {
    const chosen = demoFiles.filter((file) => files(file.path));
    expect(chosen.length).toBeGreaterThan(10);
    expect(check(tool, args, chosen)).toEqual([]);
  }, 120_000);

  it.skipIf(problems.get(tool) !== null)('on a staged policy full of hostile names and ids: each file parses, logs with a plain prefix, and holds nothing of them but safe text', () => {
    const chosen = stagedHostileFiles.filter((file) => files(file.path));
    expect(chosen.some((file) => file.content.includes('ff-observe g'))).toBe(true);
    expect(chosen.some((file) => file.content.includes('ff-selective g'))).toBe(true);
    expect(check(tool, args, chosen)).toEqual([]);
    for (const file of chosen) expect(file.content).not.toMatch(/^\s*flush/m);
  });

  it.skipIf(problems.get(tool) !== null)('on a policy full of hostile names, labels and users: each file parses and holds nothing of them but safe text', () => {
    const chosen = hostileFiles.filter((file) => files(file.path));
    expect(chosen.length).toBeGreaterThan(3);
    expect(check(tool, args, chosen)).toEqual([]);
    // The text may stay inside a comment or remark; it never starts a line of its own.
    for (const file of chosen) expect(file.content).not.toMatch(/^\s*flush/m);
  });
});

describe('hostile content in the CSV outputs', () => {
  it('reads back to the same cells, none of which a spreadsheet would run', () => {
    for (const [path, source] of [['csv/rules.csv', hostileFiles], ['export-notes.csv', hostileFiles], ['csv/stages.csv', stagedHostileFiles]] as const) {
      const rows = csvParseRows(source.find((file) => file.path === path)!.content);
      const width = rows[0]!.length;
      for (const row of rows) {
        expect(row).toHaveLength(width);
        for (const cell of row) expect(cell, `${path}: ${cell}`).not.toMatch(/(^|[\n\r]) *[=+\-@\t\r]/);
      }
    }
    const notes = csvParseRows(hostileFiles.find((file) => file.path === 'export-notes.csv')!.content);
    expect(notes.some((row) => row[2]!.includes("'=cmd"))).toBe(false);
    expect(notes.some((row) => row[2]!.includes('identity condition'))).toBe(true);
  });
});
