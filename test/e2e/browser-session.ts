import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { AppPage } from './app-page';
import { RENDERER_BUILD } from './build-app';
import { serveStatic, type StaticServer } from './static-server';

/**
 * The real app in a real browser: the production renderer build served from
 * 127.0.0.1 under the app's Content-Security-Policy, Debian's Chromium, the
 * engine worker with duckdb-wasm. Every request that is not to the local
 * server is aborted and recorded, and every page, console and worker error
 * is kept, so a suite can assert there were none.
 */
export const CHROMIUM = process.env.FLOWFENCE_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS = fileURLToPath(new URL('../../test-results', import.meta.url));

/**
 * Chromium has the File System Access save picker, which no test can click
 * through: this stand-in (an init script for openBrowserSession) keeps what
 * the page writes in window.__saved, so a test reads a saved workspace back
 * (the page's own code path, the picker excepted).
 */
export const SAVE_PICKER = `
  window.__saved = [];
  window.showSaveFilePicker = async (options) => ({
    name: options.suggestedName,
    createWritable: async () => {
      const parts = [];
      return { write: async (data) => { parts.push(new Uint8Array(data)); }, close: async () => { window.__saved.push(Array.from(parts.flatMap((part) => Array.from(part)))); } };
    },
  });
`;

export interface BrowserSession {
  readonly server: StaticServer;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly app: AppPage;
  readonly routed: string[];
  readonly refused: string[];
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** `initScript` runs in the page before its own scripts (to stand in for a browser API the test cannot drive, like a file picker). */
export async function openBrowserSession(viewport = { width: 1280, height: 860 }, initScript?: string): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (or set FLOWFENCE_CHROMIUM)`);
  await mkdir(RESULTS, { recursive: true });
  const server = await serveStatic(RENDERER_BUILD);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const routed: string[] = [];
  const refused: string[] = [];
  const pageErrors: string[] = [];
  const context = await browser.newContext({ viewport });
  // The network guard: the page (and its worker) may talk to the local server only.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    routed.push(url);
    if (url.startsWith(`${server.origin}/`)) return route.continue();
    refused.push(url);
    return route.abort('blockedbyclient');
  });
  if (initScript !== undefined) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  // The engine worker's console too (a CSP violation there is logged in the worker).
  page.on('worker', (worker) =>
    worker.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`worker console: ${message.text()}`);
    }),
  );
  await page.goto(`${server.origin}/index.html`);
  return {
    server,
    browser,
    context,
    page,
    app: new AppPage(page),
    routed,
    refused,
    pageErrors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** No request left the local server (the guard saw the worker's own .wasm fetch, so it covers the worker), and nothing logged an error. */
export function expectOffline(session: BrowserSession): void {
  expect(session.refused).toEqual([]);
  expect(session.routed.some((url) => url.endsWith('.wasm'))).toBe(true);
  expect(session.server.requested.every((path) => path === '/index.html' || path.startsWith('/assets/'))).toBe(true);
  expect(session.pageErrors).toEqual([]);
}
