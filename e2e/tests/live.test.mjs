// Live mode against the replay server: SSE with contacts in progress (the queue rises and falls),
// merged by id (the page holds exactly the distinct contacts the feed sent), "updated N s ago";
// polling with a `since` cursor and ETags; the stale warning when the feed stops, last good
// data kept, and a clean resume when it comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, startReplay, buildReplay } from '../lib.mjs';

async function live(page) {
  return page.$eval('[data-testid="live-status"]', (e) => ({
    mode: e.dataset.mode, rows: Number(e.dataset.rows), cursor: Number(e.dataset.cursor), stale: e.dataset.stale === 'true',
    inserted: Number(e.dataset.inserted), updated: Number(e.dataset.updated), queue: Number(e.querySelector('[data-testid="live-queue"]').dataset.value),
    text: e.textContent,
  }));
}

/** Distinct contact ids among the feed's first `cursor` changes. */
async function distinctIds(url, cursor) {
  const b = await (await fetch(`${url}api/contacts?since=0`)).json();
  assert.ok(b.contacts.length >= cursor, `the feed has ${b.contacts.length} changes, page at ${cursor}`);
  return new Set(b.contacts.slice(0, cursor).map((c) => c.id)).size;
}

let browser;
before(async () => {
  buildReplay();
  browser = await launch();
});
after(async () => { await browser?.close(); });

test('SSE: queues rise and fall, each contact counted once, "updated N s ago"', async () => {
  // 20 simulated minutes per second, from 08:00 on the first Monday of the demo data.
  const srv = await startReplay(['--speed', '1200', '--tick-ms', '100', '--backlog', '100000', '--start', String(Date.UTC(2025, 10, 24, 7) / 1000)]);
  try {
    const { page, problems } = await openPage(browser, srv.url);
    await page.waitForSelector('[data-testid="live-status"][data-mode="sse"]', { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-status"]')?.dataset.rows) > 20, null, { timeout: 30_000 });
    // Sampled until the queue has both risen and fallen, for at most 40 s (13 simulated hours): the
    // morning ramp from 08:00 can rise for several seconds before it first falls, so a fixed
    // number of samples made this test depend on the machine's speed.
    const queues = [];
    const rose = () => queues.some((q, i) => i > 0 && q > queues[i - 1]);
    const fell = () => queues.some((q, i) => i > 0 && q < queues[i - 1]);
    for (let i = 0; i < 160 && (i < 24 || !(rose() && fell())); i++) {
      queues.push((await live(page)).queue);
      await page.waitForTimeout(250);
    }
    const s = await live(page);
    assert.ok(s.updated > 0, 'contacts were updated after they arrived (answered, closed)');
    assert.ok(Math.max(...queues) > 0, `the queue had contacts: ${queues}`);
    assert.ok(rose() && fell(), `the queue rose and fell: ${queues}`);
    assert.match(s.text, /updated \d+ s ago/);
    // Counted once: the page holds exactly the distinct ids of the changes it received.
    const snap = await page.$eval('[data-testid="live-status"]', (e) => ({ rows: Number(e.dataset.rows), cursor: Number(e.dataset.cursor) }));
    assert.equal(snap.rows, await distinctIds(srv.url, snap.cursor));
    // The tiles read the live data.
    const contacts = await page.$eval('[data-kpi="contacts"]', (e) => Number(e.dataset.value)).catch(() => null);
    if (contacts !== null) assert.ok(contacts > 0);
    assert.deepEqual(problems, []);
  } finally { await srv.stop(); }
});

test('poll: only what is new (since cursor, ETag 304), stale warning after three missed intervals, resume', async () => {
  const srv = await startReplay(['--mode', 'poll', '--interval', '1', '--speed', '300']);
  const port = new URL(srv.url).port;
  let srv2;
  try {
    const { page } = await openPage(browser);
    const polls = [];
    page.on('response', (r) => { if (r.url().includes('api/contacts')) polls.push({ url: r.url(), status: r.status() }); });
    await page.goto(srv.url);
    await page.waitForSelector('[data-testid="live-status"][data-mode="poll"]', { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-status"]')?.dataset.rows) > 0, null, { timeout: 30_000 });
    await page.waitForTimeout(3500);
    assert.ok(polls.length >= 3, `polled: ${polls.length}`);
    assert.ok(polls.slice(1).every((p) => /[?&]since=\d+/.test(p.url)), 'later polls send the cursor');
    assert.ok(polls.some((p) => p.status === 304), `a poll with nothing new is answered 304 (ETag): ${polls.map((p) => p.status)}`);
    const before = await live(page);
    assert.equal(before.rows, await distinctIds(srv.url, before.cursor));
    // The feed stops: failures back off, the data stays, and after 3 intervals it is stale.
    await srv.stop();
    await page.waitForSelector('[data-testid="live-stale"]', { timeout: 20_000 });
    const err = await page.textContent('[data-testid="load-error"]');
    assert.match(err, /Live feed: .*retrying in \d+ s/);
    const during = await live(page);
    assert.ok(during.rows >= before.rows, 'last good data kept');
    // It comes back (same port, restarted clock): the page resumes, the error goes, no double count.
    srv2 = await startReplay(['--mode', 'poll', '--interval', '1', '--speed', '300'], port);
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.dataset.stale === 'false', null, { timeout: 90_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="load-error"]'), null, { timeout: 10_000 });
    const after = await live(page);
    assert.ok(after.rows >= before.rows, 'nothing lost');
    const all = await (await fetch(`${srv2.url}api/dataset`)).text();
    assert.ok(after.rows <= all.trim().split('\n').length - 1, 'never more contacts than the dataset has');
  } finally { await srv.stop().catch(() => {}); await srv2?.stop(); }
});
