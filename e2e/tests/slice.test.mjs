// The first slice, end to end: the page's numbers are the native engine's numbers for the same file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, tileValues, close, ROOT } from '../lib.mjs';

let browser, srv;
before(async () => { browser = await launch(); srv = await serveDist(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('ops tiles over the whole data equal `kpi report` on the bundled data, with no console error', async () => {
  // `/` shows the operations view; first find the data's day range, then ask for all of it.
  const { page, problems } = await openPage(browser, srv.url);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  assert.match(new URL(page.url()).pathname, /\/ops$/);
  const want = kpiReport(['--input', join(ROOT, 'public/data/demo.csv'), '--config', join(ROOT, 'public/config.json'), '--by', 'day']).groups;
  const from = want[0].key.day, to = want.at(-1).key.day;
  await page.goto(`${srv.url}ops?period=custom&from=${from}&to=${to}`);
  await page.waitForSelector(`[data-testid="range"][data-from="${from}"]`, { timeout: 60_000 });
  const got = await tileValues(page);
  const all = kpiReport(['--input', join(ROOT, 'public/data/demo.csv'), '--config', join(ROOT, 'public/config.json')]).groups[0].kpis;
  for (const id of ['contacts', 'aht_s', 'csat']) {
    assert.ok(id in got, `tile ${id} is on the page`);
    assert.ok(close(got[id], all[id]), `${id}: page ${got[id]} vs kpi ${all[id]}`);
  }
  assert.ok(got.contacts > 0, 'the demo data has contacts');
  const svg = await page.$('[data-testid="intraday"] svg polyline, [data-testid="intraday"] svg path');
  assert.ok(svg, 'the intraday chart drew a line');
  assert.deepEqual(problems, []);
});
