// The Settings page: a change persists across reload, export and import round-trip, reset
// restores the defaults, and a bad import names the key and keeps the current settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, close, ROOT } from '../lib.mjs';

const TMP = mkdtempSync(join(tmpdir(), 'omnikpi-settings-'));
let browser, srv;
before(async () => { browser = await launch(); srv = await serveDist(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const value = (page, testid) => page.inputValue(`[data-testid="${testid}"]`);

async function setNumber(page, testid, v) {
  await page.fill(`[data-testid="${testid}"]`, String(v));
  await page.press(`[data-testid="${testid}"]`, 'Tab');
}

async function openSettings(page) {
  await page.waitForSelector('[data-testid="settings-view"]', { timeout: 30_000 });
  // The defaults come from the loaded data's configuration.
  await page.waitForFunction(() => document.querySelector('[data-testid="sla-threshold-voice"]')?.value !== '');
}

test('an SLA change persists across reload, and recomputes with the new threshold', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'settings');
  await openSettings(page);
  const defaultVoice = await value(page, 'sla-threshold-voice');
  assert.equal(defaultVoice, '20');
  await setNumber(page, 'sla-threshold-voice', 45);
  await setNumber(page, 'sla-target-chat', 85);
  await page.selectOption('[data-testid="tier-fcr"]', 'north_star');
  await page.waitForSelector('[data-testid="settings-dirty"]');
  await page.click('[data-testid="settings-apply"]');
  await page.waitForSelector('[data-testid="settings-message"]');
  assert.equal(await page.$('[data-testid="settings-dirty"]'), null, 'applied: nothing pending');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('omnikpi.settings')));
  assert.equal(stored.sla.voice.threshold_s, 45);
  assert.equal(stored.sla.chat.target, 0.85);
  assert.equal(stored.kpi_tiers.fcr, 'north_star');
  // The engine was rebuilt with the new configuration: SLA per channel equals `kpi report --config`.
  const cfg = join(TMP, 'applied.json');
  const { kpi_tiers, ...asConfig } = stored;
  writeFileSync(cfg, JSON.stringify(asConfig));
  const sources = await page.evaluate(async () => ((await (await fetch('config.json')).json()).sources ?? []).map((s) => s.url));
  const inputs = (sources.length ? sources : ['data/demo.csv']).flatMap((s) => ['--input', join(ROOT, 'public', s)]);
  const want = kpiReport([...inputs, '--config', cfg, '--by', 'channel']);
  await page.waitForFunction(() => document.querySelector('[data-testid="sla-now-voice"]')?.getAttribute('data-value'));
  for (const g of want.groups) {
    const ch = g.key.channel;
    const got = await page.getAttribute(`[data-testid="sla-now-${ch}"]`, 'data-value');
    const v = got === '' ? null : Number(got);
    assert.ok(close(v, g.kpis.sla), `sla ${ch}: page ${v} vs kpi ${g.kpis.sla}`);
  }
  await page.reload();
  await openSettings(page);
  assert.equal(await value(page, 'sla-threshold-voice'), '45');
  assert.equal(await value(page, 'sla-target-chat'), '85');
  assert.equal(await page.inputValue('[data-testid="tier-fcr"]'), 'north_star');
  assert.match(await page.textContent('[data-testid="settings-state"]'), /Your settings/);
  await page.screenshot({ path: join(ROOT, 'e2e/screenshots/settings.png') });
  // The re-tiering reaches the executive page: FCR moved from the strategic row to North Star.
  await page.goto(srv.url + 'exec');
  await page.waitForSelector('[data-testid="north-star"] [data-kpi="csat"]', { timeout: 30_000 });
  assert.ok(await page.$('[data-testid="north-star"] [data-kpi="fcr"]'), 'fcr is a North Star tile');
  assert.equal(await page.$('[data-testid="strategic"] [data-kpi="fcr"]'), null, 'fcr left the strategic row');
  assert.ok(await page.$('[data-testid="strategic"] [data-kpi="art_s"]'), 'the rest of the strategic row stays');
  assert.deepEqual(problems, []);
  await context.close();
});

test('export and import round-trip; reset restores the defaults; a bad import names the key and keeps the settings', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'settings');
  await openSettings(page);
  await setNumber(page, 'sla-threshold-email', 7200);
  await page.fill('[data-testid="set-currency"]', 'usd');
  await page.press('[data-testid="set-currency"]', 'Tab');
  await page.uncheck('[data-testid="hours-open-4"]');
  await setNumber(page, 'band-csat-good', 4.5);
  // Rate bands are entered in percent, like the SLA targets; the file keeps shares.
  await setNumber(page, 'band-sla-good', 85);
  await page.click('[data-testid="settings-apply"]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="settings-export"]')]);
  const exported = readFileSync(await dl.path(), 'utf8');
  const json = JSON.parse(exported);
  assert.equal(json.sla.email.threshold_s, 7200);
  assert.equal(json.currency, 'USD');
  assert.equal(json.business_hours[4], null);
  assert.equal(json.bands.csat.good, 4.5);
  assert.equal(json.bands.sla.good, 0.85);
  assert.ok(!('sources' in json), 'data sources are not part of the settings');

  await page.click('[data-testid="settings-reset"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="sla-threshold-email"]')?.value === '14400');
  // The defaults are the site's config.json (every key it leaves out: the engine's defaults).
  const site = JSON.parse(readFileSync(join(ROOT, 'public/config.json'), 'utf8'));
  assert.equal(await value(page, 'set-currency'), site.currency ?? 'EUR');
  assert.equal(await value(page, 'set-timezone'), site.timezone ?? 'UTC');
  if (site.cost_rates?.voice !== undefined) assert.equal(Number(await value(page, 'cost-voice')), site.cost_rates.voice);
  assert.ok(await page.isChecked('[data-testid="hours-open-4"]'));
  assert.equal(await page.evaluate(() => localStorage.getItem('omnikpi.settings')), null);
  assert.match(await page.textContent('[data-testid="settings-state"]'), /defaults/);

  const f = join(TMP, 'exported.json');
  writeFileSync(f, exported);
  await page.setInputFiles('[data-testid="settings-import"]', f);
  await page.waitForFunction(() => document.querySelector('[data-testid="sla-threshold-email"]')?.value === '7200');
  assert.equal(await value(page, 'set-currency'), 'USD');
  assert.equal(await value(page, 'band-csat-good'), '4.5');
  assert.equal(await value(page, 'band-sla-good'), '85');
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('omnikpi.settings'))).currency, 'USD');

  for (const [bad, key] of [['{"sla": {"voice": {"threshold_s": 20, "target": 0.8}}, "timezon": "UTC"}', 'timezon'],
    ['{"sla": {"voice": {"threshold_s": "fast", "target": 0.8}}}', 'sla.voice.threshold_s'],
    ['{"kpi_tiers": {"csat": "platinum"}}', 'kpi_tiers.csat']]) {
    const b = join(TMP, 'bad.json');
    writeFileSync(b, bad);
    await page.setInputFiles('[data-testid="settings-import"]', b);
    await page.waitForFunction((k) => document.querySelector('[data-testid="settings-error"]')?.textContent.includes(k), key);
    const msg = await page.textContent('[data-testid="settings-error"]');
    assert.ok(msg.includes(key), `the message names ${key}: ${msg}`);
    assert.equal(await value(page, 'sla-threshold-email'), '7200', 'current settings kept');
    assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('omnikpi.settings'))).currency, 'USD');
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('values out of range or bands against their direction are named when applied, and nothing changes', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'settings');
  await openSettings(page);
  const slaNow = () => page.getAttribute('[data-testid="sla-now-chat"]', 'data-value');
  // The column fills once the data has loaded.
  await page.waitForFunction(() => document.querySelector('[data-testid="sla-now-chat"]')?.dataset.value, null, { timeout: 60_000 });
  const before = await slaNow();
  assert.ok(Number(before) > 0 && Number(before) < 1, `chat SLA now is a share: ${before}`);
  const cases = [
    ['sla-threshold-chat', -5, /SLA of chat: the answer threshold must be 0 s or more, not -5 s/],
    ['sla-target-email', 250, /SLA of email: the target must be within 0–100 %, not 250 %/],
    ['band-csat-bad', 4.5, /Bands of CSAT: higher is better, so "good" must be at least "bad"/],
    ['band-sla-good', 150, /Bands of SLA compliance: a rate's thresholds must be within 0–100 %, not 150 %/],
  ];
  for (const [testid, v, message] of cases) {
    const old = await value(page, testid);
    await setNumber(page, testid, v);
    await page.click('[data-testid="settings-apply"]');
    await page.waitForSelector('[data-testid="settings-error"]');
    assert.match(await page.textContent('[data-testid="settings-error"]'), message);
    // Kept as typed (not clamped), not applied, not stored.
    assert.equal(await value(page, testid), String(v));
    assert.equal(await slaNow(), before);
    assert.equal(await page.evaluate(() => localStorage.getItem('omnikpi.settings')), null);
    await setNumber(page, testid, old === '' ? '' : old);
  }
  await page.click('[data-testid="settings-apply"]');
  await page.waitForSelector('[data-testid="settings-message"]');
  assert.equal(await slaNow(), before);
  assert.deepEqual(problems, []);
  await context.close();
});

test('edits not applied are kept when the page is left, marked in the menu, and cleared by applying', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'settings');
  await openSettings(page);
  assert.equal(await page.$('[data-testid="settings-pending"]'), null, 'nothing pending at first');
  await setNumber(page, 'sla-threshold-chat', 45);
  await page.waitForSelector('[data-testid="settings-pending"]');
  // Leave for another view inside the app, then come back.
  await page.click('nav[aria-label="Views"] a[href*="/ops"]');
  await page.waitForSelector('[data-scope="period"][data-kpi="contacts"]', { timeout: 60_000 });
  assert.ok(await page.$('[data-testid="settings-pending"]'), 'the menu says settings are pending on another view');
  assert.match(await page.textContent('nav[aria-label="Views"] a[href*="/settings"]'), /changes not applied/);
  await page.click('nav[aria-label="Views"] a[href*="/settings"]');
  await openSettings(page);
  assert.equal(await value(page, 'sla-threshold-chat'), '45', 'the edit is still there');
  await page.waitForSelector('[data-testid="settings-dirty"]');
  // Not applied: nothing stored.
  assert.equal(await page.evaluate(() => localStorage.getItem('omnikpi.settings')), null);
  await page.click('[data-testid="settings-apply"]');
  await page.waitForSelector('[data-testid="settings-message"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="settings-pending"]'));
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('omnikpi.settings'))).sla.chat.threshold_s, 45);
  assert.deepEqual(problems, []);
  await context.close();
});

test('settings kept in the browser that no longer pass the checks are named on the page, not dropped unseen', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'settings');
  await openSettings(page);
  // A rate band typed as a percentage into the file (85 for 85 %).
  await page.evaluate(() => localStorage.setItem('omnikpi.settings', JSON.stringify({ bands: { sla: { good: 85 } } })));
  await page.reload();
  await openSettings(page);
  await page.waitForSelector('[data-testid="settings-saved-error"]');
  assert.match(await page.textContent('[data-testid="settings-saved-error"]'), /bands\.sla/);
  assert.match(await page.textContent('[data-testid="settings-state"]'), /defaults/);
  // Reset clears it.
  await page.click('[data-testid="settings-reset"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="settings-saved-error"]'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the case window is a setting: case KPIs say how many of their cases are younger than it, counted from the data', async () => {
  // Independently from demo.csv: each case's first contact; of the cases that begin in the
  // week, the share that began less than N days before the data's last contact.
  const lines = readFileSync(join(ROOT, 'public/data/demo.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const [iId, iCase, iAt] = ['id', 'case_id', 'arrived_at'].map((k) => head.indexOf(k));
  const first = new Map();
  let last = -Infinity;
  for (const l of lines.slice(1)) {
    // id, case_id and arrived_at come before any quoted free text in the canonical order.
    const cells = l.split(',');
    const t = Date.parse(cells[iAt]) / 1000;
    const key = cells[iCase] || `own:${cells[iId]}`;
    first.set(key, Math.min(first.get(key) ?? Infinity, t));
    last = Math.max(last, t);
  }
  const from = Date.parse('2026-11-16T00:00:00+01:00') / 1000;
  const share = (days) => {
    const inWeek = [...first.values()].filter((t) => t >= from);
    return Math.round(100 * inWeek.filter((t) => t >= last - days * 86400).length / inWeek.length);
  };
  const { page, problems, context } = await openPage(browser, srv.url + 'settings');
  await openSettings(page);
  assert.equal(await value(page, 'set-case-window'), '7');
  const note = async () => {
    await page.goto(`${srv.url}exec?period=custom&from=2026-11-16&to=2026-11-23`);
    await page.waitForSelector('[data-kpi="fcr"] [data-testid="tile-note"]', { timeout: 30_000 });
    return page.textContent('[data-kpi="fcr"] [data-testid="tile-note"]');
  };
  assert.equal(await note(), `provisional: ${share(7)} % of its cases are under 7 days old`);
  await page.goto(srv.url + 'settings');
  await openSettings(page);
  await setNumber(page, 'set-case-window', 3);
  await page.click('[data-testid="settings-apply"]');
  await page.waitForSelector('[data-testid="settings-message"]');
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('omnikpi.settings'))).case_window_days, 3);
  assert.notEqual(share(3), share(7));
  assert.equal(await note(), `provisional: ${share(3)} % of its cases are under 3 days old`);
  assert.deepEqual(problems, []);
  await context.close();
});
