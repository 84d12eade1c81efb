// Embedding: the portal example page with two widgets (`?embed=1&view=tiles&kpis=…&theme=…`),
// heights posted to the parent, filter messages from the portal obeyed, and filter messages
// from origins outside `allowed_origins` ignored; `?embed=1` on a view drops the chrome.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDist, openPage } from '../lib.mjs';

let browser, srv;
before(async () => { browser = await launch(); srv = await serveDist(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const kpis = (frame) => frame.$$eval('[data-kpi]', (es) => es.map((e) => [e.dataset.kpi, e.dataset.value]));

test('the portal page shows two widgets that size their frames and follow its filter', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}embed-example.html`);
  const cx = page.frameLocator('#w-cx');
  const ops = page.frameLocator('#w-ops');
  await cx.locator('[data-kpi="csat"]').waitFor({ timeout: 60_000 });
  await ops.locator('[data-kpi="contacts"]').waitFor({ timeout: 60_000 });
  const fcx = page.frame({ url: /kpis=csat,nps/ });
  const fops = page.frame({ url: /kpis=contacts/ });
  assert.deepEqual((await kpis(fcx)).map((k) => k[0]), ['csat', 'nps'], 'just the tiles asked for');
  assert.deepEqual((await kpis(fops)).map((k) => k[0]), ['contacts', 'queue_length', 'aht_s']);
  // No chrome inside the frames; the theme of each.
  assert.equal(await fcx.isVisible('.topbar'), false);
  assert.equal(await fops.isVisible('.topbar'), false);
  assert.equal(await fcx.getAttribute('html', 'data-theme'), 'light');
  assert.equal(await fops.getAttribute('html', 'data-theme'), 'dark');
  // Heights posted and applied.
  await page.waitForFunction(() => { const h = JSON.parse(document.getElementById('log').dataset.heights ?? '{}'); return h.cx > 0 && h.ops > 0; }, null, { timeout: 20_000 });
  const heights = JSON.parse(await page.getAttribute('#log', 'data-heights'));
  for (const [id, h] of Object.entries(heights)) {
    const style = await page.$eval(`iframe[data-widget="${id}"]`, (f) => f.style.height);
    assert.equal(style, `${h}px`);
    const content = await page.frame({ url: id === 'cx' ? /kpis=csat/ : /kpis=contacts/ }).evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    assert.ok(Math.abs(content - h) <= 2, `${id}: posted ${h}, content ${content}`);
  }
  // The portal's channel picker filters both widgets.
  const all = Number((await kpis(fops))[0][1]);
  await page.selectOption('[data-testid="portal-channel"]', 'voice');
  await page.waitForFunction(() => [...document.querySelectorAll('iframe')].every((f) => f.contentWindow.location.search.includes('channel=voice')), null, { timeout: 10_000 });
  await fops.waitForFunction((n) => Number(document.querySelector('[data-kpi="contacts"]')?.dataset.value) !== n, all, { timeout: 10_000 });
  const voice = Number((await kpis(fops))[0][1]);
  assert.ok(voice > 0 && voice < all, `voice ${voice} < all ${all}`);
  await page.selectOption('[data-testid="portal-channel"]', '');
  await fops.waitForFunction((n) => Number(document.querySelector('[data-kpi="contacts"]')?.dataset.value) === n, all, { timeout: 10_000 });
  await page.screenshot({ path: new URL('../screenshots/embed-example.png', import.meta.url).pathname });
  assert.deepEqual(problems, []);
});

test('filter messages are obeyed only from the page origin or allowed_origins', async () => {
  const { page } = await openPage(browser);
  await page.route('**/config.json', async (r) => {
    const res = await r.fetch();
    const cfg = await res.json();
    cfg.allowed_origins = ['https://portal.example.com'];
    await r.fulfill({ response: res, json: cfg });
  });
  await page.goto(`${srv.url}?embed=1&view=tiles&kpis=contacts&period=12m`);
  await page.waitForSelector('[data-kpi="contacts"]', { timeout: 60_000 });
  const send = (origin, channel) => page.evaluate(([o, c]) => window.dispatchEvent(new MessageEvent('message', { origin: o, data: { type: 'omnikpi:filter', filters: { channel: [c] } } })), [origin, channel]);
  await send('https://evil.example.net', 'chat');
  await send('null', 'chat');
  await page.waitForTimeout(500);
  assert.doesNotMatch(page.url(), /channel=/, 'ignored from an unlisted origin');
  await send('https://portal.example.com', 'email');
  await page.waitForFunction(() => location.search.includes('channel=email'), null, { timeout: 5000 });
});

test('?embed=1 on a view drops the navigation and page chrome', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops?embed=1`);
  await page.waitForSelector('[data-kpi]', { timeout: 60_000 });
  assert.equal(await page.isVisible('.topbar'), false);
  assert.equal(await page.isVisible('header nav'), false);
  const normal = await openPage(browser, `${srv.url}ops`);
  await normal.page.waitForSelector('.topbar', { timeout: 30_000 });
  assert.equal(await normal.page.isVisible('.topbar'), true);
  assert.deepEqual(problems, []);
});
