import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { APP_SCHEME } from '../shared/app-origin';
import { SECURITY_HEADERS } from '../shared/content-security-policy';
import { mimeTypeFor } from '../shared/mime-types';
import { isInside, resolveAppFile } from './resolve-app-file';

/**
 * Must run before the app is ready. `standard` gives the scheme real origins
 * and relative URLs, `secure` makes it a secure context, `supportFetchAPI`
 * lets the engine worker fetch its .wasm. CORS is left off: nothing else may
 * read these responses.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves the renderer build from `rendererRoot` on app://flowfence/. */
export function serveRenderer(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, (request) => respond(request, rendererRoot));
}

async function respond(request: Request, rendererRoot: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  const file = resolveAppFile(request.url, rendererRoot, path);
  if (file === null) return plain(404, 'Not found');
  try {
    // A symbolic link inside the build must not lead outside it.
    const [realFile, realRoot] = await Promise.all([realpath(file), realpath(rendererRoot)]);
    if (!isInside(realFile, realRoot, path)) return plain(404, 'Not found');
    const info = await stat(realFile);
    if (!info.isFile()) return plain(404, 'Not found');
    const headers = { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(realFile), 'Content-Length': String(info.size) };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    const body = Readable.toWeb(createReadStream(realFile)) as ReadableStream<Uint8Array>;
    return new Response(body, { status: 200, headers });
  } catch {
    return plain(404, 'Not found');
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
