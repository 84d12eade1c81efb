//! The columnar path against the row path it stands in front of ([`Path::Typed`]: the typed
//! path with the text path behind it): on clean and dirty files, in one go and stepped in
//! slices, alone and after another source, the loaded dataset (every column, dictionary, case
//! and the load report with every problem's line and reason) and the KPI reports are the
//! same. Files are written by [`super::test_writer`]; the real exports of the repository
//! (tests/data) go through their presets, then into Arrow.

use super::test_data::{canonical_stream, dirty_file, dirty_rows, encode, fields, Rng};
use super::test_writer::{stream, Msg, Type, Values};
use super::*;
use crate::{Config, Dim, Engine, Query};
use std::hash::Hasher;

/// What one load gave: the dataset and the rows the typed and the columnar path took.
struct Loaded {
    ds: Dataset,
    typed: u64,
    columnar: u64,
}

/// Reads `sources` (name, bytes) into one loader along `path`, `budget` rows per step.
fn load_along(
    sources: &[(&str, &[u8])],
    tz: crate::zone::Zone,
    path: Path,
    budget: usize,
) -> Loaded {
    let mut loader = Loader::new();
    let (mut typed, mut columnar) = (0, 0);
    for (name, bytes) in sources {
        loader.begin_source(name);
        let mut rows = ArrowRows::open_with(bytes, None, tz, path).unwrap();
        rows.bytes = bytes.to_vec();
        let mut steps = 0;
        loop {
            let (n, done) = rows.step(budget, name, &mut loader);
            assert!(n <= budget);
            steps += 1;
            if done {
                break;
            }
            assert_eq!(n, budget, "a step short of its budget is the last");
        }
        assert!(steps as u64 >= rows.rows_total() / budget as u64);
        typed += rows.typed_rows;
        columnar += rows.columnar_rows;
    }
    Loaded {
        ds: loader.finish(),
        typed,
        columnar,
    }
}

/// A digest of everything in a dataset (its `Debug` text: ids, cases, every column,
/// dictionaries in code order, codes, the load report).
fn digest(ds: &Dataset) -> u64 {
    struct H(crate::model::FxHasher);
    impl std::fmt::Write for H {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut h = H(Default::default());
    let _ = write!(h, "{ds:?}");
    h.0.finish()
}

/// What any load must give, whatever the path (so that code both paths share is checked too):
/// ids unique, every duplicate-id rejection naming a loaded id, one case number per case id
/// and one per contact without one, dictionaries without a value twice, rows read = loaded +
/// rejected.
fn assert_sound(ds: &Dataset, what: &str) {
    let c = &ds.contacts;
    let r = &ds.report;
    assert_eq!(r.rows_read, r.rows_loaded + r.rows_rejected, "{what}");
    assert_eq!(r.rows_loaded as usize, c.len(), "{what}");
    let ids: std::collections::HashSet<String> = (0..c.len()).map(|i| c.ids.get(i)).collect();
    assert_eq!(ids.len(), c.len(), "{what}: ids are unique");
    for p in r
        .rejected
        .iter()
        .filter(|p| p.reason == crate::Reason::DuplicateId)
    {
        assert!(
            ids.contains(&p.value),
            "{what}: {} rejected as a duplicate of nothing",
            p.value
        );
    }
    let mut cases: std::collections::HashMap<String, u32> = Default::default();
    let mut own = std::collections::HashSet::new();
    for i in 0..c.len() {
        let k = c.case[i];
        match c.record(i).and_then(|rec| rec.case_id) {
            Some(name) => assert_eq!(*cases.entry(name).or_insert(k), k, "{what}: row {i}"),
            None => assert!(own.insert(k), "{what}: row {i} shares a case of its own"),
        }
    }
    let named: std::collections::HashSet<u32> = cases.values().copied().collect();
    assert_eq!(
        named.len(),
        cases.len(),
        "{what}: one case number per case id"
    );
    assert!(named.is_disjoint(&own), "{what}");
    for d in &c.dims {
        let vals = d.dict.values();
        let distinct: std::collections::HashSet<&String> = vals.iter().collect();
        assert_eq!(
            distinct.len(),
            vals.len(),
            "{what}: dictionary of {}",
            d.name
        );
        assert_eq!(d.codes.len(), c.len(), "{what}: codes of {}", d.name);
    }
}

/// Asserts that `got` is the dataset `want` is, first in the parts that read well in a failure
/// (the load report, then row by row), then as a whole; and that both are sound.
fn assert_same(got: &Dataset, want: &Dataset, what: &str) {
    assert_sound(want, what);
    assert_sound(got, what);
    assert_eq!(got.report, want.report, "{what}: load report");
    assert_eq!(got.contacts.len(), want.contacts.len(), "{what}: rows");
    for i in 0..want.contacts.len() {
        assert_eq!(
            got.contacts.record(i),
            want.contacts.record(i),
            "{what}: row {i}"
        );
        assert_eq!(
            got.contacts.case[i], want.contacts.case[i],
            "{what}: case {i}"
        );
        assert_eq!(
            got.contacts.flags[i], want.contacts.flags[i],
            "{what}: flags {i}"
        );
    }
    let dims = |ds: &Dataset| {
        ds.contacts
            .dims
            .iter()
            .map(|d| (d.name.clone(), d.dict.values().to_vec()))
            .collect::<Vec<_>>()
    };
    assert_eq!(dims(got), dims(want), "{what}: dimensions and their values");
    assert_eq!(digest(got), digest(want), "{what}: the whole dataset");
}

/// The KPI reports a dashboard asks for, on `ds`.
fn reports(ds: Dataset) -> Vec<Vec<crate::Group>> {
    let e = Engine::new(ds, Config::default()).unwrap();
    let dims = e.dimensions();
    let mut by: Vec<Query> = ["channel", "team", "agent_id", "customer_id", "day", "shop"]
        .iter()
        .filter(|d| **d == "day" || dims.iter().any(|x| x == *d))
        .map(|d| Query::default().group_by(Dim::parse(d)))
        .collect();
    by.push(Query::default());
    by.push(
        Query::default()
            .filter("team", &["T1", "T2"])
            .group_by(Dim::Channel),
    );
    by.iter().map(|q| e.report(q).unwrap()).collect()
}

fn zone(variant: u64) -> crate::zone::Zone {
    match variant {
        0 => crate::zone::Zone::UTC,
        _ => crate::zone::Zone::named("Europe/Berlin").unwrap(),
    }
}

/// Dirty files of every layout: the columnar path, in one go and stepped 1, 7 and 1000 rows
/// at a time, loads the dataset the row path loads, and the KPI reports are the same.
#[test]
fn columnar_loads_dirty_files_as_the_row_path_does() {
    for (seed, variant, n, batch) in [
        (1, 0, 3000, 700),
        (2, 1, 2500, 300),
        (3, 2, 2000, 1000),
        (4, 0, 400, 5),
        (5, 1, 600, 64),
    ] {
        let bytes = dirty_file(seed, variant, n, batch);
        let tz = zone(variant);
        let src = [("d.arrows", &bytes[..])];
        let want = load_along(&src, tz, Path::Typed, usize::MAX);
        assert_eq!(want.columnar, 0);
        let r = &want.ds.report;
        assert_eq!(r.rows_read, n as u64, "nothing lost: every row is read");
        assert_eq!(r.rows_read, r.rows_loaded + r.rows_rejected);
        assert!(
            r.rows_rejected > 0 && !r.warnings.is_empty(),
            "the file is dirty"
        );
        let what = format!("seed {seed} variant {variant}");
        for budget in [usize::MAX, 1000, 7, 1] {
            let got = load_along(&src, tz, Path::Columnar, budget);
            // Both paths did work: clean rows columnar, the others row by row.
            assert!(
                got.columnar > (n as u64) / 3,
                "{what}: {} columnar",
                got.columnar
            );
            assert!(got.typed > 0, "{what}");
            assert_eq!(
                got.typed + got.columnar,
                want.typed,
                "{what}: the rows the typed path took are the columnar path's and the typed path's"
            );
            assert_same(&got.ds, &want.ds, &format!("{what} budget {budget}"));
        }
        let got = load_along(&src, tz, Path::Columnar, usize::MAX);
        assert_eq!(reports(got.ds), reports(want.ds), "{what}: KPI reports");
    }
}

/// Two sources into one loader: ids repeated across them are rejected, the second source's
/// extra columns join the first's, counts are per source.
#[test]
fn columnar_loads_a_second_source_as_the_row_path_does() {
    let a = dirty_file(11, 0, 1500, 400);
    let b = dirty_file(12, 2, 1200, 250);
    let c = dirty_file(13, 1, 900, 900);
    let src = [
        ("a.arrows", &a[..]),
        ("b.arrows", &b[..]),
        ("c.arrows", &c[..]),
    ];
    let tz = zone(1);
    let want = load_along(&src, tz, Path::Typed, usize::MAX);
    assert_eq!(want.ds.report.sources.len(), 3);
    assert!(want
        .ds
        .report
        .rejected
        .iter()
        .any(|p| p.file == "b.arrows" && p.reason == crate::Reason::DuplicateId));
    for budget in [usize::MAX, 333] {
        let got = load_along(&src, tz, Path::Columnar, budget);
        assert!(got.columnar > 0);
        assert_same(
            &got.ds,
            &want.ds,
            &format!("three sources, budget {budget}"),
        );
    }
}

/// Clean files: the columnar path takes every row, and the text path gives the same KPIs.
#[test]
fn columnar_takes_every_row_of_a_clean_file() {
    let mut rng = Rng(99);
    let f = fields(0);
    let mut rows = dirty_rows(&mut rng, 1500, &f, false);
    // Keep the clean rows only: those the typed path loads without a warning.
    let bytes = encode(&mut Rng(7), &f, &rows, 500, true);
    let typed = load_along(
        &[("x.arrows", &bytes[..])],
        crate::zone::Zone::UTC,
        Path::Typed,
        usize::MAX,
    );
    let clean: Vec<bool> = {
        let r = &typed.ds.report;
        let bad: std::collections::BTreeSet<u64> = r
            .rejected
            .iter()
            .chain(&r.warnings)
            .map(|p| p.line)
            .collect();
        (0..rows.len())
            .map(|i| !bad.contains(&(i as u64 + 2)))
            .collect()
    };
    let mut k = 0;
    rows.retain(|_| {
        k += 1;
        clean[k - 1]
    });
    // Dictionary indices past the end are dirt the typed path passes to the text path, which
    // loads them: none in the clean file.
    let bytes = encode(&mut Rng(8), &f, &rows, 500, false);
    let src = [("x.arrows", &bytes[..])];
    let tz = crate::zone::Zone::UTC;
    let want = load_along(&src, tz, Path::Typed, usize::MAX);
    let got = load_along(&src, tz, Path::Columnar, usize::MAX);
    let r = &got.ds.report;
    assert_eq!((r.rows_rejected, r.warnings.len()), (0, 0));
    assert_eq!(got.columnar + got.typed, r.rows_read);
    assert!(
        got.typed <= r.rows_read / 50,
        "{} rows left to the typed path",
        got.typed
    );
    assert_same(&got.ds, &want.ds, "clean");
    let text = load_along(&src, tz, Path::Text, usize::MAX);
    assert_eq!(
        reports(got.ds),
        reports(text.ds),
        "clean: the text path's KPIs"
    );
}

/// The repository's two real exports (tests/data, through their presets in public/presets),
/// written as canonical Arrow: every row columnar, the row path's dataset, the CSV's KPIs.
#[test]
fn columnar_loads_the_real_exports_as_the_row_path_does() {
    let exports: [(&str, &[u8], &str); 2] = [
        (
            "pwc-call-center",
            include_bytes!("../../tests/data/pwc-call-center.csv"),
            include_str!("../../../../public/presets/pwc-call-center.json"),
        ),
        (
            "support-tickets",
            include_bytes!("../../tests/data/support-tickets.csv"),
            include_str!("../../../../public/presets/support-tickets.json"),
        ),
    ];
    let tz = crate::zone::Zone::UTC;
    for (name, csv, preset) in exports {
        let m = Mapping::from_json(preset).unwrap();
        let opts = crate::io::LoadOptions {
            mapping: Some(&m),
            ..crate::io::options(None, tz)
        };
        let from_csv = crate::io::load_bytes(name, csv, &opts).unwrap();
        let n = from_csv.contacts.len() as u64;
        assert!(n > 1000, "{name}");
        let bytes = canonical_stream(&from_csv);
        let src = [(name, &bytes[..])];
        let want = load_along(&src, tz, Path::Typed, usize::MAX);
        for budget in [usize::MAX, 4096] {
            let got = load_along(&src, tz, Path::Columnar, budget);
            assert_eq!(
                (got.columnar, got.typed),
                (n, 0),
                "{name}: every row columnar"
            );
            assert_same(&got.ds, &want.ds, name);
        }
        let got = load_along(&src, tz, Path::Columnar, usize::MAX);
        // The same contacts as the CSV gave (in arrival order either way).
        for i in 0..from_csv.contacts.len() {
            assert_eq!(
                got.ds.contacts.record(i),
                from_csv.contacts.record(i),
                "{name} {i}"
            );
        }
        assert_eq!(reports(got.ds), reports(from_csv), "{name}: KPI reports");
    }
}

/// The browser benchmark's 1M contacts (`make bench` writes them): the columnar path loads
/// the dataset the row path loads. Slow; run with
/// `cargo test -p omnikpi-engine --release -- --ignored bench_data` (or set `OMNIKPI_ARROW`).
#[test]
#[ignore]
fn columnar_loads_the_bench_data_as_the_row_path_does() {
    let path = std::env::var("OMNIKPI_ARROW").unwrap_or_else(|_| {
        format!(
            "{}/../../bench/data/contacts-1m.arrow",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("{path}: not there (make bench writes it); nothing to compare");
        return;
    };
    let tz = crate::zone::Zone::UTC;
    let src = [("bench.arrow", &bytes[..])];
    let want = load_along(&src, tz, Path::Typed, usize::MAX);
    let got = load_along(&src, tz, Path::Columnar, 50_000);
    assert_eq!(got.columnar, want.ds.report.rows_read, "every row columnar");
    assert_same(&got.ds, &want.ds, &path);
    assert_eq!(reports(got.ds), reports(want.ds), "{path}: KPI reports");
}

/// Extra columns appear in the dataset in the order their first values appear row by row, not
/// column by column; blank and null values add nothing; a name used twice is one column whose
/// last non-blank value wins (as row by row).
#[test]
fn columnar_adds_extra_columns_where_the_row_path_does() {
    let ts = Type::Ts { unit: 0, utc: true };
    let i32s = Type::Int {
        bytes: 4,
        signed: true,
    };
    let id = |k: usize| Some(format!("c{k}").into_bytes());
    let text = |v: &str| Some(v.as_bytes().to_vec());
    let rows = 6;
    let base: Vec<Values> = vec![
        Values::Utf8((0..rows).map(id).collect()),
        Values::Utf8((0..rows).map(|_| text("chat")).collect()),
        Values::Int(
            (0..rows)
                .map(|k| Some(1_767_225_600 + 60 * k as i64))
                .collect(),
        ),
    ];
    for extras in [["x1", "x2", "x3"], ["x", "y", "x"]] {
        let fields: Vec<(&str, Type)> = vec![
            ("id", Type::Utf8),
            ("channel", Type::Utf8),
            ("arrived_at", ts),
            (extras[0], Type::Utf8),
            (extras[1], Type::Dict { id: 0, bytes: 4 }),
            (extras[2], i32s),
        ];
        let mut cols = base.clone();
        // Row 0: only the third; row 1: the second; row 2: blanks; then all of them.
        cols.push(Values::Utf8(vec![
            None,
            text(" "),
            text(""),
            text("a"),
            text(" b "),
            None,
        ]));
        cols.push(Values::Int(vec![
            None,
            Some(1),
            Some(0),
            Some(2),
            None,
            Some(1),
        ]));
        cols.push(Values::Int(vec![
            Some(7),
            None,
            None,
            Some(-1),
            Some(0),
            None,
        ]));
        let msgs = [
            Msg::Dict {
                id: 0,
                values: vec![Some("  ".into()), Some("q".into()), Some(" r ".into())],
                delta: false,
            },
            Msg::Batch(cols),
        ];
        let bytes = stream(&fields, &msgs);
        let src = [("e.arrows", &bytes[..])];
        let tz = crate::zone::Zone::UTC;
        let want = load_along(&src, tz, Path::Typed, usize::MAX);
        let got = load_along(&src, tz, Path::Columnar, usize::MAX);
        assert_eq!(got.columnar, rows as u64);
        let names: Vec<&str> = got.ds.contacts.dims[7..]
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        let expect: &[&str] = match extras[0] {
            "x1" => &["x3", "x2", "x1"],
            _ => &["x", "y"],
        };
        assert_eq!(names, expect);
        assert_same(&got.ds, &want.ds, &format!("extras {extras:?}"));
    }
}

/// A null `abandoned` (how a warehouse says "not recorded") reads as unknown on every path,
/// so the contact is outside the abandonment rate: rows 0, 3, 6, … here; the others say.
#[test]
fn a_null_abandoned_is_unknown_on_every_path() {
    let recs: Vec<crate::ContactRecord> = (0..2000)
        .map(|k| crate::ContactRecord {
            id: format!("C{k:05}"),
            channel: Some(crate::Channel::Voice),
            arrived_at: 1_767_225_600 + k as i64 * 60,
            first_response_s: (k % 3 == 1).then_some(30.0),
            abandoned: k % 3 == 2,
            abandoned_unknown: k % 3 == 0,
            ..Default::default()
        })
        .collect();
    let mut loader = Loader::new();
    loader.begin_source("r");
    for (i, r) in recs.iter().enumerate() {
        loader.row("r", i as u64 + 2, &String::new, Ok((r.clone(), Vec::new())));
    }
    let bytes = canonical_stream(&loader.finish());
    let src = [("n.arrows", &bytes[..])];
    for path in [Path::Text, Path::Typed, Path::Columnar] {
        let got = load_along(&src, crate::zone::Zone::UTC, path, usize::MAX);
        let c = &got.ds.contacts;
        assert_eq!(c.len(), recs.len(), "{path:?}");
        let unknown: Vec<bool> = (0..c.len())
            .map(|i| c.has(i, crate::model::flag::ABANDON_UNKNOWN))
            .collect();
        let abandoned = (0..c.len())
            .filter(|&i| c.has(i, crate::model::flag::ABANDONED))
            .count();
        assert_eq!(
            unknown,
            (0..2000).map(|k| k % 3 == 0).collect::<Vec<_>>(),
            "{path:?}"
        );
        assert_eq!(abandoned, 666, "{path:?}");
        let e = Engine::new(got.ds, Config::default()).unwrap();
        let g = e.report(&Query::default()).unwrap();
        // 666 abandoned of the 1,333 contacts that say (667 are unknown).
        let rate = g[0].get("abandonment_rate");
        assert_eq!(rate, Some(666.0 / 1333.0), "{path:?}");
    }
}
