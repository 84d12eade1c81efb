// The browser benchmark in one command (`make bench`): generates the data if missing (the demo
// generator, `gen`), converts it to Arrow (bench/make_arrow.py), builds the engine's bench wasm,
// serves bench/ on loopback and runs every engine × input format of PLAN in its own fresh
// headless Chromium (bench.mjs in the page, browser.mjs for the browser and its renderer's peak
// memory). Answers are compared in Node (agree.mjs, omnikpi the reference) before any query of
// that run is timed. Writes bench/results-<n>.json and the "<n> contacts" part of the "Browser
// benchmark" section of docs/performance.md (docs.mjs).
//
//   node bench/run.mjs [--contacts 1000000] [--runs 7] [--warm 2] [--no-docs]
//                      [--only omnikpi:arrow,duckdb:csv] [--docs-from-results]
//
// An input that does not fit (wasm32's 4 GB, V8's string length, a renderer that runs out of
// memory) is recorded as such with its size and the error, and the other runs go on.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg, totalmem } from 'node:os';
import { serve } from './serve.mjs';
import { withChromium } from './browser.mjs';
import { disagreements } from './agree.mjs';
import { writeDocs } from './docs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : d;
};
const CONTACTS = Number(arg('--contacts', 1000000));
const RUNS = Number(arg('--runs', 7));
const WARM = Number(arg('--warm', 2));
const ONLY = arg('--only', null)?.split(',');
const tag = CONTACTS >= 1e6 ? `${CONTACTS / 1e6}m` : `${CONTACTS / 1e3}k`;
const DATA = join(HERE, 'data');
const RESULTS = join(HERE, `results-${tag}.json`);
const env = { ...process.env, PATH: `${ROOT}/.tools/bin:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env, ...opts });

// Every engine × input format, each in a fresh browser. The first omnikpi run that loads gives
// the reference answers; each engine's queries are timed in its first run that loads and agrees
// (Arrow first: the format all three read). DuckDB reads the Arrow IPC stream
// (insertArrowFromIPCStream), the others the IPC file. omnikpi reads Arrow and CSV from one
// buffer and as they download (the app's way), and CSV in slices (bench/wasm/src/slices.rs). DuckDB also reads only the columns the
// queries use from the CSV (`csv-columns`): at 10M its table of all columns does not fit.
const PLAN = [
  ['omnikpi', 'arrow'], ['omnikpi', 'arrow-arriving'], ['omnikpi', 'csv'], ['omnikpi', 'csv-arriving'], ['omnikpi', 'csv-slices'],
  ['duckdb', 'arrow'], ['duckdb', 'csv'], ['duckdb', 'csv-columns'],
  ['arquero', 'arrow'], ['arquero', 'csv'],
].filter(([e, f]) => !ONLY || ONLY.includes(`${e}:${f}`));

let res;
if (process.argv.includes('--docs-from-results')) {
  res = JSON.parse(readFileSync(RESULTS, 'utf8'));
} else {
  res = await measure();
}
if (!process.argv.includes('--no-docs') && !ONLY) writeDocs(join(ROOT, 'docs/performance.md'), res);

async function measure() {
  const started = Date.now();
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
  const FILES = { arrow: { omnikpi: arrow, duckdb: stream, arquero: arrow }, csv, 'csv-slices': csv, 'csv-columns': csv };
  FILES['arrow-arriving'] = arrow;
  FILES['csv-arriving'] = csv;
  const fileOf = (engine, format) => (format === 'arrow' ? FILES.arrow[engine] : FILES[format]);

  // 2. The engine's wasm for the bench page (app's release profile), and its JS glue.
  sh('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown'], { cwd: join(HERE, 'wasm') });
  sh('wasm-bindgen', ['--target', 'web', '--out-dir', join(HERE, 'pkg'),
    join(HERE, 'wasm/target/wasm32-unknown-unknown/release/omnikpi_bench.wasm')]);
  sh('wasm-opt', ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', join(HERE, 'pkg/omnikpi_bench_bg.wasm'), '-o', join(HERE, 'pkg/omnikpi_bench_bg.wasm')]);

  // The team of the team query: the most frequent in the first 200k rows.
  const team = execFileSync('python3', ['-c', `import csv,collections;r=csv.DictReader(open(${JSON.stringify(csv)}));c=collections.Counter(x['team'] for _,x in zip(range(200000),r) if x['team']);print(c.most_common(1)[0][0])`], { encoding: 'utf8' }).trim();

  const server = await serve(HERE);
  const page = `${server.base}/page.html`;
  const ready = () => typeof window.benchLoad === 'function';
  const out = {
    contacts: CONTACTS, team, runs_per_query: RUNS, warm: WARM, date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    runs: [],
  };
  let reference = null;
  const timed = new Set();
  try {
    // The page alone (modules imported, nothing loaded): what every run's peak starts from.
    const base = { engine: 'page', load_average_start: loadavg()[0] };
    await withChromium(page, ready, async ({ peakKb }) => { base.peak_kb = peakKb(); }, base);
    base.load_average_end = loadavg()[0];
    out.chromium = base.chromium;
    out.runs.push(base);

    for (const [engine, format] of PLAN) {
      const file = fileOf(engine, format);
      const r = { engine, format, file: basename(file), file_bytes: statSync(file).size, load_average_start: loadavg()[0] };
      const t0 = Date.now();
      console.log(`\n== ${engine} ${format} (${basename(file)}, load average ${r.load_average_start.toFixed(2)})`);
      try {
        await withChromium(page, ready, async ({ page, peakKb }) => {
          r.stage = 'load';
          Object.assign(r, await page.evaluate((o) => window.benchLoad(o), { engine, format, url: `data/${basename(file)}` }));
          r.peak_after_load_kb = peakKb();
          if (r.error) return;
          delete r.stage;
          console.log(`loaded ${r.rows} rows in ${r.load_ms.toFixed(0)} ms`);
          r.stage = 'answers';
          const answers = await page.evaluate((o) => window.benchAnswers(o), { team });
          delete r.stage;
          r.peak_after_answers_kb = peakKb();
          if (!reference && engine === 'omnikpi') {
            reference = answers;
            r.reference = true;
            out.groups = Object.fromEntries(Object.entries(answers).map(([q, a]) => [q, a.length]));
          }
          // Correctness first: a run whose answers differ from omnikpi's is not timed.
          r.disagree = reference ? disagreements(`${engine} ${format}`, reference, answers) : ['no omnikpi answers to compare with'];
          if (r.disagree.length) {
            console.log(r.disagree.join('\n'));
            return;
          }
          if (!timed.has(engine)) {
            timed.add(engine);
            r.stage = 'time';
            r.query_ms = await page.evaluate((o) => window.benchTime(o), { team, warm: WARM, runs: RUNS });
            delete r.stage;
          }
        }, r);
      } catch (e) {
        // The renderer crashed (out of memory: "Target crashed") or the page threw; r.stage
        // tells which step.
        r.stage ??= 'browser';
        r.error = e.message.split('\n')[0];
      }
      delete r.chromium;
      r.wall_s = (Date.now() - t0) / 1000;
      r.load_average_end = loadavg()[0];
      console.log(`${engine} ${format}: ${r.error ? `${r.stage}: ${r.error}` : 'ok'}, renderer peak ${((r.peak_kb ?? 0) / 1024).toFixed(0)} MiB, ${r.wall_s.toFixed(0)} s`);
      out.runs.push(r);
    }
  } finally {
    server.close();
  }

  out.bench_wasm_gzip = gzipSync(readFileSync(join(HERE, 'pkg/omnikpi_bench_bg.wasm')), { level: 9 }).length;
  out.duckdb_wasm_gzip = gzipSync(readFileSync(join(HERE, 'node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm')), { level: 9 }).length;
  out.wall_s = (Date.now() - started) / 1000;
  writeFileSync(RESULTS, JSON.stringify(out, null, 2));
  console.log(`\n${RESULTS}, ${(out.wall_s / 60).toFixed(1)} min`);

  // A renderer that crashed while answering ran out of memory (did not fit); any other error
  // while answering or timing is the harness's or an engine's fault.
  const wrong = out.runs.filter((r) => r.disagree?.length || (['answers', 'time'].includes(r.stage) && !/crash/i.test(r.error)));
  if (wrong.length) {
    console.error('answers disagree or could not be computed: those runs are not timed, no docs written\n' +
      wrong.map((r) => (r.disagree?.length ? r.disagree.join('\n') : `${r.engine} ${r.format}: ${r.error}`)).join('\n'));
    process.exit(1);
  }
  if (!reference) {
    console.error('no omnikpi run loaded: nothing to compare with');
    process.exit(1);
  }
  return out;
}
