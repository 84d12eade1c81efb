//! Cubes built by the warehouse SQL (`sql/cube.sql` on DuckDB and Spark, run by
//! `sql/test_cube_sql.py`, i.e. `make test-sql`) against the engine on the raw rows: cell by cell
//! against the native cube, then every catalog KPI of the test queries.
//!
//! Without `OMNIKPI_SQL_CUBES` (`name=path,name=path`) this test does nothing. Also reads
//! `OMNIKPI_SQL_INPUT` (the contacts CSV the SQL ran on) and `OMNIKPI_SQL_CONFIG` (config.json).

mod cube_shared;

use cube_shared::{close, queries, same_reports};
use omnikpi_engine::cube::{Cube, CubeEngine, CubeSpec};
use omnikpi_engine::{io, Config, Engine};
use std::collections::HashMap;

/// Cells of a cube's CSV form by key (hour, channel, dimensions): column -> text.
fn cells(cube: &Cube) -> HashMap<String, HashMap<String, String>> {
    let text = cube.to_csv();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let n_key = 2 + cube.dims.len();
    let mut out = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let key: Vec<&str> = rec.iter().take(n_key).collect();
        let row = head
            .iter()
            .zip(rec.iter())
            .skip(n_key)
            .map(|(h, v)| (h.clone(), v.to_string()))
            .collect();
        out.insert(key.join("|"), row);
    }
    out
}

/// Differences between two cubes' cells, as messages (at most a few per column).
fn diff_cells(native: &Cube, other: &Cube) -> Vec<String> {
    let (a, b) = (cells(native), cells(other));
    let mut msgs = Vec::new();
    let mut per_col: HashMap<String, usize> = HashMap::new();
    for k in a.keys() {
        if !b.contains_key(k) {
            msgs.push(format!("cell {k} missing"));
        }
    }
    for k in b.keys() {
        if !a.contains_key(k) {
            msgs.push(format!("extra cell {k}"));
        }
    }
    for (k, ra) in &a {
        let Some(rb) = b.get(k) else { continue };
        for (col, va) in ra {
            let vb = rb.get(col).map(String::as_str).unwrap_or("");
            let same = if col == "customers" {
                let mut x: Vec<&str> = va.split(' ').collect();
                let mut y: Vec<&str> = vb.split(' ').collect();
                x.sort_unstable();
                y.sort_unstable();
                x == y
            } else if col.ends_with("_hist") {
                va == vb
            } else {
                let p = |s: &str| {
                    if s.is_empty() {
                        0.0
                    } else {
                        s.parse::<f64>().unwrap()
                    }
                };
                close(p(va), p(vb))
            };
            if !same {
                let n = per_col.entry(col.clone()).or_default();
                *n += 1;
                if *n <= 3 {
                    msgs.push(format!("cell {k} column {col}: native {va:?}, sql {vb:?}"));
                }
            }
        }
    }
    for (col, n) in per_col {
        if n > 3 {
            msgs.push(format!("column {col}: {n} cells differ"));
        }
    }
    msgs
}

#[test]
fn sql_cubes_give_the_engines_kpis() {
    let Ok(list) = std::env::var("OMNIKPI_SQL_CUBES") else {
        eprintln!("OMNIKPI_SQL_CUBES not set: nothing to check (run make test-sql)");
        return;
    };
    let input = std::env::var("OMNIKPI_SQL_INPUT").expect("OMNIKPI_SQL_INPUT");
    let cfg = match std::env::var("OMNIKPI_SQL_CONFIG") {
        Ok(p) => Config::from_json(&std::fs::read_to_string(p).unwrap()).unwrap(),
        Err(_) => Config::default(),
    };
    let bytes = std::fs::read(&input).unwrap();
    let ds = io::load_bytes(&input, &bytes, &io::options(None, cfg.tz().unwrap())).unwrap();
    assert_eq!(
        ds.report.rows_rejected, 0,
        "the SQL assumes clean canonical rows"
    );
    let raw = Engine::new(ds, cfg.clone()).unwrap();
    let native = Cube::build(&raw, &CubeSpec::default()).unwrap();
    if let Ok(out) = std::env::var("OMNIKPI_NATIVE_CUBE_OUT") {
        std::fs::write(out, native.to_csv()).unwrap();
    }
    let team = raw
        .dataset()
        .contacts
        .dim("team")
        .and_then(|d| d.dict.values().get(1).cloned());
    let day = raw.data_days().map(|(a, _)| a + 20);
    let mut failures = Vec::new();
    for item in list.split(',').filter(|s| !s.is_empty()) {
        let (name, path) = item.split_once('=').expect("name=path");
        let cube = Cube::from_csv(&std::fs::read(path).unwrap()).unwrap();
        let diffs = diff_cells(&native, &cube);
        for d in &diffs {
            eprintln!("{name}: {d}");
        }
        if !diffs.is_empty() {
            failures.push(format!("{name}: {} cell differences", diffs.len()));
        }
        let ce =
            CubeEngine::new(cube, Default::default(), Default::default(), cfg.clone()).unwrap();
        for (what, q) in queries(team.clone(), day) {
            let r = raw.report(&q).unwrap();
            let c = ce.report(&q).unwrap();
            let res = std::panic::catch_unwind(|| same_reports(what, &r, &c));
            if res.is_err() {
                failures.push(format!("{name}: KPIs of \"{what}\" differ"));
            }
        }
        eprintln!(
            "{name}: {} cells, {} contacts checked",
            ce.cube().cells.len(),
            ce.cube().contacts()
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
