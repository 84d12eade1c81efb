// The module split at the routes (src/views/lazy.rs, scripts/wasm-split.mjs): a route's part is
// fetched once, the page says it is opening while the part is on its way, and a part that cannot
// be fetched (a deployment replaced under an open page) ends in the reload banner, not a dead page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveDist, openPage } from '../lib.mjs';

let browser, srv;
before(async () => {
  browser = await launch();
  srv = await serveDist();
});
after(async () => { await browser?.close(); srv?.server.close(); });

const isPart = (url) => /\/(split___|chunk_)[^/]*\.wasm$/.test(new URL(url).pathname);

test('a slow part: the opening bar shows until the route is there, then hides; the part is fetched once', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops`);
  await page.waitForSelector('[data-kpi="contacts"]', { timeout: 60_000 });
  assert.equal(await page.isHidden('[data-testid="route-loading"]'), true, 'no bar at rest');
  let fetched = 0;
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route((url) => isPart(url.href), async (route) => {
    fetched += 1;
    await held;
    await route.continue();
  });
  await page.click(`nav a[href="/settings"]`);
  await page.waitForSelector('[data-testid="route-loading"]:not([hidden])', { timeout: 10_000 });
  assert.equal(await page.$('[data-testid="settings-view"]'), null, 'the settings view is not there before its part');
  release();
  await page.waitForSelector('[data-testid="route-loading"][hidden]', { state: 'attached', timeout: 30_000 });
  assert.match(new URL(page.url()).pathname, /\/settings$/);
  await page.waitForSelector('[data-testid="settings-view"]');
  const first = fetched;
  assert.ok(first >= 1, 'the settings part was fetched');
  // Away and back: nothing fetched again.
  await page.click('nav a[href="/ops"]');
  await page.waitForSelector('[data-kpi="contacts"]');
  await page.click('nav a[href="/settings"]');
  await page.waitForURL(/\/settings$/);
  await page.waitForSelector('[data-testid="route-loading"][hidden]', { state: 'attached' });
  assert.equal(fetched, first, 'a part is fetched once per page');
  assert.deepEqual(problems, []);
});

// How a part goes missing: the file removed (404); a server with an SPA fallback answering the
// old part's URL with index.html (200, text/html), as most static hosts do after a deployment;
// the connection failing.
const MISSING = {
  'answered 404': (route) => route.fulfill({ status: 404, body: 'gone' }),
  'answered index.html by an SPA fallback': (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>omnikpi</title>' }),
  'the connection failed': (route) => route.abort('failed'),
};

for (const [how, answer] of Object.entries(MISSING)) {
  test(`a part that cannot be fetched (${how}) ends in the reload banner, not a dead page`, async () => {
    const { page } = await openPage(browser, `${srv.url}ops`);
    await page.waitForSelector('[data-kpi="contacts"]', { timeout: 60_000 });
    await page.route((url) => isPart(url.href), answer);
    await page.click('nav a[href="/agents"]');
    await page.waitForSelector('[data-testid="panic-banner"]', { timeout: 30_000 });
    assert.match(await page.textContent('[data-testid="panic-banner"]'), /Reload the page/);
    assert.equal(await page.locator('[data-testid="panic-banner"]').count(), 1);
    assert.ok((await page.getAttribute('[data-testid="panic-reload"]', 'href')).startsWith(srv.url));
  });
}
