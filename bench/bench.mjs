// The browser side of the benchmark: loads the same data into omnikpi (wasm), DuckDB-WASM and
// Arquero, checks that their answers agree, then times the queries. Called by run.mjs through
// window.runBench(); returns plain JSON.
import init, { Bench } from './pkg/omnikpi_bench.js';
import * as duckdb from './node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
// Arquero's UMD bundle (page.html) sets globalThis.aq.
const aq = globalThis.aq;
const op = aq.op;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// The KPIs every engine computes. omnikpi computes the whole catalog in the same time for the
// channel × day and team queries; for the heatmap it computes these six (Engine::heatmaps).
const KPIS = ['contacts', 'aht_s', 'csat', 'abandonment_rate', 'resolution_rate', 'first_response_mean_s'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function fetchBytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

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

// ---- omnikpi -------------------------------------------------------------------------------
const kpisOf = (which) => (which === 'volume' ? ['contacts'] : KPIS);

function omnikpiAnswer(bench, which, team) {
  const groups = JSON.parse(bench.answer(which, team));
  const out = new Map();
  for (const g of groups) out.set(g.key.join('|'), Object.fromEntries(kpisOf(which).map((k) => [k, g.kpis[k]])));
  return out;
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

async function duckAnswer(conn, which, team) {
  const res = await conn.query(duckSql(which, team));
  const out = new Map();
  for (const r of res.toArray()) {
    const o = r.toJSON();
    const hm = which === 'heatmap' || which === 'volume';
    const key = hm ? `${WEEKDAYS[Number(o.wd)]}|${o.h}` : `${o.channel}|${o.day}`;
    out.set(key, Object.fromEntries(kpisOf(which).map((k) => [k, o[k] === null ? null : Number(o[k])])));
  }
  return out;
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
  return { db, conn, worker };
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

// ---- agreement -----------------------------------------------------------------------------
function agree(name, want, got, ids = KPIS) {
  const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
  if (want.size !== got.size) return `${name}: ${got.size} groups, omnikpi ${want.size}`;
  for (const [k, w] of want) {
    const g = got.get(k);
    if (!g) return `${name}: group ${k} missing`;
    for (const id of ids) if (!close(w[id], g[id])) return `${name} ${k} ${id}: ${g[id]} vs omnikpi ${w[id]}`;
  }
  return null;
}

window.runBench = async function runBench({ csv, arrow, stream, team, warm = 2, runs = 7, log = () => {} }) {
  const res = { load_ms: {}, query_ms: {}, agreement: [], groups: {} };
  const queries = ['channel_day', 'heatmap', 'volume', 'team'];
  const bytes = { csv: await fetchBytes(csv), arrow: await fetchBytes(arrow), stream: await fetchBytes(stream) };
  res.bytes = { csv: bytes.csv.length, arrow: bytes.arrow.length };

  // omnikpi
  await init();
  const bench = new Bench();
  let t = performance.now();
  const nCsv = bench.load_csv(bytes.csv);
  res.load_ms['omnikpi csv'] = performance.now() - t;
  t = performance.now();
  const nArrow = bench.load_arrow(bytes.arrow);
  res.load_ms['omnikpi arrow'] = performance.now() - t;
  // The day cells are built by the first query that uses them: load and that query together.
  bench.run('channel_day', team);
  res.load_ms['omnikpi arrow + first query'] = performance.now() - t;
  res.rows = { csv: nCsv, arrow: nArrow };
  const want = {};
  for (const q of queries) {
    want[q] = omnikpiAnswer(bench, q, team);
    res.groups[q] = want[q].size;
  }
  log('omnikpi loaded');

  // DuckDB-WASM
  const d = await duckOpen();
  await d.db.registerFileBuffer('c.csv', bytes.csv.slice());
  t = performance.now();
  await d.conn.query(`CREATE TABLE contacts_csv AS SELECT * FROM read_csv('c.csv', header = true)`);
  res.load_ms['duckdb csv'] = performance.now() - t;
  await d.conn.query('DROP TABLE contacts_csv');
  t = performance.now();
  await d.conn.insertArrowFromIPCStream(bytes.stream.slice(), { name: 'contacts' });
  res.load_ms['duckdb arrow'] = performance.now() - t;
  const duckAns = {};
  for (const q of queries) duckAns[q] = await duckAnswer(d.conn, q, team);
  log('duckdb loaded');

  // Arquero
  t = performance.now();
  let at = aq.fromArrow(bytes.arrow);
  at = aqPrepare(at).reify();
  res.load_ms['arquero arrow'] = performance.now() - t;
  const aqAns = {};
  for (const q of queries) aqAns[q] = aqAnswer(at, q, team);
  log('arquero loaded');

  for (const q of queries) {
    for (const [name, ans] of [['duckdb', duckAns[q]], ['arquero', aqAns[q]]]) {
      const e = agree(`${name} ${q}`, want[q], ans, kpisOf(q));
      if (e) res.agreement.push(e);
    }
  }
  if (res.agreement.length) return res; // correctness first: no timings

  for (const q of queries) {
    // Cell answers take around a millisecond or less: several calls per sample (timer 0.1 ms).
    const inner = { volume: 1000, heatmap: 10 }[q] ?? 1;
    res.query_ms[`omnikpi ${q}`] = await timeIt(() => bench.run(q, team), warm, runs, inner);
    res.query_ms[`duckdb ${q}`] = await timeIt(() => d.conn.query(duckSql(q, team)), warm, runs);
    res.query_ms[`arquero ${q}`] = await timeIt(() => aqRun(at, q, team).numRows(), warm, runs);
    log(`timed ${q}`);
  }
  await d.conn.close();
  await d.db.terminate();
  return res;
};
