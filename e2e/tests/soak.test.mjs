// Soak: the replay server loops the demo year at a very high speed into live mode (SSE) with a
// rolling window of 5 000 contacts until a million new contacts have streamed through the page
// (bounded in time). Once the window is full, the contacts held, the DOM node count, the JS heap
// (after a forced GC) and the wasm memory stay flat.
//   OMNIKPI_SOAK_CONTACTS (default 1000000): new contacts to stream after the window is full.
//   OMNIKPI_SOAK_MAX_S (default 420): the time bound; the test fails if the stream is slower.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, startReplay, buildReplay } from '../lib.mjs';

const CONTACTS = Number(process.env.OMNIKPI_SOAK_CONTACTS ?? 1_000_000);
const MAX_S = Number(process.env.OMNIKPI_SOAK_MAX_S ?? 420);
const WINDOW = 5000;

let browser, srv;
before(async () => {
  buildReplay();
  browser = await launch();
  // ~1 year of data time (70 000 contacts) per 1.6 s of real time: the page is the bottleneck.
  srv = await startReplay(['--loop', '--speed', '20000000', '--tick-ms', '200', '--backlog', '0']);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test(`soak: ${CONTACTS} contacts stream through a ${WINDOW}-contact window; DOM, JS heap and wasm memory stay flat`, { timeout: (MAX_S + 180) * 1000 }, async () => {
  const { page, problems } = await openPage(browser, `${srv.url}ops?window_rows=${WINDOW}&window_days=0`);
  const cdp = await page.context().newCDPSession(page);
  await page.waitForFunction((w) => Number(document.querySelector('[data-testid="live-status"]')?.dataset.rows) >= w, WINDOW, { timeout: 120_000, polling: 500 });
  const sample = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return page.evaluate(() => {
      const s = document.querySelector('[data-testid="live-status"]').dataset;
      return {
        t: Math.round(performance.now() / 1000), rows: Number(s.rows), inserted: Number(s.inserted), updated: Number(s.updated),
        evicted: Number(s.evicted), nodes: document.getElementsByTagName('*').length,
        heap: performance.memory?.usedJSHeapSize ?? 0, wasm: Number(s.wasmBytes),
      };
    });
  };
  // Let it settle one more window's worth, then sample.
  await page.waitForTimeout(5000);
  const samples = [await sample()];
  const end = Date.now() + MAX_S * 1000;
  const t0 = Date.now();
  while (Date.now() < end && samples[samples.length - 1].inserted - samples[0].inserted < CONTACTS) {
    await page.waitForTimeout(Math.min(10_000, Math.max(0, end - Date.now())));
    samples.push(await sample());
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const streamed = last.inserted - first.inserted;
  console.log(JSON.stringify({ contacts: streamed, seconds: (Date.now() - t0) / 1000, window: WINDOW, samples }));
  assert.ok(streamed >= CONTACTS, `streamed ${streamed} new contacts within ${MAX_S} s (wanted ${CONTACTS})`);
  for (const s of samples) assert.ok(s.rows <= WINDOW, `window bounded: ${s.rows}`);
  // The view re-renders as the feed's days pass (its "today" may empty out once the replay runs
  // past the real today), so the node count may fall; it must not creep up.
  const mid = Math.floor(samples.length / 2);
  const firstHalf = samples.slice(0, mid + 1);
  const secondHalf = samples.slice(mid);
  const maxOf = (xs, k) => Math.max(...xs.map((s) => s[k]));
  assert.ok(maxOf(secondHalf, 'nodes') <= maxOf(firstHalf, 'nodes') * 1.1 + 50, `DOM nodes do not grow: ${samples.map((s) => s.nodes)}`);
  assert.ok(last.heap <= first.heap * 1.5 + (8 << 20), `JS heap flat: ${samples.map((s) => s.heap)}`);
  // Linear memory never shrinks and grows in steps (allocator high-water mark of the rebuilds);
  // bounded: at most double what it was when the window first filled.
  assert.ok(last.wasm <= first.wasm * 2, `wasm memory bounded: ${samples.map((s) => s.wasm)}`);
  assert.deepEqual(problems, []);
});
