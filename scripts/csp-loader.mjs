// Trunk post-build hook: moves the inline module script Trunk writes into index.html into a
// file of its own, so the page runs under `script-src 'self' 'wasm-unsafe-eval'` (no inline script).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('csp-loader: TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const re = /<script type="module"(?:\s+nonce="[^"]*")?>([\s\S]*?)<\/script>/g;
let count = 0;
html = html.replace(re, (_, body) => {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const name = `loader-${hash}.js`;
  writeFileSync(join(dir, name), body);
  count += 1;
  return `<script type="module" src="${name}"></script>`;
});
if (count === 0 && /<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  throw new Error('csp-loader: found an inline script it does not know how to move');
}
// Workers' loader scripts carry a content hash; tell the app their names.
const workerMeta = readdirSync(dir)
  .filter((f) => /^xlsx-worker-[0-9a-f]+_loader\.js$/.test(f) || f === 'xlsx-worker_loader.js')
  .map((f) => `<meta name="omnikpi-xlsx-worker" content="${f}">`)
  .join('');
html = html.replace('</head>', `${workerMeta}</head>`);
writeFileSync(file, html);
console.log(`csp-loader: moved ${count} inline script(s) out of index.html`);
