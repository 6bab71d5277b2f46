import { posix, type PlatformPath } from 'node:path';
import { APP_HOST, APP_SCHEME } from '../shared/app-origin';

/**
 * Maps an `app://flowfence/…` URL to a file under the renderer build folder,
 * or null when the URL must not be served: another scheme or host, encoded
 * separators or NUL bytes, dot segments or anything that resolves outside
 * `root`. Pure (the path flavour is injected) so both POSIX and Windows rules
 * are tested; symbolic links are checked by the caller against the real disk.
 */
export function resolveAppFile(url: string, root: string, path: PlatformPath = posix): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') {
    return null;
  }
  const pathname = parsed.pathname === '/' || parsed.pathname === '' ? '/index.html' : parsed.pathname;
  // Percent-encoded slashes, backslashes and dots would be decoded after the
  // URL parser has already removed dot segments: refuse them outright.
  if (/%2f|%5c|%00|%2e/i.test(pathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment === '.' || segment === '..' || /^[a-z]:$/i.test(segment))) return null;

  const absoluteRoot = path.resolve(root);
  const candidate = path.resolve(absoluteRoot, ...segments);
  return isInside(candidate, absoluteRoot, path) ? candidate : null;
}

/** True when `candidate` is `root` itself's descendant (not root, not a sibling like root-evil). */
export function isInside(candidate: string, root: string, path: PlatformPath = posix): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
