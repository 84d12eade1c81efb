//! Where a load's time goes, phase by phase: read the file, open the source (structure check),
//! the row loop (`LoadJob::step`), `Loader::finish` (sort by arrival, case-first flags),
//! `Engine::new` (derived columns and case outcomes; `Prepared::new` is timed apart as well),
//! then the day cells the first query builds (`Engine::day_cells`) and that first query (every
//! KPI per channel). Medians of repeated runs, in ms; "load total" is open to `Engine::new`.
//!
//! ```text
//! cargo run --profile bench -p omnikpi-engine --example load_phases -- FILE [RUNS] [UTC|ZONE]
//! ```

use omnikpi_engine::io::{LoadJob, LoadOptions};
use omnikpi_engine::{Config, Engine};
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: load_phases FILE [RUNS] [ZONE]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5).max(1);
    let tz: omnikpi_engine::Zone = args
        .get(2)
        .map_or("UTC", String::as_str)
        .parse()
        .expect("a time zone");
    let names = [
        "read file",
        "open",
        "rows",
        "finish",
        "Prepared::new",
        "(Cases::build)",
        "Engine::new",
        "load total",
        "day cells",
        "first query",
    ];
    let mut t: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for _ in 0..runs {
        let t0 = Instant::now();
        let bytes = std::fs::read(path).expect("readable input");
        t[0].push(ms(t0));
        let t1 = Instant::now();
        let opts = LoadOptions {
            tz,
            ..Default::default()
        };
        let mut job = LoadJob::new(path, bytes, &opts).expect("a loadable source");
        t[1].push(ms(t1));
        let t2 = Instant::now();
        job.run();
        t[2].push(ms(t2));
        let t3 = Instant::now();
        let ds = job.finish();
        t[3].push(ms(t3));
        let cfg = Config {
            timezone: tz.name().to_string(),
            ..Config::default()
        };
        let t4 = Instant::now();
        let prep = omnikpi_engine::prepared::Prepared::new(&ds.contacts, &cfg).expect("config");
        t[4].push(ms(t4));
        drop(prep);
        let tc = Instant::now();
        std::hint::black_box(omnikpi_engine::kpi::Cases::build(&ds.contacts, &cfg));
        t[5].push(ms(tc));
        let t5 = Instant::now();
        let rows = ds.report.rows_loaded;
        let e = Engine::new(ds, cfg).expect("config");
        t[6].push(ms(t5));
        let total = t[1..4].iter().filter_map(|v| v.last()).sum::<f64>() + ms(t5);
        t[7].push(total);
        eprintln!("run: {rows} rows, {total:.0} ms load (open..Engine::new)");
        let t7 = Instant::now();
        std::hint::black_box(e.day_cells());
        t[8].push(ms(t7));
        let t8 = Instant::now();
        let q = omnikpi_engine::Query::default().group_by(omnikpi_engine::Dim::Channel);
        std::hint::black_box(e.report(&q).expect("a report"));
        t[9].push(ms(t8));
        drop(e);
    }
    for (n, v) in names.iter().zip(t) {
        println!("{n:>14}: {:8.1} ms (median of {runs})", median(v));
    }
}
