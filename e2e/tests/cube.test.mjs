// A cube as the dashboard's contacts source: `kpi cube` aggregates the demo contacts, the page
// loads the cube beside the agents and daily tables, and shows the KPIs `kpi report` computes
// from the raw rows; views that need contact rows say so in place; /data says it is a cube.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveDistWith, openPage, kpiReport, kpiCube, tileValues, close, ROOT, openTableAlt } from '../lib.mjs';

const DATA = join(ROOT, 'public/data/demo.csv');
const AGENTS = join(ROOT, 'public/data/agents.csv');
const DAILY = join(ROOT, 'public/data/daily.csv');
const CONFIG = join(ROOT, 'public/config.json');
// The raw rows the cube was built from, with the same side tables the page loads.
const RAW = ['--input', DATA, '--input', AGENTS, '--input', DAILY, '--config', CONFIG, '--now', 'none'];
let browser, srv, tmp, cubeRows;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'omnikpi-cube-'));
  const cube = join(tmp, 'cube.csv');
  kpiCube(['--input', DATA, '--config', CONFIG], cube);
  cubeRows = readFileSync(cube, 'utf8').trimEnd().split('\n').length - 1;
  srv = await serveDistWith({
    // The settings the cube was built with (time zone, SLA targets, cost rates), other sources.
    config: JSON.parse(readFileSync(CONFIG, 'utf8')),
    files: { 'data/cube.csv': cube },
    sources: [
      { name: 'Demo cube', url: 'data/cube.csv', format: 'csv' },
      { name: 'Demo agents', url: 'data/agents.csv', format: 'csv' },
      { name: 'Demo daily series', url: 'data/daily.csv', format: 'csv' },
    ],
  });
  browser = await launch();
});
after(async () => { await browser?.close(); srv?.cleanup(); rmSync(tmp, { recursive: true, force: true }); });

async function range(page) {
  return page.$eval('[data-testid="range"]', (e) => ({ from: e.dataset.from, to: e.dataset.to }));
}

test('exec tiles from the cube equal `kpi report` on the raw rows', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}exec`);
  await page.waitForSelector('[data-scope="period"][data-kpi="csat"]', { timeout: 60_000 });
  const r = await range(page);
  const got = await tileValues(page);
  const want = kpiReport([...RAW, '--from', r.from, '--to', r.to]).groups[0].kpis;
  const ids = Object.keys(got).filter((id) => id in want && id !== 'queue_length');
  for (const id of ['csat', 'nps', 'ces', 'fcr', 'art_s', 'cost_per_resolution', 'retention', 'churn']) {
    assert.ok(ids.includes(id), `tile ${id} is on the page`);
  }
  for (const id of ids) {
    assert.ok(close(got[id], want[id]), `${id}: page (cube) ${got[id]} vs kpi (rows) ${want[id]}`);
  }
  assert.deepEqual(problems, []);
});

test('ops renders the heatmap and the channel table from the cube; the now strip needs rows', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops?period=30d`);
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  assert.ok(await page.$('[data-testid="heatmap"][aria-label] svg'), 'heatmap drawn');
  assert.equal(await openTableAlt(page, 'heatmap'), 7, 'heatmap table alternative: a row per weekday');
  const r = await range(page);
  const got = await tileValues(page);
  const want = kpiReport([...RAW, '--from', r.from, '--to', r.to]).groups[0].kpis;
  assert.ok(want.contacts > 0, 'the period has contacts');
  assert.ok(close(got.contacts, want.contacts), `contacts: page ${got.contacts} vs kpi ${want.contacts}`);
  assert.ok(close(got.sla, want.sla), `sla: page ${got.sla} vs kpi ${want.sla}`);
  assert.equal(await page.$('[data-testid="now-strip"]'), null, 'no live numbers from a cube');
  assert.match(await page.textContent('[data-testid="needs-rows"]'), /needs contact rows; the loaded source is a cube/);
  assert.deepEqual(problems, []);
});

test('journeys shows its tiles and says the transition matrix needs rows', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}journeys`);
  await page.waitForSelector('[data-testid="needs-rows"]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid="needs-rows"]'), /cube \(pre-aggregated\)/);
  assert.ok(await page.$('[data-testid="journey-tiles"] [data-kpi="migration_rate"]'), 'journey tiles shown');
  assert.deepEqual(problems, []);
});

test('data says the source is a cube, with the cube file\'s row count', async () => {
  const { page, problems } = await openPage(browser, `${srv.url}data`);
  await page.waitForSelector('[data-source-kind="cube"]', { timeout: 60_000 });
  const rows = Number(await page.getAttribute('[data-testid="source-kind"]', 'data-cube-rows'));
  assert.equal(rows, cubeRows);
  assert.match(await page.textContent('[data-testid="source-kind"]'), /cube \(pre-aggregated\)/);
  const sources = await page.$$eval('[data-testid="source-row"]', (els) => els.map((e) => [e.getAttribute('data-source'), Number(e.getAttribute('data-rows-loaded'))]));
  const cube = sources.find(([name]) => /cube\.csv$/.test(name));
  assert.ok(cube, JSON.stringify(sources));
  assert.equal(cube[1], cubeRows);
  const raw = kpiReport(RAW).groups[0].kpis;
  assert.equal(Number(await page.getAttribute('[data-testid="source-kind"]', 'data-cube-contacts')), raw.contacts);
  assert.deepEqual(problems, []);
});

test('an agent filter on a cube says why there are no agent numbers, instead of empty tiles', async () => {
  const agent = readFileSync(AGENTS, 'utf8').split('\n')[1].split(',')[0];
  const { page, problems } = await openPage(browser, `${srv.url}agents?agent_id=${agent}`);
  await page.waitForSelector('[data-testid="query-error"]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid="query-error"]'), /agent_id.*needs contact rows; the loaded source is a cube/);
  // Without the agent key the same page has no such note and its contact tiles have values.
  const { page: all } = await openPage(browser, `${srv.url}agents`);
  await all.waitForSelector('[data-testid="agent-tiles"] [data-kpi]', { timeout: 60_000 });
  assert.equal(await all.$('[data-testid="query-error"]'), null);
  assert.deepEqual(problems, []);
});
