import { APP_ORIGIN } from '../shared/app-origin';

/**
 * Which URLs the app's session may load. Everything the renderer needs is
 * served by the app:// handler; DevTools uses its own internal schemes. No
 * http(s), ws(s), file or ftp request is ever allowed, so the app cannot open
 * a network connection even if a page tried.
 */
const INTERNAL_PREFIXES = ['devtools://'] as const;

export function isAllowedRequestUrl(url: string): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`) || url === APP_ORIGIN) return true;
  // data: (inline images) and blob: (objects the page created itself) never leave the process.
  if (url.startsWith('data:') || url.startsWith(`blob:${APP_ORIGIN}/`)) return true;
  return INTERNAL_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/** IPC is only answered for the app's own top-level page, never a frame or another origin. */
export function isTrustedSenderUrl(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(`${APP_ORIGIN}/`);
}
