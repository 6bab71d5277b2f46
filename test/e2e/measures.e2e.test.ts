import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotOfWorkbench } from '../../src/core/measures/measure-snapshot';
import { measuresOf } from '../../src/core/measures/measures-of';
import { isAvailable, type Measures } from '../../src/core/measures/measures-model';
import type { Workbench } from '../../src/core/workbench/workbench';
import { formatCount } from '../../src/renderer/format/numbers';
import type { AppPage } from './app-page';
import { expectOffline, openBrowserSession, RESULTS, type BrowserSession } from './browser-session';
import { realInputs } from './input-sets';
import { workbenchWithNode } from './node-analysis';

/**
 * The Measures view in the real app: the figures the page shows are the
 * engine's in Node on the same files, every measure has a chart drawn
 * offline, and accepting an anomaly is measured again (one fewer open).
 */
let session: BrowserSession;
let page: Page;
let app: AppPage;
let paths: readonly string[];
let expected: Workbench;

beforeAll(async () => {
  session = await openBrowserSession({ width: 1440, height: 900 });
  ({ page, app } = session);
  paths = (await realInputs()).paths;
  ({ workbench: expected } = await workbenchWithNode(paths));
});

afterAll(async () => {
  await session?.close();
});

const pairs = (measures: Measures): string[] => {
  if (!isAvailable(measures.reachablePairs)) throw new Error('the demo has flows');
  const { flat, currentStage, fullEnforcement } = measures.reachablePairs;
  return [flat, currentStage, fullEnforcement].map(formatCount);
};

describe('the Measures view in Chromium', () => {
  it('shows the engine\'s measures with a chart of each, drawn offline, and measures again after an edit', async () => {
    await app.upload(paths);
    await app.waitForCompletion(120_000);
    await page.getByRole('tab', { name: 'Measures' }).click();
    const view = page.getByRole('region', { name: 'Measures of success' });
    await view.waitFor({ timeout: 30_000 });
    const wanted = measuresOf(snapshotOfWorkbench('this work', expected));
    const shown = await Promise.all([0, 1, 2].map((index) => view.locator(`[data-figure="Host pairs reachable-${index}"]`).innerText()));
    expect(shown).toEqual(pairs(wanted));
    expect(await view.locator('figure.measure-chart svg').count()).toBe(7);
    expect(await view.locator('[data-figure="anomalies"]').innerText()).toContain(`${formatCount(isAvailable(wanted.anomalies) ? wanted.anomalies.open : -1)} still open`);
    await page.screenshot({ path: join(RESULTS, 'measures-view.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Anomalies' }).click();
    await page.getByRole('button', { name: 'accept anomaly 1 as legitimate' }).click();
    await page.getByRole('textbox', { name: 'reason' }).fill('the quarterly scan');
    await page.getByRole('textbox', { name: 'reason' }).press('Enter');
    await page.locator('[data-anomaly="0"]').filter({ hasText: 'Accepted: the quarterly scan' }).waitFor({ timeout: 30_000 });
    expected.edit({ kind: 'anomaly', anomaly: 0, accepted: true, reason: 'the quarterly scan' });
    const after = measuresOf(snapshotOfWorkbench('this work', expected));
    expect(isAvailable(after.anomalies) && isAvailable(wanted.anomalies) ? after.anomalies.open : null).toBe(isAvailable(wanted.anomalies) ? wanted.anomalies.open - 1 : -1);
    await page.getByRole('tab', { name: 'Measures' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Measures of success' }).locator('[data-figure="anomalies"]').innerText(), { timeout: 30_000 })
      .toContain(`${formatCount(isAvailable(after.anomalies) ? after.anomalies.open : -1)} still open`);
    expectOffline(session);
  });
});
