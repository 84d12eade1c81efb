// The Data page: rows read = loaded + rejected as `kpi report` counts them, import of the real
// exports through their presets, problems by reason, the rejected rows as CSV, the mapping screen
// (date order asked when ambiguous, mapping kept in the browser) and the one clear message for a
// file that is no table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveDist, openPage, kpiReport, close, ROOT } from '../lib.mjs';

const PWC = join(ROOT, 'crates/engine/tests/data/pwc-call-center.csv');
const TICKETS = join(ROOT, 'crates/engine/tests/data/support-tickets.csv');
const TMP = mkdtempSync(join(tmpdir(), 'omnikpi-data-'));

let browser, srv;
before(async () => { browser = await launch(); srv = await serveDist(); });
after(async () => { await browser?.close(); srv?.server.close(); });

/** Parses CSV text (quoted fields with commas, quotes and newlines) into rows of cells. */
function parseCsv(text) {
  const rows = []; let row = []; let cell = ''; let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = ''; rows.push(row); row = [];
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function count(page, testid) {
  return Number(await page.getAttribute(`[data-testid="${testid}"]`, 'data-value'));
}

async function counts(page) {
  return { read: await count(page, 'rows-read'), loaded: await count(page, 'rows-loaded'), rejected: await count(page, 'rows-rejected') };
}

/** The foreign test files' columns, by the field each is mapped to. */
const FOREIGN = { id: 'Ref', arrived_at: 'When', channel: 'Via', csat: 'Score' };

/**
 * Picks `file` (by default columns Ref, When, Via with Chat and E-mail, Score), runs
 * `atMapping` on the mapping screen, checks the `columns` (field → column) are offered, maps
 * them (the channel's values Chat and E-mail) and loads.
 */
async function mapForeign(page, file, atMapping = async () => {}, columns = FOREIGN) {
  await page.setInputFiles('[data-testid="file-input"]', file);
  await page.waitForSelector('[data-testid="mapping"]', { timeout: 30_000 });
  await atMapping();
  const options = await page.$$eval('[data-testid="map-col-id"] option', (os) => os.map((o) => o.value));
  for (const k of Object.values(columns)) assert.ok(options.includes(k), `column ${k} offered: ${options}`);
  for (const [field, column] of Object.entries(columns)) {
    await page.selectOption(`[data-testid="map-col-${field}"]`, column);
    if (field === 'channel') {
      await page.fill('[data-testid="map-values-channel"]', 'Chat=chat; E-mail=email');
      await page.press('[data-testid="map-values-channel"]', 'Tab');
    }
  }
  await page.click('[data-testid="mapping-apply"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 30_000 });
}

/** Picks `file` in the import panel, chooses `preset` on the mapping screen and loads. */
async function importWithPreset(page, file, preset) {
  await page.setInputFiles('[data-testid="file-input"]', file);
  await page.waitForSelector('[data-testid="mapping"]', { timeout: 30_000 });
  await page.selectOption('[data-testid="preset-select"]', preset);
  await page.waitForFunction(() => document.querySelector('[data-testid="mapping-origin"]')?.textContent.includes('preset'));
  await page.click('[data-testid="mapping-apply"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
}

test('/data renders with no console error; read = loaded + rejected equals `kpi report` on the bundled data', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const got = await counts(page);
  // Every configured source (contacts, agents, daily) loads into one dataset, as `kpi report` with several --input.
  const sources = (await page.getAttribute('[data-testid="source-name"]', 'data-sources')).split(',').map((s) => s.trim()).filter(Boolean);
  const want = kpiReport(sources.flatMap((s) => ['--input', join(ROOT, 'public', s)]));
  assert.equal(got.read, got.loaded + got.rejected);
  assert.deepEqual(got, { read: want.rows_read, loaded: want.rows_loaded, rejected: want.rows_rejected });
  // One row per source, in load order, with the counts `kpi report` gives per --input; the totals are their sums.
  const rowsOf = (testid) => page.$$eval(`[data-testid="${testid}"]`, (els) => els.map((e) => ({
    source: e.getAttribute('data-source'), read: Number(e.getAttribute('data-rows-read')),
    loaded: Number(e.getAttribute('data-rows-loaded')), rejected: Number(e.getAttribute('data-rows-rejected')),
  })));
  const rows = await rowsOf('source-row');
  assert.ok(rows.length === 3, `contacts, agents and daily each have a row: ${JSON.stringify(rows)}`);
  assert.deepEqual(rows.map((r) => r.source), sources);
  assert.deepEqual(rows.map(({ read, loaded, rejected }) => ({ read, loaded, rejected })),
    want.sources.map((s) => ({ read: s.rows_read, loaded: s.rows_loaded, rejected: s.rows_rejected })));
  for (const r of rows) assert.equal(r.read, r.loaded + r.rejected, r.source);
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  assert.deepEqual({ read: sum('read'), loaded: sum('loaded'), rejected: sum('rejected') }, got);
  const [total] = await rowsOf('source-total');
  assert.deepEqual({ read: total.read, loaded: total.loaded, rejected: total.rejected }, got);
  assert.ok(await page.$('[data-testid="coverage"]'), 'coverage table shown');
  const csat = await page.getAttribute('[data-testid="coverage-csat-all"]', 'data-value');
  assert.ok(Number(csat) > 0 && Number(csat) < 1, `csat coverage is a share: ${csat}`);
  await page.screenshot({ path: join(ROOT, 'e2e/screenshots/data.png'), fullPage: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the PwC export through the pwc preset: 5,000 rows, contacts equal `kpi report --mapping`, mapping kept and downloadable', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  // Before any preset, columns are matched by name (suggest_mapping).
  await page.setInputFiles('[data-testid="file-input"]', PWC);
  await page.waitForSelector('[data-testid="mapping"]', { timeout: 30_000 });
  assert.equal(await page.inputValue('[data-testid="map-col-id"]'), 'Call Id');
  assert.equal(await page.inputValue('[data-testid="map-col-abandoned"]'), 'Answered (Y/N)');
  assert.equal(await page.inputValue('[data-testid="map-transform-abandoned"]'), 'not');
  assert.equal(await page.inputValue('[data-testid="map-time-arrived_at"]'), 'Time');
  // The suggestion has no channel (a call-center export names none): loading is refused in
  // place, not done with every row rejected and the bundled data replaced by nothing.
  assert.equal(await page.inputValue('[data-testid="map-col-channel"]'), '');
  const before = await counts(page);
  await page.click('[data-testid="mapping-apply"]');
  await page.waitForSelector('[data-testid="mapping-error"]');
  assert.match(await page.textContent('[data-testid="mapping-error"]'), /channel \(required\)/);
  assert.ok(await page.$('[data-testid="mapping"]'), 'the mapping screen stays open');
  assert.deepEqual(await counts(page), before);
  // A constant left blank is no source either (a fresh mapping screen, so no message yet).
  await page.click('[data-testid="mapping-cancel"]');
  await page.setInputFiles('[data-testid="file-input"]', PWC);
  await page.waitForSelector('[data-testid="mapping"]', { timeout: 30_000 });
  assert.equal(await page.$('[data-testid="mapping-error"]'), null);
  await page.selectOption('[data-testid="map-col-channel"]', '__constant__');
  await page.click('[data-testid="mapping-apply"]');
  await page.waitForSelector('[data-testid="mapping-error"]');
  assert.match(await page.textContent('[data-testid="mapping-error"]'), /channel \(required\)/);
  assert.ok(await page.$('[data-testid="mapping"]'), 'still mapping, not loading');
  assert.deepEqual(await counts(page), before);
  await page.click('[data-testid="mapping-cancel"]');
  await importWithPreset(page, PWC, 'pwc-call-center');
  await page.waitForFunction(() => document.querySelector('[data-testid="source-name"]')?.textContent.includes('pwc'));
  const want = kpiReport(['--input', PWC, '--mapping', join(ROOT, 'public/presets/pwc-call-center.json')]);
  const got = await counts(page);
  assert.equal(got.loaded, 5000);
  assert.deepEqual(got, { read: want.rows_read, loaded: want.rows_loaded, rejected: want.rows_rejected });
  const contacts = Number(await page.getAttribute('[data-kpi="contacts"]', 'data-value'));
  assert.ok(close(contacts, want.groups[0].kpis.contacts), `contacts ${contacts} vs ${want.groups[0].kpis.contacts}`);
  assert.equal(contacts, 5000);
  const saved = await page.evaluate(() => localStorage.getItem('omnikpi.mapping'));
  assert.ok(saved && JSON.parse(saved).fields.id === 'Call Id', 'the mapping is kept in the browser');
  // Importing the file again starts from the saved mapping, which downloads as JSON.
  await page.setInputFiles('[data-testid="file-input"]', PWC);
  await page.waitForSelector('[data-testid="mapping"]');
  assert.match(await page.textContent('[data-testid="mapping-origin"]'), /saved mapping/);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="mapping-download"]')]);
  const m = JSON.parse(readFileSync(await dl.path(), 'utf8'));
  assert.equal(m.fields.abandoned.transform, 'not');
  assert.deepEqual(problems, []);
  await context.close();
});

test('support tickets: rejected count and reasons match `kpi report`, the rejected-rows CSV has exactly rows_rejected rows', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  // The mapping screen offers the preset whose columns are all in the file (and only that one:
  // the PwC preset reads columns the tickets do not have); "Use it" makes it the mapping.
  await page.setInputFiles('[data-testid="file-input"]', TICKETS);
  await page.waitForSelector('[data-testid="preset-fits"]', { timeout: 30_000 });
  const fits = await page.$$eval('[data-testid="preset-fits"]', (els) => els.map((e) => e.textContent));
  assert.equal(fits.length, 1, fits.join('\n'));
  assert.match(fits[0], /Customer support tickets/);
  await page.click('[data-testid="preset-use"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="mapping-origin"]')?.textContent.includes('preset'));
  assert.equal(await page.isDisabled('[data-testid="preset-use"]'), true, 'in use');
  await page.click('[data-testid="mapping-apply"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="source-name"]')?.textContent.includes('support'));
  const want = kpiReport(['--input', TICKETS, '--mapping', join(ROOT, 'public/presets/support-tickets.json')]);
  const got = await counts(page);
  assert.equal(got.read, got.loaded + got.rejected);
  assert.deepEqual(got, { read: want.rows_read, loaded: want.rows_loaded, rejected: want.rows_rejected });
  assert.ok(want.rows_rejected > 0);
  const groups = await page.$$eval('[data-testid="problem-group"]', (els) => els.map((e) => ({
    reason: e.getAttribute('data-reason'), rejected: Number(e.getAttribute('data-rejected')), warnings: Number(e.getAttribute('data-warnings')),
  })));
  assert.equal(groups.reduce((s, g) => s + g.rejected, 0), want.rows_rejected, 'groups add up to the rejected rows');
  assert.ok(groups.some((g) => g.reason === 'closed_before_arrival' && g.warnings > 0), 'resolution before first response is flagged');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-rejected"]')]);
  const rows = parseCsv(readFileSync(await dl.path(), 'utf8')).filter((r) => r.length > 1);
  assert.deepEqual(rows[0], ['file', 'line', 'field', 'value', 'reason', 'raw']);
  const data = rows.slice(1);
  assert.equal(data.length, want.rows_rejected, 'one CSV row per rejected row');
  const byReason = {};
  for (const r of data) byReason[r[4]] = (byReason[r[4]] ?? 0) + 1;
  for (const g of groups.filter((g) => g.rejected > 0)) assert.equal(byReason[g.reason], g.rejected, `reason ${g.reason}`);
  // An example names file, line, field and value.
  assert.ok(await page.isVisible('[data-testid="problem-group"] .examples'), 'examples shown without a click');
  const cells = await page.$eval('[data-testid="problem-group"] .examples tbody tr', (tr) => [...tr.cells].map((t) => t.textContent));
  assert.equal(cells.length, 4);
  assert.match(cells[0], /support-tickets\.csv/);
  assert.ok(Number(cells[1]) > 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an HTML page, an empty file and a binary file each get one clear message in place, and the data stays', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const before = await counts(page);
  const cases = [
    ['error.csv', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', /HTML page/],
    ['empty.csv', '', /empty/],
    ['blob.csv', Buffer.from([0, 1, 2, 3, 0, 255, 254, 0, 7, 8, 0, 0, 1, 2, 3, 4, 5, 6]), /binary/],
  ];
  for (const [name, content, msg] of cases) {
    const f = join(TMP, name);
    writeFileSync(f, content);
    await page.setInputFiles('[data-testid="file-input"]', f);
    await page.waitForSelector('[data-testid="import-error"]');
    const alerts = await page.$$eval('[role="alert"]', (els) => els.map((e) => e.textContent));
    assert.equal(alerts.length, 1, `one message: ${alerts}`);
    assert.match(alerts[0], msg);
    assert.match(alerts[0], new RegExp(name.replace('.', '\\.')));
  }
  assert.deepEqual(await counts(page), before, 'the last good data is kept');
  assert.deepEqual(problems, []);
  await context.close();
});

test('mapping screen: ambiguous dates are asked, fields are picked by hand with transforms, and the file loads', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const f = join(TMP, 'calls.csv');
  writeFileSync(f, [
    'Ref;Day;Clock;Medium;Picked up;Talk',
    'A1;03/04/2024;09:00:00;Phone;yes;02:30',
    'A2;04/05/2024;10:15:00;Social media;no;',
    'A3;05/06/2024;11:30:00;Phone;yes;1:05:00',
  ].join('\n'));
  await page.setInputFiles('[data-testid="file-input"]', f);
  await page.waitForSelector('[data-testid="mapping"]');
  await page.selectOption('[data-testid="map-col-id"]', 'Ref');
  await page.selectOption('[data-testid="map-col-arrived_at"]', 'Day');
  await page.selectOption('[data-testid="map-time-arrived_at"]', 'Clock');
  await page.selectOption('[data-testid="map-col-channel"]', 'Medium');
  await page.fill('[data-testid="map-values-channel"]', 'Phone=voice; Social media=social');
  await page.press('[data-testid="map-values-channel"]', 'Tab');
  await page.selectOption('[data-testid="map-col-abandoned"]', 'Picked up');
  await page.selectOption('[data-testid="map-transform-abandoned"]', 'not');
  await page.selectOption('[data-testid="map-col-handle_s"]', 'Talk');
  await page.selectOption('[data-testid="map-transform-handle_s"]', 'duration');
  await page.waitForSelector('[data-testid="date-order-ask"]');
  assert.ok(await page.isDisabled('[data-testid="mapping-apply"]'), 'cannot load before the date order is answered');
  await page.click('[data-testid="date-day-first"]');
  await page.click('[data-testid="mapping-apply"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 30_000 });
  assert.deepEqual(await counts(page), { read: 3, loaded: 3, rejected: 0 });
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('omnikpi.mapping')));
  assert.equal(saved.date_order, 'day_first');
  assert.equal(saved.fields.channel.values.Phone, 'voice');
  assert.equal(saved.fields.handle_s.transform, 'duration');
  // The voice column of the coverage table has handle_s for the two answered calls.
  assert.equal(await page.getAttribute('[data-testid="coverage-handle_s-voice"]', 'data-value'), '1');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a canonical NDJSON file dropped on the drop zone loads without the mapping screen', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const lines = [
    { id: 'c1', channel: 'chat', arrived_at: '2024-03-01T10:00:00Z', first_response_s: '12', csat: '5' },
    { id: 'c2', channel: 'email', arrived_at: '2024-03-01T11:00:00Z', csat: '9' },
  ].map((o) => JSON.stringify(o)).join('\n');
  const handle = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'drop.ndjson', { type: 'application/x-ndjson' }));
    return dt;
  }, lines);
  await page.dispatchEvent('[data-testid="dropzone"]', 'drop', { dataTransfer: handle });
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 30_000 });
  assert.deepEqual(await counts(page), { read: 2, loaded: 1, rejected: 1 });
  assert.equal(await page.getAttribute('[data-testid="problem-group"][data-reason="out_of_range"]', 'data-rejected'), '1');
  assert.equal(await page.$('[data-testid="mapping"]'), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a canonical workbook (.xlsx) picked in the file input loads like `kpi report` reads it', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const xlsx = join(ROOT, 'e2e/fixtures/contacts.xlsx');
  await page.setInputFiles('[data-testid="file-input"]', xlsx);
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  const want = kpiReport(['--input', xlsx]);
  assert.deepEqual(await counts(page), { read: want.rows_read, loaded: want.rows_loaded, rejected: want.rows_rejected });
  const contacts = Number(await page.getAttribute('[data-kpi="contacts"]', 'data-value'));
  assert.ok(close(contacts, want.groups[0].kpis.contacts));
  assert.deepEqual(problems, []);
  await context.close();
});

test('an Arrow IPC file picked in the file input loads like `kpi report` reads it; a truncated one is one clear message', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const before = await counts(page);
  const arrow = join(ROOT, 'bench/fixtures/contacts-300.arrow');
  const cut = join(TMP, 'cut.arrow');
  writeFileSync(cut, readFileSync(arrow).subarray(0, 20_000));
  await page.setInputFiles('[data-testid="file-input"]', cut);
  await page.waitForSelector('[data-testid="import-error"]', { timeout: 30_000 });
  const alerts = await page.$$eval('[role="alert"]', (els) => els.map((e) => e.textContent));
  assert.equal(alerts.length, 1, `one message: ${alerts}`);
  assert.match(alerts[0], /cut\.arrow/);
  assert.match(alerts[0], /Arrow IPC: malformed/);
  assert.deepEqual(await counts(page), before, 'the last good data is kept');
  await page.setInputFiles('[data-testid="file-input"]', arrow);
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  const want = kpiReport(['--input', arrow]);
  // The fixture holds 300 contacts, all valid.
  assert.deepEqual(await counts(page), { read: 300, loaded: 300, rejected: 0 });
  assert.deepEqual(await counts(page), { read: want.rows_read, loaded: want.rows_loaded, rejected: want.rows_rejected });
  const contacts = Number(await page.getAttribute('[data-kpi="contacts"]', 'data-value'));
  assert.ok(close(contacts, want.groups[0].kpis.contacts));
  const rows = await page.$$eval('[data-testid="source-row"]', (els) => els.map((e) => [e.getAttribute('data-source'), e.getAttribute('data-rows-read')]));
  assert.deepEqual(rows, [['contacts-300.arrow', '300']]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a foreign JSON export opens the mapping screen with its keys as columns, and loads once mapped', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const f = join(TMP, 'export.json');
  writeFileSync(f, JSON.stringify([
    { Ref: 'J1', When: '2024-03-01 10:00:00', Via: 'Chat', Score: 4 },
    { Ref: 'J2', When: '2024-03-02 11:30:00', Via: 'E-mail', Score: null },
  ]));
  await mapForeign(page, f);
  assert.deepEqual(await counts(page), { read: 2, loaded: 2, rejected: 0 });
  assert.equal(await page.getAttribute('[data-testid="coverage-csat-chat"]', 'data-value'), '1');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Windows export (semicolons, Windows-1252, headers beyond ASCII) shows its columns as the load reads them, and loads once mapped', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const f = join(TMP, 'windows.csv');
  // Windows-1252 bytes: é E9, è E8, “ ” 93 94.
  writeFileSync(f, Buffer.from('R\xe9f;Quand;Via;Th\xe8me\r\nW1;2024-03-01 10:00:00;Chat;\x93r\xe9clamation\x94\r\nW2;2024-03-02 11:30:00;E-mail;caf\xe9\r\n', 'latin1'));
  // The mapping screen's columns are the load's: a mapping made from them fits the file.
  await mapForeign(page, f, async () => {}, { id: 'Réf', arrived_at: 'Quand', channel: 'Via', topic: 'Thème' });
  assert.deepEqual(await counts(page), { read: 2, loaded: 2, rejected: 0 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a picked Arrow IPC file with foreign columns (read as it streams, then whole for the mapping screen) opens the mapping screen and loads once mapped', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const before = await counts(page);
  // Ref, When, Via (dictionary-encoded: Chat, E-mail, Chat), Score (int8: 4, null, 5).
  const f = join(ROOT, 'e2e/fixtures/foreign.arrow');
  await mapForeign(page, f, async () => {
    assert.deepEqual(await counts(page), before, 'the data shown before stays while the file waits for its mapping');
    assert.equal(await page.locator('[data-testid="import-error"]').count(), 0);
  });
  assert.deepEqual(await counts(page), { read: 3, loaded: 3, rejected: 0 });
  // Both chat contacts have a score, the e-mail none.
  assert.equal(await page.getAttribute('[data-testid="coverage-csat-chat"]', 'data-value'), '1');
  assert.equal(await page.getAttribute('[data-testid="coverage-csat-email"]', 'data-value'), '0');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a large local file loads in slices: the progress bar shows bytes and rows, and the page keeps painting', async () => {
  const { page, problems, context } = await openPage(browser, srv.url + 'data');
  await page.waitForSelector('[data-testid="rows-read"]', { timeout: 30_000 });
  const demo = join(ROOT, 'public/data/demo.csv');
  await page.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    const frame = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  });
  await page.setInputFiles('[data-testid="file-input"]', demo);
  const seen = await page.waitForFunction(() => document.querySelector('[data-testid="load-progress"]')?.textContent, null, { timeout: 30_000 });
  const text = await seen.jsonValue();
  assert.match(text, /of \d+ bytes, \d+ rows/);
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  const gaps = await page.evaluate(() => { window.__stop = true; return window.__gaps; });
  const want = kpiReport(['--input', demo]);
  assert.deepEqual(await counts(page), { read: want.rows_read, loaded: want.rows_loaded, rejected: want.rows_rejected });
  const worst = Math.max(...gaps);
  console.log(`longest frame gap while loading ${want.rows_read} rows: ${worst.toFixed(0)} ms over ${gaps.length} frames`);
  assert.ok(gaps.length > 5, 'the page painted while loading');
  assert.ok(worst < 1500, `no frame waits longer than 1.5 s (got ${worst.toFixed(0)} ms)`);
  assert.deepEqual(problems, []);
  await context.close();
});
