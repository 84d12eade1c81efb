// Workbooks are parsed in a web worker (calamine stays out of the main module). The numbers the
// page shows for an .xlsx source must equal the native `kpi` reading the same workbook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, serveDistWith, openPage, kpiReport, tileValues, close, ROOT } from '../lib.mjs';

const FIXTURE = join(ROOT, 'e2e/fixtures/contacts.xlsx');
let browser, srv;
before(async () => {
  srv = await serveDistWith({
    files: { 'data/contacts.xlsx': FIXTURE },
    sources: [{ name: 'workbook', url: 'data/contacts.xlsx' }],
  });
  browser = await launch();
});
after(async () => { await browser?.close(); srv?.cleanup(); });

test('an .xlsx source is read by the worker and gives the native engine\'s numbers', async () => {
  // An explicit range: the default period follows the calendar, the fixture's days do not.
  const { page, problems } = await openPage(browser, `${srv.url}?period=custom&from=2025-11-01&to=2025-12-31`);
  await page.waitForSelector('[data-testid="range"][data-from="2025-11-01"]', { timeout: 60_000 });
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  const got = await tileValues(page);
  const want = kpiReport(['--input', FIXTURE]).groups[0].kpis;
  assert.equal(want.contacts, 400, 'the fixture has 400 contacts');
  for (const id of ['contacts', 'aht_s', 'csat']) {
    assert.ok(id in got, `tile ${id} is on the page`);
    assert.ok(close(got[id], want[id]), `${id}: page ${got[id]} vs kpi ${want[id]}`);
  }
  assert.ok('contacts' in got);
  const workers = await page.evaluate(() => document.querySelector('meta[name=omnikpi-xlsx-worker]')?.content);
  assert.match(workers ?? '', /_loader\.js$/);
  assert.deepEqual(problems, []);
});
