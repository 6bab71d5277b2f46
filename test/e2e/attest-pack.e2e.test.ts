import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { CHROMIUM, RESULTS } from './browser-session';

// An owner's attestation pack in a real browser: Debian's headless Chromium
// opens report.html from disk, under its own Content-Security-Policy, and
// prints it to PDF as an owner would. The page must ask for nothing (no
// request but the document), break no CSP rule, and print to several pages
// with the decision sheet on a page of its own.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources', 'demo');

describe('attestation pack in Chromium', () => {
  it('opens with no request and no CSP violation, and prints to PDF', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (or set FLOWFENCE_CHROMIUM)`);
    const work = await mkdtemp(join(tmpdir(), 'flowfence-pack-pdf-'));
    expect((await cli(['analyze', DEMO, '--out', join(work, 'analysis')])).code).toBe(0);
    const attested = await cli(['attest', '--policy', join(work, 'analysis', 'policy.json'), '--key', join(work, 'key.pem'), '--out', join(work, 'packs'), DEMO]);
    expect(attested.code, attested.stderr).toBe(0);
    const report = join(work, 'packs', 'billing-team@example.com', 'report.html');

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const context = await browser.newContext();
      const requests: string[] = [];
      await context.route('**/*', async (route) => {
        requests.push(route.request().url());
        return route.request().url().startsWith('file://') ? route.continue() : route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`file://${report}`);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('h1').textContent()).toBe('Attestation pack: billing-team@example.com');
      // The stylesheet applied (its hash is in the CSP): print hides nothing but uses the print rules.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.decision-sheet')!).breakBefore)).toBe('page');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(requests).toEqual([`file://${report}`]);
      expect(problems).toEqual([]);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(3);
      await mkdir(RESULTS, { recursive: true });
      await writeFile(join(RESULTS, 'attestation-pack.pdf'), pdf);
      expect((await readFile(report, 'utf8')).length).toBeGreaterThan(1000);
    } finally {
      await browser.close();
    }
  });
});
