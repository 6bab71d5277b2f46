import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Prints a self-contained HTML page to PDF with a Chromium-based browser
 * already on the machine (Chromium, Chrome, Edge), run headless: the CLI
 * runs under Node, where Electron's printToPDF is not available, and a
 * browser's own print path is the one an owner would use to print the
 * report. Nothing is downloaded: when no browser is found, there is no PDF.
 */

/** Where Chromium-based browsers install themselves, per platform, most specific first. */
function candidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') {
    return ['Google Chrome', 'Chromium', 'Microsoft Edge'].map((app) => `/Applications/${app}.app/Contents/MacOS/${app}`);
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => root !== undefined && root !== '');
    return roots.flatMap((root) => [join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'), join(root, 'Chromium', 'Application', 'chrome.exe')]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/snap/bin/chromium'];
}

/**
 * The browser to print with: FLOWFENCE_BROWSER when set (it must exist), else
 * the first installed of the usual places; null when there is none.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const chosen = env.FLOWFENCE_BROWSER;
  if (chosen !== undefined && chosen !== '') {
    if (!(await isExecutable(chosen))) throw new Error(`FLOWFENCE_BROWSER=${chosen}: no such program`);
    return chosen;
  }
  for (const path of candidates(env, platform)) if (await isExecutable(path)) return path;
  return null;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A page that takes longer than this to print has hung (a report prints in a few seconds). */
const PRINT_TIMEOUT_MS = 120_000;

/**
 * The page printed to PDF by `browser`. It runs with a fresh profile that is
 * removed afterwards, no background services, and every host name resolving
 * to nothing and every request sent to a proxy that refuses it, so the
 * print cannot reach the network even if the page tried
 * (the report's CSP already forbids it).
 */
export async function printHtmlToPdf(browser: string, html: string): Promise<Uint8Array> {
  const folder = await mkdtemp(join(tmpdir(), 'flowfence-print-'));
  try {
    const page = join(folder, 'report.html');
    const pdf = join(folder, 'report.pdf');
    await writeFile(page, html, 'utf8');
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-default-apps',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      // And an address written out: every request goes to a proxy on the discard port, which refuses it.
      '--proxy-server=127.0.0.1:9',
      `--user-data-dir=${join(folder, 'profile')}`,
      // Chromium's name for the flag since 2023, and the one before it: a browser ignores the one it does not know.
      '--no-pdf-header-footer',
      '--print-to-pdf-no-header',
      `--print-to-pdf=${pdf}`,
      // Chromium's sandbox refuses to start as root (containers, CI); elsewhere it stays on.
      ...(typeof process.getuid === 'function' && process.getuid() === 0 ? ['--no-sandbox'] : []),
      pathToFileURL(page).href,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(browser, args, { timeout: PRINT_TIMEOUT_MS, maxBuffer: 4 * 2 ** 20 }, (error, _stdout, stderr) => {
        if (error === null) resolve();
        else reject(new Error(`${browser} could not print the report: ${error.killed ? `no answer in ${PRINT_TIMEOUT_MS / 1000} s` : (String(stderr).trim().split('\n').pop() || error.message)}`));
      });
    });
    let bytes: Buffer;
    try {
      bytes = await readFile(pdf);
    } catch {
      throw new Error(`${browser} printed nothing (is it a Chromium-based browser?)`);
    }
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error(`${browser} wrote something that is not a PDF`);
    return new Uint8Array(bytes);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
