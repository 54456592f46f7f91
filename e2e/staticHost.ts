// A tiny static web server for the specs that host the built app as someone else would: a folder
// (dist/, a site generator's output) served under a sub-path of its own, on port 0, with the content
// types a browser insists on for modules, workers and manifests. It can be stopped mid-test (the
// offline spec), dropping every open connection so the browser sees the host gone at once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticHost {
  origin: string;
  /** Serves `folder` under `path` (e.g. "/courses/tdi/lab/"); returns that sub-path's full address. */
  mount(path: string, folder: string): string;
  /** Serves `html` at `path`; returns its full address. */
  page(path: string, html: string): string;
  /** Every file request answered so far (paths), for specs that check what was fetched. */
  readonly served: string[];
  close(): Promise<void>;
}

export async function startStaticHost(host = '127.0.0.1'): Promise<StaticHost> {
  const mounts: { path: string; folder: string }[] = [];
  const pages = new Map<string, string>();
  const served: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    served.push(path);
    const html = pages.get(path);
    if (html !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html']! });
      res.end(html);
      return;
    }
    const mount = mounts.find((m) => path.startsWith(m.path));
    let file = mount ? normalize(join(mount.folder, path.slice(mount.path.length))) : null;
    if (file && mount && !file.startsWith(mount.folder)) file = null; // no way out of the folder
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    served,
    mount(path, folder) {
      mounts.push({ path, folder: resolve(folder) });
      return origin + path;
    },
    page(path, html) {
      pages.set(path, html);
      return origin + path;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const s of sockets) s.destroy();
      }),
  };
}
