// Hostile input: a dataset whose agent, team and topic names are script and markup payloads, and
// payloads in the URL, on every route; `?data=` only from the page's origin or allow-listed ones;
// the strict CSP on every answer and no violation of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDist, openPage } from '../lib.mjs';
import { CSP } from '../serve.mjs';
import { createHash } from 'node:crypto';

const PAYLOADS = {
  agent: ['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>', 'javascript:alert(3)'],
  team: ['<svg onload=alert(4)>', '"><img src=x onerror=alert(5)>', '<a href="javascript:alert(6)">team</a>'],
  topic: ['<script>alert(7)</script>', "'><iframe src=javascript:alert(8)>", 'javascript:alert(9)//', '<style>body{display:none}</style>'],
};

const csvCell = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** 90 contacts over the last three days, every dimension value a payload. */
function payloadCsv() {
  const header = 'id,case_id,channel,arrived_at,first_response_s,abandoned,handle_s,closed_at,resolved,agent_id,team,topic,csat,nps';
  const channels = ['voice', 'chat', 'email', 'social'];
  const day0 = Date.UTC(2026, 8, 1, 8);
  const rows = [];
  for (let i = 0; i < 90; i++) {
    const t = day0 + (i % 3) * 86_400_000 + i * 300_000;
    const closed = new Date(t + 400_000).toISOString().replace('.000', '');
    rows.push([
      `X${i}`, `K${i}`, channels[i % 4], new Date(t).toISOString().replace('.000', ''), String(20 + i), 'false', '300', closed,
      i % 2 ? 'true' : 'false', PAYLOADS.agent[i % 3], PAYLOADS.team[i % 3], PAYLOADS.topic[i % 4], String(1 + (i % 5)), String(i % 11),
    ].map(csvCell).join(','));
  }
  return `${header}\n${rows.join('\n')}\n`;
}

/** Injected markup, if any: elements a payload would create, and any inline handler attribute. */
async function injected(page) {
  return page.evaluate(() => {
    const found = [];
    const sel = ['img[src="x"]', 'svg[onload]', 'iframe', 'script:not([src])', 'a[href^="javascript:" i]', 'style'];
    for (const s of sel) for (const e of document.querySelectorAll(s)) found.push(`${s}: ${e.outerHTML.slice(0, 120)}`);
    for (const e of document.querySelectorAll('*')) {
      for (const a of e.attributes) {
        if (/^on/i.test(a.name)) found.push(`${e.tagName}[${a.name}]`);
        if (/^(href|src|xlink:href|action|formaction)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) found.push(`${e.tagName}[${a.name}=${a.value}]`);
      }
    }
    for (const s of document.querySelectorAll('script[src]')) {
      if (new URL(s.src).origin !== location.origin) found.push(`foreign script ${s.src}`);
    }
    if (getComputedStyle(document.body).display === 'none') found.push('body hidden by an injected style');
    return { found, violations: window.__csp ?? [], alerted: window.__alerted ?? 0 };
  });
}

let browser, srv, other;
before(async () => {
  browser = await launch();
  srv = await serveDist();
  other = await serveDist(); // another origin (another port)
});
after(async () => { await browser?.close(); srv?.server.close(); other?.server.close(); });

/** A page that records CSP violations, serves the payload dataset at /xss.csv and a config. */
async function hostilePage(config = {}) {
  const o = await openPage(browser);
  const { page } = o;
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.route('**/xss.csv', (r) => r.fulfill({ status: 200, contentType: 'text/csv', body: payloadCsv() }));
  await page.route('**/config.json', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }));
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  return { ...o, requests };
}

async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="load-progress"]'), null, { timeout: 30_000 });
  await page.waitForTimeout(400);
}

test('every answer carries the strict CSP (no inline script, wasm allowed)', async () => {
  const res = await fetch(srv.url);
  const csp = res.headers.get('content-security-policy');
  assert.equal(csp, CSP);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(csp.split(';').find((d) => d.includes('script-src')), /unsafe-inline/);
  const html = await (await fetch(srv.url)).text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
});

test('subresource integrity: each hash in index.html is the served file\'s; none where the browser ignores it, and no console warning', async () => {
  const html = await (await fetch(srv.url)).text();
  const tags = html.match(/<(?:link|script)\b[^>]*>/g) ?? [];
  const hashed = tags.filter((t) => /\bintegrity=/.test(t));
  assert.ok(hashed.some((t) => /rel="modulepreload"/.test(t)), `the app's JS is preloaded with its hash: ${tags.join('\n')}`);
  for (const tag of hashed) {
    const href = /\b(?:href|src)="([^"]+)"/.exec(tag)[1];
    const body = Buffer.from(await (await fetch(new URL(href, srv.url))).arrayBuffer());
    const want = `sha384-${createHash('sha384').update(body).digest('base64')}`;
    assert.equal(/\bintegrity="([^"]+)"/.exec(tag)[1], want, href);
  }
  // The wasm module's preload is `as="fetch"`, where Chromium ignores integrity.
  const wasm = tags.filter((t) => /_bg\.wasm"/.test(t));
  assert.equal(wasm.length, 1, tags.join('\n'));
  assert.doesNotMatch(wasm[0], /integrity=/);
  const { page, context } = await openPage(browser, srv.url);
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.reload();
  await page.waitForSelector('[data-kpi="contacts"][data-value]:not([data-value=""])', { timeout: 60_000 });
  assert.deepEqual(warnings.filter((w) => /integrity/.test(w)), []);
  await context.close();
});

test('payload names in the data reach no markup on any route, and no dialog opens', async () => {
  const { page, problems } = await hostilePage();
  await page.goto(`${srv.url}?data=xss.csv`);
  await settle(page);
  const navRoutes = await page.$$eval('header nav a[href]', (as) => as.map((a) => new URL(a.href).pathname));
  const routes = [...new Set(['/', ...navRoutes, '/data', '/settings', '/no-such-page'])];
  assert.ok(navRoutes.length >= 1, 'the navigation lists routes');
  let shownSomewhere = false;
  for (const route of routes) {
    const base = new URL(srv.url);
    await page.goto(new URL(`${route.replace(/^\//, '')}?data=xss.csv`, base).href);
    await settle(page);
    // Open every <details> and hover charts, so tooltips and tables render too.
    await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
    await page.waitForTimeout(200);
    const r = await injected(page);
    assert.deepEqual(r.found, [], `injected markup on ${route}`);
    assert.deepEqual(r.violations, [], `CSP violations on ${route}`);
    const text = await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('svg')].map((s) => s.textContent).join(' '));
    if (PAYLOADS.topic.concat(PAYLOADS.team, PAYLOADS.agent).some((p) => text.includes(p))) shownSomewhere = true;
  }
  // The payloads are in the data the views show (as text), so the test did exercise them.
  assert.ok(shownSomewhere, 'the payloads were shown (as text) on some route, so they were exercised');
  assert.deepEqual(problems.filter((p) => p.startsWith('dialog')), []);
  assert.deepEqual(problems, []);
});

test('payloads in the URL (filters, widget, theme) are inert', async () => {
  const { page, problems } = await hostilePage();
  const bad = encodeURIComponent('"><img src=x onerror=alert(1)>');
  for (const q of [
    `?data=xss.csv&team=${bad}&topic=${encodeURIComponent(PAYLOADS.topic[0])}`,
    `?data=xss.csv&embed=1&view=tiles&kpis=${bad},csat`,
    `?data=xss.csv&theme=${bad}&tv=${bad}&period=${bad}`,
    `ops?data=xss.csv&channel=${bad}&drill=${bad}`,
  ]) {
    await page.goto(srv.url + q);
    await settle(page);
    const r = await injected(page);
    assert.deepEqual(r.found, [], q);
    assert.deepEqual(r.violations, [], q);
  }
  const unknown = await page.goto(`${srv.url}?data=xss.csv&embed=1&view=tiles&kpis=${bad}`).then(() => settle(page))
    .then(() => page.textContent('[data-testid="widget-unknown"]'));
  assert.match(unknown, /Unknown KPI id/);
  assert.ok(unknown.includes('"><img src=x onerror=alert(1)>'), 'shown as text');
  assert.deepEqual(problems, []);
});

test('?data= loads only from the page origin or allow-listed origins', async () => {
  {
    const { page, requests, problems } = await hostilePage();
    const foreign = `${other.url}data/demo.csv`;
    await page.goto(`${srv.url}?data=${encodeURIComponent(foreign)}`);
    const msg = await page.textContent('[data-testid="load-error"]', { timeout: 20_000 });
    assert.match(msg, /\?data= refused/);
    assert.ok(!requests.some((u) => u.startsWith(other.url)), 'no request to the other origin');
    for (const evil of ['javascript:alert(1)', '//evil.invalid/x.csv', 'data:text/csv,id', `${other.url.replace('127.0.0.1', 'localhost')}x.csv`]) {
      await page.goto(`${srv.url}?data=${encodeURIComponent(evil)}`);
      assert.match(await page.textContent('[data-testid="load-error"]', { timeout: 20_000 }), /\?data= refused/, evil);
    }
    assert.deepEqual(problems, []);
  }
  {
    // Listed in allowed_origins: the page tries it (the deployment's CSP connect-src decides).
    const { page, requests } = await hostilePage({ allowed_origins: [other.url.replace(/\/$/, '')] });
    await page.route(`${other.url}**`, (r) => r.fulfill({ status: 200, contentType: 'text/csv', body: payloadCsv(), headers: { 'access-control-allow-origin': '*' } }));
    await page.goto(`${srv.url}?data=${encodeURIComponent(`${other.url}x.csv`)}`);
    await page.waitForTimeout(1500);
    const err = await page.$('[data-testid="load-error"]');
    const text = err ? await err.textContent() : '';
    assert.doesNotMatch(text, /refused/, 'an allow-listed origin is not refused');
    assert.ok(requests.some((u) => u.startsWith(other.url)) || /fetch/.test(text), 'the page fetched it (or the CSP blocked the connection)');
  }
  {
    // Same origin loads.
    const { page, problems } = await hostilePage();
    await page.goto(`${srv.url}?data=xss.csv`);
    await settle(page);
    assert.equal(await page.$('[data-testid="load-error"]'), null);
    assert.deepEqual(problems, []);
  }
});
