// omnikpi's load of one Arrow IPC or CSV file alone in headless Chromium, repeated, after one
// warm-up load in the same page. Two ways, each timed from the moment the browser received the last byte of the file
// (Resource Timing's `responseEnd`) to the engine built, and from the request to that:
//
//   whole     the file fetched into memory, then `Bench.load` (copied into wasm, read, sorted,
//             the engine built): what the app did before it read downloads as they arrive;
//   arriving  the download read from its `ReadableStream` chunk by chunk into `Bench.feed_arriving`
//             (each batch or record read as soon as it is whole), then `Bench.end_arriving`: what
//             the app does.
//
// `--rate MB/s` paces the server's response (0: as fast as the loopback goes), as a network
// would. Then the first query after the load (which builds the day cells). Needs the bench module
// `make bench` builds (bench/pkg) and its data; prints medians as JSON.
//
//   node bench/load.mjs [--pkg bench/pkg] [--file bench/data/contacts-1m.arrow] [--runs 5]
//                       [--rate 0] [--mode whole,arriving]
//
// (`--arrow FILE` is the old name of `--file`; a file ending in .csv is read as CSV.)
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { sendPaced } from './paced.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : d;
};
const PKG = resolve(arg('--pkg', join(HERE, 'pkg')));
const FILE = resolve(arg('--file', arg('--arrow', join(HERE, 'data/contacts-1m.arrow'))));
// The name the bench module is given: its extension tells the format.
const NAME = FILE.endsWith('.csv') ? 'contacts.csv' : 'contacts.arrow';
const RUNS = Number(arg('--runs', 5));
const RATE = Number(arg('--rate', 0)) * 1e6; // bytes per second; 0: unpaced
const MODES = arg('--mode', 'whole,arriving').split(',');

const page = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { Bench } from './pkg/omnikpi_bench.js';
import { readArriving, lastByte } from './arriving.mjs';
const once = async (mode, k) => {
  const url = './data?' + mode + k;
  const b = new Bench();
  const t0 = performance.now();
  const resp = await fetch(url);
  let rows, phases;
  if (mode === 'whole') {
    rows = b.load(${JSON.stringify(NAME)}, new Uint8Array(await resp.arrayBuffer()));
  } else {
    rows = await readArriving(b, resp, ${JSON.stringify(NAME)});
    phases = JSON.parse(b.phases());
  }
  const ready = performance.now();
  const last = await lastByte(url);
  let t = performance.now();
  b.run('channel_day', '');
  const first_query = performance.now() - t;
  b.free();
  return { rows, download: last - t0, after_last_byte: ready - last, total: ready - t0, first_query, phases };
};
window.go = async (modes, runs) => {
  await init();
  performance.setResourceTimingBufferSize(10000);
  const out = {};
  for (const mode of modes) {
    out[mode] = [];
    for (let k = 0; k <= runs; k++) out[mode].push(await once(mode, k));
  }
  return out;
};
</script>`;
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
const DATA = readFileSync(FILE);
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    return;
  }
  if (path === '/data') {
    if (RATE > 0) sendPaced(res, DATA, RATE);
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(DATA);
    return;
  }
  if (path === '/arriving.mjs') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(HERE, 'arriving.mjs')));
    return;
  }
  const file = path.startsWith('/pkg/') ? join(PKG, path.slice(5)) : null;
  if (!file || !file.startsWith(PKG) || !existsSync(file) || statSync(file).isDirectory()) {
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
const runs = await tab.evaluate(([m, n]) => window.go(m, n), [MODES, RUNS]);
const chromium_version = browser.version();
await browser.close();
server.close();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r1 = (x) => Math.round(x * 10) / 10;
const out = {
  file: FILE, bytes: DATA.length, rows: runs[MODES[0]][0].rows, runs: RUNS,
  rate_mb_s: RATE / 1e6 || 'unpaced', chromium: chromium_version,
};
for (const mode of MODES) {
  const timed = runs[mode].slice(1);
  if (timed.some((r) => r.rows !== out.rows)) throw new Error(`${mode}: rows differ: ${timed.map((r) => r.rows)}`);
  const m = (key) => r1(median(timed.map((r) => r[key])));
  out[mode] = {
    // The first load in the page: for the first mode run, code not yet optimised by V8's tiers.
    first_load_after_last_byte_ms: r1(runs[mode][0].after_last_byte),
    first_load_phases: runs[mode][0].phases,
    phases: timed.map((r) => r.phases),
    after_last_byte_ms: timed.map((r) => r1(r.after_last_byte)),
    after_last_byte_median_ms: m('after_last_byte'),
    download_median_ms: m('download'),
    total_median_ms: m('total'),
    first_query_median_ms: m('first_query'),
  };
}
out.load_average = [r1(before), r1(loadavg()[0])];
console.log(JSON.stringify(out, null, 2));
