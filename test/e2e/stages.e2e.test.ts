import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/core/analyze';
import type { StageRequest } from '../../src/core/policy/stage-decisions';
import { movedOrder } from '../../src/core/workbench/promotion-order';
import type { Workbench } from '../../src/core/workbench/workbench';
import { readWorkspace } from '../../src/core/workspace/workspace-file';
import { formatCount } from '../../src/renderer/format/numbers';
import type { AppPage } from './app-page';
import { expectOffline, openBrowserSession, RESULTS, SAVE_PICKER, type BrowserSession } from './browser-session';
import { realInputs } from './input-sets';
import { workbenchWithNode } from './node-analysis';

/**
 * A staged rollout in the real app (#13 §1): set a group to observe as a
 * canary in the inspector (who, why, ticket), see its stage on the map and
 * in the inspector, undo and redo it, stage a second group, move it up the
 * promotion order by keyboard, save the workspace and open it again to the
 * same stages and order. Each step is checked against the same edits made
 * on the engine in Node.
 */
let session: BrowserSession;
let page: Page;
let app: AppPage;
let paths: readonly string[];
let analysis: Analysis;
let expected: Workbench;
let fixtures: string;


beforeAll(async () => {
  session = await openBrowserSession({ width: 1440, height: 900 }, SAVE_PICKER);
  ({ page, app } = session);
  paths = (await realInputs()).paths;
  if (paths.length > 0) ({ analysis, workbench: expected } = await workbenchWithNode(paths));
  fixtures = await mkdtemp(join(tmpdir(), 'flowfence-stages-'));
});

afterAll(async () => {
  await session?.close();
  if (fixtures !== undefined) await rm(fixtures, { recursive: true, force: true });
});

const AT = '2026-12-04T10:00:00.000Z';

const mapNode = (group: string): Locator => page.locator(`.react-flow__node[data-id="${group}"]`);
const inspector = (): Locator => page.getByRole('complementary', { name: /Group inspector/ });
const changeTitle = (): Promise<string> => page.locator('.change-last .change-title').innerText();

/** Records a stage decision in the inspector of `group`: the stage (and canary), then who, why and the ticket. */
async function stageInInspector(group: string, stage: 'observe' | 'enforce', canary: boolean, signer: { by: string; why: string; ticket: string }): Promise<void> {
  await mapNode(group).click();
  const panel = inspector().getByRole('region', { name: 'Enforcement stage' });
  await panel.getByRole('radio', { name: stage }).check();
  if (canary) await panel.getByRole('checkbox', { name: /canary/ }).check();
  await panel.getByRole('button', { name: 'Record stage decision…' }).click();
  const who = panel.getByLabel('who decides');
  await who.fill(signer.by);
  await panel.getByLabel('reason').fill(signer.why);
  await panel.getByLabel('change ticket').fill(signer.ticket);
  await panel.getByRole('button', { name: 'Record', exact: true }).click();
}

/** The groups the Promotion tab lists, in its order. */
function promotionGroups(): Promise<string[]> {
  return page.locator('.promotion-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-group') ?? ''));
}

describe('staged rollout in the workbench, in Chromium', () => {
  let canary: string;
  let second: string;

  it('sets a group to observe as a canary in the inspector; the map and the inspector show it; undo and redo take it back and bring it again', async () => {
    expect(paths.length, 'the demo (resources/demo) or the shared samples are needed').toBeGreaterThan(0);
    await app.upload(paths);
    await app.waitForCompletion(120_000);
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator('.react-flow__node').first().waitFor({ timeout: 30_000 });
    const groups = analysis.policy.policy.groups.filter((group) => group.kind === 'application');
    canary = groups.find((group) => analysis.policy.policy.rules.some((rule) => rule.to === group.id))!.id;
    second = groups.find((group) => group.id !== canary)!.id;
    expect(await mapNode(canary).locator('.badge-stage').innerText()).toBe('enforce');
    expect(await page.getByLabel('Stage legend').innerText()).toContain('observe');

    await stageInInspector(canary, 'observe', true, { by: 'ana', why: 'first canary: lowest risk', ticket: 'CHG-1' });
    const request: StageRequest = { group: canary, stage: 'observe', canary: true, by: 'ana', why: 'first canary: lowest risk', ticket: 'CHG-1' };
    const step = expected.edit({ kind: 'stage', request, at: AT });
    await expect.poll(changeTitle, { timeout: 30_000 }).toBe(step.description);
    // What the canary's stage now only logs, as the engine in Node says: the change panel and the Replay figures.
    expect(step.stageChange.nowLogged.edges).toBeGreaterThan(0);
    const { nowLogged, nowBlocked } = step.stageChange;
    expect(await page.locator('.change-last [data-figure="stages"]').innerText()).toBe(
      `Under the stages: ${formatCount(nowLogged.edges)} edges (${formatCount(nowLogged.flows)} flows) now only logged, ${formatCount(nowBlocked.edges)} edges (${formatCount(nowBlocked.flows)} flows) now blocked`,
    );
    await expect.poll(() => mapNode(canary).locator('.badge-stage').innerText()).toBe('observe');
    expect(await mapNode(canary).locator('.badge-canary').count()).toBe(1);
    await expect.poll(() => inspector().getByRole('region', { name: 'Enforcement stage' }).innerText()).toContain('Set by ana at');
    expect(await inspector().getByRole('region', { name: 'Enforcement stage' }).innerText()).toContain('first canary: lowest risk (CHG-1)');
    await page.screenshot({ path: join(RESULTS, 'stages-observed.png') });

    await page.getByRole('button', { name: /^Undo: Set the stage of/ }).click();
    await expect.poll(() => mapNode(canary).locator('.badge-stage').innerText()).toBe('enforce');
    expect(await mapNode(canary).locator('.badge-canary').count()).toBe(0);
    expected.undo();
    await page.getByRole('button', { name: /^Redo: Set the stage of/ }).click();
    await expect.poll(() => mapNode(canary).locator('.badge-stage').innerText()).toBe('observe');
    expected.redo();
  });

  it('lists the groups to promote in the proposed order, and moves one up by keyboard', async () => {
    await stageInInspector(second, 'observe', false, { by: 'ana', why: 'watch it too', ticket: '' });
    expected.edit({ kind: 'stage', request: { group: second, stage: 'observe', by: 'ana', why: 'watch it too', ticket: null }, at: AT });
    await expect.poll(() => mapNode(second).locator('.badge-stage').innerText()).toBe('observe');
    await page.getByRole('tab', { name: 'Promotion' }).click();
    const proposed = expected.promotion().rows.map((row) => row.group);
    // The canary goes first.
    expect(proposed[0]).toBe(canary);
    await expect.poll(promotionGroups).toEqual(proposed);

    const last = expected.promotion().rows.at(-1)!;
    const up = page.getByRole('button', { name: `Move ${last.name} up the promotion order` });
    await up.focus();
    await page.keyboard.press('Enter');
    const order = movedOrder(proposed, last.group, 'up')!;
    expected.edit({ kind: 'promotion-order', order, moved: last.group, direction: 'up' });
    await expect.poll(promotionGroups).toEqual(expected.promotion().rows.map((row) => row.group));
    expect(await promotionGroups()).toEqual(order);
    // Alt+↓ on the focused row moves it back down; undo (Ctrl+Z) puts it up again.
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(promotionGroups).toEqual(proposed);
    await page.locator('body').press('Control+z');
    await expect.poll(promotionGroups).toEqual(order);
    await page.screenshot({ path: join(RESULTS, 'stages-promotion.png') });
  });

  it('saves the workspace and opens it again to the same stages and promotion order', async () => {
    await page.getByRole('button', { name: 'Save workspace…' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the workspace as' }).waitFor();
    const bytes = await page.evaluate(() => (window as unknown as { __saved: number[][] }).__saved.at(-1));
    const saved = new Uint8Array(bytes!);
    const log = readWorkspace(saved).log;
    expect(log.edits.map((edit) => edit.kind)).toEqual(['stage', 'stage', 'promotion-order', 'promotion-order']);
    expect(log.position).toBe(3);
    const file = join(fixtures, 'staged.flowfence');
    await writeFile(file, saved);
    const order = await promotionGroups();

    await page.reload();
    await app.openButton().waitFor();
    await app.upload([file]);
    await app.waitForCompletion(60_000);
    await page.getByRole('tab', { name: 'Promotion' }).click();
    await expect.poll(promotionGroups).toEqual(order);
    expect(await page.locator('.promotion-view').innerText()).toContain('in your order');
    await page.getByRole('tab', { name: 'Map' }).click();
    await expect.poll(() => mapNode(canary).locator('.badge-stage').innerText(), { timeout: 30_000 }).toBe('observe');
    expect(await mapNode(canary).locator('.badge-canary').count()).toBe(1);
    expect(await mapNode(second).locator('.badge-stage').innerText()).toBe('observe');
  });

  it('exports the staged work: nftables logs the observed groups, aws-sg leaves them open, and the page names them', async () => {
    await page.getByRole('tab', { name: 'Export' }).click();
    const rules = page.getByRole('region', { name: 'Rule sets' });
    await rules.getByRole('checkbox', { name: /^aws-sg / }).check();
    const download = page.waitForEvent('download');
    await rules.getByRole('button', { name: 'Save rule sets (.zip)' }).click();
    const stream = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const table = rules.getByRole('table', { name: 'Exported rule sets' });
    await table.waitFor({ timeout: 60_000 });
    const bundle = expected.ruleSets(['aws-sg', 'nftables'], false);
    // The page's decisions carry the time they were made (the engine in Node's carry AT), so the policy digests differ: compare what was exported.
    const report = JSON.parse(strFromU8(unzipSync(new Uint8Array(Buffer.concat(chunks)))['export-report.json']!)) as typeof bundle.report;
    expect(report.targets.map(({ target, rulesExported, rulesSkipped, stages }) => ({ target, rulesExported, rulesSkipped, stages }))).toEqual(
      bundle.report.targets.map(({ target, rulesExported, rulesSkipped, stages }) => ({ target, rulesExported, rulesSkipped, stages })),
    );
    const aws = bundle.report.targets.find((target) => target.target === 'aws-sg')!;
    expect(aws.stages?.leftOpen.map((entry) => entry.group).sort()).toEqual([canary, second].sort());
    expect(bundle.report.targets.find((target) => target.target === 'nftables')!.stages?.observed.length).toBe(2);
    expect(await table.innerText()).toContain('2 observed (logged)');
    expect(await table.innerText()).toContain('2 left open');
    const open = rules.getByRole('list', { name: 'Groups left open' });
    expect(await open.innerText()).toContain(`aws-sg ${canary} (observe)`);
    await rules.screenshot({ path: join(RESULTS, 'stages-rule-sets.png') });
  });

  it('made no request outside the local server, and the page logged no error', () => {
    expectOffline(session);
  });
});
