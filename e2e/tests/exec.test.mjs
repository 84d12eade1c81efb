// /exec end to end: North Star and strategic tiles are the native engine's numbers for the same
// filter; filters in the URL with back/forward; trends export the engine's buckets; print fits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, tileValues, close, ROOT, openTableAlt, assertComparison } from '../lib.mjs';

const DATA = join(ROOT, 'public/data/demo.csv');
const CONFIG = join(ROOT, 'public/config.json');
// The app loads every configured source: contacts, agents and the daily series.
const INPUTS = ['--input', DATA, '--input', join(ROOT, 'public/data/agents.csv'), '--input', join(ROOT, 'public/data/daily.csv')];
const IDS = ['csat', 'nps', 'ces', 'csat_satisfied', 'fcr', 'art_s', 'cost_per_resolution', 'retention', 'churn'];
let browser, srv;
before(async () => { browser = await launch(); srv = await serveDist(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const tiles = (page) => tileValues(page);

async function range(page) {
  return page.$eval('[data-testid="range"]', (e) => ({ from: e.dataset.from, to: e.dataset.to }));
}

function filterArgs(url, r) {
  const q = new URL(url).searchParams;
  const args = [...INPUTS, '--config', CONFIG, '--from', r.from, '--to', r.to];
  for (const d of ['channel', 'team', 'topic', 'segment', 'region', 'priority']) {
    if (q.get(d)) args.push('--filter', `${d}=${q.get(d)}`);
  }
  return args;
}

async function assertTiles(page) {
  const got = await tiles(page);
  const want = kpiReport(filterArgs(page.url(), await range(page))).groups[0].kpis;
  for (const id of IDS) {
    assert.ok(id in got, `tile ${id} is on the page`);
    assert.ok(close(got[id], want[id]), `${id}: page ${got[id]} vs kpi ${want[id]} (${page.url()})`);
  }
  // The comparison the deltas are taken against: kpi report over the comparison's days.
  await assertComparison(page, (r) => filterArgs(page.url(), r), IDS);
  return got;
}

async function waitUrl(page, pred) {
  for (let i = 0; i < 300 && !pred(new URL(page.url())); i++) await page.waitForTimeout(100);
}

async function waitValue(page, id, pred) {
  for (let i = 0; i < 300; i++) {
    const v = await page.$eval(`[data-scope="period"][data-kpi="${id}"]`, (e) => e.dataset.value).catch(() => null);
    if (v !== null && pred(v)) return v;
    await page.waitForTimeout(100);
  }
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

test('exec renders on the demo data, tiles equal `kpi report`, drivers and trends shown, screenshot', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}exec`);
  await page.waitForSelector('[data-scope="period"][data-kpi="csat"]', { timeout: 60_000 });
  await assertTiles(page);
  const deltas = await page.$$eval('[data-testid="north-star"] [data-testid="tile-delta"]', (els) => els.map((e) => e.textContent));
  assert.ok(deltas.some((d) => /previous period/.test(d)), 'deltas against the previous period');
  const moved = await page.$$eval('[data-testid="what-moved"] li', (els) => els.map((e) => e.textContent));
  assert.ok(moved.length > 0, 'what moved has sentences');
  assert.ok(moved.every((s) => /(rose|fell|did not change) .*against/.test(s)), moved.join('\n'));
  for (const id of ['trend-weekly', 'trend-monthly', 'channel-mix']) {
    assert.ok(await page.$(`[data-testid="${id}"][aria-label] svg`), `${id} drawn`);
    assert.ok((await openTableAlt(page, id)) > 0, `${id} table alternative`);
  }
  // Weeks the period cuts are marked partial, with the days they hold. The weekly trend is the
  // 13 ISO weeks to the period's last day (the data's), the channel mix the 52 weeks to it: both
  // start on a Monday, so only the last week can be partial (when the data ends before Sunday).
  const { to } = await range(page);
  const day = (s) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
  const isoWeekday = (d) => (((d + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Monday = 0
  const end = day(to);
  for (const [id, weeks] of [['trend-weekly', 13], ['channel-mix', 52]]) {
    const tips = await page.$$eval(`[data-testid="${id}"] svg rect[data-tip]`, (r) => r.map((x) => x.dataset.tip));
    assert.equal(tips.length, weeks, `${id}: ${weeks} weeks`);
    const last = isoWeekday(end) + 1;
    const note = (k) => `partial: ${k} of 7 days in the range and the data`;
    if (last < 7) assert.ok(tips.at(-1).endsWith(note(last)), `${id}: last week ${tips.at(-1)}`);
    else assert.ok(!tips.at(-1).includes('partial'), `${id}: last week whole`);
    assert.ok(tips.slice(0, -1).every((t) => !t.includes('partial')), `${id}: the weeks before the last are whole: ${tips.filter((t) => t.includes('partial'))}`);
    const shaded = await page.$$eval(`[data-testid="${id}"] svg rect[fill="#8C8C96"][opacity="0.16"]`, (r) => r.length);
    assert.ok(shaded >= (last < 7 ? 1 : 0), `${id}: partial weeks shaded`);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ROOT, 'e2e/screenshots/exec.png') });
  assert.deepEqual(problems, []);
});

test('exec filters live in the URL; values follow; back and forward restore', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}exec`);
  await page.waitForSelector('[data-scope="period"][data-kpi="csat"]', { timeout: 60_000 });
  const first = await assertTiles(page);
  await page.selectOption('[data-testid="filter-period"]', 'last_month');
  await waitUrl(page, (u) => u.searchParams.get('period') === 'last_month');
  await waitValue(page, 'csat', (v) => v !== String(first.csat));
  const month = await assertTiles(page);
  await page.selectOption('[data-testid="filter-compare"]', 'last_year');
  await waitUrl(page, (u) => u.searchParams.get('compare') === 'last_year');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="north-star"] [data-testid="tile-delta"]')].some((e) => /last year/.test(e.textContent)));
  await page.click('[data-testid="filter-channel"] summary');
  await page.check('[data-testid="filter-channel"] input[value="email"]');
  await waitUrl(page, (u) => u.searchParams.get('channel') === 'email');
  await waitValue(page, 'csat', (v) => v !== String(month.csat));
  await assertTiles(page);
  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('channel'));
  await waitValue(page, 'csat', (v) => v === String(month.csat));
  assert.equal(new URL(page.url()).searchParams.get('compare'), 'last_year');
  await page.goBack();
  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('period'));
  await waitValue(page, 'csat', (v) => v === String(first.csat));
  await page.goForward();
  await waitUrl(page, (u) => u.searchParams.get('period') === 'last_month');
  await waitValue(page, 'csat', (v) => v === String(month.csat));
  await assertTiles(page);
  assert.deepEqual(problems, []);
});

test('exec drill-down and exports: contacts behind CSAT, weekly trend CSV is the engine\'s weeks, print fits two pages', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}exec?channel=chat`);
  await page.waitForSelector('[data-scope="period"][data-kpi="csat"]', { timeout: 60_000 });
  await assertTiles(page);
  const r = await range(page);
  const total = kpiReport(filterArgs(page.url(), r)).groups[0].kpis;
  // A KPI of the daily table has no contacts behind it: no list, but where it comes from.
  const retention = '[data-scope="period"][data-kpi="retention"]';
  assert.equal(await page.$(`${retention} [data-testid="tile-drill"]`), null, 'retention has no contact list');
  assert.equal(await page.textContent(`${retention} [data-testid="tile-source"]`), 'daily table');
  await page.click('[data-scope="period"][data-kpi="csat"] [data-testid="tile-drill"]');
  await page.waitForSelector('[data-testid="drill-list"]');
  // The contacts CSAT is the mean of: those that answered the survey, each of them.
  const listed = Number(await page.$eval('[data-testid="drill-list"]', (e) => e.dataset.count));
  assert.ok(listed > 0 && listed < total.contacts, `${listed} of ${total.contacts} contacts answered`);
  const csv = await download(page, () => page.click('[data-testid="drill-list"] [data-testid="export-csv"]'));
  const lines = csv.text.trim().split('\n');
  const head = lines[0].split(',');
  assert.equal(lines.length - 1, listed);
  assert.ok(lines.slice(1).every((l) => l.split(',')[head.indexOf('csat')] !== ''), 'every listed contact has a CSAT answer');
  const scores = lines.slice(1).map((l) => l.split(',')[head.indexOf('csat')]).filter((x) => x !== '').map(Number);
  assert.ok(close(total.csat_satisfied, scores.filter((s) => s >= 4).length / listed), 'satisfied share of the listed answers is the KPI');
  assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) / scores.length - total.csat) < 1e-9, 'mean CSAT of the exported rows is the tile');
  assert.ok(lines.slice(1).every((l) => l.split(',')[head.indexOf('channel')] === 'chat'));

  const weekly = await download(page, () => page.click('[data-testid="trend-weekly"] figcaption [data-testid="export-csv"]'));
  const wl = weekly.text.trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(wl[0].slice(0, 2), ['week', 'csat']);
  // The 13 ISO weeks to the period's end, from a Monday: the first week whole.
  const to = r.to;
  const endDay = Date.parse(to) / 86400e3;
  const monday = endDay - ((((endDay + 3) % 7) + 7) % 7);
  const from = new Date((monday - 84) * 86400e3).toISOString().slice(0, 10);
  const weeks = kpiReport([...INPUTS, '--config', CONFIG, '--from', from, '--to', to, '--filter', 'channel=chat', '--by', 'week']).groups;
  assert.equal(wl.length - 1, 13, 'thirteen weeks');
  assert.equal(weeks.length, 13);
  assert.equal(wl[1][0], weeks[0].key.week, 'the first week is the report\'s first, whole week');
  for (const g of weeks) {
    const row = wl.find((x) => x[0] === g.key.week);
    assert.ok(row, `week ${g.key.week} in the CSV`);
    assert.ok(close(row[1] === '' ? null : Number(row[1]), g.kpis.csat), `${g.key.week}: ${row[1]} vs ${g.kpis.csat}`);
  }
  const svg = await download(page, () => page.click('[data-testid="channel-mix"] figcaption [data-testid="export-svg"]'));
  assert.match(svg.text, /^<svg/);

  await page.click('[data-testid="drill-close"]');
  await waitUrl(page, (u) => !u.searchParams.has('rows'));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('[data-testid="filter-bar"]'), false, 'no filter bar on paper');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 2, `prints on ${pages} pages`);
  assert.deepEqual(problems, []);
});
