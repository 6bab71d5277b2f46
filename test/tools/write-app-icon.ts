/**
 * Renders resources/icon.svg to resources/icon.png (1024 × 1024), the one
 * image electron-builder makes every platform's icon from (the .icns, the
 * .ico, the Linux sizes): `npx tsx test/tools/write-app-icon.ts`.
 * Drawn by Debian's Chromium, the browser the e2e tests already use.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const svgPath = fileURLToPath(new URL('../../resources/icon.svg', import.meta.url));
const pngPath = fileURLToPath(new URL('../../resources/icon.png', import.meta.url));
const svg = await readFile(svgPath, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  await writeFile(pngPath, png);
  console.log(`wrote ${pngPath} (${png.length} bytes)`);
} finally {
  await browser.close();
}
