// An Arrow IPC or CSV source is read while it downloads: the server holds the second half of the
// file back, and the rows of the batches (records) in the first half are already loaded (the
// progress line counts them); released, the dashboard shows what `kpi report` reads from the
// whole file. A download cut short is one clear message naming the source, and none of its rows
// is loaded: the next source loads alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, serveDistWith, kpiReport, ROOT } from '../lib.mjs';

const FIXTURE = join(ROOT, 'bench/fixtures/contacts-300.arrows');
const BYTES = readFileSync(FIXTURE);
// Batches of 128, 128 and 44 rows (pyarrow's): the first is whole in the first half of the
// bytes, the last is not.
const HALF = BYTES.length >> 1;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A deferred promise: `{ promise, resolve }`. */
function later() {
  let resolve;
  const promise = new Promise((ok) => { resolve = ok; });
  return { promise, resolve };
}

/** The app served with one source `url` (under the dist) whose first `half` bytes of `bytes` are
 *  sent at once, with the whole length declared, and the rest once `release()` is called. */
async function serveHeld(url, bytes, type, half) {
  const release = later();
  const srv = await serveDistWith({
    sources: [{ name: 'held', url }],
    handler: async (req, res, path) => {
      if (path !== `/${url}`) return false;
      res.writeHead(200, { 'content-type': type, 'content-length': bytes.length });
      res.write(bytes.subarray(0, half));
      await release.promise;
      res.end(bytes.subarray(half));
      return true;
    },
  });
  return { ...srv, release: release.resolve };
}

/** The Data page lists `source` alone, with the rows `kpi report` (`want`) reads and loads. */
async function assertLoaded(page, source, want) {
  await page.waitForSelector('[data-testid="source-row"]', { timeout: 60_000 });
  const rows = await page.$$eval('[data-testid="source-row"]', (els) => els.map((e) => [e.getAttribute('data-source'), e.getAttribute('data-rows-read')]));
  assert.deepEqual(rows, [[source, String(want.rows_read)]]);
  assert.equal(Number(await page.getAttribute('[data-testid="rows-loaded"]', 'data-value')), want.rows_loaded);
}

test('an Arrow source is read while it downloads, and ends as the whole file reads', async () => {
  const srv = await serveHeld('data/held.arrows', BYTES, 'application/vnd.apache.arrow.stream', HALF);
  try {
    const { page, problems, context } = await openPage(browser, srv.url + 'data');
    // Half the file is in: the rows of its whole batches are read, the rest waits.
    const held = await page.waitForSelector('[data-testid="load-progress"]:not([data-rows="0"])', { timeout: 60_000 });
    const at = await held.evaluate((e) => ({ ...e.dataset }));
    assert.equal(at.rows, '128', 'the rows of the first batch');
    assert.equal(Number(at.bytesDone), HALF, 'the bytes received so far');
    assert.equal(Number(at.bytesTotal), BYTES.length, 'the length announced');
    assert.match(await held.textContent(), /Reading data\/held\.arrows/);
    srv.release();
    const want = kpiReport(['--input', FIXTURE]);
    assert.equal(want.rows_loaded, 300);
    await assertLoaded(page, 'data/held.arrows', want);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    srv.release();
    srv.cleanup();
  }
});

test('a CSV source is read while it downloads, and ends as the whole file reads', async () => {
  const demo = join(ROOT, 'public/data/demo.csv');
  const csv = readFileSync(demo);
  const half = csv.length >> 1;
  const srv = await serveHeld('data/held.csv', csv, 'text/csv', half);
  try {
    const { page, problems, context } = await openPage(browser, srv.url + 'data');
    // Half the file is in: its whole records are read (thousands of them), the rest waits.
    const held = await page.waitForSelector('[data-testid="load-progress"]:not([data-rows="0"])', { timeout: 60_000 });
    // The reader keeps up with the bytes: wait until it has taken all that arrived.
    await page.waitForFunction((h) => Number(document.querySelector('[data-testid="load-progress"]')?.dataset.bytesDone) === h, half, { timeout: 60_000 });
    const at = await held.evaluate((e) => ({ ...e.dataset }));
    const lines = csv.subarray(0, half).toString('utf8').split('\n').length - 1;
    // Every line of the first half but the header is a whole record (the demo has no quoted line
    // ends), and the record cut by the half is not read yet.
    assert.equal(Number(at.rows), lines - 1, 'the records of the first half');
    assert.equal(Number(at.bytesTotal), csv.length, 'the length announced');
    assert.match(await held.textContent(), /Reading data\/held\.csv/);
    srv.release();
    const want = kpiReport(['--input', demo]);
    await assertLoaded(page, 'data/held.csv', want);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    srv.release();
    srv.cleanup();
  }
});

test('an Arrow download cut short is named in place and none of it is loaded', async () => {
  const srv = await serveDistWith({
    sources: [{ name: 'cut', url: 'data/cut.arrows' }, { name: 'demo', url: 'data/demo.csv' }],
    handler: async (req, res, path) => {
      if (path !== '/data/cut.arrows') return false;
      // No length announced: the browser cannot tell the body is short; the reader must.
      res.writeHead(200, { 'content-type': 'application/vnd.apache.arrow.stream' });
      res.end(BYTES.subarray(0, HALF));
      return true;
    },
  });
  try {
    const { page, problems, context } = await openPage(browser, srv.url + 'data');
    await page.waitForSelector('[data-testid="load-error"]', { timeout: 60_000 });
    const msg = await page.textContent('[data-testid="load-error"]');
    assert.match(msg, /data\/cut\.arrows: Arrow IPC: malformed \(truncated message/);
    // The rows of the cut file's first batches were read while it arrived; they are gone.
    await assertLoaded(page, 'data/demo.csv', kpiReport(['--input', join(ROOT, 'public/data/demo.csv')]));
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    srv.cleanup();
  }
});

test('a CSV download cut short of its declared length is named in place and none of it is loaded', async () => {
  const csv = readFileSync(join(ROOT, 'public/data/demo.csv'));
  const srv = await serveDistWith({
    sources: [{ name: 'cut', url: 'data/cut.csv' }, { name: 'demo', url: 'data/demo.csv' }],
    handler: async (req, res, path) => {
      if (path !== '/data/cut.csv') return false;
      // The length of the whole file declared, half of it sent, then the connection closed: the
      // half's records were read while they arrived, and must not stay.
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': csv.length });
      res.write(csv.subarray(0, csv.length >> 1));
      setTimeout(() => res.destroy(), 300);
      return true;
    },
  });
  try {
    const { page, problems, context } = await openPage(browser, srv.url + 'data');
    await page.waitForSelector('[data-testid="load-error"]', { timeout: 60_000 });
    assert.match(await page.textContent('[data-testid="load-error"]'), /could not read data\/cut\.csv: network error/);
    await assertLoaded(page, 'data/demo.csv', kpiReport(['--input', join(ROOT, 'public/data/demo.csv')]));
    // The browser reports the failed download itself; nothing else may be logged.
    assert.deepEqual(problems.filter((p) => !/cut\.csv|ERR_CONTENT_LENGTH_MISMATCH|network error/i.test(p)), []);
    await context.close();
  } finally {
    srv.cleanup();
  }
});
