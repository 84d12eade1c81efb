// The first slice, end to end: the page's numbers are the native engine's numbers for the same file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, tileValues, close, ROOT } from '../lib.mjs';

let browser, srv;
before(async () => { browser = await launch(); srv = await serveDist(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('overview tiles equal `kpi report` on the bundled data, with no console error', async () => {
  const { page, problems } = await openPage(browser, srv.url);
  await page.waitForSelector('[data-kpi="contacts"]', { timeout: 30_000 });
  const got = await tileValues(page);
  const want = kpiReport(['--input', join(ROOT, 'public/data/demo.csv')]).groups[0].kpis;
  for (const id of ['contacts', 'aht_s', 'csat']) {
    assert.ok(id in got, `tile ${id} is on the page`);
    assert.ok(close(got[id], want[id]), `${id}: page ${got[id]} vs kpi ${want[id]}`);
  }
  assert.ok(got.contacts > 0, 'the demo data has contacts');
  const svg = await page.$('[data-testid="trend-contacts"] svg polyline, [data-testid="trend-contacts"] svg path');
  assert.ok(svg, 'the trend chart drew a line');
  await page.screenshot({ path: join(ROOT, 'e2e/screenshots/overview.png') });
  assert.deepEqual(problems, []);
});
