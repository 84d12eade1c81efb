// Shared harness of the browser tests: Debian's Chromium driven by playwright-core, the built
// dist/ served on 127.0.0.1 under the strict CSP, and the native `kpi` binary for expected values.
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = process.env.OMNIKPI_DIST ?? join(ROOT, 'dist');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS, headless: true });
}

/** Serves dist/ (or `dir`) on a free loopback port. */
export function serveDist(opts = {}) {
  return serve(opts.dir ?? DIST, opts);
}

/** Serves a copy of dist/ with `files` ({ 'data/x.csv': path }) copied in and a config.json of
 *  `config` (default: none, so the app's defaults) with `sources`, and `handler` as in serve();
 *  resolves to { server, url, dir, cleanup }. */
export async function serveDistWith({ files = {}, sources, config = {}, handler }) {
  const dir = mkdtempSync(join(tmpdir(), 'omnikpi-dist-'));
  cpSync(DIST, dir, { recursive: true });
  for (const [to, from] of Object.entries(files)) cpSync(from, join(dir, to));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, sources }));
  const srv = await serveDist({ dir, handler });
  return { ...srv, dir, cleanup: () => { srv.server.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** The native `kpi` binary, built once by cargo (release) when it is missing. */
export const KPI_BIN = process.env.OMNIKPI_KPI ?? join(ROOT, 'target/release/kpi');

/** Runs `kpi cube` on `args` (inputs, --config) writing the cube CSV to `out`. */
export function kpiCube(args, out) {
  if (!existsSync(KPI_BIN)) {
    execFileSync('cargo', ['build', '--release', '-q', '-p', 'omnikpi-engine', '--bin', 'kpi'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
  }
  execFileSync(KPI_BIN, ['cube', ...args, '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A page that records console errors, page errors and dialogs, for asserting there were none. */
export async function openPage(browser, url, { width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  // The location names the resource behind a bare "Failed to load resource".
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} (${m.location()?.url ?? ''})`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  if (url) await page.goto(url);
  return { context, page, problems };
}

/** Runs the native `kpi` binary (built by cargo) and returns its parsed JSON output. */
export function kpiReport(args) {
  const out = execFileSync('cargo', ['run', '-q', '--release', '-p', 'omnikpi-engine', '--bin', 'kpi', '--', 'report', ...args, '--format', 'json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

/** Asserts that the comparison values of the period tiles `ids` (their `data-cmp`) are `kpi
 *  report`'s over the comparison's days (the range line's `data-cmp-from`/`-to`), its last day
 *  cut at the same time of day (`data-until`) when the period ends on a day in progress.
 *  `args({ from, to })` gives the report's inputs, config, range and filters. */
export async function assertComparison(page, args, ids) {
  const c = await page.$eval('[data-testid="range"]', (e) => ({ from: e.dataset.cmpFrom, to: e.dataset.cmpTo, until: e.dataset.until, covered: e.dataset.cmpCovered }));
  if (!c.from) return;
  const cmp = await page.$$eval('[data-scope="period"][data-kpi]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.kpi, e.dataset.cmp === '' || e.dataset.cmp === undefined ? null : Number(e.dataset.cmp)])));
  // A comparison the data does not cover whole is no data on every tile (never a 0 count).
  if (c.covered === 'false') {
    for (const id of ids) {
      if (cmp[id] !== null) throw new Error(`${id}: comparison ${c.from}–${c.to} is outside the data, yet the page shows ${cmp[id]} (${page.url()})`);
    }
    return;
  }
  const before = kpiReport([...args(c), ...(c.until ? ['--last-day-until', c.until] : [])]).groups[0]?.kpis ?? {};
  for (const id of ids) {
    if (!close(cmp[id], before[id] ?? null)) {
      throw new Error(`${id} ${c.from}–${c.to}${c.until ? ` until ${c.until}` : ''}: page ${cmp[id]} vs kpi ${before[id]} (${page.url()})`);
    }
  }
}

/** Reads every KPI tile on the page as { id: number|null }. */
export async function tileValues(page, selector = '[data-scope="period"][data-kpi]') {
  return page.$$eval(selector, (els) => Object.fromEntries(els.map((e) => {
    const v = e.getAttribute('data-value');
    return [e.getAttribute('data-kpi'), v === '' || v === null ? null : Number(v)];
  })));
}

/** Asserts two KPI values agree to 1e-9 relative (the page prints f64 with full precision). */
export function close(a, b) {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The replay server binary (crates/replay), built by {@link buildReplay}. */
export const REPLAY_BIN = process.env.OMNIKPI_REPLAY ?? join(ROOT, 'target/release/omnikpi-replay');

/** Builds the replay server (a no-op when it is up to date). */
export function buildReplay() {
  execFileSync('cargo', ['build', '--release', '-q', '-p', 'omnikpi-replay'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
}

/** Starts the replay server on the demo data on a loopback port (0: a free one); resolves to
 * { url, proc, stop }. */
export function startReplay(args = [], port = 0) {
  const p = spawn(REPLAY_BIN, ['--dist', DIST, '--data', join(ROOT, 'public/data/demo.csv'), '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('replay server did not start')), 20_000);
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (c) => { clearTimeout(timer); fail(new Error(`replay exited ${c}: ${err}`)); });
    p.stdout.on('data', (d) => {
      const m = /omnikpi replay at (\S+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        const stop = () => new Promise((r) => {
          p.removeAllListeners('exit');
          if (p.exitCode !== null || p.signalCode !== null) { r(); return; }
          p.once('exit', () => r());
          p.kill('SIGTERM');
        });
        ok({ url: m[1], proc: p, stop });
      }
    });
  });
}

/** Opens the table alternative of chart `id` (built when its <details> first opens) and
 *  resolves to its number of body rows (then closes it again); 0 when the chart has no table alternative. */
export async function openTableAlt(page, id) {
  const summary = await page.$(`[data-testid="${id}"] details.table-alt summary`);
  if (!summary) return 0;
  await summary.click();
  await page.waitForSelector(`[data-testid="${id}"] details.table-alt[open] table`, { timeout: 10_000 });
  const rows = await page.$$eval(`[data-testid="${id}"] details.table-alt table tbody tr`, (r) => r.length);
  await summary.click(); // closed again, as a reader would leave it (and the screenshots show it)
  return rows;
}
