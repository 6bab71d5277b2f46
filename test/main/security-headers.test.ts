import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_DIRECTIVES, META_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../src/shared/content-security-policy';
import { FALLBACK_MIME_TYPE, mimeTypeFor } from '../../src/shared/mime-types';

const directive = (name: string): string | undefined => CONTENT_SECURITY_POLICY.split('; ').find((part) => part.startsWith(`${name} `));

describe('the Content-Security-Policy the app serves', () => {
  it('denies by default and allows only its own origin', () => {
    expect(directive('default-src')).toBe("default-src 'none'");
    for (const [name, sources] of Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES)) {
      for (const source of sources) expect(["'none'", "'self'", "'wasm-unsafe-eval'", 'data:'], `${name} ${source}`).toContain(source);
    }
  });

  it('lets WebAssembly compile without allowing JavaScript eval or inline script', () => {
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
  });

  it('forbids framing, plugins, base rewriting and form posts', () => {
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('base-uri')).toBe("base-uri 'none'");
    expect(directive('form-action')).toBe("form-action 'none'");
  });

  it('has a <meta> twin that differs only by what a <meta> cannot carry', () => {
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY.replace(/; frame-ancestors [^;]+/, '')).toBe(META_CONTENT_SECURITY_POLICY);
  });

  it('is sent with nosniff and same-origin isolation headers', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(SECURITY_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });
});

describe('mimeTypeFor', () => {
  it('gives module scripts and WebAssembly the types browsers insist on', () => {
    expect(mimeTypeFor('assets/worker-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('assets/duckdb-eh-123.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('assets/INDEX.CSS')).toBe('text/css; charset=utf-8');
  });

  it('serves anything unknown as opaque bytes', () => {
    expect(mimeTypeFor('notes')).toBe(FALLBACK_MIME_TYPE);
    expect(mimeTypeFor('archive.tar.zst')).toBe(FALLBACK_MIME_TYPE);
  });
});
