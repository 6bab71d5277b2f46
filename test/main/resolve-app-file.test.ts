import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, resolveAppFile } from '../../src/main/resolve-app-file';

const ROOT = '/opt/flowfence/dist/renderer';

describe('resolveAppFile', () => {
  it('maps app://flowfence/ paths into the renderer build', () => {
    expect(resolveAppFile('app://flowfence/index.html', ROOT)).toBe(`${ROOT}/index.html`);
    expect(resolveAppFile('app://flowfence/assets/worker-abc.js', ROOT)).toBe(`${ROOT}/assets/worker-abc.js`);
    expect(resolveAppFile('app://flowfence/assets/duckdb-eh.wasm?v=1#x', ROOT)).toBe(`${ROOT}/assets/duckdb-eh.wasm`);
  });

  it('serves index.html for the bare origin', () => {
    expect(resolveAppFile('app://flowfence/', ROOT)).toBe(`${ROOT}/index.html`);
    expect(resolveAppFile('app://flowfence', ROOT)).toBe(`${ROOT}/index.html`);
  });

  it('decodes ordinary percent-escapes', () => {
    expect(resolveAppFile('app://flowfence/assets/a%20b.js', ROOT)).toBe(`${ROOT}/assets/a b.js`);
  });

  it('refuses other schemes, hosts, credentials and ports', () => {
    for (const url of [
      'file:///etc/passwd',
      'https://flowfence/index.html',
      'app://evil/index.html',
      'app://user:pw@flowfence/index.html',
      'app://flowfence:8080/index.html',
      'not a url',
    ]) {
      expect(resolveAppFile(url, ROOT), url).toBeNull();
    }
  });

  it('never leaves the build folder, whatever the encoding', () => {
    // The URL parser folds literal and %2e dot segments at the root (they stay inside);
    // encoded separators, NUL and broken escapes are refused.
    const cases: [string, string | null][] = [
      ['app://flowfence/../../etc/passwd', `${ROOT}/etc/passwd`],
      ['app://flowfence/assets/../../secret', `${ROOT}/secret`],
      ['app://flowfence/%2e%2e/%2e%2e/etc/passwd', `${ROOT}/etc/passwd`],
      ['app://flowfence/..%2f..%2fetc/passwd', null],
      ['app://flowfence/..%5c..%5cwindows', null],
      ['app://flowfence/assets%2f..%2f..%2fsecret', null],
      ['app://flowfence/assets\\..\\..\\secret', null],
      ['app://flowfence/index.html%00.png', null],
      ['app://flowfence/%E0%A4%A', null],
    ];
    for (const [url, expected] of cases) {
      const resolved = resolveAppFile(url, ROOT);
      expect(resolved, url).toBe(expected);
      if (resolved !== null) expect(isInside(resolved, ROOT), `${url} → ${resolved}`).toBe(true);
    }
  });

  it('applies Windows path rules on Windows', () => {
    const root = 'C:\\Program Files\\Flowfence\\resources\\renderer';
    expect(resolveAppFile('app://flowfence/assets/index.js', root, win32)).toBe(`${root}\\assets\\index.js`);
    expect(resolveAppFile('app://flowfence/C:/Windows/win.ini', root, win32)).toBeNull();
    expect(resolveAppFile('app://flowfence/..%5c..%5cWindows', root, win32)).toBeNull();
  });
});

describe('isInside', () => {
  it('accepts descendants only: not the root itself, not a sibling sharing its prefix', () => {
    expect(isInside('/srv/app/a.js', '/srv/app', posix)).toBe(true);
    expect(isInside('/srv/app', '/srv/app', posix)).toBe(false);
    expect(isInside('/srv/app-evil/a.js', '/srv/app', posix)).toBe(false);
    expect(isInside('/srv/a.js', '/srv/app', posix)).toBe(false);
    expect(isInside('D:\\x.js', 'C:\\app', win32)).toBe(false);
  });
});
