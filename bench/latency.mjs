// The app's own numbers at scale (`make bench-app`): the built dist/ in headless Chromium with the
// browser benchmark's generated contacts (Arrow IPC) as its only source. Measures the time from
// opening /ops to its tiles, the filter-change-to-painted-frame latency of the ops view (a channel
// checkbox and a team checkbox of the filter bar, toggled on and off), and the renderer
// process's peak resident memory (VmHWM). The load is timed in the page too: when the browser
// received the file's last byte (Resource Timing) and when the contacts tile got its value;
// `--rate MB/s` paces the file's download like a network link (default: the loopback, unpaced).
// Writes bench/latency-<n>.json and adds its row to the
// "App at scale" table of docs/performance.md.
//
//   node bench/latency.mjs [--contacts 1000000] [--toggles 20] [--period 30d] [--rate 0] [--no-docs]
//
// Needs `make build` (dist/) and the data of `make bench` (bench/data/contacts-<n>.arrow).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, totalmem } from 'node:os';
import { launch, openPage, serveDistWith, DIST } from '../e2e/lib.mjs';
import { sendPaced } from './paced.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : d;
};
if (process.argv.includes('--help')) {
  console.log('node bench/latency.mjs [--contacts 1000000] [--toggles 20] [--period 30d] [--rate 0] [--no-docs]');
  process.exit(0);
}
const CONTACTS = Number(arg('--contacts', 1000000));
const TOGGLES = Number(arg('--toggles', 20));
const WARM = 2;
const PERIOD = arg('--period', '30d');
const RATE = Number(arg('--rate', 0)) * 1e6;
const tag = CONTACTS >= 1e6 ? `${CONTACTS / 1e6}m` : `${CONTACTS / 1e3}k`;
const ARROW = join(HERE, 'data', `contacts-${tag}.arrow`);
for (const [what, path] of [['dist/ (make build)', join(DIST, 'index.html')], ['the data (make bench)', ARROW]]) {
  if (!existsSync(path)) {
    console.error(`missing ${what}: ${path}`);
    process.exit(2);
  }
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// Nearest-rank percentile.
const pct = (xs, p) => sorted(xs)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

/** Peak resident memory (kB) of the browser's renderer processes, from /proc (Linux). */
async function rendererPeakKb(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  let peak = 0;
  for (const p of processInfo.filter((p) => p.type === 'renderer')) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch { /* the process ended */ }
  }
  return peak || null;
}

const srv = await serveDistWith({
  files: { 'data/contacts.arrow': ARROW },
  sources: [{ name: 'contacts', url: 'data/contacts.arrow' }],
  // The generator writes UTC instants; the bench page runs every engine in UTC as well.
  config: { timezone: 'UTC' },
  handler: RATE > 0 ? (req, res, path) => {
    if (path !== '/data/contacts.arrow') return false;
    sendPaced(res, readFileSync(ARROW), RATE);
    return true;
  } : undefined,
});
const browser = await launch();
const res = { contacts: CONTACTS, period: PERIOD, toggles: TOGGLES, warm: WARM, rate_mb_s: RATE / 1e6 || 'unpaced' };
try {
  const { page, problems } = await openPage(browser);
  // When the contacts tile first gets a value, on the page's clock.
  await page.addInitScript(() => {
    const obs = new MutationObserver(() => {
      const t = document.querySelector('[data-scope="period"][data-kpi="contacts"]');
      if (t && t.getAttribute('data-value')) {
        window.omnikpiTilesAt = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(document, { subtree: true, childList: true, attributes: true });
  });
  const t0 = Date.now();
  await page.goto(`${srv.url}ops?period=${PERIOD}`);
  // Polled from Node once a second: the loader yields to the browser between slices, and a
  // page-side poll competes with it for the main thread.
  const ready = () => page.evaluate(() => {
    const t = document.querySelector('[data-scope="period"][data-kpi="contacts"]');
    return !!t && t.getAttribute('data-value') !== '' && !!document.querySelector('[data-testid="filter-channel"] input[type=checkbox]');
  });
  while (!(await ready())) {
    if (Date.now() - t0 > 600_000) throw new Error('ops view not ready after 10 minutes');
    if (problems.length) throw new Error(problems.join('\n'));
    await sleep(250);
  }
  res.open_to_tiles_ms = Date.now() - t0;
  Object.assign(res, await page.evaluate(() => {
    const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/data/contacts.arrow'));
    return { last_byte_ms: e.responseEnd, tiles_ms: window.omnikpiTilesAt, tiles_after_last_byte_ms: window.omnikpiTilesAt - e.responseEnd };
  }));
  console.log(`tiles after ${res.open_to_tiles_ms} ms; in the page: last byte ${res.last_byte_ms.toFixed(0)} ms, tiles ${res.tiles_ms.toFixed(0)} ms (${res.tiles_after_last_byte_ms.toFixed(0)} ms after it)`);

  // One toggle: click the checkbox, wait until the contacts tile shows another value, then until
  // the frame after it has been painted (a task queued from requestAnimationFrame runs after
  // that frame's paint).
  const toggle = (sel) => page.evaluate((sel) => new Promise((resolve, reject) => {
    const box = document.querySelector(sel);
    const value = () => document.querySelector('[data-scope="period"][data-kpi="contacts"]')?.getAttribute('data-value');
    const before = value();
    const t0 = performance.now();
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error(`no change after clicking ${sel}`)); }, 60_000);
    const obs = new MutationObserver(() => {
      if (value() === before) return;
      obs.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - t0, value: value() }), 0));
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    box.click();
  }), sel);

  res.latency = {};
  for (const dim of ['channel', 'team']) {
    const sel = `[data-testid="filter-${dim}"] input[type=checkbox]`;
    const samples = [];
    const values = new Set();
    for (let i = 0; i < WARM + TOGGLES; i++) {
      const { ms, value } = await toggle(sel);
      values.add(value);
      if (i >= WARM) samples.push(ms);
      await sleep(100);
    }
    // On and off alternate between two totals: anything else means a toggle was missed.
    if (values.size !== 2) throw new Error(`${dim}: expected two alternating totals, saw ${[...values]}`);
    res.latency[dim] = {
      median_ms: median(samples), p95_ms: pct(samples, 95), max_ms: Math.max(...samples), samples,
    };
    console.log(`${dim}: median ${median(samples).toFixed(1)} ms, p95 ${pct(samples, 95).toFixed(1)} ms`);
  }
  res.renderer_peak_kb = await rendererPeakKb(browser);
  if (problems.length) throw new Error(problems.join('\n'));
} finally {
  await browser.close();
  srv.cleanup();
}
res.chromium = browser.version();
res.load_average = loadavg()[0];
res.machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
res.date = new Date().toISOString().slice(0, 10);
writeFileSync(join(HERE, `latency-${tag}.json`), JSON.stringify(res, null, 2));
console.log(JSON.stringify({ ...res, latency: Object.fromEntries(Object.entries(res.latency).map(([k, v]) => [k, { ...v, samples: undefined }])) }, null, 2));
if (!process.argv.includes('--no-docs')) writeDocs(res);

/**
 * Adds this run as the first row of the "App at scale" table in docs/performance.md; the rest of
 * the section (earlier rows, what changed, where the time goes) is written by people and kept.
 */
function writeDocs(r) {
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const l = r.latency;
  const row = `| ${r.contacts.toLocaleString('en')} | ${(r.open_to_tiles_ms / 1000).toFixed(1)} s | ${f(l.channel.median_ms)} ms | ${f(l.channel.p95_ms)} ms | ${f(l.team.median_ms)} ms | ${f(l.team.p95_ms)} ms | ${(r.renderer_peak_kb / 1024).toFixed(0)} MiB | ${r.date}, Chromium ${r.chromium}, ${r.machine}, load average ${r.load_average.toFixed(1)} (\`bench/latency.mjs${r.rate_mb_s === 'unpaced' ? '' : ` --rate ${r.rate_mb_s}`}\`); in the page the file's last byte came at ${(r.last_byte_ms / 1000).toFixed(2)} s and the tiles ${(r.tiles_after_last_byte_ms / 1000).toFixed(2)} s after it |`;
  const header = [
    '| contacts | open to tiles | channel toggle median | p95 | team toggle median | p95 | renderer peak RSS | measured |',
    '|---:|---:|---:|---:|---:|---:|---:|---|',
  ].join('\n');
  const path = join(ROOT, 'docs/performance.md');
  const doc = readFileSync(path, 'utf8');
  const section = doc.indexOf('## App at scale');
  const table = section < 0 ? -1 : doc.indexOf(header, section);
  const out = table < 0
    ? `${doc.trimEnd()}\n\n## App at scale\n\nReproduce: \`make build && make bench-app\`.\n\n${header}\n${row}\n`
    : `${doc.slice(0, table + header.length)}\n${row}${doc.slice(table + header.length)}`;
  writeFileSync(path, out);
  console.log(`docs/performance.md: added ${row}`);
}
