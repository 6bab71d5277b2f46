import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import { SECURITY_HEADERS } from '../../src/shared/content-security-policy';
import { mimeTypeFor } from '../../src/shared/mime-types';

export interface StaticServer {
  readonly origin: string;
  /** Every path requested, in order (the test checks nothing unexpected was asked for). */
  readonly requested: readonly string[];
  close(): Promise<void>;
}

/**
 * Serves a folder on 127.0.0.1 with the app's own security headers (so the
 * page runs under the shipped Content-Security-Policy) and exact MIME types
 * (module workers and streaming WebAssembly compilation insist on them).
 */
export async function serveStatic(folder: string): Promise<StaticServer> {
  const root = await realpath(resolve(folder));
  const requested: string[] = [];
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    requested.push(pathname);
    const send = (status: number, text: string) => {
      response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'Method not allowed');
    const file = resolve(join(root, pathname === '/' ? 'index.html' : pathname));
    const inside = relative(root, file);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return send(404, 'Not found');
    stat(file).then(
      (info) => {
        if (!info.isFile()) return send(404, 'Not found');
        response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(file), 'Content-Length': info.size, 'Cache-Control': 'no-store' });
        if (request.method === 'HEAD') return response.end();
        createReadStream(file).pipe(response);
      },
      () => send(404, 'Not found'),
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requested,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
