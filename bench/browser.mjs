// One fresh headless Chromium (Debian's, via playwright-core) per engine run, and the peak
// resident memory of its renderer: a fresh browser has one renderer for the page (DuckDB-WASM's
// worker is a thread of it), so its VmHWM is that run's alone, loading included.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

/** Peak resident set (VmHWM, kB) of process `pid` from /proc (Linux); null once it ended. */
function vmHwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Opens `url` in a new headless Chromium, waits until `ready` (a page function) is true, and
 * calls `fn({ page, peakKb })`; closes the browser whatever happens. `peakKb()` is the largest
 * VmHWM of the renderer processes so far; `mem.peak_kb` is kept up to date every 250 ms, so
 * that a renderer that crashed (out of memory) still leaves its last peak behind.
 */
export async function withChromium(url, ready, fn, mem = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--js-flags=--max-old-space-size=8192'],
  });
  mem.chromium = browser.version();
  let timer = null;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.log(`[page] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    await page.goto(url);
    await page.waitForFunction(ready, null, { timeout: 60000 });
    // After navigation: the page's renderer is the one it ends up in.
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    const pids = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
    const peakKb = () => {
      for (const pid of pids) mem.peak_kb = Math.max(mem.peak_kb ?? 0, vmHwmKb(pid) ?? 0);
      return mem.peak_kb || null;
    };
    peakKb();
    timer = setInterval(peakKb, 250);
    return await fn({ page, peakKb });
  } finally {
    clearInterval(timer);
    await browser.close();
  }
}
