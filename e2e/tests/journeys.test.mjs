// /journeys end to end: the journey and automation tiles are the native engine's numbers for the
// same range and filter; the transition matrix and the usage table export what an independent
// count over demo.csv gives; a matrix cell narrows the channel filter; back/forward restore.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, tileValues, close, ROOT, openTableAlt } from '../lib.mjs';

const DATA = join(ROOT, 'public/data/demo.csv');
const CONFIG = join(ROOT, 'public/config.json');
// The app loads every configured source: contacts, agents and the daily series.
const INPUTS = ['--input', DATA, '--input', join(ROOT, 'public/data/agents.csv'), '--input', join(ROOT, 'public/data/daily.csv')];
const IDS = ['migration_rate', 'switches_per_case', 'journey_completion', 'cross_channel_resolution', 'bot_containment', 'handoff_mean_s', 'handoff_p90_s'];
let browser, srv, from, to, contacts;
before(async () => {
  browser = await launch();
  srv = await serveDist();
  // The whole demo data: its first and last day.
  const days = kpiReport(['--input', DATA, '--config', CONFIG, '--by', 'day']).groups;
  from = days[0].key.day;
  to = days.at(-1).key.day;
  contacts = readContacts();
});
after(async () => { await browser?.close(); srv?.server.close(); });

/** demo.csv's rows as { case, channel, at, resolved } in file order (the file has no quoting). */
function readContacts() {
  const [head, ...lines] = readFileSync(DATA, 'utf8').trim().split('\n');
  const col = Object.fromEntries(head.split(',').map((h, i) => [h, i]));
  return lines.map((l) => {
    const f = l.split(',');
    return { case: f[col.case_id] || f[col.id], channel: f[col.channel], at: Date.parse(f[col.arrived_at]), resolved: f[col.resolved] === 'true' };
  });
}

/** Transition counts `from>to` between consecutive contacts of the cases whose first contact is on
 * one of `channels` (all cases when empty), over the whole data. */
function transitions(channels = []) {
  const byCase = new Map();
  contacts.forEach((c, i) => {
    if (!byCase.has(c.case)) byCase.set(c.case, []);
    byCase.get(c.case).push([c.at, i, c.channel]);
  });
  const out = {};
  for (const list of byCase.values()) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    if (channels.length && !channels.includes(list[0][2])) continue;
    for (let k = 1; k < list.length; k++) {
      const key = `${list[k - 1][2]}>${list[k][2]}`;
      out[key] = (out[key] ?? 0) + 1;
    }
  }
  return out;
}

/** The matrix CSV as `from>to` counts (zeros left out). */
function matrixCounts(csv) {
  const [head, ...rows] = csv.trim().split('\n').map((l) => l.split(','));
  assert.equal(head[0], 'from \\ to');
  const out = {};
  for (const r of rows) {
    r.slice(1).forEach((v, k) => { if (Number(v) > 0) out[`${r[0]}>${head[k + 1]}`] = Number(v); });
  }
  return out;
}

function filterArgs(url) {
  const q = new URL(url).searchParams;
  const args = [...INPUTS, '--config', CONFIG, '--from', from, '--to', to];
  for (const d of ['channel', 'team', 'topic', 'segment', 'region', 'priority']) {
    if (q.get(d)) args.push('--filter', `${d}=${q.get(d)}`);
  }
  return args;
}

async function assertTiles(page) {
  const got = await tileValues(page);
  const want = kpiReport(filterArgs(page.url())).groups[0].kpis;
  for (const id of IDS) {
    assert.ok(id in got, `tile ${id} is on the page`);
    assert.ok(close(got[id], want[id]), `${id}: page ${got[id]} vs kpi ${want[id]} (${page.url()})`);
  }
  return got;
}

async function waitUrl(page, pred) {
  for (let i = 0; i < 300 && !pred(new URL(page.url())); i++) await page.waitForTimeout(100);
  assert.ok(pred(new URL(page.url())), `URL ${page.url()}`);
}

/** Waits until the tile `id` shows `pred`-matching data-value. */
async function waitValue(page, id, pred) {
  for (let i = 0; i < 300; i++) {
    const v = await page.$eval(`[data-scope="period"][data-kpi="${id}"]`, (e) => e.dataset.value).catch(() => null);
    if (v !== null && pred(v)) return v;
    await page.waitForTimeout(100);
  }
  assert.fail(`tile ${id} never matched`);
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

const url = (extra = '') => `${srv.url}journeys?period=custom&from=${from}&to=${to}${extra}`;

test('journeys renders on the demo data: tiles equal `kpi report`, matrix and usage exports are the data\'s counts, screenshot', async () => {
  const { page, problems } = await openPage(browser, url());
  await page.waitForSelector(`[data-testid="range"][data-from="${from}"][data-to="${to}"]`, { timeout: 60_000 });
  await page.waitForSelector('[data-scope="period"][data-kpi="migration_rate"]');
  const got = await assertTiles(page);
  assert.ok(got.migration_rate > 0 && got.bot_containment > 0, 'journeys and bots in the demo data');
  const tiles = await page.$$eval('[data-testid="journey-tiles"] [data-kpi]', (els) => els.map((e) => e.dataset.scope));
  assert.equal(tiles.length, IDS.length);
  assert.ok(tiles.every((s) => s === 'period'));

  // Case KPIs over the whole data are provisional: the share of cases whose first contact is
  // less than 7 days before the last one, counted over demo.csv. Contact KPIs carry no note.
  const first = new Map();
  for (const c of contacts) first.set(c.case, Math.min(first.get(c.case) ?? Infinity, c.at));
  const last = Math.max(...contacts.map((c) => c.at));
  const recent = [...first.values()].filter((t) => t >= last - 7 * 86_400_000).length;
  const pct = Math.max(1, Math.round((100 * recent) / first.size));
  const notes = await page.$$eval('[data-testid="journey-tiles"] [data-kpi]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.kpi, e.querySelector('[data-testid="tile-note"]')?.textContent ?? null])));
  for (const id of ['migration_rate', 'switches_per_case', 'journey_completion', 'cross_channel_resolution']) {
    assert.equal(notes[id], `provisional: ${pct} % of its cases are under 7 days old`, `${id} (${recent} of ${first.size} cases)`);
  }
  for (const id of ['bot_containment', 'handoff_mean_s', 'handoff_p90_s']) assert.equal(notes[id], null, id);

  // The transition matrix: drawn, with a table alternative; its CSV is the count over demo.csv.
  assert.ok(await page.$('[data-testid="transitions"][aria-label] svg'), 'matrix drawn');
  assert.ok((await openTableAlt(page, 'transitions')) > 0, 'matrix table alternative');
  const m = await download(page, () => page.click('[data-testid="transitions"] figcaption [data-testid="export-csv"]'));
  assert.equal(m.name, 'transitions.csv');
  assert.deepEqual(matrixCounts(m.text), transitions());
  // Switching frequency is the off-diagonal share of the matrix per case.
  const want = kpiReport(filterArgs(page.url())).groups[0].kpis;
  const switches = Object.entries(matrixCounts(m.text)).filter(([k]) => k.split('>')[0] !== k.split('>')[1]).reduce((a, [, v]) => a + v, 0);
  const cases = new Set(contacts.map((c) => c.case)).size;
  assert.ok(close(switches / cases, want.switches_per_case), `${switches}/${cases} vs ${want.switches_per_case}`);

  // Usage per channel: the CSV has kpi report's contacts per channel and the data's resolutions.
  const byChannel = kpiReport([...filterArgs(page.url()), '--by', 'channel']).groups;
  const u = await download(page, () => page.click('[data-testid="usage-table"] [data-testid="export-csv"]'));
  const [uh, ...ur] = u.text.trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(uh, ['channel', 'contacts', 'share', 'resolutions', 'resolution_share']);
  assert.deepEqual(ur.map((r) => r[0]), byChannel.map((g) => g.key.channel));
  const resolved = contacts.filter((c) => c.resolved).length;
  for (const r of ur) {
    const g = byChannel.find((x) => x.key.channel === r[0]);
    assert.equal(Number(r[1]), g.kpis.contacts, `${r[0]} contacts`);
    const res = contacts.filter((c) => c.channel === r[0] && c.resolved).length;
    assert.equal(Number(r[3]), res, `${r[0]} resolutions`);
    // Machine values, unrounded.
    assert.ok(Math.abs(Number(r[2]) - g.kpis.contacts / contacts.length) < 1e-12, `${r[0]} share`);
    assert.ok(Math.abs(Number(r[4]) - res / resolved) < 1e-12, `${r[0]} resolution share`);
  }
  // The page shows the same cells for people: shares as percentages with one decimal, counts
  // grouped, each cell's data-value the CSV's; headings without underscores.
  const shown = await page.$$eval('[data-testid="usage-table"] tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => [td.textContent, td.dataset.value])));
  assert.equal(shown.length, ur.length);
  shown.forEach((cells, i) => {
    assert.deepEqual(cells.map((c) => c[1]), ur[i].slice(1), `${ur[i][0]}: data-value is the CSV's cell`);
    const pct = Number(ur[i][2]) * 100;
    assert.ok(/^\d+\.\d %$/.test(cells[1][0]) && Math.abs(parseFloat(cells[1][0]) - pct) <= 0.05 + 1e-9, `${ur[i][0]} share on the page: ${cells[1][0]}`);
    assert.equal(cells[0][0], Number(ur[i][1]).toLocaleString('en-US'), `${ur[i][0]} contacts on the page`);
  });
  assert.deepEqual(await page.$$eval('[data-testid="usage-table"] thead th', (h) => h.map((x) => x.textContent)),
    ['channel', 'contacts', 'share', 'resolutions', 'resolution share']);
  for (const id of ['usage-contacts', 'usage-resolutions']) {
    assert.equal(await page.$$eval(`[data-testid="${id}"] svg rect.drill`, (r) => r.length), ur.length, `${id}: one bar per channel`);
  }
  const png = await download(page, () => page.click('[data-testid="transitions"] figcaption [data-testid="export-png"]'));
  assert.equal(png.text.slice(1, 4), 'PNG');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ROOT, 'e2e/screenshots/journeys.png') });
  assert.deepEqual(problems, []);
});

test('journeys filters live in the URL: the channel filter and a matrix cell narrow it, values follow, back and forward restore', async () => {
  const { page, problems } = await openPage(browser, url());
  await page.waitForSelector(`[data-testid="range"][data-from="${from}"]`, { timeout: 60_000 });
  const all = await assertTiles(page);

  await page.click('[data-testid="filter-channel"] summary');
  await page.check('[data-testid="filter-channel"] input[value="chat"]');
  await waitUrl(page, (u) => u.searchParams.get('channel') === 'chat');
  assert.equal(new URL(page.url()).searchParams.get('from'), from, 'the range stays in the URL');
  await waitValue(page, 'migration_rate', (v) => v !== String(all.migration_rate));
  const chat = await assertTiles(page);
  const m = await download(page, () => page.click('[data-testid="transitions"] figcaption [data-testid="export-csv"]'));
  assert.deepEqual(matrixCounts(m.text), transitions(['chat']), 'matrix of the cases that start on chat');

  // A cell narrows the channel filter to its two channels.
  const cell = await page.$('[data-testid="transitions"] svg rect.drill[data-drill="channel=chat,voice"]');
  assert.ok(cell, 'the chat → voice cell is clickable');
  assert.match(await cell.getAttribute('data-tip'), /^chat → voice — /);
  await cell.click();
  await waitUrl(page, (u) => u.searchParams.get('channel') === 'chat,voice');
  await waitValue(page, 'migration_rate', (v) => v !== String(chat.migration_rate));
  const two = await assertTiles(page);
  assert.equal(await page.$eval('[data-testid="filter-channel"] summary', (e) => e.textContent), 'Channel: chat, voice');

  await page.goBack();
  await waitUrl(page, (u) => u.searchParams.get('channel') === 'chat');
  await waitValue(page, 'migration_rate', (v) => v === String(chat.migration_rate));
  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('channel'));
  await waitValue(page, 'migration_rate', (v) => v === String(all.migration_rate));
  await assertTiles(page);
  await page.goForward();
  await page.goForward();
  await waitUrl(page, (u) => u.searchParams.get('channel') === 'chat,voice');
  await waitValue(page, 'migration_rate', (v) => v === String(two.migration_rate));

  // A usage row narrows to its channel; the table lists the filter's channels only.
  assert.deepEqual(await page.$$eval('[data-testid="usage-table"] tbody th', (r) => r.map((x) => x.textContent)), ['voice', 'chat']);
  await page.click('[data-testid="usage-table"] button[data-drill="channel=voice"]');
  await waitUrl(page, (u) => u.searchParams.get('channel') === 'voice');
  await waitValue(page, 'migration_rate', (v) => v !== String(two.migration_rate));
  await assertTiles(page);
  assert.deepEqual(problems, []);
});

test('the transition matrix is one keyboard stop: arrows move between its cells, Enter narrows the filter', async () => {
  const { page, problems } = await openPage(browser, url());
  await page.waitForSelector('[data-testid="transitions"] svg rect.drill', { timeout: 60_000 });
  const stops = await page.$$eval('[data-testid="transitions"] svg rect.drill', (rs) => rs.map((r) => r.getAttribute('tabindex')));
  assert.ok(stops.length > 24, `${stops.length} cells`);
  assert.equal(stops.filter((t) => t === '0').length, 1);
  await page.focus('[data-testid="transitions"] svg rect.drill[tabindex="0"]');
  const first = await page.evaluate(() => document.activeElement.dataset.drill);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const cell = await page.evaluate(() => ({ drill: document.activeElement.dataset.drill, tip: document.activeElement.dataset.tip }));
  assert.notEqual(cell.drill, first, 'the focus moved');
  assert.match(cell.tip, / → /);
  await page.keyboard.press('Enter');
  const want = cell.drill.replace(/^channel=/, '');
  await waitUrl(page, (u) => u.searchParams.get('channel') === want);
  assert.deepEqual(problems, []);
});

// (deploy.test.mjs checks that every nav link stays under a sub-path deployment.)
test('journeys and agents are in the nav; the link opens the view', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  const hrefs = await page.$$eval('nav[aria-label="Views"] a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.includes('/journeys') && hrefs.includes('/agents'), hrefs.join(' '));
  await page.click('nav[aria-label="Views"] a[href$="/journeys"]');
  await page.waitForSelector('[data-scope="period"][data-kpi="migration_rate"]', { timeout: 60_000 });
  assert.match(new URL(page.url()).pathname, /\/journeys$/);
  assert.deepEqual(problems, []);
});
