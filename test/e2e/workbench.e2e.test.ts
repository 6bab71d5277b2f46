import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileChooser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/core/analyze';
import { membersOf } from '../../src/core/policy/whatif/grouping-state';
import { Workbench, type WorkbenchStep } from '../../src/core/workbench/workbench';
import { readWorkspace } from '../../src/core/workspace/workspace-file';
import { unzipSync } from 'fflate';
import { formatCount } from '../../src/renderer/format/numbers';
import type { AppPage } from './app-page';
import { expectOffline, openBrowserSession, RESULTS, SAVE_PICKER, type BrowserSession } from './browser-session';
import { realInputs } from './input-sets';
import { workbenchWithNode } from './node-analysis';

/**
 * The analyst's path through the workbench on the demo, in the real app:
 * expand a group, drag a host into another and see the rule diff and the
 * replay change, undo it, approve and reject rules with reasons, accept an
 * anomaly, move the cut, export. Every figure the page shows after an edit
 * is checked against the same edits replayed on the engine in Node. Then
 * the path again by keyboard alone.
 */
let session: BrowserSession;
let page: Page;
let app: AppPage;
let paths: readonly string[];
let analysis: Analysis;
/** The engine in Node, edited in step with the page. */
let expected: Workbench;
let fixtures: string;


beforeAll(async () => {
  session = await openBrowserSession({ width: 1440, height: 900 }, SAVE_PICKER);
  ({ page, app } = session);
  paths = (await realInputs()).paths;
  ({ analysis, workbench: expected } = await workbenchWithNode(paths));
  fixtures = await mkdtemp(join(tmpdir(), 'flowfence-workbench-'));
});

afterAll(async () => {
  await session?.close();
  if (fixtures !== undefined) await rm(fixtures, { recursive: true, force: true });
});

/** The change panel's figures for a step, as the page formats them. */
function figures(step: WorkbenchStep) {
  return {
    rules: `Rules: ${formatCount(step.rules.added.length)} added, ${formatCount(step.rules.removed.length)} removed, ${formatCount(step.rules.changed.length)} changed`,
    escaped: `Newly blocked: ${formatCount(step.newlyEscaped.edges)} edges (${formatCount(step.newlyEscaped.flows)} flows)`,
  };
}

async function expectStep(step: WorkbenchStep): Promise<void> {
  const panel = page.locator('.change-last');
  await expect.poll(() => panel.locator('.change-title').innerText(), { timeout: 30_000 }).toBe(step.description);
  const wanted = figures(step);
  expect(await panel.locator('[data-figure="rules"]').innerText()).toBe(wanted.rules);
  expect(await panel.locator('[data-figure="escaped"]').innerText()).toBe(wanted.escaped);
}

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe('the workbench in Chromium', () => {
  it('regroups by dragging a host, shows what changed, and undoes it', async () => {
    await app.upload(paths);
    await app.waitForCompletion(120_000);
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator('.react-flow__node').first().waitFor({ timeout: 30_000 });

    // A group with several members, and another application group to move one into.
    const members = membersOf(expected.state.grouping);
    const policyGroups = analysis.policy.policy.groups;
    const source = policyGroups.find((group) => group.kind === 'application' && group.members.length >= 2)!;
    const target = policyGroups.find((group) => group.kind === 'application' && group.id !== source.id)!;
    const ip = members.get(source.id)![0]!;
    const sourceNode = page.locator(`.react-flow__node[data-id="${source.id}"]`);
    await sourceNode.dblclick();
    const host = page.locator(`.react-flow__node[data-id="host:${ip}"]`);
    await host.waitFor({ timeout: 10_000 });
    expect(await page.locator('.react-flow__node.map-host').count()).toBe(source.members.length);
    await page.screenshot({ path: join(RESULTS, 'workbench-expanded.png') });

    const coverageBefore = await page.locator('[data-figure="coverage"]').innerText();
    const from = await center(host);
    const to = await center(page.locator(`.react-flow__node[data-id="${target.id}"]`));
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    const moved = expected.edit({ kind: 'group', op: { op: 'move', ip, to: target.id } });
    await expectStep(moved);
    expect(await page.locator('[data-figure="coverage"]').innerText()).toContain(`${formatCount(expected.view().simulation.escapedEdges)} edges would break`);
    expect(moved.rules.added.length + moved.rules.removed.length).toBeGreaterThan(0);
    // The inspector of the target group lists the host, with the reason it is there now.
    await page.locator(`.react-flow__node[data-id="${target.id}"]`).click();
    const inspector = page.getByRole('complementary', { name: /Group inspector/ });
    await expect.poll(() => inspector.locator(`[data-host="${ip}"]`).innerText()).toContain('Placed here by the analyst');
    await page.getByRole('button', { name: 'Show rules' }).click();
    await page.screenshot({ path: join(RESULTS, 'workbench-moved.png') });

    await page.locator('body').press('Control+z');
    await expectStep({ ...expected.undo()!, description: `Undid: ${moved.description}` });
    expect(await page.locator('[data-figure="coverage"]').innerText()).toBe(coverageBefore);
  });

  it('approves and rejects rules with reasons, accepts an anomaly and moves the cut, each matching the engine', async () => {
    await page.getByRole('tab', { name: 'Rules' }).click();
    const rules = expected.view().policy.rules;
    const approve = rules[0]!;
    // The cut moved below regroups hosts, and a decision lasts while its rule does: the rule rejected here is one the
    // same cut keeps (found on a scratch copy of the work), so the export and the reopened work still show it.
    const clusters = Math.max(2, analysis.summary.clustering.clusters - 5);
    const scratch = Workbench.of(analysis);
    scratch.edit({ kind: 'group', op: { op: 'cut', clusters } });
    const keptByCut = new Set(scratch.view().policy.rules.map((rule) => rule.id));
    const reject = rules.find((rule) => rule.jit === null && rule.window === null && rule.evidence.flows > 0 && rule.id !== approve.id && keptByCut.has(rule.id))!;
    expect(reject).toBeDefined();

    await page.getByRole('button', { name: `approve ${approve.id}`, exact: true }).click();
    const reason = page.getByRole('textbox', { name: 'reason' });
    // No reason, no decision.
    expect(await page.getByRole('button', { name: 'Approve', exact: true }).isDisabled()).toBe(true);
    await reason.fill('owner confirmed in the review');
    await reason.press('Enter');
    await expectStep(expected.edit({ kind: 'rules', rules: [approve.id], decision: 'approved', reason: 'owner confirmed in the review' }));
    expect(await page.locator(`[data-rule="${approve.id}"] td`).nth(4).innerText()).toBe('approved');

    await page.getByRole('button', { name: `reject ${reject.id}`, exact: true }).click();
    await page.getByRole('textbox', { name: 'reason' }).fill('not needed after the migration');
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    const rejected = expected.edit({ kind: 'rules', rules: [reject.id], decision: 'rejected', reason: 'not needed after the migration' });
    await expectStep(rejected);
    expect(rejected.newlyEscaped.edges).toBeGreaterThan(0);

    await page.getByRole('tab', { name: 'Anomalies' }).click();
    await page.getByRole('button', { name: 'accept anomaly 1 as legitimate' }).click();
    await page.getByRole('textbox', { name: 'reason' }).fill('the quarterly vulnerability scan');
    await page.getByRole('textbox', { name: 'reason' }).press('Enter');
    await expectStep(expected.edit({ kind: 'anomaly', anomaly: 0, accepted: true, reason: 'the quarterly vulnerability scan' }));
    expect(await page.locator('[data-anomaly="0"]').innerText()).toContain('Accepted: the quarterly vulnerability scan');

    await page.getByRole('tab', { name: 'Map' }).click();
    const slider = page.getByRole('slider');
    await slider.fill(String(clusters));
    await slider.press('Enter');
    await expectStep(expected.edit({ kind: 'group', op: { op: 'cut', clusters } }));
    await expect.poll(() => page.locator('.react-flow__node.map-node').count()).toBe(expected.view().policy.groups.length);
    await page.screenshot({ path: join(RESULTS, 'workbench-cut.png') });
    // The Tree view draws discovery's tree with the cut across it.
    await page.getByRole('tab', { name: 'Tree' }).click();
    // A horizontal line has no height, so Playwright calls it hidden: it is waited for as present.
    await page.locator('[data-figure="cut"]').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await page.locator('.tree-leaf').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(RESULTS, 'workbench-tree.png') });

    await page.getByRole('tab', { name: 'Replay' }).click();
    expect(await page.locator('[data-verdict="escaped"]').innerText()).toContain(formatCount(expected.view().simulation.escapedEdges));
    await page.screenshot({ path: join(RESULTS, 'workbench-replay.png') });
  });

  it('pages every replayed edge in the Traffic view, with the verdicts of the current work', async () => {
    await page.getByRole('tab', { name: 'Traffic' }).click();
    const status = page.locator('.traffic .table-count');
    const replayed = expected.replay.length;
    await expect.poll(() => status.innerText()).toBe(`Edges 1–${formatCount(Math.min(100, replayed))} of ${formatCount(replayed)}`);
    await page.getByRole('combobox', { name: 'Verdict' }).selectOption('blocked');
    await expect.poll(() => status.innerText()).toContain(`of ${formatCount(expected.view().simulation.escapedEdges)}`);
    await page.getByRole('button', { name: 'Flows' }).click();
    await page.screenshot({ path: join(RESULTS, 'workbench-traffic.png') });
  });

  it('checks exports against the policy as the work has it in the Drift view, and the traffic still pages after', async () => {
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByLabel('Newer flow exports').setInputFiles([...paths]);
    await page.locator('[data-figure="drift"]').waitFor({ timeout: 120_000 });
    // The same flows as the analysis: what the policy would block is the replay's.
    expect(await page.locator('[data-figure="drift"]').innerText()).toContain(`${formatCount(expected.view().simulation.escapedEdges)} edges the policy would block`);
    await page.screenshot({ path: join(RESULTS, 'workbench-drift.png') });
    // The check used a database of its own: the Traffic table is built again from the work.
    await page.getByRole('tab', { name: 'Traffic' }).click();
    await expect.poll(() => page.locator('.traffic .table-count').innerText()).toContain(`of ${formatCount(expected.replay.length)}`);
    // The result is still there when the analyst comes back.
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.locator('[data-figure="drift"]').waitFor();
  });

  it('exports the policy as the edits left it, byte for byte what the engine writes', async () => {
    await page.getByRole('tab', { name: 'Export' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save policy.json' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('policy.json');
    const text = await streamText(await file.createReadStream());
    expect(text).toBe(expected.exports().find((entry) => entry.name === 'policy.json')!.text);
    expect(JSON.parse(text).rules.find((rule: { state: string }) => rule.state === 'rejected')).toBeDefined();
  });

  it('compiles the policy as the edits left it into enforcement points\' rule sets, byte for byte what the engine writes, and lists what they could not express', async () => {
    await page.getByRole('tab', { name: 'Export' }).click();
    const rules = page.getByRole('region', { name: 'Rule sets' });
    // The demo has no Kubernetes pods: the pod targets are not offered, and the page says how to get them.
    expect(await rules.getByRole('checkbox', { name: /^k8s / }).count()).toBe(0);
    expect(await rules.innerText()).toContain('this analysis knew no Kubernetes pods');
    await rules.getByRole('checkbox', { name: /^gcp / }).check();
    const download = page.waitForEvent('download');
    await rules.getByRole('button', { name: 'Save rule sets (.zip)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('flowfence-rule-sets.zip');
    const bytes = await streamBytes(await file.createReadStream());
    expect(Buffer.from(bytes).equals(Buffer.from(expected.ruleSets(['gcp', 'nftables'], false).bytes))).toBe(true);
    const names = Object.keys(unzipSync(bytes));
    expect(names).toContain('gcp/firewall.tf');
    expect(names).toContain('export-notes.csv');
    expect(names.filter((name) => name.startsWith('nftables/')).length).toBeGreaterThan(10);
    const table = rules.getByRole('table', { name: 'Exported rule sets' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    expect(await rules.innerText()).toMatch(/not expressible as asked/);
    await page.screenshot({ path: join(RESULTS, 'workbench-rule-sets.png') });
  });

  it('saves the workspace, and after a reload opens it to the same state, with undo and redo still there', async () => {
    const coverage = await page.locator('[data-figure="coverage"]').innerText();
    const undoLabel = await page.locator('.change-actions button').first().innerText();
    await page.getByRole('button', { name: 'Save workspace…' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the workspace as' }).waitFor();
    const saved = await savedWorkspace(page);
    const content = readWorkspace(saved);
    expect(content.log).toEqual(expected.log());
    const file = join(fixtures, 'saved.flowfence');
    await writeFile(file, saved);

    await page.reload();
    await app.openButton().waitFor();
    await app.upload([file]);
    await app.waitForCompletion(60_000);
    expect(await page.locator('[data-figure="coverage"]').innerText()).toBe(coverage);
    expect(await page.locator('.change-actions button').first().innerText()).toBe(undoLabel);
    await page.getByRole('tab', { name: 'Anomalies' }).click();
    expect(await page.locator('[data-anomaly="0"]').innerText()).toContain('Accepted: the quarterly vulnerability scan');
    await page.getByRole('tab', { name: 'Rules' }).click();
    expect(await page.locator('.rules tbody tr.rule-rejected').count()).toBe(1);
    await page.screenshot({ path: join(RESULTS, 'workbench-reopened.png') });

    // The history came back too: undo takes back the cut, redo makes it again.
    await page.locator('body').press('Control+z');
    await expectStep({ ...expected.undo()!, description: `Undid: ${undoLabel.replace(/^Undo: /, '')}` });
    await page.locator('body').press('Control+Shift+Z');
    await expectStep({ ...expected.redo()!, description: `Redid: ${undoLabel.replace(/^Undo: /, '')}` });
  });

  it('does the whole path by keyboard alone: open, find a group, move a host, undo, approve a rule, accept an anomaly, save', async () => {
    await page.reload();
    await app.openButton().waitFor();
    await (await chooserByKeyboard()).setFiles([...paths]);
    await app.waitForCompletion(120_000);
    const fresh = (await workbenchWithNode(paths)).workbench;

    // The views' tabs: Tab reaches the selected one, the arrow keys move along them.
    await tabTo(page.getByRole('tab', { name: 'Inputs' }));
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Map' }).getAttribute('aria-selected')).toBe('true');
    const group = fresh.view().policy.groups.find((entry) => entry.kind === 'application' && entry.members.length >= 2)!;
    const target = fresh.view().policy.groups.find((entry) => entry.kind === 'application' && entry.id !== group.id)!;
    await tabTo(page.getByRole('searchbox', { name: 'Search' }));
    await page.keyboard.type(group.members[0]!);
    await page.keyboard.press('Enter');
    const inspector = page.getByRole('complementary', { name: `Group inspector: ${group.name}` });
    await inspector.waitFor();
    const ip = group.members[0]!;
    await tabTo(inspector.getByRole('combobox', { name: `move ${ip} to another group` }));
    await page.keyboard.press('ArrowDown');
    const firstChoice = fresh.view().policy.groups.filter((entry) => entry.kind !== 'external' && entry.kind !== 'all-internal' && entry.id !== group.id)[0]!;
    const moved = fresh.edit({ kind: 'group', op: { op: 'move', ip, to: firstChoice.id } });
    await expectStep(moved);
    expect(target).toBeDefined();
    await page.keyboard.press('Escape');
    await tabTo(page.getByRole('button', { name: /^Undo: / }));
    await page.keyboard.press('Enter');
    await expectStep({ ...fresh.undo()!, description: `Undid: ${moved.description}` });

    await tabTo(page.getByRole('tab', { name: 'Map' }));
    await page.keyboard.press('ArrowRight');
    const rule = fresh.view().policy.rules[0]!;
    await tabTo(page.getByRole('button', { name: `approve ${rule.id}`, exact: true }));
    await page.keyboard.press('Enter');
    await page.keyboard.type('approved at the review, by keyboard');
    await page.keyboard.press('Enter');
    await expectStep(fresh.edit({ kind: 'rules', rules: [rule.id], decision: 'approved', reason: 'approved at the review, by keyboard' }));

    await tabTo(page.getByRole('tab', { name: 'Rules' }));
    for (const _tab of ['Tree', 'Replay', 'Anomalies']) await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Anomalies' }).getAttribute('aria-selected')).toBe('true');
    await tabTo(page.getByRole('button', { name: 'accept anomaly 1 as legitimate' }));
    await page.keyboard.press('Enter');
    await page.keyboard.type('scanner, by keyboard');
    await page.keyboard.press('Enter');
    await expectStep(fresh.edit({ kind: 'anomaly', anomaly: 0, accepted: true, reason: 'scanner, by keyboard' }));

    const before = (await page.evaluate(() => (window as unknown as { __saved: number[][] }).__saved.length)) as number;
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __saved: number[][] }).__saved.length)).toBe(before + 1);
    expect(readWorkspace(await savedWorkspace(page)).log).toEqual(fresh.log());
    await page.screenshot({ path: join(RESULTS, 'workbench-keyboard.png') });
  });

  it('analyses the same files again with a hold-out split picked in the Replay view, as the CLI would', async () => {
    await page.getByRole('tab', { name: 'Replay' }).click();
    await page.getByLabel('Learn from flows before (UTC)').fill('2026-01-05T16:00');
    await page.getByRole('button', { name: 'Analyse again with this hold-out' }).click();
    await app.waitForCompletion(120_000);
    const held = await workbenchWithNode(paths, Date.parse('2026-01-05T16:00:00Z'));
    const holdout = held.analysis.summary.holdout!;
    await page.getByRole('tab', { name: 'Replay' }).click();
    const row = page.getByRole('row', { name: /Known-service edges that would break/ });
    expect(await row.innerText()).toContain(`${formatCount(holdout.escapedEdges)} of ${formatCount(holdout.replayedEdges)}`);
    await page.screenshot({ path: join(RESULTS, 'workbench-holdout.png') });
  });

  it('made no request outside the local server, and the page logged no error', () => {
    expectOffline(session);
  });
});

/**
 * Presses Tab (or Shift+Tab, when the target comes before the focus in the
 * page) until `target` has the focus: it must be reachable by keyboard
 * within `limit` presses.
 */
async function tabTo(target: Locator, limit = 400): Promise<void> {
  const handle = await target.elementHandle({ timeout: 10_000 });
  const before = await page.evaluate((element) => {
    const focused = document.activeElement;
    return focused !== null && focused !== document.body && (element!.compareDocumentPosition(focused) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  }, handle);
  for (let press = 0; press < limit; press++) {
    if (await page.evaluate((element) => document.activeElement === element, handle)) return;
    await page.keyboard.press(before ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`not reached by ${limit} presses of Tab: ${String(target)}`);
}

/**
 * Ctrl+O opens the file dialog. Just after a reload the page may not have
 * bound its shortcuts yet (effects run after the first paint), so the key
 * is pressed again if no dialog came.
 */
async function chooserByKeyboard(): Promise<FileChooser> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const chooser = page.waitForEvent('filechooser', { timeout: 3_000 }).catch(() => null);
    await page.keyboard.press('Control+o');
    const found = await chooser;
    if (found !== null) return found;
  }
  throw new Error('Ctrl+O opened no file dialog');
}

/** The last workspace the page saved through the stand-in save picker. */
async function savedWorkspace(page: Page): Promise<Uint8Array> {
  const bytes = await page.evaluate(() => (window as unknown as { __saved: number[][] }).__saved.at(-1));
  if (bytes === undefined) throw new Error('the page saved no workspace');
  return new Uint8Array(bytes);
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  return Buffer.from(await streamBytes(stream)).toString('utf8');
}

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}
