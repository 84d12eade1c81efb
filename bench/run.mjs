// The browser benchmark in one command (`make bench`): generates the data if missing (the demo
// generator, `gen`), converts it to Arrow (bench/make_arrow.py), builds the engine's bench wasm,
// serves bench/ on loopback, runs bench.mjs in headless Chromium (Debian's, via playwright-core)
// and writes the results to bench/results.json and the "Browser benchmark" section of
// docs/performance.md.
//
//   node bench/run.mjs [--contacts 1000000] [--runs 7] [--warm 2] [--no-docs]
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cpus, totalmem } from 'node:os';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : d;
};
const CONTACTS = Number(arg('--contacts', 1000000));
const RUNS = Number(arg('--runs', 7));
const WARM = Number(arg('--warm', 2));
const RUNS_ARG = RUNS, WARM_ARG = WARM;
const tag = CONTACTS >= 1e6 ? `${CONTACTS / 1e6}m` : `${CONTACTS / 1e3}k`;
const DATA = join(HERE, 'data');
const env = { ...process.env, PATH: `${ROOT}/.tools/bin:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env, ...opts });

const DOCS_ONLY = process.argv.includes('--docs-from-results');
let res;
if (DOCS_ONLY) {
  res = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8'));
} else {
  res = await measure();
}
writeDocs(res);

async function measure() {
// 1. Data: the generator's contacts (fixed end date and seed: same data every run), and Arrow.
mkdirSync(DATA, { recursive: true });
const csv = join(DATA, `contacts-${tag}.csv`);
if (!existsSync(csv)) {
  sh('cargo', ['run', '-q', '--release', '-p', 'omnikpi-engine', '--bin', 'gen', '--', '--contacts', String(CONTACTS),
    '--contacts-only', '--end', '2026-10-31', '--out', DATA, '--contacts-file', `contacts-${tag}.csv`]);
}
const arrow = join(DATA, `contacts-${tag}.arrow`);
const stream = join(DATA, `contacts-${tag}.arrows`);
if (!existsSync(arrow) || !existsSync(stream)) {
  sh('python3', [join(HERE, 'make_arrow.py'), csv, arrow, '--stream', stream, '--variant', 'bench']);
}

// 2. The engine's wasm for the bench page (app's release profile), and its JS glue.
sh('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown'], { cwd: join(HERE, 'wasm') });
sh('wasm-bindgen', ['--target', 'web', '--out-dir', join(HERE, 'pkg'),
  join(HERE, 'wasm/target/wasm32-unknown-unknown/release/omnikpi_bench.wasm')]);
sh('wasm-opt', ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', join(HERE, 'pkg/omnikpi_bench_bg.wasm'), '-o', join(HERE, 'pkg/omnikpi_bench_bg.wasm')]);

// 3. Serve bench/ (no CSP: DuckDB-WASM runs in a worker and compiles wasm).
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.csv': 'text/csv', '.arrow': 'application/octet-stream', '.arrows': 'application/octet-stream' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([.][.][/\\])+/, '');
  const file = join(HERE, path);
  if (!file.startsWith(HERE) || !existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

// 4. Headless Chromium.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--js-flags=--max-old-space-size=8192'],
});
const page = await browser.newPage();
page.on('console', (m) => console.log(`[page] ${m.text()}`));
page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
await page.goto(`${base}/page.html`);
await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: 60000 });
const team = execFileSync('python3', ['-c', `import csv,collections;r=csv.DictReader(open(${JSON.stringify(csv)}));c=collections.Counter(x['team'] for _,x in zip(range(200000),r) if x['team']);print(c.most_common(1)[0][0])`], { encoding: 'utf8' }).trim();
const t0 = Date.now();
const res = await page.evaluate((o) => window.runBench({ ...o, log: (m) => console.log(m) }),
  { csv: `data/contacts-${tag}.csv`, arrow: `data/contacts-${tag}.arrow`, stream: `data/contacts-${tag}.arrows`, team, warm: WARM, runs: RUNS });
res.wall_s = (Date.now() - t0) / 1000;
res.team = team;
res.contacts = CONTACTS;
res.runs_per_query = RUNS;
res.warm = WARM;
res.load_average = (await import('node:os')).loadavg()[0];
res.chromium = browser.version();
await browser.close();
server.close();

const wasm = readFileSync(join(HERE, 'pkg/omnikpi_bench_bg.wasm'));
res.bench_wasm_gzip = gzipSync(wasm, { level: 9 }).length;
const duck = readFileSync(join(HERE, 'node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
res.duckdb_wasm_gzip = gzipSync(duck, { level: 9 }).length;
res.machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
writeFileSync(join(HERE, 'results.json'), JSON.stringify(res, null, 2));
console.log(JSON.stringify(res, null, 2));

if (res.agreement.length) {
  console.error('answers disagree: no timings\n' + res.agreement.join('\n'));
  process.exit(1);
}
return res;
}

// 5. docs/performance.md, section "Browser benchmark" (the rest of the file is left alone).
function writeDocs(res) {
if (!process.argv.includes('--no-docs')) {
  const RUNS = res.runs_per_query ?? RUNS_ARG, WARM = res.warm ?? WARM_ARG, CONTACTS = res.contacts;
  const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(4));
  const ratio = (a, b) => (a / b >= 0.01 ? (a / b).toFixed(2) : (a / b).toExponential(1));
  const q = (k) => res.query_ms[k].median_ms;
  const lines = [
    '## Browser benchmark',
    '',
    `Reproduce: \`make bench\` (\`node bench/run.mjs --contacts ${CONTACTS}\`). ${CONTACTS.toLocaleString('en')} generated contacts`,
    `(\`gen --contacts ${CONTACTS} --end 2026-10-31\`), every engine in UTC, in headless Chromium ${res.chromium}`,
    `on ${res.machine}, shared with other engineers' builds and tests while measured` +
      (res.load_average ? ` (1-minute load average ${res.load_average.toFixed(1)} at the end)` : '') +
      `. Medians of ${RUNS} runs after ${WARM} warm-up runs; \`bench/results.json\` has every run.`,
    'Answers checked first: per group, contacts, AHT, CSAT, abandonment rate, resolution rate and mean first',
    'response of DuckDB-WASM and Arquero equal omnikpi\'s (relative 1e-9); omnikpi computes every catalog KPI in its time',
    'for the channel × day and team queries, and the same six KPIs as the others for the heatmap.',
    '',
    '| query | omnikpi ms | DuckDB-WASM ms | Arquero ms | omnikpi / DuckDB | omnikpi / Arquero |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const name of ['channel_day', 'heatmap', 'volume', 'team'].filter((n) => res.query_ms[`omnikpi ${n}`])) {
    const o = q(`omnikpi ${name}`), d = q(`duckdb ${name}`), a = q(`arquero ${name}`);
    const label = { channel_day: 'KPIs per channel × day', heatmap: 'weekday × hour heatmap, 6 KPIs', volume: 'weekday × hour volume heatmap (the dashboard\'s)', team: `one team's KPIs per channel × day (${res.team})` }[name];
    lines.push(`| ${label} | ${f(o)} | ${f(d)} | ${f(a)} | ${ratio(o, d)} | ${ratio(o, a)} |`);
  }
  lines.push('', 'omnikpi answers channel × day from its day × channel cells and the team query from its day × channel × team',
    'cells (built on first use); the heatmap (the six KPIs per weekday × hour, one `Engine::heatmaps` call) merges the day cells\'',
    'per-hour accumulators of counts and sums (built on the first heatmap, before timing; percentiles and case KPIs would still scan',
    'the rows; timed over 10 calls per sample); the volume heatmap sums the cells\' hour counts (timed over 1000 calls per sample,',
    'below the browser timer\'s 0.1 ms).',
    'A ratio below 1 means omnikpi is faster.');
  lines.push('', '| load | ms |', '|---|---:|');
  for (const [k, v] of Object.entries(res.load_ms)) lines.push(`| ${k} | ${f(v)} |`);
  lines.push('', 'omnikpi\'s load includes building the engine (derived columns, case outcomes); its day cells are built by the',
    'first query that uses them ("omnikpi arrow + first query": the load and the channel × day query right after it). DuckDB\'s is',
    '`CREATE TABLE … read_csv` or `insertArrowFromIPCStream`; Arquero\'s is `fromArrow` plus the derived columns its queries use.');
  lines.push('', `Input sizes: CSV ${(res.bytes.csv / 2 ** 20).toFixed(1)} MiB, Arrow IPC ${(res.bytes.arrow / 2 ** 20).toFixed(1)} MiB.`,
    `Wasm gzip -9: omnikpi bench module ${(res.bench_wasm_gzip / 1024).toFixed(0)} KiB, DuckDB-WASM (eh) ${(res.duckdb_wasm_gzip / 1024).toFixed(0)} KiB.`,
    'The app\'s filter-change-to-painted-frame latency and peak memory: [App at scale](#app-at-scale) (`make bench-app`). Not measured: 10M contacts side by side (tried 2026-11-23: the omnikpi bench module aborts reading the 1.66 GB CSV as one buffer in wasm32\'s 4 GB; the app itself opens 10M from Arrow, see App at scale).', '');
  const doc = join(ROOT, 'docs/performance.md');
  const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Performance\n';
  const start = old.indexOf('## Browser benchmark');
  let out;
  if (start < 0) {
    out = old.trimEnd() + '\n\n' + lines.join('\n');
  } else {
    const next = old.indexOf('\n## ', start + 5);
    out = old.slice(0, start) + lines.join('\n') + (next >= 0 ? '\n' + old.slice(next + 1) : '');
  }
  writeFileSync(doc, out);
}
}
