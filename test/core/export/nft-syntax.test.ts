import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParseRows } from 'd3-dsv';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { group, handPolicy, rule } from '../policy/fixtures';
import { analyseDemo } from '../../helpers/demo-analysis';

// Every nftables file the target writes passes nft's own check (`nft -c -f`),
// run without root in a user and network namespace of its own (`unshare -rn`).
// CI installs Debian's nftables; where nft or user namespaces are missing the
// check is skipped with the reason.

const nftProblem = ((): string | null => {
  const probe = spawnSync('unshare', ['-rn', 'nft', '--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `unshare or nft not runnable (${probe.error.message})`;
  if (probe.status !== 0) return `unshare -rn nft failed: ${(probe.stderr || probe.stdout).trim()} (install nftables; user namespaces must be allowed)`;
  return null;
})();
if (nftProblem !== null) console.warn(`nft syntax checks skipped: ${nftProblem}`);

const folder = mkdtempSync(join(tmpdir(), 'flowfence-nft-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs `nft -c -f` on each file; returns the failures with nft's message. */
function nftCheck(files: readonly { path: string; content: string }[]): string[] {
  const failures: string[] = [];
  files.forEach((file, index) => {
    const path = join(folder, `${index}.nft`);
    writeFileSync(path, file.content);
    const result = spawnSync('unshare', ['-rn', 'nft', '-c', '-f', path], { encoding: 'utf8' });
    if (result.status !== 0) failures.push(`${file.path}: ${result.stderr.trim()}`);
  });
  return failures;
}

/** Names, labels and users as an attacker would write them into an inventory or a logon export. */
const HOSTILE = ['"; flush ruleset; #', '=cmd|\' /C calc\'!A0', '\n+1\r', '<script>alert(1)</script>', 'tab\there', 'caf\u00e9 \u202e', '\\"\\', ' @SUM(1)'];

function hostilePolicy() {
  const groups = [
    group('g1', ['10.0.1.10', 'fd00::10'], { name: HOSTILE[0]!, labels: { app: HOSTILE[1]! } }),
    group('g2', ['10.0.2.20'], { name: HOSTILE[3]!, match: { label: { key: HOSTILE[2]!, value: HOSTILE[6]! } } }),
    group('g3', ['10.0.3.30'], { name: HOSTILE[5]!, match: { hostnamePrefix: HOSTILE[4]! } }),
    // Ids are the engine's own, but an approved-groups file names them: one that would end a comment and add a statement.
    group('g4"\nflush ruleset\n#', ['10.0.4.40']),
  ];
  return handPolicy(groups, [
    rule('g1', 'g2', 6, { from: 8443, to: 8443 }, { identity: { label: { key: HOSTILE[7]!, value: HOSTILE[0]! } } }),
    rule('g2', 'g3', 17, { from: 5000, to: 5100 }, { window: { days: [1], fromHour: 9, toHour: 17, timezone: 'UTC' } }),
    rule('g3', 'g1', 6, { from: 3389, to: 3389 }, { jit: { requesters: [{ user: HOSTILE[0]!, logons: 1 }, { user: HOSTILE[1]!, logons: 2 }] } }),
    rule('internal', 'g2', 58, null),
    rule('g1', 'g3', 132, null),
    rule('g4"\nflush ruleset\n#', 'g1', 6, { from: 443, to: 443 }),
    rule('g1', 'g4"\nflush ruleset\n#', 6, { from: 22, to: 22 }, { jit: { requesters: [] } }),
  ]);
}

describe.skipIf(nftProblem !== null)('nftables exports pass nft -c', () => {
  it('on the demo\'s policy, every host\'s ruleset and the one for all', async () => {
    const { policy } = (await analyseDemo()).policy;
    const nft = exportPolicy(policy, { targets: ['nftables'], logDrops: true }).files.filter((file) => file.path.endsWith('.nft'));
    expect(nft.length).toBeGreaterThan(10);
    expect(nftCheck(nft)).toEqual([]);
  }, 120_000);

  it('on a policy full of hostile names, labels and users: each file parses and holds nothing of them but safe text', () => {
    const files = exportPolicy(hostilePolicy(), { targets: ['nftables', 'csv'], logDrops: false }).files;
    const nft = files.filter((file) => file.path.endsWith('.nft'));
    expect(nftCheck(nft)).toEqual([]);
    // The text may stay inside a comment or remark; it never starts a line of its own.
    for (const file of nft) expect(file.content).not.toMatch(/^\s*flush/m);
  });
});

describe('hostile content in the CSV outputs', () => {
  it('reads back to the same cells, none of which a spreadsheet would run', () => {
    const files = exportPolicy(hostilePolicy(), { targets: ['nftables', 'csv'], logDrops: false }).files;
    for (const path of ['csv/rules.csv', 'export-notes.csv']) {
      const rows = csvParseRows(files.find((file) => file.path === path)!.content);
      const width = rows[0]!.length;
      for (const row of rows) {
        expect(row).toHaveLength(width);
        for (const cell of row) expect(cell, `${path}: ${cell}`).not.toMatch(/(^|[\n\r]) *[=+\-@\t\r]/);
      }
    }
    const notes = csvParseRows(files.find((file) => file.path === 'export-notes.csv')!.content);
    expect(notes.some((row) => row[2]!.includes("'=cmd"))).toBe(false);
    expect(notes.some((row) => row[2]!.includes('identity condition'))).toBe(true);
  });
});
