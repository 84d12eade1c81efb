//! A full dashboard recompute at 1M and 10M contacts: every catalog KPI for the current filter,
//! the channel × day trend (every KPI per cell) and the weekday × hour volume heatmap; plus the
//! weekday × hour heatmaps of the browser benchmark's six KPIs at once (light KPIs: from the
//! cells' hour accumulators when cells answer). Prints the median and minimum of repeated runs.
//!
//! `cargo bench -p omnikpi-engine --bench dashboard` (rows: `BENCH_ROWS=1000000,10000000`).

use omnikpi_engine::{
    Bucket, Channel, Config, ContactRecord, Contacts, Dataset, Dim, Engine, Query,
};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

#[path = "common/heatmap_kpis.rs"]
mod heatmap_kpis;
use heatmap_kpis::HEATMAP_KPIS;

const TOPICS: [&str; 12] = [
    "billing",
    "delivery",
    "returns",
    "login",
    "payment",
    "refund",
    "order",
    "account",
    "technical",
    "complaint",
    "product",
    "other",
];

/// `n` contacts over one year (2025-11-23 .. 2026-11-22), ~1.4 contacts per case, one
/// customer per five contacts, office-hours shaped arrivals.
fn synthetic(n: usize, seed: u64) -> Dataset {
    let mut rng = Rng(seed | 1);
    let start = 1_763_856_000i64; // 2025-11-23T00:00Z
    let span = 365 * 86_400u64;
    let mut arrivals: Vec<i64> = (0..n)
        .map(|_| {
            let day = rng.below(365) as i64;
            let hour = 7 + (rng.below(8) + rng.below(8)) as i64; // peaks mid-day
            start + day * 86_400 + hour * 3600 + rng.below(3600) as i64
        })
        .collect();
    arrivals.sort_unstable();
    let _ = span;
    let mut c = Contacts::new();
    let mut case = 0u64;
    let mut rec = ContactRecord::default();
    for (i, &t) in arrivals.iter().enumerate() {
        // A new case with probability 0.7, else a follow-up of a recent case.
        let case_id = if case == 0 || rng.chance(0.7) {
            case += 1;
            case
        } else {
            case - rng.below(case.min(50))
        };
        let ch = Channel::ALL[[0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7][rng.below(12) as usize]];
        let abandoned = rng.chance(0.06);
        let answered = !abandoned && rng.chance(0.97);
        let bot = ch == Channel::Chat && rng.chance(0.4);
        rec.id = format!("C{i:09}");
        rec.case_id = Some(format!("K{case_id}"));
        rec.customer_id = Some(format!("U{}", case_id % (n as u64 / 5 + 1)));
        rec.channel = Some(ch);
        rec.arrived_at = t;
        rec.abandoned = abandoned;
        rec.first_response_s = answered.then(|| (rng.below(300) + rng.below(60)) as f64);
        rec.handle_s = answered.then(|| (60 + rng.below(900)) as f64);
        rec.closed_at = answered.then(|| t + 120 + rng.below(1800) as i64);
        rec.resolved = answered && rng.chance(0.75);
        rec.agent_id = answered.then(|| format!("A{}", rng.below(200)));
        rec.team = Some(format!("T{}", rng.below(10)));
        rec.topic = Some(TOPICS[rng.below(12) as usize].to_string());
        rec.segment = Some(["consumer", "business", "vip"][rng.below(3) as usize].to_string());
        rec.bot = bot;
        rec.handed_off = bot && rng.chance(0.5);
        rec.handoff_s = rec.handed_off.then(|| rng.below(90) as f64);
        rec.transfers = rng.chance(0.1) as u32;
        rec.csat = rng.chance(0.3).then(|| 1 + rng.below(5) as u8);
        rec.nps = rng.chance(0.15).then(|| rng.below(11) as u8);
        rec.ces = rng.chance(0.1).then(|| 1 + rng.below(7) as u8);
        rec.sentiment = (ch == Channel::Social).then(|| (rng.below(200) as f64 - 100.0) / 100.0);
        rec.qa_accuracy = rng.chance(0.02).then(|| rng.below(101) as f64);
        c.push(&rec);
    }
    let mut ds = Dataset {
        contacts: c,
        ..Default::default()
    };
    ds.finish();
    ds
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    (v[v.len() / 2], v[0])
}

fn ms(d: Duration) -> String {
    let x = d.as_secs_f64() * 1e3;
    // Cell answers take well under a millisecond: two decimals there.
    if x < 1.0 {
        format!("{x:.2} ms")
    } else {
        format!("{x:.1} ms")
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let rows: Vec<usize> = std::env::var("BENCH_ROWS")
        .unwrap_or_else(|_| "1000000,10000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    for n in rows {
        let t = Instant::now();
        let ds = synthetic(n, 42);
        let gen = t.elapsed();
        let heap = ds.contacts.heap_bytes();
        let t = Instant::now();
        let e = Engine::new(ds, Config::default()).unwrap();
        // The day cells are built on first use: here, as part of the one-time cost.
        black_box(e.day_cells());
        let prep = t.elapsed();
        // `BENCH_RUNS` overrides the number of runs (e.g. many, under a profiler).
        let runs = std::env::var("BENCH_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(if n > 2_000_000 { 7 } else { 15 });
        let all = Query::default();
        let dated = Query::default()
            .filter("channel", &["voice", "chat"])
            .with_dates(Some("2026-05-01"), Some("2026-10-31"))
            .unwrap();
        let team = Query::default()
            .filter("team", &["T1", "T2", "T3"])
            .with_dates(Some("2026-05-01"), Some("2026-10-31"))
            .unwrap();
        println!(
            "rows {n}: generated in {} (heap {:.0} MB), Engine::new (derived columns, cases, day cells) {}",
            ms(gen),
            heap as f64 / 1e6,
            ms(prep)
        );
        let mut scan = e.with_config(e.config().clone()).unwrap();
        scan.set_use_cube(false);
        // The team cells are built on the first team query; timed here once.
        let day_cells = e.cells_heap_bytes();
        let t = Instant::now();
        black_box(e.report(&team).unwrap());
        println!(
            "  team cells built on first use in {}; heap of the day cells {:.1} MB, of the team cells {:.1} MB",
            ms(t.elapsed()),
            day_cells as f64 / 1e6,
            (e.cells_heap_bytes() - day_cells) as f64 / 1e6
        );
        // The hour accumulators are built on the first light heatmap each set of cells answers.
        for (what, q) in [("day", &all), ("team", &team)] {
            let before = e.cells_heap_bytes();
            let t = Instant::now();
            black_box(e.heatmaps(q, &HEATMAP_KPIS).unwrap());
            println!(
                "  {what} cells' hour accumulators built on the first light heatmap in {} (with that heatmap); their heap {:.1} MB",
                ms(t.elapsed()),
                (e.cells_heap_bytes() - before) as f64 / 1e6
            );
        }
        println!(
            "  heap of all cells {:.1} MB",
            e.cells_heap_bytes() as f64 / 1e6
        );
        for (name, eng, q) in [
            ("no filter, day cells", &e, &all),
            ("no filter, row scan", &scan, &all),
            ("6 months + 2 channels, day cells", &e, &dated),
            ("6 months + 3 teams, team cells", &e, &team),
            ("6 months + 3 teams, row scan", &scan, &team),
        ] {
            if std::env::var("BENCH_ONLY").is_ok_and(|o| !name.contains(o.as_str())) {
                continue;
            }
            let trend_q = Query {
                by: vec![Dim::Channel, Dim::Time(Bucket::Day)],
                ..q.clone()
            };
            let (kpis, _) = time(runs, || eng.report(q).unwrap());
            let (trend, _) = time(runs, || eng.contact_groups(&trend_q).unwrap());
            let (heat, _) = time(runs, || eng.heatmap(q, "contacts").unwrap());
            let (heat6, _) = time(runs, || eng.heatmaps(q, &HEATMAP_KPIS).unwrap());
            let (full, full_min) = time(runs, || {
                (
                    eng.report(q).unwrap(),
                    eng.contact_groups(&trend_q).unwrap(),
                    eng.heatmap(q, "contacts").unwrap(),
                )
            });
            println!(
                "  {name:34} all KPIs {:>9} | channel×day trend {:>9} | volume heatmap {:>9} | full recompute median {:>9} (min {}) | 6-KPI heatmap {:>9}",
                ms(kpis), ms(trend), ms(heat), ms(full), ms(full_min), ms(heat6)
            );
        }
    }
}
