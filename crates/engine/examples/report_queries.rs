//! The browser benchmark's queries, natively, over one loaded file: every catalog KPI per
//! channel × day, one team's every KPI per channel × day, and the six-KPI weekday × hour heatmap
//! (bench/wasm/src/lib.rs). Loads once, answers each query once (building the cells it uses),
//! then times `RUNS` answers of each; prints medians and minimums in ms. For profiles
//! (`perf record`) pass a large `RUNS` and one query name.
//!
//! ```text
//! cargo run --profile bench -p omnikpi-engine --example report_queries -- FILE [RUNS] [QUERY]
//! ```

use omnikpi_engine::io::{LoadJob, LoadOptions};
use omnikpi_engine::{Config, Dim, Engine, Query};
use std::hint::black_box;
use std::time::Instant;

#[path = "../benches/common/heatmap_kpis.rs"]
mod heatmap_kpis;
use heatmap_kpis::HEATMAP_KPIS;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: report_queries FILE [RUNS] [channel_day|team|heatmap]");
        std::process::exit(2);
    };
    let runs: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(15)
        .max(1);
    let only = args.get(2).cloned();
    let bytes = std::fs::read(path).expect("readable input");
    let mut job = LoadJob::new(path, bytes, &LoadOptions::default()).expect("a loadable source");
    job.run();
    let e = Engine::new(job.finish(), Config::default()).expect("config");
    let by = |q: Query| q.group_by(Dim::Channel).group_by(Dim::parse("day"));
    let channel_day = by(Query::default());
    let team = by(Query::default().filter("team", &["Chat & Social"]));
    let all = Query::default();
    type Answer<'a> = Box<dyn Fn() -> usize + 'a>;
    let queries: [(&str, Answer); 3] = [
        (
            "channel_day",
            Box::new(|| e.report(&channel_day).map_or(0, |g| g.len())),
        ),
        ("team", Box::new(|| e.report(&team).map_or(0, |g| g.len()))),
        (
            "heatmap",
            Box::new(|| e.heatmaps(&all, &HEATMAP_KPIS).map_or(0, |h| h.len())),
        ),
    ];
    for (name, f) in &queries {
        if only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        let groups = f();
        let mut t: Vec<f64> = (0..runs)
            .map(|_| {
                let t0 = Instant::now();
                black_box(f());
                t0.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        t.sort_by(f64::total_cmp);
        println!(
            "{name:12} {groups:5} groups  median {:8.3} ms  min {:8.3} ms",
            t[t.len() / 2],
            t[0]
        );
    }
}
