// Faults of a live feed (Playwright request interception and the replay server): HTTP 500 and
// 404, a timeout, truncated JSON, an HTML page instead of data, a 200 MB response, rows from the
// future, the stream dropping and resuming, and a panic. Each gives a clear message in place,
// the last good data stays, nothing is counted twice, and a panic shows the banner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, startReplay, buildReplay } from '../lib.mjs';

const NOW = Date.UTC(2026, 8, 1, 12) / 1000;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000', '');
const contact = (i, dt) => ({ id: `F${i}`, channel: ['voice', 'chat', 'email'][i % 3], arrived_at: iso(NOW - dt), first_response_s: '20', handle_s: '100', closed_at: iso(NOW - dt + 200), resolved: 'true', csat: String(1 + (i % 5)) });
const GOOD = { cursor: 5, now: NOW, contacts: [1, 2, 3, 4, 5].map((i) => contact(i, 3600 + i * 60)) };

let browser, srv;
before(async () => {
  buildReplay();
  browser = await launch();
  srv = await startReplay(['--faults', '--mode', 'static']);
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function rows(page) {
  return page.$eval('[data-testid="live-status"]', (e) => Number(e.dataset.rows));
}

test('poll faults: a clear message in place, last good data kept, recovery without double counting', async () => {
  const { page, problems } = await openPage(browser);
  let fault = null;
  let release = null;
  await page.route('**/config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ sources: [{ name: 'feed', url: 'api/feed', mode: 'poll', interval_s: 1 }] }) }));
  await page.route('**/api/feed**', async (r) => {
    switch (fault) {
      case null: return r.fulfill({ contentType: 'application/json', body: JSON.stringify(GOOD) });
      case 500: case 404: return r.fulfill({ status: fault, contentType: 'text/plain', body: 'nope' });
      case 'timeout': await new Promise((res) => { release = res; setTimeout(res, 8000); }); return r.fulfill({ contentType: 'application/json', body: JSON.stringify(GOOD) }).catch(() => {});
      case 'truncated': return r.fulfill({ contentType: 'application/json', body: JSON.stringify(GOOD).slice(0, 60) });
      case 'html': return r.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><html><body><h1>Please log in</h1></body></html>' });
      case 'big': return r.continue({ url: `${srv.url}api/fault/big?mb=200` });
      case 'future': return r.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...GOOD, cursor: 6, contacts: [...GOOD.contacts, contact(99, -86_400)] }) });
      default: throw new Error(fault);
    }
  });
  await page.goto(srv.url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-status"]')?.dataset.rows) === 5, null, { timeout: 30_000 });
  const tile = async () => page.$eval('[data-kpi="contacts"]', (e) => e.dataset.value).catch(() => null);
  const tileBefore = await tile();
  const cases = [
    [500, /answered HTTP 500/],
    [404, /answered HTTP 404/],
    ['timeout', /did not answer within 5 s/],
    ['truncated', /invalid or truncated JSON/],
    ['html', /HTML page, not data/],
    ['big', /too large: 200 MB \(the limit is 64 MB\)/],
  ];
  for (const [f, want] of cases) {
    fault = f;
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-testid="load-error"]')?.textContent ?? ''), want.source, { timeout: 20_000 });
    const msg = await page.textContent('[data-testid="load-error"]');
    assert.match(msg, /Showing the last good data; retrying in \d+ s/, `${f}: ${msg}`);
    assert.equal(await rows(page), 5, `${f}: last good data kept`);
    assert.equal(await tile(), tileBefore, `${f}: the tiles still show it`);
    fault = null;
    release?.();
    await page.waitForFunction(() => !document.querySelector('[data-testid="load-error"]'), null, { timeout: 30_000 });
    assert.equal(await rows(page), 5, `${f}: nothing counted twice after recovery`);
  }
  fault = 'future';
  await page.waitForSelector('[data-testid="live-future"]', { timeout: 10_000 });
  assert.match(await page.textContent('[data-testid="live-future"]'), /1 row\(s\) from the future ignored/);
  assert.equal(await rows(page), 5, 'a row from the future is not counted');
  fault = null;
  // Only the expected console noise: the failed requests themselves.
  const unexpected = problems.filter((p) => !/Failed to load resource|status of (404|500)|net::ERR|the server responded/i.test(p));
  assert.deepEqual(unexpected, []);
});

test('the stream drops and resumes: every contact counted once', async () => {
  const { page } = await openPage(browser);
  const drop = await startReplay(['--faults', '--mode', 'static', '--speed', '3000', '--tick-ms', '100', '--backlog', '100000', '--start', String(Date.UTC(2025, 10, 24, 7) / 1000)]);
  try {
    await page.route('**/config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ sources: [{ name: 'stream', url: 'api/stream?drop_after=40', mode: 'sse', interval_s: 5 }] }) }));
    let opens = 0;
    page.on('request', (r) => { if (r.url().includes('api/stream')) opens += 1; });
    await page.goto(drop.url);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-status"]')?.dataset.cursor) > 200, null, { timeout: 60_000 });
    assert.ok(opens >= 5, `the stream was dropped and reopened ${opens} times`);
    const snap = await page.$eval('[data-testid="live-status"]', (e) => ({ rows: Number(e.dataset.rows), cursor: Number(e.dataset.cursor), unchanged: Number(e.dataset.unchanged) }));
    const b = await (await fetch(`${drop.url}api/contacts?since=0`)).json();
    const ids = new Set(b.contacts.slice(0, snap.cursor).map((c) => c.id));
    assert.equal(snap.rows, ids.size, 'rows = distinct contacts sent, despite the reconnects');
    const reopened = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('api/stream')).map((e) => e.name));
    assert.ok(reopened.slice(1).every((u) => /since=\d+/.test(u)), 'reconnects resume after the last event');
  } finally { await drop.stop(); }
});

test('static sources: a missing file and an oversized one are named in place, the other source still loads', async () => {
  const { page, problems } = await openPage(browser);
  await page.route('**/config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ sources: [
    { name: 'gone', url: 'data/no-such-file.csv' },
    { name: 'huge', url: 'api/fault/big?mb=3000' },
    { name: 'demo', url: 'data/demo.csv' },
  ] }) }));
  await page.goto(srv.url);
  await page.waitForFunction(() => /too large/.test(document.querySelector('[data-testid="load-error"]')?.textContent ?? ''), null, { timeout: 60_000 });
  const msg = await page.textContent('[data-testid="load-error"]');
  assert.match(msg, /data\/no-such-file\.csv answered HTTP 404/);
  assert.match(msg, /api\/fault\/big\?mb=3000 is too large: 3000 MB \(the limit is 2048 MB\)/);
  // The demo source loaded beside the two failures.
  await page.waitForSelector('[data-kpi="contacts"][data-value]:not([data-value=""])', { timeout: 60_000 });
  const unexpected = problems.filter((p) => !/Failed to load resource|status of 404|net::ERR/i.test(p));
  assert.deepEqual(unexpected, []);
});

test('a config.json with a bad key names it and uses the rest of the file: its sources, zone and currency', async () => {
  const { page, problems } = await openPage(browser);
  await page.route('**/config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({
    timezone: 'America/New_York', currency: 'USD', colour: 'blue',
    sla: { voice: { threshold_s: 20, targt: 0.8 } },
    sources: [{ name: 'demo', url: 'data/demo.csv' }],
  }) }));
  await page.goto(`${srv.url}ops`);
  await page.waitForSelector('[data-testid="config-error"]', { timeout: 60_000 });
  const msg = await page.textContent('[data-testid="config-error"]');
  assert.match(msg, /key "colour": unknown field/);
  assert.match(msg, /sla\.voice\.targt/);
  assert.match(msg, /defaults used there/);
  // The good keys are in force: the demo source loaded, the heading's clock is New York's, and
  // the SLA targets are the defaults (voice 80 %), not lost with the whole file.
  await page.waitForSelector('[data-kpi="contacts"][data-value]:not([data-value=""])', { timeout: 60_000 });
  assert.match(await page.textContent('.now-strip h2, [data-testid="now-strip"] h2'), /America\/New_York/);
  await page.goto(`${srv.url}exec`);
  await page.waitForSelector('[data-kpi="cost_per_resolution"][data-value]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-kpi="cost_per_resolution"]'), /USD/);
  assert.deepEqual(problems, []);
});

test('a panic shows the banner with a reload link instead of a dead page', async () => {
  const { page } = await openPage(browser, `${srv.url}?debug=panic`);
  await page.waitForSelector('[data-testid="panic-banner"]', { timeout: 20_000 });
  assert.match(await page.textContent('[data-testid="panic-banner"]'), /Something went wrong inside omnikpi/);
  const href = await page.getAttribute('[data-testid="panic-reload"]', 'href');
  assert.ok(href.startsWith(srv.url), href);
  // The panic's abort reaches the page as a trap too: still one banner.
  await page.waitForTimeout(300);
  assert.equal(await page.locator('[data-testid="panic-banner"]').count(), 1);
});

test('memory running out (an allocation the tab cannot give) shows the banner saying so, not a page that stops answering', async () => {
  // Rust does not turn a failed allocation into a panic: the instance aborts, and before this
  // banner the page stayed as it was, stuck at "Loading…" (seen picking a 1.76 GB Arrow file).
  const { page, problems } = await openPage(browser, `${srv.url}?debug=out-of-memory`);
  await page.waitForSelector('[data-testid="panic-banner"]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid="panic-banner"]'), /omnikpi ran out of memory: this browser tab could not hold the data/);
  assert.equal(await page.locator('[data-testid="panic-banner"]').count(), 1);
  const href = await page.getAttribute('[data-testid="panic-reload"]', 'href');
  assert.ok(href.startsWith(srv.url), href);
  assert.ok(problems.some((p) => /unreachable/.test(p)), `the trap reached the page: ${problems}`);
});
