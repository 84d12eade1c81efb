// Static deployment under a sub-path: Trunk's public_url, <base href> and the router's base
// agree, deep links work through the SPA fallback, and the dashboard works inside an iframe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveDist, openPage, ROOT } from '../lib.mjs';

// Built by `make test` with `trunk build --release --offline --public-url /omnikpi/`.
const SUBPATH_DIST = process.env.OMNIKPI_SUBPATH_DIST ?? join(ROOT, 'target/dist-subpath');
let browser, srv, dir;
before(async () => {
  assert.ok(existsSync(SUBPATH_DIST), `${SUBPATH_DIST} exists (make build-subpath)`);
  dir = mkdtempSync(join(tmpdir(), 'omnikpi-site-'));
  cpSync(SUBPATH_DIST, join(dir, 'omnikpi'), { recursive: true });
  writeFileSync(join(dir, 'portal.html'),
    '<!doctype html><title>Portal</title><link rel="icon" href="data:,"><h1>Intranet</h1><iframe id="kpis" src="/omnikpi/" width="1200" height="800" title="omnikpi"></iframe>');
  browser = await launch();
  srv = await serveDist({ dir, fallback: 'omnikpi/index.html' });
});
after(async () => { await browser?.close(); srv?.server.close(); rmSync(dir, { recursive: true, force: true }); });

test('served under /omnikpi/: assets, data and router all use the sub-path', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}omnikpi/`);
  await page.waitForSelector('[data-kpi="contacts"]', { timeout: 60_000 });
  const base = await page.evaluate(() => document.querySelector('base')?.getAttribute('href'));
  assert.equal(base, '/omnikpi/');
  const hrefs = await page.$$eval('nav a', (as) => as.map((a) => new URL(a.href).pathname));
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith('/omnikpi/')), `nav links stay under the sub-path: ${hrefs}`);
  assert.deepEqual(problems, []);
});

test('a deep link under the sub-path loads through the SPA fallback', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}omnikpi/`);
  await page.waitForSelector('nav a');
  const target = await page.$$eval('nav a', (as) => as.map((a) => new URL(a.href).pathname).find((p) => p !== '/omnikpi/' && p !== '/omnikpi'));
  if (target) {
    await page.goto(`${srv.url.replace(/\/$/, '')}${target}`);
    await page.waitForSelector('nav a[aria-current="page"]', { timeout: 60_000 });
    assert.equal(new URL(page.url()).pathname, target);
  }
  assert.deepEqual(problems, []);
});

test('the split build: the first page fetches only the main module; a route opened later fetches its part from the sub-path', async () => {
  const { page, problems } = await openPage(browser);
  const wasm = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push({ path: new URL(r.url()).pathname, status: r.status() });
  });
  await page.goto(`${srv.url}omnikpi/ops`);
  await page.waitForSelector('[data-kpi="contacts"]', { timeout: 60_000 });
  assert.deepEqual(wasm.map((w) => w.path.replace(/-[0-9a-f]+_bg\.wasm$/, '_bg.wasm')), ['/omnikpi/omnikpi_bg.wasm'],
    'opening operations fetches the main module and no part');
  // Through the app's own navigation, as a user would.
  await page.click('nav a[href="/omnikpi/data"]');
  await page.waitForSelector('[data-testid="dropzone"]', { timeout: 60_000 });
  const parts = wasm.slice(1);
  assert.ok(parts.some((w) => /^\/omnikpi\/split___data_route_view_[0-9]+-[0-9a-f]{16}\.wasm$/.test(w.path)),
    `the data view's part, content-hashed, from the sub-path: ${JSON.stringify(parts)}`);
  assert.ok(parts.every((w) => w.path.startsWith('/omnikpi/') && w.status === 200), JSON.stringify(parts));
  assert.ok(!parts.some((w) => /settings_route/.test(w.path)), 'the settings part is not fetched for the data view');
  assert.deepEqual(problems, []);
});

test('works inside an iframe of a same-origin portal page', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}portal.html`);
  const frame = page.frameLocator('#kpis');
  await frame.locator('[data-kpi="contacts"]').first().waitFor({ timeout: 60_000 });
  const v = await frame.locator('[data-kpi="contacts"]').first().getAttribute('data-value');
  assert.ok(Number(v) > 0, `contacts tile inside the iframe: ${v}`);
  assert.deepEqual(problems, []);
});
