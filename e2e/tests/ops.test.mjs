// /ops end to end: the tiles are the native engine's numbers for the same filter, filters live in
// the URL (and back/forward restore them), drill-down and exports give the right rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, tileValues, close, ROOT, openTableAlt, assertComparison } from '../lib.mjs';

const DATA = join(ROOT, 'public/data/demo.csv');
const CONFIG = join(ROOT, 'public/config.json');
// The app loads every configured source: contacts, agents and the daily series.
const INPUTS = ['--input', DATA, '--input', join(ROOT, 'public/data/agents.csv'), '--input', join(ROOT, 'public/data/daily.csv')];
let browser, srv;
before(async () => { browser = await launch(); srv = await serveDist(); });
after(async () => { await browser?.close(); srv?.server.close(); });

/** Tiles inside `root` with data-scope `scope`, as { id: value }. */
const tiles = (page, scope) => tileValues(page, `[data-kpi][data-scope="${scope}"]`);

/** The page's resolved day range. */
async function range(page) {
  return page.$eval('[data-testid="range"]', (e) => ({ from: e.dataset.from, to: e.dataset.to }));
}

/** `kpi report` arguments of the page's URL filter over `r`. */
function filterArgs(url, r) {
  const q = new URL(url).searchParams;
  const args = [...INPUTS, '--config', CONFIG, '--from', r.from, '--to', r.to];
  for (const d of ['channel', 'team', 'topic', 'segment', 'region', 'priority']) {
    if (q.get(d)) args.push('--filter', `${d}=${q.get(d)}`);
  }
  return args;
}

async function assertPeriodTiles(page) {
  const r = await range(page);
  const got = await tiles(page, 'period');
  const want = kpiReport(filterArgs(page.url(), r)).groups[0].kpis;
  const ids = ['contacts', 'sla', 'first_response_mean_s', 'abandonment_rate', 'aht_s', 'csat'];
  for (const id of ids) {
    assert.ok(id in got, `tile ${id} is on the page`);
    assert.ok(close(got[id], want[id]), `${id}: page ${got[id]} vs kpi ${want[id]} (${page.url()})`);
  }
  // The comparison the deltas are taken against: kpi report over the comparison's days.
  await assertComparison(page, (r) => filterArgs(page.url(), r), ids);
  return got;
}

async function waitUrl(page, pred) {
  for (let i = 0; i < 300 && !pred(new URL(page.url())); i++) await page.waitForTimeout(100);
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

test('ops renders on the demo data, tiles equal `kpi report`, no console error, screenshot', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  await assertPeriodTiles(page);
  // Today is the data's last day and "now" its last contact: the comparison stops at that time.
  const until = await page.$eval('[data-testid="range"]', (e) => e.dataset.until);
  assert.match(until ?? '', /^\d\d:\d\d:\d\d$/);
  assert.equal(await page.$eval('[data-testid="range"]', (e) => e.dataset.cmpUntil), until, 'the comparison (yesterday) is cut at the same time');
  assert.match(await page.textContent('[data-testid="range"]'), new RegExp(`until ${until.slice(0, 5)}$`));
  // Per channel: the same numbers as `kpi report --by channel`.
  const r = await range(page);
  const byChannel = kpiReport([...filterArgs(page.url(), r), '--by', 'channel']).groups;
  assert.ok(byChannel.length > 1, 'several channels');
  for (const g of byChannel) {
    const got = await tiles(page, g.key.channel);
    for (const id of ['sla', 'first_response_mean_s', 'abandonment_rate', 'aht_s']) {
      assert.ok(close(got[id], g.kpis[id]), `${g.key.channel} ${id}: page ${got[id]} vs kpi ${g.kpis[id]}`);
    }
  }
  // The live queue at the page's "now", per channel.
  const now = await page.$eval('[data-testid="now-strip"]', (e) => e.dataset.now);
  // Every contact in progress at now, whatever day it arrived (not only today's arrivals).
  const queue = kpiReport([...INPUTS, '--config', CONFIG, '--to', r.to, '--by', 'channel', '--now', now]).groups;
  for (const g of queue) {
    const got = await tiles(page, `now:${g.key.channel}`);
    assert.ok(close(got.queue_length, g.kpis.queue_length), `queue ${g.key.channel}: ${got.queue_length} vs ${g.kpis.queue_length}`);
  }
  // Occupancy today, from the agents table.
  const today = kpiReport([...INPUTS, '--config', CONFIG, '--from', r.to, '--to', r.to]).groups[0].kpis;
  const nowTiles = await tiles(page, 'now');
  assert.ok(close(nowTiles.occupancy, today.occupancy), `occupancy ${nowTiles.occupancy} vs ${today.occupancy}`);
  // Every tile states its band in words, and charts have a name and a table alternative.
  const bands = await page.$$eval('[data-testid="kpi-tile"] [data-testid="tile-band"]', (els) => els.map((e) => e.textContent.trim()));
  assert.ok(bands.every((b) => b.length > 0), 'band words present');
  for (const id of ['intraday', 'heatmap', 'topics']) {
    assert.ok(await page.$(`[data-testid="${id}"][aria-label] svg`), `${id} chart drawn`);
    assert.ok((await openTableAlt(page, id)) > 0, `${id} table alternative`);
  }
  // Top topics: the CSV has kpi report's contacts per topic and their share as fractions (no
  // grouped or percent text); the page shows the same cells as people read them.
  const byTopic = kpiReport([...filterArgs(page.url(), r), '--by', 'topic']).groups;
  const total = byTopic.reduce((a, g) => a + g.kpis.contacts, 0);
  const tcsv = await download(page, () => page.click('[data-testid="topics"] figcaption [data-testid="export-csv"]'));
  const [th, ...tr] = tcsv.text.trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(th, ['topic', 'contacts', 'share', 'previous_period', 'growth']);
  assert.ok(tr.length > 0);
  for (const row of tr) {
    const g = byTopic.find((x) => (x.key.topic || '(none)') === row[0]);
    assert.ok(g, `topic ${row[0]} in kpi report`);
    assert.equal(Number(row[1]), g.kpis.contacts, `${row[0]} contacts`);
    assert.ok(Math.abs(Number(row[2]) - g.kpis.contacts / total) < 1e-9, `${row[0]} share ${row[2]}`);
    assert.ok(row[4] === 'new' || Number.isFinite(Number(row[4])), `${row[0]} growth ${row[4]}`);
  }
  await page.click('[data-testid="topics"] details.table-alt summary');
  const tshown = await page.$$eval('[data-testid="topics"] details.table-alt tbody tr', (rows) =>
    rows.map((x) => [...x.querySelectorAll('td')].map((td) => [td.textContent, td.dataset.value ?? ''])));
  await page.click('[data-testid="topics"] details.table-alt summary');
  tshown.forEach((cells, i) => {
    assert.deepEqual(cells.map((c) => c[1]), tr[i].slice(1).map((v) => (v === 'new' ? '' : v)), `${tr[i][0]}: data-value is the CSV's cell`);
    assert.match(cells[1][0], /^\d+\.\d %$/, `${tr[i][0]} share on the page`);
    assert.ok(Math.abs(parseFloat(cells[1][0]) - Number(tr[i][2]) * 100) <= 0.05 + 1e-9);
    if (tr[i][4] === 'new') assert.equal(cells[3][0], 'new');
    else {
      assert.match(cells[3][0], /^[+-]\d+\.\d %$/, `${tr[i][0]} growth on the page`);
      assert.ok(Math.abs(parseFloat(cells[3][0]) - Number(tr[i][4]) * 100) <= 0.05 + 1e-9, `${tr[i][0]} growth ${cells[3][0]}`);
    }
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ROOT, 'e2e/screenshots/ops.png') });
  assert.deepEqual(problems, []);
});

test('ops filters live in the URL; values follow; back and forward restore', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  const first = await assertPeriodTiles(page);

  await page.selectOption('[data-testid="filter-period"]', '7d');
  await waitUrl(page, (u) => u.searchParams.get('period') === '7d');
  assert.equal(new URL(page.url()).searchParams.get('period'), '7d');
  await page.waitForFunction((v) => document.querySelector('[data-scope="period"][data-kpi="contacts"]')?.dataset.value !== v, String(first.contacts));
  const week = await assertPeriodTiles(page);
  assert.notEqual(week.contacts, first.contacts);

  await page.click('[data-testid="filter-channel"] summary');
  await page.check('[data-testid="filter-channel"] input[value="chat"]');
  await waitUrl(page, (u) => u.searchParams.get('channel') === 'chat');
  assert.equal(new URL(page.url()).searchParams.get('channel'), 'chat');
  await page.waitForFunction((v) => document.querySelector('[data-scope="period"][data-kpi="contacts"]')?.dataset.value !== v, String(week.contacts));
  const chat = await assertPeriodTiles(page);
  assert.ok(chat.contacts < week.contacts);
  // The other channels' rows stay in the page for the next filter change, but not on screen.
  const shownRows = () => page.$$eval('[data-testid="channels"] .channel-row, [data-testid="now-strip"] tbody tr',
    (rows) => rows.filter((r) => r.offsetParent !== null).map((r) => r.dataset.channel ?? r.querySelector('th').textContent.trim()));
  assert.deepEqual(await shownRows(), ['chat', 'chat']);

  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('channel'));
  await page.waitForFunction((v) => document.querySelector('[data-scope="period"][data-kpi="contacts"]')?.dataset.value === v, String(week.contacts));
  assert.ok((await shownRows()).length > 2, 'every channel shown again');
  assert.equal(new URL(page.url()).searchParams.get('period'), '7d');
  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('period'));
  await page.waitForFunction((v) => document.querySelector('[data-scope="period"][data-kpi="contacts"]')?.dataset.value === v, String(first.contacts));
  await page.goForward();
  await waitUrl(page, (u) => u.searchParams.get('period') === '7d');
  await page.waitForFunction((v) => document.querySelector('[data-scope="period"][data-kpi="contacts"]')?.dataset.value === v, String(week.contacts));
  assert.equal(await page.$eval('[data-testid="filter-period"]', (e) => e.value), '7d');
  // Theme toggle and TV mode are URL state too.
  await page.click('[data-testid="theme-toggle"]');
  await waitUrl(page, (u) => u.searchParams.has('theme'));
  const theme = new URL(page.url()).searchParams.get('theme');
  await page.waitForFunction(() => !!document.documentElement.dataset.theme);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
  await page.goto(`${srv.url}?tv=1`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  assert.match(new URL(page.url()).pathname, /\/ops$/);
  await page.waitForFunction(() => document.documentElement.classList.contains('tv'));
  assert.deepEqual(problems, []);
});

test('TV mode pages through a view taller than the screen, then shows the next view', async () => {
  // Nobody scrolls a wall display: every part of a view must come up on screen by itself.
  const { page, problems, context } = await openPage(browser, `${srv.url}ops?tv=1&tv_s=3`, { width: 1920, height: 1080 });
  await page.waitForSelector('[data-testid="heatmap"] svg rect.drill', { timeout: 60_000 });
  const geo = () => page.evaluate(() => ({ y: scrollY, h: innerHeight, total: document.documentElement.scrollHeight, path: location.pathname }));
  const g0 = await geo();
  assert.ok(g0.total > 1.5 * g0.h, `the operations view is taller than a screen (${g0.total} px against ${g0.h})`);
  // Screens of 85 % of the viewport: the count the corner shows is the page's own arithmetic
  // (taken when the corner shows it, since panels still arriving may lengthen the page).
  const first = await page.waitForFunction(() => {
    const n = 1 + Math.ceil((document.documentElement.scrollHeight - innerHeight - 2) / (0.85 * innerHeight));
    return document.querySelector('[data-testid="tv-screen"]')?.textContent.trim() === `1 / ${n}` && n;
  }, null, { timeout: 10_000 });
  const want = await first.jsonValue();
  assert.ok(want >= 2, `${want} screens`);
  const shown = (text) => page.waitForFunction((t) => document.querySelector('[data-testid="tv-screen"]')?.textContent.trim() === t, text, { timeout: 10_000 });
  // Each screen in turn, the last one at the bottom of the page; the heatmap (below the first
  // screen) comes into view on the way.
  let seenHeatmap = false;
  for (let k = 2; k <= want; k++) {
    await shown(`${k} / ${want}`);
    const g = await geo();
    assert.ok(g.y > 0 && g.path.endsWith('/ops'), JSON.stringify(g));
    const hm = await page.$eval('[data-testid="heatmap"]', (e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; });
    seenHeatmap ||= hm;
    if (k === want) assert.ok(g.y + g.h >= g.total - 3, `the last screen reaches the bottom: ${JSON.stringify(g)}`);
  }
  assert.ok(seenHeatmap || (await page.evaluate(() => document.querySelector('[data-testid="heatmap"]').getBoundingClientRect().top < innerHeight)), 'the heatmap was on a screen');
  // Then the next view, from its top, in TV mode still.
  await page.waitForFunction(() => location.pathname.endsWith('/exec'), null, { timeout: 10_000 });
  await page.waitForSelector('[data-scope="period"]', { timeout: 60_000 });
  const g = await geo();
  assert.equal(g.y, 0);
  assert.equal(new URL(page.url()).searchParams.get('tv'), '1');
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('tv')));
  assert.deepEqual(problems, []);
  await context.close();
});

test('charts after filter changes equal the charts of a fresh load', async () => {
  // A re-render rebuilds each chart and sparkline from the new numbers: after each change every
  // chart must read exactly as when the page is opened at that URL (none kept stale).
  const { page, problems } = await openPage(browser, `${srv.url}ops?period=30d`);
  const contacts = () => page.$eval('[data-scope="period"][data-kpi="contacts"]', (e) => e.dataset.value);
  // Each chart as markup with its attributes in name order, without the renderer's marker comments.
  const markup = (es) => {
    const canon = (n) => n.nodeType === 3 ? n.nodeValue : n.nodeType !== 1 ? ''
      : `<${n.nodeName} ${[...n.attributes].map((a) => `${a.name}="${a.value}"`).sort().join(' ')}>${[...n.childNodes].map(canon).join('')}</${n.nodeName}>`;
    return es.map((e) => [...e.childNodes].map(canon).join(''));
  };
  await page.waitForSelector('[data-testid="heatmap"] svg rect.drill', { timeout: 60_000 });
  const first = await page.$$eval('.chart-svg, .tile .spark', markup);
  await page.click('[data-testid="filter-channel"] summary');
  for (const ch of ['chat', 'voice', 'chat']) {
    const before = await contacts();
    await page.click(`[data-testid="filter-channel"] input[value="${ch}"]`);
    await page.waitForFunction((v) => document.querySelector('[data-scope="period"][data-kpi="contacts"]')?.dataset.value !== v, before);
    const changed = await page.$$eval('.chart-svg, .tile .spark', markup);
    assert.notDeepEqual(changed, first, 'the charts changed');
    const url = page.url();
    const fresh = await openPage(browser, url);
    await fresh.page.waitForSelector('[data-testid="heatmap"] svg rect.drill', { timeout: 60_000 });
    const want = await fresh.page.$$eval('.chart-svg, .tile .spark', markup);
    assert.ok(want.length >= 10, `charts and sparklines on the page (${want.length})`);
    assert.deepEqual(changed, want, `every chart at ${url}`);
    assert.deepEqual(fresh.problems, []);
    await fresh.context.close();
  }
  assert.deepEqual(problems, []);
});

test('ops drill-down lists and exports the contacts behind a number; charts narrow the filter', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops?period=7d&channel=voice`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  const got = await assertPeriodTiles(page);

  await page.click('[data-scope="period"][data-kpi="contacts"] [data-testid="tile-drill"]');
  await page.waitForSelector('[data-testid="drill-list"]');
  assert.equal(new URL(page.url()).searchParams.get('rows'), 'contacts');
  assert.equal(Number(await page.$eval('[data-testid="drill-list"]', (e) => e.dataset.count)), got.contacts);
  assert.equal(await page.$$eval('[data-testid="drill-list"] tbody tr', (r) => r.length), Math.min(25, got.contacts));
  // Sort by handle time, descending: the first row has the largest.
  await page.click('[data-testid="drill-list"] [data-sort="handle_s"]');
  await page.click('[data-testid="drill-list"] [data-sort="handle_s"]');
  await waitUrl(page, (u) => u.searchParams.get('sort') === '-handle_s');
  const handles = await page.$$eval('[data-testid="drill-list"] tbody tr td:nth-child(7)', (c) => c.map((x) => Number(x.textContent || -1)));
  assert.deepEqual(handles, [...handles].sort((a, b) => b - a));
  await page.click('[data-testid="page-next"]');
  await waitUrl(page, (u) => u.searchParams.get('page') === '2');
  assert.match(await page.textContent('[data-testid="page-info"]'), /Page 2 of/);

  const csv = await download(page, () => page.click('[data-testid="drill-list"] [data-testid="export-csv"]'));
  const lines = csv.text.trim().split('\n');
  assert.equal(lines[0].split(',')[0], 'id');
  assert.equal(lines.length - 1, got.contacts, 'one CSV row per contact');
  const ch = lines[0].split(',').indexOf('channel');
  assert.ok(lines.slice(1).every((l) => l.split(',')[ch] === 'voice'), 'only voice contacts');
  const handleCol = lines[0].split(',').indexOf('handle_s');
  const sum = lines.slice(1).map((l) => l.split(',')[handleCol]).filter((x) => x !== '').map(Number);
  assert.ok(close(sum.reduce((a, b) => a + b, 0) / sum.length, got.aht_s) || Math.abs(sum.reduce((a, b) => a + b, 0) / sum.length - got.aht_s) < 1e-3, 'AHT of the exported rows is the tile');

  // The heatmap: KPI picker in the URL, a cell opens its contacts, CSV equals the table.
  await page.selectOption('[data-testid="heatmap-kpi"]', 'contacts');
  // Each cell is one element, painted with its value's colour: the busiest cell has the
  // legend's top colour, cells without contacts are the no-data grey or the palette's low end.
  const cells = await page.$$eval('[data-testid="heatmap"] svg rect.drill', (rs) => rs.map((r) => ({
    fill: r.getAttribute('fill').toUpperCase(), value: r.dataset.tip.split('— ')[1] })));
  assert.equal(cells.length, 7 * 24, 'one element per weekday × hour cell');
  const counts = cells.map((c) => Number(c.value.replace(/,/g, '')));
  const top = await page.$eval('[data-testid="heatmap"] svg rect:not(.drill)[y="16"]', (r) => r.getAttribute('fill').toUpperCase());
  const busiest = cells[counts.indexOf(Math.max(...counts))];
  assert.equal(busiest.fill, top, 'the busiest cell has the legend\'s top colour');
  assert.ok(cells.every((c, i) => counts[i] === Math.max(...counts) || c.fill !== top), 'only the busiest cells are the top colour');
  const cell = await page.$('[data-testid="heatmap"] svg rect.drill');
  const cellTitle = await cell.getAttribute('data-tip');
  const cellValue = Number(cellTitle.split('— ')[1].replace(/,/g, ''));
  // Hovering a cell shows its text in the chart's one tooltip, above the cell; leaving hides it.
  assert.equal(await page.$('[data-testid="heatmap"] [data-testid="chart-tip"]'), null);
  await cell.hover();
  const tipEl = await page.waitForSelector('[data-testid="heatmap"] [data-testid="chart-tip"]');
  assert.equal(await tipEl.textContent(), cellTitle);
  const [tb, cb] = [await tipEl.boundingBox(), await cell.boundingBox()];
  assert.ok(tb.y + tb.height <= cb.y + 1 && Math.abs(tb.x + tb.width / 2 - (cb.x + cb.width / 2)) < 2, `tooltip above the cell: ${JSON.stringify([tb, cb])}`);
  await page.mouse.move(0, 0);
  await page.waitForSelector('[data-testid="heatmap"] [data-testid="chart-tip"]', { state: 'detached' });
  // With no list open, a cell opens the contacts of its weekday-hour, brought into sight.
  await page.click('[data-testid="drill-close"]');
  await page.waitForSelector('[data-testid="drill-list"]', { state: 'detached' });
  await page.click('[data-testid="heatmap"] svg rect.drill');
  await page.waitForFunction(() => new URL(location.href).searchParams.has('cell'));
  await page.waitForSelector('[data-testid="drill-list"]');
  assert.equal(new URL(page.url()).searchParams.get('rows'), 'contacts');
  assert.equal(Number(await page.$eval('[data-testid="drill-list"]', (e) => e.dataset.count)), cellValue);
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid="drill-list"]').getBoundingClientRect();
    return r.top >= -1 && r.top < innerHeight;
  }, null, { timeout: 5_000 });
  const hm = await download(page, () => page.click('[data-testid="heatmap"] figcaption [data-testid="export-csv"]'));
  const hmLines = hm.text.trim().split('\n');
  assert.equal(hmLines.length, 8, 'header and seven weekdays');
  const hmTotal = hmLines.slice(1).flatMap((l) => l.split(',').slice(1)).map(Number).reduce((a, b) => a + b, 0);
  assert.equal(hmTotal, got.contacts, 'heatmap cells add up to the contacts tile');
  const svg = await download(page, () => page.click('[data-testid="heatmap"] figcaption [data-testid="export-svg"]'));
  assert.match(svg.text, /^<svg/);
  // The file alone keeps its tooltips as SVG titles: the chart's, then one per cell.
  assert.match(svg.text, /^<svg[^>]*><title>[^<]+<\/title>/);
  assert.equal((svg.text.match(/<\/title><\/rect>/g) ?? []).length, 7 * 24);
  assert.ok(svg.text.includes(`<title>${cellTitle}</title></rect>`), 'a cell\'s text is its title');
  const png = await download(page, () => page.click('[data-testid="heatmap"] figcaption [data-testid="export-png"]'));
  assert.equal(png.name, 'heatmap.png');
  assert.equal(png.text.slice(1, 4), 'PNG', 'a PNG image');

  // A topic bar narrows the filter to the topic.
  const bar = await page.$('[data-testid="topics"] svg rect.drill');
  const topic = (await bar.getAttribute('data-tip')).split(':')[0];
  await bar.click();
  await waitUrl(page, (u) => u.searchParams.has('topic'));
  assert.equal(new URL(page.url()).searchParams.get('topic'), topic);
  await page.waitForFunction(() => document.querySelector('[data-testid="filter-topic"] summary')?.textContent.includes(':') && !document.querySelector('[data-testid="filter-topic"] summary').textContent.endsWith('all'));
  await assertPeriodTiles(page);
  assert.deepEqual(problems, []);
});

test('a comparison period before the data began is no data on every tile, not a fall from zero', async () => {
  // The demo data's first local day, from the file itself.
  const [head, ...lines] = readFileSync(DATA, 'utf8').trim().split('\n');
  const at = head.split(',').indexOf('arrived_at');
  const first = lines.map((l) => new Date(l.split(',')[at]).getTime()).reduce((a, b) => Math.min(a, b));
  const firstDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(first);
  const { page, problems } = await openPage(browser, `${srv.url}ops?period=30d&compare=last_year`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  const c = await page.$eval('[data-testid="range"]', (e) => ({ ...e.dataset, text: e.textContent }));
  assert.ok(c.cmpTo < firstDay, `last year (${c.cmpFrom}–${c.cmpTo}) ends before the data's first day ${firstDay}`);
  assert.equal(c.cmpCovered, 'false');
  assert.match(c.text, /no data for the comparison/);
  const tile = await page.$eval('[data-scope="period"][data-kpi="contacts"]', (e) => ({
    value: Number(e.dataset.value), cmp: e.dataset.cmp, delta: e.querySelector('[data-testid="tile-delta"]').textContent,
  }));
  assert.ok(tile.value > 0);
  assert.ok(tile.cmp === undefined || tile.cmp === '', `no comparison value, got ${tile.cmp}`);
  assert.equal(tile.delta, 'no comparison with last year');
  await assertPeriodTiles(page);
  // The previous 30 days are inside the data: compared as before.
  await page.selectOption('[data-testid="filter-compare"]', 'previous');
  await waitUrl(page, (u) => u.searchParams.get('compare') === 'previous');
  await page.waitForFunction(() => document.querySelector('[data-testid="range"]')?.dataset.cmpCovered === 'true');
  const cmp = await page.$eval('[data-scope="period"][data-kpi="contacts"]', (e) => Number(e.dataset.cmp));
  assert.ok(cmp > 0);
  await assertPeriodTiles(page);
  assert.deepEqual(problems, []);
});

test('the view links carry the filter and the theme, and leave a view\'s own keys behind', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops?period=7d&channel=chat&hm=csat&theme=dark`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  const opsRange = await range(page);
  await page.click('nav[aria-label="Views"] a:text("Executive")');
  await page.waitForFunction(() => location.pathname.endsWith('/exec'));
  await page.waitForSelector('[data-scope="period"][data-kpi="csat"]', { timeout: 60_000 });
  const q = new URL(page.url()).searchParams;
  assert.deepEqual([q.get('period'), q.get('channel'), q.get('theme'), q.get('hm')], ['7d', 'chat', 'dark', null]);
  assert.deepEqual(await range(page), opsRange);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.ok(await page.isChecked('[data-testid="filter-channel"] input[value="chat"]'), 'the channel filter is still chat');
  assert.deepEqual(problems, []);
});

test('the heatmap is one keyboard stop; arrow keys move along its rows and columns, Enter drills', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops?period=30d`);
  await page.waitForSelector('[data-testid="heatmap"] svg rect.drill', { timeout: 60_000 });
  const stops = await page.$$eval('[data-testid="heatmap"] svg rect.drill', (rs) => rs.map((r) => r.getAttribute('tabindex')));
  assert.equal(stops.length, 168, 'a cell a weekday-hour');
  assert.deepEqual([stops.filter((t) => t === '0').length, stops.filter((t) => t === '-1').length], [1, 167]);
  // From the one stop, the arrows.
  await page.focus('[data-testid="heatmap"] svg rect.drill[tabindex="0"]');
  const at = () => page.evaluate(() => {
    const e = document.activeElement;
    return { x: +e.getAttribute('x'), y: +e.getAttribute('y'), drill: e.dataset.drill, tip: e.dataset.tip, stop: e.getAttribute('tabindex') };
  });
  const a = await at();
  await page.keyboard.press('ArrowRight');
  const b = await at();
  assert.ok(b.x > a.x && b.y === a.y, `right: same row, next column (${JSON.stringify([a, b])})`);
  await page.keyboard.press('ArrowDown');
  const c = await at();
  assert.ok(c.y > b.y && c.x === b.x, `down: same column, next row (${JSON.stringify([b, c])})`);
  assert.equal(c.stop, '0');
  assert.equal(await page.$$eval('[data-testid="heatmap"] svg rect.drill[tabindex="0"]', (r) => r.length), 1, 'the focused cell is now the stop');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  assert.deepEqual(await at(), { ...a, stop: '0' }, 'back where it started');
  // Left of the first column and above the first row: focus stays.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await at()).drill, a.drill);
  await page.keyboard.press('ArrowRight');
  const d = await at();
  await page.keyboard.press('Enter');
  // The drill is the cell's own (its weekday and hour) in the URL.
  await waitUrl(page, (u) => d.drill.split('&').every((kv) => { const [k, v] = kv.split('='); return u.searchParams.get(k) === v; }));
  assert.deepEqual(problems, []);
});

test('a filter\'s list closes on Esc, giving the focus back to its button, when the focus moves on, and on a press outside it', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  const open = (dim) => page.$eval(`[data-testid="filter-${dim}"]`, (d) => d.open);
  await page.click('[data-testid="filter-channel"] summary');
  assert.equal(await open('channel'), true);
  await page.focus('[data-testid="filter-channel"] input[value="chat"]');
  await page.keyboard.press('Escape');
  assert.equal(await open('channel'), false);
  assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid="filter-channel"]') !== null && document.activeElement.tagName), 'SUMMARY');
  await page.click('[data-testid="filter-team"] summary');
  assert.equal(await open('team'), true);
  await page.focus('[data-testid="filter-reset"]');
  assert.equal(await open('team'), false);
  // A press on empty page closes it too; a press on a label inside it does not.
  await page.click('[data-testid="filter-channel"] summary');
  await page.click('[data-testid="filter-channel"] label:has(input[value="chat"])');
  assert.equal(await open('channel'), true);
  const box = await page.locator('main').boundingBox();
  await page.mouse.click(box.x + box.width - 5, box.y + box.height - 5);
  assert.equal(await open('channel'), false);
  assert.deepEqual(problems, []);
});

test('the now strip\'s queue is every contact in progress at now, whatever day it arrived', async () => {
  // Saturday's unanswered email (b1) is still waiting on Monday at 09:30, beside Monday's (b4).
  const { page, problems } = await openPage(browser, `${srv.url}data`);
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  await page.setInputFiles('[data-testid="file-input"]', join(ROOT, 'e2e/fixtures/backlog.csv'));
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  await page.click('nav[aria-label="Views"] a[href*="/ops"]');
  await page.waitForSelector('[data-testid="now-strip"]', { timeout: 60_000 });
  assert.equal(await page.$eval('[data-testid="now-strip"]', (e) => e.dataset.now), String(Date.parse('2026-11-16T09:30:00Z') / 1000));
  const email = await tiles(page, 'now:email');
  assert.equal(email.queue_length, 2, 'both waiting emails, not only the one that arrived today');
  const want = kpiReport(['--input', join(ROOT, 'e2e/fixtures/backlog.csv'), '--by', 'channel', '--now', String(Date.parse('2026-11-16T09:30:00Z') / 1000)]).groups;
  assert.equal(want.find((g) => g.key.channel === 'email').kpis.queue_length, 2);
  assert.equal((await tiles(page, 'now:voice')).queue_length, 0);
  // The contacts behind the queue are the same two (the list is not cut to today's arrivals).
  await page.evaluate(() => {
    history.pushState({}, '', `${location.pathname}?channel=email&rows=queue_length`);
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.waitForSelector('[data-testid="drill-list"]', { timeout: 30_000 });
  assert.equal(await page.$eval('[data-testid="drill-list"]', (e) => e.dataset.count), '2');
  assert.deepEqual(problems, []);
});

test('an agent_id key in an /ops link is said not to apply there; on /agents it filters', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops?agent_id=A01`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid="ignored-keys"]'), /Agents view only/);
  await page.goto(`${srv.url}agents?agent_id=A01`);
  await page.waitForSelector('[data-testid="agent-filter"]', { timeout: 60_000 });
  assert.equal(await page.$('[data-testid="ignored-keys"]'), null);
  assert.deepEqual(problems, []);
});
