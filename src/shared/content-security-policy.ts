/**
 * The page's Content-Security-Policy, sent as a response header by the
 * Electron protocol handler and by the end-to-end test's static server, so the
 * browser test runs under the same policy the app ships with.
 *
 * Everything comes from the app's own origin. `wasm-unsafe-eval` lets the
 * engine worker compile DuckDB's WebAssembly without allowing JavaScript eval;
 * `connect-src 'self'` is what the worker needs to load the .wasm file, and
 * nothing else can be fetched.
 */
export const CONTENT_SECURITY_POLICY_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

const serialise = (directives: readonly (readonly [string, readonly string[]])[]): string =>
  directives.map(([directive, sources]) => `${directive} ${sources.join(' ')}`).join('; ');

export const CONTENT_SECURITY_POLICY = serialise(Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES));

/**
 * The same policy for a <meta> tag in index.html, a second line of defence
 * should a host ever serve the page without the header. A <meta> policy
 * cannot carry frame-ancestors (browsers ignore it there, noisily).
 */
export const META_CONTENT_SECURITY_POLICY = serialise(
  Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES).filter(([directive]) => directive !== 'frame-ancestors'),
);

/** Headers every response of the app carries, whoever serves it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};
