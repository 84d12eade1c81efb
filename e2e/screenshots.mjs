// The README's screenshots, taken from the built app (`dist/`) on the bundled demo data: the
// top of each stakeholder view at 1440 × 900, as a visitor first sees it.
//
//   make screenshots        (builds dist/ first)
//   node e2e/screenshots.mjs
import { join } from 'node:path';
import { launch, serveDist, openPage, ROOT } from './lib.mjs';

const VIEWS = [
  // route, file, what must be on the page before the picture
  ['ops', 'ops.png', '[data-scope="period"][data-kpi="contacts"]'],
  ['exec', 'exec.png', '[data-testid="trend-weekly"] svg'],
  ['journeys', 'journeys.png', '[data-testid="usage-table"] tbody tr'],
  ['agents', 'agents.png', '[data-testid="agent-table"] tbody tr'],
];

const browser = await launch();
const srv = await serveDist();
try {
  for (const [route, file, ready] of VIEWS) {
    const { context, page, problems } = await openPage(browser, `${srv.url}${route}`);
    await page.waitForSelector(ready, { timeout: 60_000 });
    // Charts are drawn after the tiles; let the last frame settle.
    await page.waitForTimeout(500);
    const out = join(ROOT, 'docs/screenshots', file);
    await page.screenshot({ path: out });
    if (problems.length) throw new Error(`${route}: ${problems.join('\n')}`);
    console.log(`wrote ${out}`);
    await context.close();
  }
} finally {
  await browser.close();
  srv.server.close();
}
