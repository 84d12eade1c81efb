// The "Browser benchmark" section of docs/performance.md from a run's results (run.mjs): the
// section's text and the part for that run's number of contacts are rewritten; the parts of
// other sizes (another run of the same command) and the rest of the file are left as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(4));
const ratio = (a, b) => (a / b >= 0.01 ? (a / b).toFixed(2) : (a / b).toExponential(1));
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kbMib = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MiB` : '—');
const ENGINE = { omnikpi: 'omnikpi', duckdb: 'DuckDB-WASM', arquero: 'Arquero' };
const INPUT = {
  'omnikpi arrow': 'Arrow IPC file', 'omnikpi arrow-arriving': 'Arrow IPC file read while it downloads (the app\'s way; load timed from the last byte)', 'omnikpi csv': 'CSV, one buffer', 'omnikpi csv-arriving': 'CSV read while it downloads (the app\'s way; load timed from the last byte)', 'omnikpi csv-slices': 'CSV, 32 MiB slices',
  'duckdb arrow': 'Arrow IPC stream', 'duckdb csv': 'CSV', 'duckdb csv-columns': 'CSV, only the 8 columns the queries read', 'arquero arrow': 'Arrow IPC file', 'arquero csv': 'CSV',
};
const QUERY = {
  channel_day: 'KPIs per channel × day',
  heatmap: 'weekday × hour heatmap, 6 KPIs',
  volume: 'weekday × hour volume heatmap (the dashboard\'s)',
  team: (team) => `one team's KPIs per channel × day (${team})`,
};

// Why an input did not fit, from the error: the limit it ran into.
function why(r) {
  if (/Invalid string length|empty string/.test(r.error)) return 'the text is one JS string, and V8 caps strings at 2^29 − 24 characters (512 Mi)';
  if (/unreachable/.test(r.error) && r.wasm_memory_mib) return `wasm memory was ${r.wasm_memory_mib.toFixed(0)} MiB when the module aborted on a failed allocation (wasm32: 4096 MiB at most)`;
  if (/Out of Memory/i.test(r.error) && r.engine === 'duckdb') {
    return 'DuckDB-WASM first copies its whole input into its wasm heap (`registerFileBuffer` and `insertArrowFromIPCStream` ' +
      `both do), and its in-memory table of all 30 columns did not fit beside it in wasm32's 4 GiB (memory_limit ${r.duckdb_memory_limit ?? '?'})`;
  }
  if (/crash/i.test(r.error)) return 'the renderer process died (out of memory)';
  return null;
}

// DuckDB-WASM reports some errors as JSON: its type and message are enough.
function shortError(e) {
  const m = /\{"exception_type":"([^"]*)","exception_message":"([^"]*)"/.exec(e);
  return m ? `${m[1]}: ${m[2]}` : e;
}

/** The part of the section for one run's size. */
function sizePart(res) {
  const runs = res.runs.filter((r) => r.engine !== 'page');
  const page = res.runs.find((r) => r.engine === 'page');
  const avgs = res.runs.flatMap((r) => [r.load_average_start, r.load_average_end]).filter((x) => x != null);
  const lines = [
    `### ${res.contacts.toLocaleString('en')} contacts`,
    '',
    `Measured ${res.date} on ${res.machine}, headless Chromium ${res.chromium}, shared with other engineers' builds and tests:`,
    `1-minute load average ${Math.min(...avgs).toFixed(1)}–${Math.max(...avgs).toFixed(1)} at the starts and ends of the runs.`,
    `\`node bench/run.mjs --contacts ${res.contacts}\` took ${(res.wall_s / 60).toFixed(1)} min (data present, wasm built).`,
    `Medians of ${res.runs_per_query} runs after ${res.warm} warm-up runs; \`bench/results-${res.contacts >= 1e6 ? `${res.contacts / 1e6}m` : `${res.contacts / 1e3}k`}.json\` has every run.`,
    '',
  ];
  const timed = Object.fromEntries(runs.filter((r) => r.query_ms).map((r) => [r.engine, r]));
  const q = (e, name) => timed[e]?.query_ms[name]?.median_ms;
  const where = Object.values(timed).map((r) => `${ENGINE[r.engine]}: ${INPUT[`${r.engine} ${r.format}`]}`).join('; ');
  lines.push(`Queries, timed in each engine's first run that agreed (${where}):`, '',
    '| query | omnikpi ms | DuckDB-WASM ms | Arquero ms | omnikpi / DuckDB | omnikpi / Arquero |',
    '|---|---:|---:|---:|---:|---:|');
  for (const name of ['channel_day', 'heatmap', 'volume', 'team']) {
    const o = q('omnikpi', name), d = q('duckdb', name), a = q('arquero', name);
    if (o == null) continue;
    const label = typeof QUERY[name] === 'function' ? QUERY[name](res.team) : QUERY[name];
    const cell = (x) => (x == null ? '—' : f(x));
    const rat = (x) => (x == null ? '—' : ratio(o, x));
    lines.push(`| ${label} | ${cell(o)} | ${cell(d)} | ${cell(a)} | ${rat(d)} | ${rat(a)} |`);
  }
  lines.push('', 'Loads and peak memory (each row its own fresh browser):', '',
    '| engine | input | size | load ms | first query ms | rows | renderer peak after load | renderer peak (VmHWM) at the end |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    `| page alone | — | — | — | — | — | — | ${kbMib(page?.peak_kb)} |`);
  const notes = new Map(); // why → the runs it explains
  for (const r of runs) {
    const input = INPUT[`${r.engine} ${r.format}`] ?? r.format;
    const load = r.error ? `did not fit: ${shortError(r.error).replace(/\|/g, '\\|')}` : f(r.load_ms);
    const end = r.error ? `${kbMib(r.peak_kb)} (at the failure)` : `${kbMib(r.peak_kb)}${r.query_ms ? ' (queries timed)' : ''}`;
    const first = r.error || r.first_query_ms == null ? '—' : f(r.first_query_ms);
    lines.push(`| ${ENGINE[r.engine]} | ${input} | ${mib(r.file_bytes)} | ${load} | ${first} | ${r.rows?.toLocaleString('en') ?? '—'} | ${r.error ? '—' : kbMib(r.peak_after_load_kb)} | ${end} |`);
    if (r.error && why(r)) notes.set(why(r), [...(notes.get(why(r)) ?? []), `${ENGINE[r.engine]}, ${input}`]);
  }
  // The engines' own memory after load, where they tell it: what the renderer peaks are made of.
  const own = (e, key) => runs.filter((r) => r.engine === e && r[key] != null && !r.error)
    .map((r) => `${INPUT[`${r.engine} ${r.format}`]} ${r[key].toFixed(0)} MiB`).join('; ');
  const text = [...notes].map(([w, who]) => `${who.join('; ')}: ${w}.`);
  if (own('omnikpi', 'wasm_memory_mib')) text.push(`omnikpi's wasm memory after load: ${own('omnikpi', 'wasm_memory_mib')}.`);
  if (own('duckdb', 'duckdb_memory_mib')) text.push(`DuckDB's own memory after load (\`duckdb_memory()\`): ${own('duckdb', 'duckdb_memory_mib')}.`);
  if (text.length) lines.push('', ...text);
  lines.push('', `Wasm gzip -9: omnikpi bench module ${(res.bench_wasm_gzip / 1024).toFixed(0)} KiB, DuckDB-WASM (eh) ${(res.duckdb_wasm_gzip / 1024).toFixed(0)} KiB.`, '');
  return lines.join('\n');
}

/** The section's text above the parts of each size. */
function intro() {
  return [
    '## Browser benchmark',
    '',
    'Reproduce: `make bench` (1M contacts: `node bench/run.mjs --contacts 1000000`); 10M: `node bench/run.mjs --contacts 10000000`.',
    'Each command makes its data if missing (`gen --contacts N --end 2026-10-31`, then `bench/make_arrow.py`), builds the',
    'bench wasm (`bench/wasm`, the app\'s release profile) and rewrites its own part below. Every engine runs in UTC.',
    '',
    'Each engine × input format runs in its own fresh headless Chromium that fetches only that input, so one engine\'s',
    'buffers never count against another\'s (nor against wasm32\'s 4 GiB). In each, the input is fetched into an',
    'ArrayBuffer (not timed), loaded (timed), and every query answered; the answers are compared in Node before',
    'anything is timed: per group, contacts, AHT, CSAT, abandonment rate, resolution rate and mean first response equal',
    'omnikpi\'s (relative 1e-9; omnikpi\'s first run that loads is the reference, its other formats are checked',
    'against it too). An engine\'s queries are then timed in its first run that loaded and agreed. An input that does',
    'not fit is listed as such with its error, and the other runs go on.',
    '',
    '**Load** is from the fetched bytes to an engine ready to answer: omnikpi\'s includes building the engine (derived',
    'columns, case outcomes; its day cells are built by the first query that needs them, so **first query** — the',
    'channel × day query right after the load, in every engine — shows what a load defers) — one buffer moved into the engine\'s load job, or the CSV fed',
    'in 32 MiB slices whose complete records go through the same reader (`bench/wasm/src/slices.rs`); DuckDB\'s is',
    '`CREATE TABLE … read_csv` (the buffer registered before; all columns, or only the 8 the queries read, which is',
    'what fits at 10M) or `insertArrowFromIPCStream`; Arquero\'s is `fromArrow`',
    'or `fromCSV` plus the derived columns its queries use. **Peak memory** is the renderer process\'s VmHWM',
    '(/proc/<pid>/status) at the end of the run: the page itself, the fetched input, the engine\'s wasm memory (which',
    'never shrinks) or JS heap, the answers and, in the timed run, the queries. DuckDB-WASM\'s worker is a thread of',
    'the same process.',
    '',
    'omnikpi reads the Arrow file and the CSV file a second way, the app\'s way for a source it downloads: the response',
    'read from its stream as it arrives, each record batch or CSV record read as soon as it is whole',
    '(`LoadJob::arriving`). Its load is timed from',
    'the last byte received (Resource Timing\'s `responseEnd`) to the engine built: what reading adds to the download.',
    'On the loopback the download goes only as fast as the reading takes the chunks, so the two overlap fully.',
    '',
    'omnikpi computes every catalog KPI in its time for the channel × day and team queries, and the same six KPIs as the',
    'others for the heatmap. It answers channel × day from its day × channel cells and the team query from its day ×',
    'channel × team cells (built on first use); the heatmap (one `Engine::heatmaps` call) merges the day cells\' per-hour',
    'accumulators of counts and sums (built on the first heatmap, before timing; timed over 10 calls per sample); the',
    'volume heatmap sums the cells\' hour counts (timed over 1000 calls per sample, below the browser timer\'s 0.1 ms).',
    'A ratio below 1 means omnikpi is faster.',
    '',
    'The app\'s filter-change-to-painted-frame latency and peak memory: [App at scale](#app-at-scale) (`make bench-app`).',
    '',
  ].join('\n');
}

/** Rewrites the "Browser benchmark" section of the file `doc` with `res`. */
export function writeDocs(doc, res) {
  const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Performance\n';
  let start = old.indexOf('## Browser benchmark');
  let end = start;
  const parts = new Map();
  if (start >= 0) {
    const next = old.indexOf('\n## ', start + 5);
    end = next >= 0 ? next + 1 : old.length;
    // The parts of other sizes: "### 1,000,000 contacts" up to the next "### ".
    const section = old.slice(start, end);
    for (const m of section.matchAll(/^### ([\d,]+) contacts\n[\s\S]*?(?=^### |(?![\s\S]))/gm)) {
      parts.set(Number(m[1].replace(/,/g, '')), m[0].trimEnd() + '\n');
    }
  } else {
    start = end = old.length;
  }
  parts.set(res.contacts, sizePart(res));
  const body = intro() + '\n' + [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t).join('\n');
  const before = old.slice(0, start);
  const after = old.slice(end);
  writeFileSync(doc, (before && !before.endsWith('\n\n') ? before.trimEnd() + '\n\n' : before) + body + (after ? '\n' + after : ''));
}
