// A small static server for dist/: SPA fallback to index.html, optional sub-path, and the strict
// Content-Security-Policy the dashboard is built to run under.
//   node e2e/serve.mjs DIR [ADDRESS] [PORT] [BASE]      (BASE like /omnikpi/)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ndjson': 'application/x-ndjson', '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.arrow': 'application/vnd.apache.arrow.file',
};

/** Starts a server on `address:port` (port 0: any free one); resolves to { server, url }.
 *  Paths without a file behind them and without an extension get `fallback` (the SPA's page).
 *  `handler(req, res, path)`, when given, may answer a request itself (and return true) first. */
export function serve(dir, { address = '127.0.0.1', port = 0, base = '/', csp = CSP, fallback = 'index.html', handler } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (handler && await handler(req, res, path)) return;
    if (!path.startsWith(base)) { res.writeHead(404); res.end('not found'); return; }
    path = '/' + path.slice(base.length);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    try {
      if ((await stat(file)).isDirectory()) {
        file = join(file, 'index.html');
        // A route named like a static folder (/data next to data/): the app, unless the folder has its own page.
        await stat(file).catch(() => { file = join(root, 'index.html'); });
      }
    } catch {
      // SPA fallback: unknown paths without a file extension get the app.
      if (extname(path) === '') file = join(root, fallback);
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp, 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, address, () => {
    const a = server.address();
    ok({ server, url: `http://${address}:${a.port}${base}` });
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = 'dist', address = '127.0.0.1', port = '8080', base = '/'] = process.argv.slice(2);
  serve(dir, { address, port: Number(port), base }).then(({ url }) => console.log(`omnikpi at ${url}`));
}
