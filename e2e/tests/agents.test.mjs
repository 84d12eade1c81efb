// /agents end to end: the agent tiles are the native engine's numbers for the same range and
// filter; the per-agent table exports `kpi report --by agent_id`, sorts, and a row narrows the
// agent filter; the occupancy band, the scatter and the staffing heatmap are drawn, the staffing
// gap's staffed part equals the mean computed from agents.csv's interval rows; back/forward
// restore.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, tileValues, close, ROOT } from '../lib.mjs';

const DATA = join(ROOT, 'public/data/demo.csv');
const AGENTS = join(ROOT, 'public/data/agents.csv');
const CONFIG = join(ROOT, 'public/config.json');
// The app loads every configured source: contacts, agents and the daily series.
const INPUTS = ['--input', DATA, '--input', AGENTS, '--input', join(ROOT, 'public/data/daily.csv')];
const IDS = ['occupancy', 'adherence', 'qa_score', 'turnover'];
const COLS = ['contacts', 'aht_s', 'fcr', 'qa_score', 'occupancy', 'adherence'];
let browser, srv, from, to;
before(async () => {
  browser = await launch();
  srv = await serveDist();
  const days = kpiReport(['--input', DATA, '--config', CONFIG, '--by', 'day']).groups;
  from = days[0].key.day;
  to = days.at(-1).key.day;
});
after(async () => { await browser?.close(); srv?.server.close(); });

function filterArgs(url) {
  const q = new URL(url).searchParams;
  const args = [...INPUTS, '--config', CONFIG, '--from', from, '--to', to];
  for (const d of ['channel', 'team', 'topic', 'segment', 'region', 'priority', 'agent_id']) {
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

/** The agent table's cells of column `col`, in page order. */
/** (The page shows them formatted; a cell's data-value is the CSV's number, empty when it has none.) */
const column = (page, col) => page.$$eval('[data-testid="agent-table"] tbody tr', (rows, k) => rows.map((r) => r.children[k].dataset.value ?? r.children[k].textContent), 1 + COLS.indexOf(col));

/** True when `shown` is fraction `v` as a percentage with one decimal (a tie may round either way). */
const percentOf = (shown, v) => /^-?\d+\.\d %$/.test(shown) && Math.abs(parseFloat(shown) - v * 100) <= 0.05 + 1e-9;

/** Asserts a table value (rounded: seconds to 0.1, QA to 0.01, fractions to 4 decimals) is kpi's. */
function near(cell, want, what) {
  if (want === null) return assert.equal(cell, '', what);
  // The CSV keeps machine values: equal to `kpi report`'s but for the last bit of a float.
  assert.ok(Math.abs(Number(cell) - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${what}: ${cell} vs ${want}`);
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Occurrences of each weekday from `a` to `b` (YYYY-MM-DD, inclusive). */
function occurrences(a, b) {
  const n = Object.fromEntries(WEEKDAYS.map((w) => [w, 0]));
  for (let t = Date.parse(`${a}T00:00:00Z`); t <= Date.parse(`${b}T00:00:00Z`); t += 86_400_000) {
    n[WEEKDAYS[(new Date(t).getUTCDay() + 6) % 7]]++;
  }
  return n;
}

/**
 * Mean agents staffed per weekday-hour (`mon-09`) as the engine defines it: Σ staffed_s / 3600
 * of agents.csv's interval rows starting in that local weekday-hour (config time zone) on a day
 * from `from` to `to`, over the occurrences of the weekday between the first and the last day
 * with an interval row. Daily rows (no interval_start) never count.
 */
function staffedFromCsv(from, to, timeZone) {
  const [head, ...lines] = readFileSync(AGENTS, 'utf8').trim().split('\n');
  const cols = head.split(',');
  const [iStart, iStaffed] = [cols.indexOf('interval_start'), cols.indexOf('staffed_s')];
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });
  const sums = new Map();
  let first = null;
  let last = null;
  for (const line of lines) {
    const c = line.split(',');
    if (!c[iStart]) continue;
    const p = Object.fromEntries(fmt.formatToParts(new Date(c[iStart])).map((x) => [x.type, x.value]));
    const day = `${p.year}-${p.month}-${p.day}`;
    if (day < from || day > to) continue;
    if (first === null || day < first) first = day;
    if (last === null || day > last) last = day;
    const key = `${p.weekday.toLowerCase()}-${p.hour}`;
    sums.set(key, (sums.get(key) ?? 0) + Number(c[iStaffed]) / 3600);
  }
  assert.ok(first !== null, 'interval rows in the period');
  const occ = occurrences(first, last);
  const staffed = new Map([...sums].map(([k, v]) => [k, v / occ[k.slice(0, 3)]]));
  return { staffed, sums, weeks: (Date.parse(last) - Date.parse(first) + 86_400_000) / (7 * 86_400_000), rangeOccurrences: occurrences(from, to) };
}

const url = (extra = '') => `${srv.url}agents?period=custom&from=${from}&to=${to}${extra}`;

test('agents renders on the demo data: tiles equal `kpi report`, the table exports `--by agent_id`, charts drawn, screenshot', async () => {
  const { page, problems } = await openPage(browser, url());
  await page.waitForSelector(`[data-testid="range"][data-from="${from}"][data-to="${to}"]`, { timeout: 60_000 });
  await page.waitForSelector('[data-scope="period"][data-kpi="occupancy"]');
  const got = await assertTiles(page);
  assert.ok(got.occupancy > 0 && got.adherence > 0 && got.qa_score > 0, 'agent data in the demo');

  // The per-agent table and its CSV: kpi report by agent, every agent once.
  const groups = kpiReport([...filterArgs(page.url()), '--by', 'agent_id']).groups;
  const csv = await download(page, () => page.click('[data-testid="agent-table"] [data-testid="export-csv"]'));
  assert.equal(csv.name, 'agents.csv');
  const [head, ...rows] = csv.text.trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(head, ['agent_id', ...COLS]);
  assert.deepEqual(rows.map((r) => r[0]), groups.map((g) => g.key.agent_id || '(none)'));
  for (const r of rows) {
    const g = groups.find((x) => (x.key.agent_id || '(none)') === r[0]);
    COLS.forEach((c, k) => near(r[k + 1], g.kpis[c], `${r[0]} ${c}`));
  }

  // On the page the same cells read as people read them: AHT as m:ss, rates as percentages,
  // each with the CSV's number as its data-value.
  const cells = await page.$$eval('[data-testid="agent-table"] tbody tr', (rs) =>
    rs.map((r) => [...r.querySelectorAll('td')].map((td) => [td.textContent, td.dataset.value ?? ''])));
  assert.equal(cells.length, rows.length);
  cells.forEach((row, i) => {
    assert.deepEqual(row.map((c) => c[1]), rows[i].slice(1), `${rows[i][0]}: data-value is the CSV's cell`);
    const [aht, fcr] = [row[COLS.indexOf('aht_s')], row[COLS.indexOf('fcr')]];
    if (aht[1] !== '') {
      const s = Math.round(Number(aht[1]));
      const want = s >= 3600
        ? `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
        : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
      assert.equal(aht[0], want, `${rows[i][0]} AHT on the page`);
    }
    if (fcr[1] !== '') assert.ok(percentOf(fcr[0], Number(fcr[1])), `${rows[i][0]} FCR on the page: ${fcr[0]} for ${fcr[1]}`);
  });

  // Occupancy per day with the target band shaded; the scatter has one point per agent.
  const occ = await page.$eval('[data-testid="occupancy"] svg', (s) => s.outerHTML);
  const band = occ.match(/<rect[^>]*opacity="0\.18"[^>]*fill="#009E73"[^>]*>/i);
  assert.ok(band, 'the 70–85 % band is shaded');
  const h = Number(band[0].match(/height="(\d+)"/)[1]);
  assert.ok(h > 10, `a visible band (${h} px)`);
  const named = groups.filter((g) => g.key.agent_id && g.kpis.aht_s !== null && g.kpis.fcr !== null);
  const points = await page.$$eval('[data-testid="aht-fcr"] svg rect.drill', (r) => r.map((x) => x.dataset.drill));
  assert.deepEqual(points.sort(), named.map((g) => `agent_id=${g.key.agent_id}`).sort());

  // Staffing: a weekday × hour heatmap of the gap (required − staffed); the demo's agent rows are
  // hourly for the last 8 weeks, so the staffed part is there.
  assert.ok(await page.$('[data-testid="staffing"][aria-label] svg'), 'staffing heatmap drawn');
  assert.equal(await page.$eval('[data-testid="staffing-panel"]', (e) => e.dataset.gap), 'true');
  const st = await download(page, () => page.click('[data-testid="staffing"] figcaption [data-testid="export-csv"]'));
  const sl = st.text.trim().split('\n').map((l) => l.split(','));
  assert.equal(sl.length, 8, 'header and seven weekdays');
  assert.equal(sl[0].length, 25, 'weekday and 24 hours');
  const gaps = new Map();
  for (const r of sl.slice(1)) r.slice(1).forEach((x, h) => { if (x !== '') gaps.set(`${r[0]}-${String(h).padStart(2, '0')}`, Number(x)); });
  assert.ok(gaps.size > 100 && [...gaps.values()].every(Number.isFinite), 'a gap per weekday-hour with contacts');
  // Each cell's parts: required is whole agents, gap = required − staffed, and staffed is the mean
  // computed here from agents.csv's interval rows.
  const parts = await page.$$eval('[data-testid="staffing-cells"] [data-cell]', (els) => els.map((e) => ({
    cell: e.dataset.cell, required: e.dataset.required, staffed: e.dataset.staffed })));
  assert.equal(parts.length, gaps.size, 'one entry per heatmap cell');
  const want = staffedFromCsv(from, to, JSON.parse(readFileSync(CONFIG, 'utf8')).timezone);
  assert.equal(want.weeks, 8, 'the demo has 8 weeks of interval rows');
  let compared = 0;
  let positive = 0;
  for (const p of parts) {
    const required = p.required === '' ? 0 : Number(p.required);
    assert.ok(Number.isInteger(required) && required >= 0, `${p.cell} required ${p.required}`);
    assert.notEqual(p.staffed, '', `${p.cell} has a staffed part`);
    const staffed = Number(p.staffed);
    const expect = want.staffed.get(p.cell) ?? 0;
    assert.ok(Math.abs(staffed - expect) <= 1e-9 * Math.max(1, expect), `${p.cell}: staffed ${staffed} on the page vs ${expect} from agents.csv`);
    assert.ok(Math.abs(gaps.get(p.cell) - (required - staffed)) <= 1e-9 * Math.max(1, required), `${p.cell}: gap ${gaps.get(p.cell)} = ${required} − ${staffed}`);
    compared++;
    if (expect > 0) positive++;
  }
  assert.ok(compared > 100 && positive >= 40, `${compared} cells compared, ${positive} staffed`);
  // The average is over the weeks the intervals cover, not the whole year: dividing by the
  // range's weekdays would give clearly different numbers (so the comparison above can fail).
  assert.ok(parts.some((p) => Math.abs((want.staffed.get(p.cell) ?? 0) - (want.sums.get(p.cell) ?? 0) / want.rangeOccurrences[p.cell.slice(0, 3)]) > 0.5));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ROOT, 'e2e/screenshots/agents.png') });
  assert.deepEqual(problems, []);
});

test('agents: sortable table, team filter and agent rows narrow the filter in the URL, values follow, back and forward restore', async () => {
  const { page, problems } = await openPage(browser, url());
  await page.waitForSelector(`[data-testid="range"][data-from="${from}"]`, { timeout: 60_000 });
  const all = await assertTiles(page);

  // Sort by AHT, ascending then descending.
  await page.click('[data-testid="agent-table"] button[data-sort="aht_s"]');
  await waitUrl(page, (u) => u.searchParams.get('asort') === 'aht_s');
  await page.waitForFunction(() => document.querySelector('[data-testid="agent-table"] th[aria-sort="ascending"]'));
  const up = (await column(page, 'aht_s')).filter((x) => x !== '').map(Number);
  assert.ok(up.length > 2);
  assert.deepEqual(up, [...up].sort((a, b) => a - b));
  await page.click('[data-testid="agent-table"] button[data-sort="aht_s"]');
  await waitUrl(page, (u) => u.searchParams.get('asort') === '-aht_s');
  await page.waitForFunction(() => document.querySelector('[data-testid="agent-table"] th[aria-sort="descending"]'));
  const down = (await column(page, 'aht_s')).filter((x) => x !== '').map(Number);
  assert.deepEqual(down, [...up].reverse());

  // The team filter of the filter bar.
  await page.click('[data-testid="filter-team"] summary');
  await page.check('[data-testid="filter-team"] input[value="Voice"]');
  await waitUrl(page, (u) => u.searchParams.get('team') === 'Voice');
  assert.equal(new URL(page.url()).searchParams.get('asort'), '-aht_s', 'the sort stays');
  await waitValue(page, 'occupancy', (v) => v !== String(all.occupancy));
  const team = await assertTiles(page);

  // An agent row narrows the agent filter.
  const agent = await page.$eval('[data-testid="agent-table"] tbody button[data-drill^="agent_id="]', (b) => b.textContent);
  await page.click(`[data-testid="agent-table"] tbody button[data-drill="agent_id=${agent}"]`);
  await waitUrl(page, (u) => u.searchParams.get('agent_id') === agent);
  await waitValue(page, 'occupancy', (v) => v !== String(team.occupancy));
  const one = await assertTiles(page);
  assert.equal(await page.$$eval('[data-testid="agent-table"] tbody tr', (r) => r.length), 1, 'one agent left');
  assert.match(await page.textContent('[data-testid="agent-filter"]'), new RegExp(`Agent: ${agent}`));
  // The filter bar keeps the agent when it changes another filter.
  await page.selectOption('[data-testid="filter-compare"]', 'none');
  await waitUrl(page, (u) => u.searchParams.get('compare') === 'none');
  assert.equal(new URL(page.url()).searchParams.get('agent_id'), agent);
  await assertTiles(page);

  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('compare') && u.searchParams.get('agent_id') === agent);
  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('agent_id') && u.searchParams.get('team') === 'Voice');
  await waitValue(page, 'occupancy', (v) => v === String(team.occupancy));
  await assertTiles(page);
  await page.goBack();
  await waitUrl(page, (u) => !u.searchParams.has('team'));
  await waitValue(page, 'occupancy', (v) => v === String(all.occupancy));
  await page.goForward();
  await page.goForward();
  await waitUrl(page, (u) => u.searchParams.get('agent_id') === agent);
  await waitValue(page, 'occupancy', (v) => v === String(one.occupancy));
  // "All agents" clears the agent filter only.
  await page.click('[data-testid="agent-filter-clear"]');
  await waitUrl(page, (u) => !u.searchParams.has('agent_id') && u.searchParams.get('team') === 'Voice');
  await waitValue(page, 'occupancy', (v) => v === String(team.occupancy));

  // A scatter point narrows the agent filter too.
  const point = await page.$('[data-testid="aht-fcr"] svg rect.drill');
  const drill = await point.getAttribute('data-drill');
  await point.click();
  await waitUrl(page, (u) => `agent_id=${u.searchParams.get('agent_id')}` === drill);
  await assertTiles(page);
  assert.deepEqual(problems, []);
});
