import { describe, expect, it } from 'vitest';
import { isAllowedRequestUrl, isTrustedSenderUrl } from '../../src/main/request-policy';

describe('isAllowedRequestUrl', () => {
  it("allows the app's own files and in-process URLs", () => {
    expect(isAllowedRequestUrl('app://flowfence/index.html')).toBe(true);
    expect(isAllowedRequestUrl('app://flowfence/assets/duckdb-eh.wasm')).toBe(true);
    expect(isAllowedRequestUrl('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequestUrl('blob:app://flowfence/6c1b0e8e-1f0a-4c43-9d3a-3f5d2f6c8a11')).toBe(true);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/inspector.html')).toBe(true);
  });

  it('refuses every network, file and foreign URL', () => {
    for (const url of [
      'https://cdn.jsdelivr.net/npm/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm',
      'http://127.0.0.1:8080/',
      'ws://localhost:5173/',
      'wss://example.com/',
      'ftp://example.com/file',
      'file:///etc/passwd',
      'app://flowfence.evil/index.html',
      'app://flowfencex/index.html',
      'blob:https://example.com/1234',
      'chrome-extension://abc/script.js',
    ]) {
      expect(isAllowedRequestUrl(url), url).toBe(false);
    }
  });
});

describe('isTrustedSenderUrl', () => {
  it("trusts only the app's own page", () => {
    expect(isTrustedSenderUrl('app://flowfence/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://flowfence.evil/index.html')).toBe(false);
    expect(isTrustedSenderUrl('https://flowfence/index.html')).toBe(false);
    expect(isTrustedSenderUrl('file:///index.html')).toBe(false);
    expect(isTrustedSenderUrl(undefined)).toBe(false);
  });
});
