// The browser side of the benchmark: one engine (omnikpi's wasm, DuckDB-WASM or Arquero) reads
// one input format, gives its answers, and has its queries timed. run.mjs opens this page in a
// fresh Chromium for every engine × format, so that one engine's buffers never count against
// another's (memory, wasm32's 4 GB) and the renderer's peak memory is that run's alone; it
// compares the answers in Node. Steps, called by run.mjs in this order, return plain JSON:
//   window.benchLoad({ engine, format, url })  fetch the input, then time the load
//   window.benchAnswers({ team })               every query's answer, as [key, {kpi: value}]
//   window.benchTime({ team, warm, runs })      medians of the queries
import init, { Bench } from './pkg/omnikpi_bench.js';
import { readArriving, lastByte } from './arriving.mjs';
import * as duckdb from './node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
// Arquero's UMD bundle (page.html) sets globalThis.aq.
const aq = globalThis.aq;
const op = aq.op;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const QUERIES = ['channel_day', 'heatmap', 'volume', 'team'];
// The KPIs every engine computes. omnikpi computes the whole catalog in the same time for the
// channel × day and team queries; for the heatmap it computes these six (Engine::heatmaps).
const KPIS = ['contacts', 'aht_s', 'csat', 'abandonment_rate', 'resolution_rate', 'first_response_mean_s'];
const kpisOf = (which) => (which === 'volume' ? ['contacts'] : KPIS);
// omnikpi's sliced CSV read: bytes handed to wasm per call (only one slice is in wasm memory at
// a time; the module keeps the part after the last complete record for the next slice).
const CSV_SLICE = 32 << 20;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// `inner` calls per sample, for queries faster than the timer's resolution (0.1 ms here).
async function timeIt(fn, warm, runs, inner = 1) {
  for (let i = 0; i < warm; i++) await fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    for (let k = 0; k < inner; k++) await fn();
    t.push((performance.now() - a) / inner);
  }
  return { median_ms: median(t), runs: t, inner };
}

// Each engine: load(bytes, format) → { rows, run(q, team), answer(q, team) → Map, close() }.
// Loads take the fetched bytes; nothing else of the page holds on to them.

// ---- omnikpi -------------------------------------------------------------------------------
let omnikpiWasm = null;
const wasmMiB = () => (omnikpiWasm ? omnikpiWasm.memory.buffer.byteLength / 2 ** 20 : null);

async function omnikpiLoad(bytes, format) {
  omnikpiWasm ??= await init();
  const bench = new Bench();
  let rows;
  if (format === 'csv-slices') {
    bench.begin_csv();
    for (let at = 0; at < bytes.length; at += CSV_SLICE) bench.feed_csv(bytes.subarray(at, at + CSV_SLICE));
    rows = bench.end_csv();
  } else {
    // A whole buffer, moved into the engine's load job (the app's way for a file picked).
    rows = bench.load(format === 'csv' ? 'bench.csv' : 'bench.arrow', bytes);
  }
  return omnikpiOf(bench, rows);
}

// The app's way for an Arrow or CSV source it downloads: the response read chunk by chunk as it
// arrives, each record batch or record read as soon as it is whole. Returns the engine and when
// the last byte was received (Resource Timing's responseEnd, on the page's clock).
async function omnikpiArriving(url, name) {
  omnikpiWasm ??= await init();
  const bench = new Bench();
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  const rows = await readArriving(bench, r, name);
  const ready = performance.now();
  return { current: omnikpiOf(bench, rows), lastByte: await lastByte(url), ready };
}

function omnikpiOf(bench, rows) {
  const answer = (which, team) => {
    const out = new Map();
    for (const g of JSON.parse(bench.answer(which, team))) {
      out.set(g.key.join('|'), Object.fromEntries(kpisOf(which).map((k) => [k, g.kpis[k]])));
    }
    return out;
  };
  return {
    rows,
    answer,
    // Cell answers take around a millisecond or less: several calls per sample (timer 0.1 ms).
    inner: { volume: 1000, heatmap: 10 },
    run: (which, team) => bench.run(which, team),
    close: () => bench.free(),
  };
}

// ---- DuckDB-WASM ---------------------------------------------------------------------------
const SQL_KPIS = `
  count(*)::DOUBLE AS contacts,
  avg(handle_s) AS aht_s,
  avg(csat) AS csat,
  avg(CASE WHEN abandoned THEN 1.0 ELSE 0.0 END) AS abandonment_rate,
  sum(CASE WHEN first_response_s IS NOT NULL AND resolved THEN 1.0 ELSE 0.0 END)
    / nullif(count(first_response_s), 0) AS resolution_rate,
  avg(first_response_s) AS first_response_mean_s`;

function duckSql(which, team) {
  const day = `strftime(CAST(arrived_at AS DATE), '%Y-%m-%d')`;
  if (which === 'volume') {
    return `SELECT isodow(arrived_at) - 1 AS wd, lpad(CAST(hour(arrived_at) AS VARCHAR), 2, '0') AS h,
            count(*)::DOUBLE AS contacts FROM contacts GROUP BY ALL`;
  }
  if (which === 'heatmap') {
    return `SELECT isodow(arrived_at) - 1 AS wd, lpad(CAST(hour(arrived_at) AS VARCHAR), 2, '0') AS h, ${SQL_KPIS}
            FROM contacts GROUP BY ALL`;
  }
  const where = which === 'team' ? `WHERE team = '${team.replace(/'/g, "''")}'` : '';
  return `SELECT CAST(channel AS VARCHAR) AS channel, ${day} AS day, ${SQL_KPIS} FROM contacts ${where} GROUP BY ALL`;
}

async function duckOpen() {
  const base = new URL('./node_modules/@duckdb/duckdb-wasm/dist/', location.href).href;
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: base + 'duckdb-mvp.wasm', mainWorker: base + 'duckdb-browser-mvp.worker.js' },
    eh: { mainModule: base + 'duckdb-eh.wasm', mainWorker: base + 'duckdb-browser-eh.worker.js' },
  });
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const conn = await db.connect();
  // Offline: no extension downloads (ICU would be fetched for time zones; every engine runs in UTC).
  await conn.query('SET autoinstall_known_extensions = false');
  await conn.query('SET autoload_known_extensions = false');
  return { db, conn };
}

// DuckDB opens before the timer starts (instantiating its wasm is not part of a load).
async function duckLoad(bytes, format, d) {
  // benchLoad registered the bytes as c.csv in DuckDB's worker before the timer started.
  if (format === 'csv-columns') {
    // Only the columns the queries read: a table of all columns does not fit at 10M (DuckDB's
    // own in-memory table beside its input, under its memory_limit and wasm32's 4 GiB).
    await d.conn.query(`CREATE TABLE contacts AS SELECT channel, arrived_at::TIMESTAMP AS arrived_at, handle_s, csat,
      abandoned, resolved, first_response_s, team FROM read_csv('c.csv', header = true)`);
    await d.db.dropFile('c.csv');
  } else if (format === 'csv') {
    // The CSV's timestamps carry UTC offsets: read_csv makes them TIMESTAMPTZ, which DuckDB
    // without ICU cannot turn into dates; cast to TIMESTAMP they are naive UTC, like the Arrow
    // input's.
    await d.conn.query(`CREATE TABLE contacts AS SELECT * REPLACE (arrived_at::TIMESTAMP AS arrived_at,
      closed_at::TIMESTAMP AS closed_at) FROM read_csv('c.csv', header = true)`);
    await d.db.dropFile('c.csv');
  } else {
    await d.conn.insertArrowFromIPCStream(bytes, { name: 'contacts' });
  }
  const rows = Number((await d.conn.query('SELECT count(*)::DOUBLE AS n FROM contacts')).toArray()[0].n);
  const answer = async (which, team) => {
    const out = new Map();
    for (const r of (await d.conn.query(duckSql(which, team))).toArray()) {
      const o = r.toJSON();
      const hm = which === 'heatmap' || which === 'volume';
      const key = hm ? `${WEEKDAYS[Number(o.wd)]}|${o.h}` : `${o.channel}|${o.day}`;
      out.set(key, Object.fromEntries(kpisOf(which).map((k) => [k, o[k] === null ? null : Number(o[k])])));
    }
    return out;
  };
  return {
    rows,
    answer,
    run: (which, team) => d.conn.query(duckSql(which, team)),
    close: async () => {
      await d.conn.close();
      await d.db.terminate();
    },
  };
}

// What DuckDB's buffer manager holds and may hold (after a load, or after it failed).
async function duckMemory(d) {
  try {
    const q = `SELECT current_setting('memory_limit') AS l, (SELECT sum(memory_usage_bytes) FROM duckdb_memory())::DOUBLE AS u`;
    const o = (await d.conn.query(q)).toArray()[0].toJSON();
    return { duckdb_memory_limit: o.l, duckdb_memory_mib: o.u / 2 ** 20 };
  } catch (e) {
    return { duckdb_memory: message(e) };
  }
}

// ---- Arquero -------------------------------------------------------------------------------
function aqKpis() {
  return {
    contacts: op.count(),
    aht_s: op.mean('handle_s'),
    csat: op.mean('csat'),
    abandonment_rate: op.mean('ab'),
    res_num: op.sum('res'),
    fr_n: op.valid('first_response_s'),
    first_response_mean_s: op.mean('first_response_s'),
  };
}

// The derived columns the queries group by, made once at load (like omnikpi's derived columns).
// arrived_at is a number of ms from Arrow and a Date from CSV; both divide and take UTC parts.
function aqPrepare(t) {
  return t.derive({
    day: (d) => op.floor(d.arrived_at / 86400000),
    wd: (d) => (op.utcdayofweek(d.arrived_at) + 6) % 7,
    h: (d) => op.padstart(op.utchours(d.arrived_at) + '', 2, '0'),
    ab: (d) => (d.abandoned ? 1 : 0),
    res: (d) => (d.first_response_s != null && d.resolved ? 1 : 0),
  });
}

function aqRun(t, which, team) {
  if (which === 'volume') return t.groupby(['wd', 'h']).count({ as: 'contacts' });
  let x = t;
  if (which === 'team') x = x.params({ team }).filter((d, $) => d.team === $.team);
  const by = which === 'heatmap' ? ['wd', 'h'] : ['channel', 'day'];
  return x.groupby(by).rollup(aqKpis());
}

function aqAnswer(t, which, team) {
  const out = new Map();
  for (const o of aqRun(t, which, team).objects()) {
    const hm = which === 'heatmap' || which === 'volume';
    const day = hm ? '' : new Date(o.day * 86400000).toISOString().slice(0, 10);
    const key = hm ? `${WEEKDAYS[o.wd]}|${o.h}` : `${o.channel}|${day}`;
    if (which === 'volume') {
      out.set(key, { contacts: o.contacts });
      continue;
    }
    const v = {
      contacts: o.contacts,
      aht_s: o.aht_s ?? null,
      csat: o.csat ?? null,
      abandonment_rate: o.abandonment_rate,
      resolution_rate: o.fr_n ? o.res_num / o.fr_n : null,
      first_response_mean_s: o.first_response_mean_s ?? null,
    };
    for (const k of KPIS) if (v[k] === undefined || Number.isNaN(v[k])) v[k] = null;
    out.set(key, v);
  }
  return out;
}

function arqueroLoad(bytes, format) {
  // CSV: the text as one JS string (V8 caps strings at 2^29 - 24 characters), types guessed
  // by Arquero (ISO timestamps with an offset become Dates).
  let raw;
  if (format === 'csv') {
    const text = new TextDecoder().decode(bytes);
    // Past the cap Chromium's TextDecoder returns an empty string instead of throwing.
    if (!text.length && bytes.length) throw new RangeError(`TextDecoder gave an empty string for ${bytes.length} bytes (V8 strings: at most 2^29 - 24 characters)`);
    raw = aq.fromCSV(text);
  } else {
    raw = aq.fromArrow(bytes);
  }
  const t = aqPrepare(raw).reify();
  return {
    rows: t.numRows(),
    answer: (which, team) => aqAnswer(t, which, team),
    run: (which, team) => aqRun(t, which, team).numRows(),
    close: () => {},
  };
}

// ---- the steps run.mjs calls ---------------------------------------------------------------
let current = null;

const message = (e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

// omnikpi builds its day cells on the first query that needs them: the first query after the
// load, for every engine, shows what a load defers.
async function timeFirstQuery(res) {
  const t = performance.now();
  await current.run('channel_day', '');
  res.first_query_ms = performance.now() - t;
}

window.benchLoad = async function benchLoad({ engine, format, url }) {
  const res = { engine, format };
  // DuckDB's worker and wasm first: not part of the load, like fetching the bytes.
  let duck = null;
  if (engine === 'duckdb') duck = await duckOpen();
  let t = performance.now();
  if (format === 'arrow-arriving' || format === 'csv-arriving') {
    // Timed from the last byte received to the engine built: the download and the reading
    // overlap, so this is what the reading adds to the download.
    try {
      const a = await omnikpiArriving(url, format === 'csv-arriving' ? 'bench.csv' : 'bench.arrow');
      current = a.current;
      res.fetch_ms = a.lastByte - t;
      res.load_ms = a.ready - a.lastByte;
      res.rows = current.rows;
      await timeFirstQuery(res);
    } catch (e) {
      res.stage = 'load';
      res.error = message(e);
    }
    res.wasm_memory_mib = wasmMiB();
    return res;
  }
  let bytes;
  try {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    bytes = new Uint8Array(await r.arrayBuffer());
  } catch (e) {
    return { ...res, stage: 'fetch', error: message(e) };
  }
  res.fetch_ms = performance.now() - t;
  res.bytes = bytes.length;
  try {
    // Not timed, like the fetch: DuckDB copies the buffer into its wasm heap as file c.csv.
    if (duck && format.startsWith('csv')) await duck.db.registerFileBuffer('c.csv', bytes);
    t = performance.now();
    if (engine === 'omnikpi') current = await omnikpiLoad(bytes, format);
    else if (engine === 'duckdb') current = await duckLoad(bytes, format, duck);
    else current = arqueroLoad(bytes, format);
    res.load_ms = performance.now() - t;
    res.rows = current.rows;
    await timeFirstQuery(res);
  } catch (e) {
    res.stage = 'load';
    res.error = message(e);
  }
  if (engine === 'omnikpi') res.wasm_memory_mib = wasmMiB();
  if (duck) Object.assign(res, await duckMemory(duck));
  return res;
};

window.benchAnswers = async function benchAnswers({ team }) {
  const out = {};
  for (const q of QUERIES) out[q] = [...(await current.answer(q, team)).entries()];
  return out;
};

window.benchTime = async function benchTime({ team, warm, runs }) {
  const out = {};
  for (const q of QUERIES) out[q] = await timeIt(() => current.run(q, team), warm, runs, current.inner?.[q] ?? 1);
  await current.close();
  current = null;
  return out;
};
