// omnikpi's Arrow load alone in headless Chromium, repeated: `Bench.load` (the bytes copied
// into wasm, read, sorted, the engine built) and the first query after it (which builds the day
// cells), after one warm-up load in the same page. Needs the bench module `make bench` builds
// (bench/pkg) and its data; prints medians as JSON.
//
//   node bench/load.mjs [--pkg bench/pkg] [--arrow bench/data/contacts-1m.arrow] [--runs 5]
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';

const HERE = dirname(fileURLToPath(import.meta.url));
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : d;
};
const PKG = resolve(arg('--pkg', join(HERE, 'pkg')));
const ARROW = resolve(arg('--arrow', join(HERE, 'data/contacts-1m.arrow')));
const RUNS = Number(arg('--runs', 5));

const page = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { Bench } from './pkg/omnikpi_bench.js';
window.go = async (runs) => {
  await init();
  const bytes = new Uint8Array(await (await fetch('./data.arrow')).arrayBuffer());
  const out = [];
  for (let k = 0; k <= runs; k++) {
    const b = new Bench();
    let t = performance.now();
    const rows = b.load('contacts.arrow', bytes);
    const load = performance.now() - t;
    t = performance.now();
    b.run('channel_day', '');
    out.push({ rows, load, first_query: performance.now() - t });
    b.free();
  }
  return out;
};
</script>`;
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    return;
  }
  const file = path === '/data.arrow' ? ARROW : path.startsWith('/pkg/') ? join(PKG, path.slice(5)) : null;
  if (!file || !file.startsWith(path === '/data.arrow' ? ARROW : PKG) || !existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--js-flags=--max-old-space-size=8192'],
});
const tab = await browser.newPage();
tab.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
await tab.goto(`http://127.0.0.1:${server.address().port}/`);
await tab.waitForFunction(() => typeof window.go === 'function');
const before = loadavg()[0];
const runs = await tab.evaluate((n) => window.go(n), RUNS);
const chromium_version = browser.version();
await browser.close();
server.close();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const timed = runs.slice(1);
const r1 = (x) => Math.round(x * 10) / 10;
console.log(JSON.stringify({
  arrow: ARROW, rows: runs[0].rows, runs: RUNS, chromium: chromium_version,
  warm_up_load_ms: r1(runs[0].load),
  load_ms: timed.map((r) => r1(r.load)),
  load_median_ms: r1(median(timed.map((r) => r.load))),
  first_query_median_ms: r1(median(timed.map((r) => r.first_query))),
  load_and_first_query_median_ms: r1(median(timed.map((r) => r.load + r.first_query))),
  load_average: [r1(before), r1(loadavg()[0])],
}, null, 2));
