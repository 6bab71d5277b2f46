import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisSummary } from '../../src/core/report/summary';
import { CANCEL_GRACE_MS } from '../../src/renderer/engine/engine-client';
import { formatCount, formatUtc } from '../../src/renderer/format/numbers';
import type { AppPage } from './app-page';
import { expectOffline, openBrowserSession, RESULTS, type BrowserSession } from './browser-session';
import { awsFlowLogText, multiMemberGzip, smallAwsFlowLog, truncatedGzip, writeLargeAwsFlowLog, writeText } from './flow-fixtures';
import { assertUniqueNames, realInputs } from './input-sets';
import { analysisWithNode, analyzeWithNode } from './node-analysis';
import { groupMap } from '../../src/renderer/model/group-map';
import { RULES_SHOWN } from '../../src/renderer/components/RulesTable';
import { filterRules } from '../../src/renderer/model/rule-filter';

/**
 * The ingest page in the real app (browser-session.ts): the numbers it shows
 * are the CLI's, a large analysis cancels, and the map and rules match the
 * engine's. The suite fails on any request outside the local server.
 */
const CANCEL_LINES = 400_000;

let session: BrowserSession;
let page: Page;
let app: AppPage;
let fixtures: string;

beforeAll(async () => {
  fixtures = await mkdtemp(join(tmpdir(), 'flowfence-e2e-'));
  session = await openBrowserSession();
  ({ page, app } = session);
});

afterAll(async () => {
  await session?.close();
  if (fixtures !== undefined) await rm(fixtures, { recursive: true, force: true });
});

describe('the ingest page in Chromium', () => {
  it('ingests real and generated exports and shows the same numbers as the CLI', async () => {
    const real = await realInputs();
    const generated = [
      await writeText(join(fixtures, 'e2e-small.log'), smallAwsFlowLog(7)),
      // Several members, each decoding to more than one output chunk: Chromium's decoder stops after the first on its own.
      await writeText(join(fixtures, 'e2e-multi-member.log.gz'), multiMemberGzip(awsFlowLogText(6000, 11), 3)),
      await writeText(join(fixtures, 'e2e-truncated.log.gz'), truncatedGzip(awsFlowLogText(3000, 13), 64)),
      // Hostile lines the parser must refuse, with markup that must reach the page as text.
      await writeText(join(fixtures, 'e2e-rejects.log'), `${smallAwsFlowLog(3)}2 123456789012 eni-0a <img src=x onerror=alert(1)> 10.0.0.2 40000 443 6 4 400 1767600000 1767600060 ACCEPT OK\n2 123456789012 eni-0a 10.0.0.1 "><b>bold</b> 40000 443 6 4 400 1767600000 1767600060 ACCEPT OK\n`),
    ];
    const paths = [...real.paths, ...generated];
    assertUniqueNames(paths);
    console.log(`[e2e] inputs: ${real.source} (${real.paths.length} files) + ${generated.length} generated`);

    const expected = await analyzeWithNode(paths);
    const started = Date.now();
    await app.upload(paths);
    await app.waitForCompletion(120_000);
    console.log(`[e2e] ${paths.length} files analysed in the page in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    expect(await app.rowCount()).toBe(expected.inputs.length);
    for (const input of expected.inputs) {
      const cells = await app.rowCells(input.path);
      expect.soft(cells.format, input.path).toBe(input.format ?? 'unknown');
      expect.soft(cells.read, `${input.path} read`).toBe(formatCount(input.read));
      expect.soft(cells.accepted, `${input.path} accepted`).toBe(formatCount(input.accepted));
      expect.soft(cells.rejected, `${input.path} rejected`).toBe(formatCount(input.rejected));
      // The browser's gzip decoder words its errors differently from zlib; the row must still be an error.
      expect.soft(cells.isError, `${input.path} error shown`).toBe(input.error !== undefined);
      for (const reason of Object.keys(input.rejectReasons)) expect.soft(cells.issues, `${input.path} reasons`).toContain(reason);
    }
    await expectTotals(expected);
    expect(await app.rowCells('e2e-truncated.log.gz')).toMatchObject({ isError: true });
    expect((await app.rowCells('e2e-truncated.log.gz')).issues).toMatch(/truncated or corrupt gzip data/);

    // A rejected count opens the file's rejected lines: line numbers and reasons, markup shown as text.
    const rejects = expected.inputs.find((input) => input.path === 'e2e-rejects.log')!;
    await page.getByRole('button', { name: /rejected lines of e2e-rejects\.log/ }).click();
    const lines = page.getByRole('table', { name: 'Rejected lines of e2e-rejects.log' }).locator('tbody tr');
    expect(await lines.count()).toBe(rejects.rejected);
    const lineCount = smallAwsFlowLog(3).split('\n').filter((line) => line.length > 0).length;
    const numbers = await lines.evaluateAll((rows) => rows.map((row) => row.querySelector('td')!.textContent));
    expect(numbers).toEqual(expect.arrayContaining([String(lineCount + 1), String(lineCount + 2)]));
    expect(await page.locator('.inputs img, .inputs b').count()).toBe(0);

    await page.screenshot({ path: join(RESULTS, 'e2e-ingest.png'), fullPage: true });
  });

  it('cancels a large analysis, returns to idle, and analyses again afterwards', async () => {
    const large = join(fixtures, 'e2e-large.log');
    await writeLargeAwsFlowLog(large, CANCEL_LINES, 21);

    await app.upload([large]);
    await app.progressBar().waitFor({ state: 'visible', timeout: 30_000 });
    const reached = await app.waitForProgress(0.05, 60_000);
    expect(reached).toBeLessThan(0.85);
    const clicked = Date.now();
    await app.cancelButton().click();
    await app.status('Analysis cancelled').waitFor({ timeout: 30_000 });
    const cancelMs = Date.now() - clicked;
    console.log(`[e2e] cancelled at ${(reached * 100).toFixed(0)}% in ${cancelMs} ms`);
    // Cooperative: the worker stopped on its AbortSignal, it was not terminated after the grace period.
    expect(cancelMs).toBeLessThan(CANCEL_GRACE_MS);

    // Idle again: no progress, no Cancel, no stale table, the Open button usable.
    expect(await app.progressBar().count()).toBe(0);
    expect(await app.cancelButton().count()).toBe(0);
    expect(await app.rowCount()).toBe(0);
    expect(await app.openButton().isEnabled()).toBe(true);
    await page.screenshot({ path: join(RESULTS, 'e2e-cancelled.png'), fullPage: true });

    const again = await writeText(join(fixtures, 'e2e-after-cancel.log'), smallAwsFlowLog(29));
    const expected = await analyzeWithNode([again]);
    await app.upload([again]);
    await app.waitForCompletion(60_000);
    expect(await app.rowCells(basename(again))).toMatchObject({ read: formatCount(expected.inputs[0]!.read), accepted: formatCount(expected.inputs[0]!.accepted) });
  });

  it("shows the demo's groups on the map and every rule in the rules table, reachable by keyboard", async () => {
    const real = await realInputs();
    const expected = await analysisWithNode(real.paths);
    const map = groupMap(expected.policy, expected.summary);
    await app.upload(real.paths);
    await app.waitForCompletion(120_000);

    const mapTab = page.getByRole('tab', { name: 'Map' });
    await mapTab.click();
    const nodes = page.locator('.react-flow__node');
    await nodes.first().waitFor({ timeout: 30_000 });
    expect(await nodes.count()).toBe(map.nodes.length);
    // Edges are drawn once the nodes are measured.
    await expect.poll(() => page.locator('.react-flow__edge').count(), { timeout: 30_000 }).toBe(map.links.length);
    const biggest = [...map.nodes].sort((a, b) => b.hosts - a.hosts)[0]!;
    expect(await page.locator(`[data-group="${biggest.id}"]`).innerText()).toContain(biggest.name);
    expect(await page.locator('.map-banner').count()).toBe(map.omitted === null ? 0 : 1);
    await page.screenshot({ path: join(RESULTS, 'e2e-map.png') });

    // The tabs follow the arrow keys, as a tab list does.
    await mapTab.focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Rules' }).getAttribute('aria-selected')).toBe('true');
    const rows = page.locator('.rules tbody tr');
    expect(await rows.count()).toBe(Math.min(expected.policy.rules.length, RULES_SHOWN));
    const rule = expected.policy.rules.find((entry) => entry.service === 'tcp/9100')!;
    expect(await page.locator(`[data-rule="${rule.id}"]`).innerText()).toContain(formatCount(rule.evidence.flows));
    await page.getByRole('searchbox').fill('tcp/9100');
    const kept = filterRules(expected.policy, 'tcp/9100');
    expect(kept.length).toBeLessThan(expected.policy.rules.length);
    await expect.poll(() => rows.count()).toBe(kept.length);
    expect(await page.locator(`[data-rule="${rule.id}"]`).count()).toBe(1);
    await page.screenshot({ path: join(RESULTS, 'e2e-rules.png') });
  });

  it('maps the columns of a CSV the engine does not recognise, from a preview of its rows, and analyses again', async () => {
    const rows = Array.from({ length: 40 }, (_, index) => `10.9.0.${1 + (index % 20)};10.9.1.${1 + (index % 3)};${40_000 + index};443;6;1767600000`);
    const csv = await writeText(join(fixtures, 'e2e-firewall.csv'), ['A;B;C;D;E;F', ...rows].join('\n') + '\n');
    await app.upload([csv]);
    await app.waitForCompletion(60_000);
    await page.getByRole('tab', { name: 'Inputs' }).click();
    expect((await app.rowCells('e2e-firewall.csv')).accepted).toBe('0');
    await page.getByRole('button', { name: 'map the columns of e2e-firewall.csv' }).click();
    const dialog = page.getByRole('dialog', { name: 'Columns of e2e-firewall.csv' });
    await expect.poll(() => dialog.getByRole('table', { name: 'First rows' }).locator('tbody tr').count()).toBe(10);
    const choose = async (field: string, column: string) => dialog.getByRole('combobox', { name: new RegExp(`^${field}`) }).selectOption(column);
    await choose('Source address', 'A');
    await choose('Destination address', 'B');
    await choose('Source port', 'C');
    await choose('Destination port', 'D');
    await choose('Protocol', 'E');
    await choose('Start time', 'F');
    await dialog.getByRole('button', { name: 'Analyse again with these columns' }).click();
    await app.waitForCompletion(60_000);
    await page.getByRole('tab', { name: 'Inputs' }).click();
    const expected = (await analyzeWithNode([csv], { parse: { csvMap: { src: 'A', dst: 'B', sport: 'C', dport: 'D', proto: 'E', start: 'F' } } })).inputs[0]!;
    expect(expected.accepted).toBe(40);
    expect(await app.rowCells('e2e-firewall.csv')).toMatchObject({ accepted: formatCount(expected.accepted), format: expected.format ?? 'unknown' });
  });

  it('made no request outside the local server, and the page logged no error', () => {
    expectOffline(session);
  });
});

async function expectTotals(expected: AnalysisSummary): Promise<void> {
  const sum = (key: 'read' | 'accepted' | 'rejected') => expected.inputs.reduce((total, input) => total + input[key], 0);
  expect.soft(await app.total('files')).toBe(formatCount(expected.inputs.length));
  expect.soft(await app.total('read')).toBe(formatCount(sum('read')));
  expect.soft(await app.total('accepted')).toBe(formatCount(sum('accepted')));
  expect.soft(await app.total('rejected')).toBe(formatCount(sum('rejected')));
  expect.soft(await app.total('hosts')).toBe(formatCount(expected.hosts));
  expect.soft(await app.total('edges')).toBe(formatCount(expected.edges));
  const window = await app.total('window');
  expect.soft(window).toContain(formatUtc(expected.window.from));
  expect.soft(window).toContain(formatUtc(expected.window.to));
}
