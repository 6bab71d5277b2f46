import { mkdtemp, readFile, readdir, writeFile, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { findBrowser } from '../../src/core/node/print-pdf';
import { cli } from '../helpers/cli';

// flowfence attest and verify-pack end to end on the demo: the analysis
// folder feeds the member reasons and anomalies, the demo's flows the replay
// and coverage, every pack verifies, and tampering fails with exit 4.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources', 'demo');
const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-attest-cli-'));
const BROWSER = await findBrowser();

describe('flowfence attest and verify-pack', () => {
  let analysis = '';
  let packs = '';
  let key = '';
  let run = { code: 0, stdout: '', stderr: '' };

  beforeAll(async () => {
    analysis = await tempDir();
    expect((await cli(['analyze', DEMO, '--out', analysis])).code).toBe(0);
    packs = join(await tempDir(), 'packs');
    key = join(await tempDir(), 'signing.pem');
    run = await cli(['attest', '--policy', join(analysis, 'policy.json'), '--key', key, '--out', packs, '--pdf', 'never', DEMO]);
  }, 180_000);

  it('writes one signed pack per owner, and makes the key the first time, readable by its owner only', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/made a new Ed25519 signing key in .*signing\.pem/);
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    const folders = (await readdir(packs)).sort();
    expect(folders).toContain('billing-team@example.com');
    expect(folders).toContain('unowned');
    expect((await readdir(join(packs, 'billing-team@example.com'))).sort()).toEqual(['decisions.csv', 'manifest.intoto.json', 'members.csv', 'pack.json', 'report.html', 'rules.csv', 'signer.pub']);
  });

  it('fills the pack from the analysis folder and the replayed flows', async () => {
    const html = await readFile(join(packs, 'billing-team@example.com', 'report.html'), 'utf8');
    expect(html).toContain('labels agree: app=billing');
    expect(html).toMatch(/edges \(\d+ flows\) permitted/);
    expect(html).toMatch(/host pairs that may connect, one end in these groups: \d+ with no policy, \d+ with this policy/);
    expect(html).toMatch(/1 days with traffic \(2\d hours\)/);
    expect(html).toMatch(/<td>123456789012_vpcflowlogs_[^<]*<\/td><td>aws-vpc<\/td><td>87644<\/td>/);
    const infra = await readFile(join(packs, 'infrastructure@example.com', 'report.html'), 'utf8');
    expect(infra).toContain('Just-in-time access and its candidate requesters');
  });

  it('verifies every pack, pinned to the signer\'s key, and exits 4 when one was tampered with', async () => {
    const ok = await cli(['verify-pack', packs, '--trust', join(packs, 'unowned', 'signer.pub')]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^OK {3}.*billing-team@example\.com.*\(trusted key\)$/m);
    await appendFile(join(packs, 'unowned', 'decisions.csv'), 'g1>g2:tcp/22,x,,,,certify\n');
    const tampered = await cli(['verify-pack', packs, '--json']);
    expect(tampered.code).toBe(4);
    const verdicts = JSON.parse(tampered.stdout) as { failed: number; packs: { folder: string; problems: string[] }[] };
    expect(verdicts.failed).toBe(1);
    expect(verdicts.packs.find((pack) => pack.folder.endsWith('unowned'))!.problems).toEqual(['decisions.csv was changed after the pack was signed']);
  });

  it('warns when an earlier pack\'s co-signature is left in a folder it writes again', async () => {
    const folder = join(await tempDir(), 'packs');
    const policy = join(analysis, 'policy.json');
    expect((await cli(['attest', '--policy', policy, '--key', key, '--out', folder, '--pdf', 'never'])).code).toBe(0);
    await writeFile(join(folder, 'unowned', 'manifest.intoto.json.sig'), '-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n');
    const again = await cli(['attest', '--policy', policy, '--key', key, '--out', folder, '--pdf', 'never']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('holds co-signatures of an earlier pack (manifest.intoto.json.sig): they do not sign this manifest');
  });

  it.skipIf(BROWSER === null)(`prints each report to PDF with the browser on the machine, signs it with the rest, and drops it when a later attest prints none${BROWSER === null ? ' (skipped: no Chromium, Chrome or Edge here; CI installs Debian\'s chromium)' : ''}`, async () => {
    const folder = join(await tempDir(), 'packs');
    const policy = join(analysis, 'policy.json');
    const printed = await cli(['attest', '--policy', policy, '--key', key, '--out', folder, '--pdf', 'always', '--json']);
    expect(printed.code, printed.stderr).toBe(0);
    const written = JSON.parse(printed.stdout) as { browser: string; packs: { folder: string; pdf: boolean }[] };
    expect(written.browser).toBe(BROWSER);
    expect(written.packs.every((pack) => pack.pdf)).toBe(true);
    const pdf = await readFile(join(folder, 'billing-team@example.com', 'report.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThan(0);
    const manifest = JSON.parse(await readFile(join(folder, 'billing-team@example.com', 'manifest.intoto.json'), 'utf8')) as { payload: string };
    expect(JSON.parse(Buffer.from(manifest.payload, 'base64').toString('utf8')).subject.map((subject: { name: string }) => subject.name)).toContain('report.pdf');
    expect((await cli(['verify-pack', folder])).code).toBe(0);
    // A change to the PDF is caught like a change to any other file.
    await appendFile(join(folder, 'unowned', 'report.pdf'), '%%EOF\n');
    expect((await cli(['verify-pack', join(folder, 'unowned')])).stdout).toContain('report.pdf was changed after the pack was signed');
    const plain = await cli(['attest', '--policy', policy, '--key', key, '--out', folder, '--pdf', 'never']);
    expect(plain.stdout).toContain('report.pdf: not printed (--pdf never)');
    expect(await readdir(join(folder, 'unowned'))).not.toContain('report.pdf');
    expect((await cli(['verify-pack', folder])).code).toBe(0);
  }, 180_000);

  it('refuses --pdf always without a browser, and a FLOWFENCE_BROWSER that does not exist, writing nothing', async () => {
    const policy = join(analysis, 'policy.json');
    const folder = join(await tempDir(), 'packs');
    const saved = process.env.FLOWFENCE_BROWSER;
    process.env.FLOWFENCE_BROWSER = join(folder, 'no-such-browser');
    try {
      const missing = await cli(['attest', '--policy', policy, '--key', key, '--out', folder]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no-such-browser: no such program');
    } finally {
      if (saved === undefined) delete process.env.FLOWFENCE_BROWSER;
      else process.env.FLOWFENCE_BROWSER = saved;
    }
    expect((await cli(['attest', '--policy', policy, '--key', key, '--out', folder, '--pdf', 'sometimes'])).stderr).toContain('--pdf: auto, always or never, not "sometimes"');
    await expect(readdir(folder)).rejects.toThrow();
  });

  it('lists what changed since the previous attested policy', async () => {
    const again = join(await tempDir(), 'again');
    const previous = join(analysis, 'previous.json');
    const policy = JSON.parse(await readFile(join(analysis, 'policy.json'), 'utf8')) as { rules: { id: string }[] };
    await writeFile(previous, JSON.stringify({ ...policy, rules: policy.rules.slice(1) }));
    const result = await cli(['attest', '--policy', join(analysis, 'policy.json'), '--previous', previous, '--key', key, '--out', again, '--pdf', 'never']);
    expect(result.code, result.stderr).toBe(0);
    const reports = await Promise.all((await readdir(again)).map((folder) => readFile(join(again, folder, 'report.html'), 'utf8')));
    expect(reports.some((html) => html.includes(`<td>Added</td><td>${policy.rules[0]!.id.replaceAll('>', '&#62;')}</td>`))).toBe(true);
    expect(reports.every((html) => html.includes('No flows were given to attest'))).toBe(true);
  });

  it('imports an owner\'s filled-in decision sheet into the policy, refuses stale rows with exit 3, and drift names lapsed certifications', async () => {
    const policyPath = join(await tempDir(), 'policy.json');
    await writeFile(policyPath, await readFile(join(analysis, 'policy.json')));
    const rows = csvParseRows(await readFile(join(packs, 'billing-team@example.com', 'decisions.csv'), 'utf8'));
    const [header, first, second, third] = rows as [string[], string[], string[], string[]];
    const filled = [header, [...first.slice(0, 5), 'certify', 'billing web needs it', 'CHG-7', '2026-01-31', 'bob@example.com', '2025-12-01'], [...second.slice(0, 5), 'decertify', 'not needed', '', '', 'bob@example.com', ''], [third[0]!, '0'.repeat(64), ...third.slice(2, 5), 'certify', 'stale', '', '', 'bob@example.com', '']];
    const sheet = join(await tempDir(), 'decisions.csv');
    await writeFile(sheet, csvFormatRows(filled));
    const pack = join(packs, 'billing-team@example.com');
    const unpacked = await cli(['attest', '--policy', policyPath, '--import', sheet]);
    expect(unpacked.code).toBe(2);
    expect(unpacked.stderr).toContain("--import needs --pack DIR");
    const imported = await cli(['attest', '--policy', policyPath, '--import', sheet, '--pack', pack, '--trust', join(pack, 'signer.pub')]);
    expect(imported.code, imported.stderr).toBe(3);
    expect(imported.stdout).toContain('2 decisions applied');
    expect(imported.stdout).toContain(`refused decisions.csv line 4 (${third[0]}): the rule or its evidence changed since the pack was made`);
    const policy = JSON.parse(await readFile(policyPath, 'utf8')) as { rules: { id: string; state: string; decision?: { by: string; ticket: string | null } }[]; audit: { rule: string }[] };
    expect(policy.rules.find((entry) => entry.id === first[0])).toMatchObject({ state: 'approved', decision: { by: 'bob@example.com', ticket: 'CHG-7' } });
    expect(policy.rules.find((entry) => entry.id === second[0])).toMatchObject({ state: 'rejected' });
    expect(policy.audit.map((entry) => entry.rule)).toEqual([first[0], second[0]]);
    // The certification given until 2026-01-31 has lapsed: drift says so and exits 3.
    const drift = await cli(['drift', '--policy', policyPath, DEMO, '--json']);
    expect(drift.code).toBe(3);
    expect((JSON.parse(drift.stdout) as { certifications: { lapsed: { rule: string }[] } }).certifications.lapsed).toEqual([{ rule: first[0], expired: '2026-01-31T23:59:59.999Z', by: 'bob@example.com' }]);
    expect((await cli(['attest', '--policy', policyPath, '--import', sheet, '--out', packs])).stderr).toContain('--import takes only --policy');
    // Another owner's pack: none of this sheet's rules are its to decide.
    const other = await cli(['attest', '--policy', policyPath, '--import', sheet, '--pack', join(packs, 'crm-team@example.com')]);
    expect(other.stdout).toContain("not a rule of this owner's pack");
  }, 120_000);

  it('refuses missing options and bad keys with exit 2', async () => {
    const policy = join(analysis, 'policy.json');
    expect((await cli(['attest', '--policy', policy, '--out', await tempDir()])).stderr).toContain('--key KEY is required');
    const junk = join(await tempDir(), 'junk.pem');
    await writeFile(junk, 'junk');
    const bad = await cli(['attest', '--policy', policy, '--key', junk, '--out', await tempDir()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a private key in PEM');
    expect((await cli(['verify-pack', await tempDir()])).stderr).toContain('holds no pack');
  });
});
