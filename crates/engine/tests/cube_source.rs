//! A cube as a data source: built from the demo contacts, written as CSV, loaded back through
//! the ordinary loader beside the agents and daily tables, and queried through [`Engine`]. Its
//! reports, heatmaps, staffing, topics and filter values equal the raw-row engine's; what
//! needs contact rows is a typed error; a cube never mixes with contact rows; `kpi cube` then
//! `kpi report` on its output equals `kpi report` on the rows.

mod cube_shared;

use cube_shared::{close, queries, same_reports};
use omnikpi_engine::analysis::Heatmap;
use omnikpi_engine::cube::{Cube, CubeSpec};
use omnikpi_engine::io::{self, ReadError, SourceBytes};
use omnikpi_engine::{Config, Dataset, Dim, Engine, Query, QueryError, SourceKind};
use std::process::Command;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn config() -> Config {
    let text = std::fs::read_to_string(root().join("public/config.json")).unwrap();
    Config::from_json(&text).unwrap()
}

fn file(name: &str) -> Vec<u8> {
    std::fs::read(root().join("public/data").join(name)).unwrap()
}

/// Loads `(name, bytes)` sources through [`io::load_many`] under the demo config's zone.
fn load(files: &[(&str, &[u8])], cfg: &Config) -> Result<Dataset, io::SourceError> {
    let tz = cfg.tz().unwrap();
    let sources: Vec<SourceBytes> = files
        .iter()
        .map(|(n, b)| SourceBytes {
            name: n,
            bytes: b,
            opts: io::options(None, tz),
        })
        .collect();
    io::load_many(&sources)
}

/// The raw engine over the demo rows, and the cube's CSV built from it.
fn raw_and_cube_csv(cfg: &Config) -> (Engine, String) {
    let (demo, agents, daily) = (file("demo.csv"), file("agents.csv"), file("daily.csv"));
    let ds = load(
        &[
            ("demo.csv", &demo),
            ("agents.csv", &agents),
            ("daily.csv", &daily),
        ],
        cfg,
    )
    .unwrap();
    assert!(ds.contacts.len() > 10_000, "demo data missing");
    let raw = Engine::new(ds, cfg.clone()).unwrap();
    let cube = Cube::build(&raw, &CubeSpec::default()).unwrap();
    (raw, cube.to_csv())
}

/// The engine over the cube CSV (named `cube.csv`) with the agents and daily tables.
fn cube_engine(csv: &str, cfg: &Config) -> Engine {
    let (agents, daily) = (file("agents.csv"), file("daily.csv"));
    let ds = load(
        &[
            ("cube.csv", csv.as_bytes()),
            ("agents.csv", &agents),
            ("daily.csv", &daily),
        ],
        cfg,
    )
    .unwrap();
    Engine::new(ds, cfg.clone()).unwrap()
}

fn same_heatmaps(what: &str, a: &Heatmap, b: &Heatmap) {
    assert_eq!(a.rows, b.rows, "{what}: rows");
    assert_eq!(a.cols, b.cols, "{what}: cols");
    for (r, (x, y)) in a.cells.iter().zip(&b.cells).enumerate() {
        for (h, (p, q)) in x.iter().zip(y).enumerate() {
            let ok = match (p, q) {
                (None, None) => true,
                (Some(p), Some(q)) => close(*p, *q),
                _ => false,
            };
            assert!(ok, "{what} [{r}][{h}]: raw {p:?} cube {q:?}");
        }
    }
}

#[test]
fn a_cube_loaded_as_a_source_gives_the_raw_kpis() {
    let cfg = config();
    let (raw, csv) = raw_and_cube_csv(&cfg);
    let cube_rows = csv.lines().count() as u64 - 1;
    let engine = cube_engine(&csv, &cfg);

    // The load report counts the cube's rows under its name, beside the other tables.
    assert!(engine.is_cube());
    assert_eq!(engine.source_kind(), SourceKind::Cube);
    assert!(!raw.is_cube());
    let rep = &engine.dataset().report;
    assert_eq!(rep.sources.len(), 3);
    assert_eq!(rep.sources[0].name, "cube.csv");
    assert_eq!(rep.sources[0].rows_read, cube_rows);
    assert_eq!(rep.sources[0].rows_loaded, cube_rows);
    assert_eq!(rep.sources[0].rows_rejected, 0);
    assert_eq!(rep.sources[1].name, "agents.csv");
    assert_eq!(
        rep.sources[1].rows_loaded,
        raw.dataset().report.sources[1].rows_loaded
    );
    assert_eq!(
        rep.rows_loaded,
        rep.sources.iter().map(|s| s.rows_loaded).sum::<u64>()
    );
    assert_eq!(engine.dataset().contacts.len(), 0);
    assert_eq!(
        engine.cube().unwrap().contacts(),
        raw.dataset().contacts.len() as u64
    );

    // Reports: the whole period, channel × day, weekday × hour, one team's channel × day, ...
    let team = raw.dimension_values("team").unwrap().get(1).cloned();
    let day = raw.data_days().map(|(a, _)| a + 1);
    let topic = raw
        .dimension_values("topic")
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    let mut qs = queries(team.clone(), day);
    qs.push((
        "one topic by channel",
        Query::default()
            .filter("topic", &[topic.as_str()])
            .group_by(Dim::Channel),
    ));
    qs.push((
        "one team by weekday (agents joined)",
        Query::default()
            .filter("team", &[team.as_deref().unwrap()])
            .group_by(Dim::Weekday),
    ));
    for (what, q) in &qs {
        let r = raw.report(q).unwrap();
        let c = engine.report(q).unwrap();
        assert!(!r.is_empty(), "{what}: empty");
        same_reports(what, &r, &c);
    }
    let q = Query::default().group_by(Dim::Channel);
    assert_eq!(
        engine.report(&q).unwrap().len(),
        raw.report(&q).unwrap().len()
    );

    // The agent and daily KPIs are still there.
    let total = &engine.report(&Query::default()).unwrap()[0];
    for id in [
        "occupancy",
        "adherence",
        "utilization",
        "uptime",
        "contacts",
        "sla",
    ] {
        let v = total.get(id);
        assert!(v.is_some(), "{id} missing from the cube's report");
    }
    assert_eq!(
        total.get("contacts"),
        Some(raw.dataset().contacts.len() as f64)
    );

    // Totals, heatmaps (volume, a rate, a percentile), date × hour, staffing, topics.
    let tq = Query::default().filter("channel", &["voice"]);
    assert_eq!(
        engine.total(&tq).unwrap().contacts,
        raw.total(&tq).unwrap().contacts
    );
    for (what, q) in [
        ("all", Query::default()),
        ("one topic", qs.last().unwrap().1.clone()),
    ] {
        for kpi in ["contacts", "sla", "csat", "aht_s", "first_response_p90_s"] {
            let a = raw.heatmap(&q, kpi).unwrap();
            let b = engine.heatmap(&q, kpi).unwrap();
            same_heatmaps(&format!("heatmap {what} {kpi}"), &a, &b);
        }
    }
    let dq = Query {
        from: day,
        to: day.map(|d| d + 6),
        ..Default::default()
    };
    same_heatmaps(
        "date x hour",
        &raw.date_hour(&dq, "contacts").unwrap(),
        &engine.date_hour(&dq, "contacts").unwrap(),
    );
    let (a, b) = (raw.staffing(&dq).unwrap(), engine.staffing(&dq).unwrap());
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len(), "staffing cells");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (x.weekday, x.hour, x.channel),
            (y.weekday, y.hour, y.channel)
        );
        assert!(close(x.contacts_per_hour, y.contacts_per_hour));
        assert_eq!(x.agents_needed, y.agents_needed, "{x:?} {y:?}");
        match (x.aht_s, y.aht_s) {
            (Some(p), Some(q)) => assert!(close(p, q)),
            (p, q) => assert_eq!(p, q),
        }
    }
    assert_eq!(
        raw.top_topics(&dq, 10).unwrap(),
        engine.top_topics(&dq, 10).unwrap()
    );
    assert_eq!(raw.data_days(), engine.data_days());
    for dim in ["channel", "team", "topic", "segment", "region", "priority"] {
        assert_eq!(
            raw.dimension_values(dim),
            engine.dimension_values(dim),
            "{dim}"
        );
    }
    assert_eq!(engine.dimension_values("agent_id"), None);

    // Series and trends go through the reports.
    let sq = Query::default();
    let a = raw
        .series(&sq, "sla", omnikpi_engine::Bucket::Week, Some(Dim::Channel))
        .unwrap();
    let b = engine
        .series(&sq, "sla", omnikpi_engine::Bucket::Week, Some(Dim::Channel))
        .unwrap();
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len(), "series");
    let (mut a, mut b) = (a, b);
    a.sort_by(|x, y| x.name.cmp(&y.name));
    b.sort_by(|x, y| x.name.cmp(&y.name));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.points.len(), y.points.len());
        for ((l, p), (m, q)) in x.points.iter().zip(&y.points) {
            assert_eq!(l, m);
            match (p, q) {
                (Some(p), Some(q)) => assert!(close(*p, *q), "series {l}: {p} {q}"),
                (p, q) => assert_eq!(p, q, "series {l}"),
            }
        }
    }
}

#[test]
fn what_needs_rows_is_a_typed_error() {
    let cfg = config();
    let (_, csv) = raw_and_cube_csv(&cfg);
    let engine = cube_engine(&csv, &cfg);
    let needs = |r: Result<(), QueryError>| match r {
        Err(QueryError::NeedsRows(what)) => what,
        other => panic!("expected NeedsRows, got {other:?}"),
    };
    let by_agent = Query::default().group_by(Dim::parse("agent_id"));
    let w = needs(engine.report(&by_agent).map(|_| ()));
    assert!(w.contains("agent_id"), "{w}");
    let for_customer = Query::default().filter("customer_id", &["C1"]);
    needs(engine.report(&for_customer).map(|_| ()));
    needs(engine.total(&for_customer).map(|_| ()));
    needs(engine.contact_groups(&by_agent).map(|_| ()));
    needs(engine.transitions(&Query::default()).map(|_| ()));
    needs(engine.channel_usage(&Query::default()).map(|_| ()));
    needs(engine.filter(&Query::default()).map(|_| ()));
    let msg = engine.report(&by_agent).unwrap_err().to_string();
    assert!(msg.contains("cube"), "{msg}");
    // The live queue is never reported as a number from a cube.
    let now = Query {
        now: Some(2_000_000_000),
        ..Default::default()
    };
    assert_eq!(engine.report(&now).unwrap()[0].get("queue_length"), None);
}

#[test]
fn set_config_and_with_config_keep_the_cube_in_step() {
    let cfg = config();
    let (mut raw, csv) = raw_and_cube_csv(&cfg);
    let mut engine = cube_engine(&csv, &cfg);
    let q = Query::default()
        .group_by(Dim::Weekday)
        .group_by(Dim::HourOfDay);
    let before = engine.report(&q).unwrap();
    // Another whole-hour zone and other business hours: local buckets follow.
    let mut other = cfg.clone();
    other.timezone = "America/New_York".into();
    raw.set_config(other.clone()).unwrap();
    // The settings page's way (a new engine sharing the cube) and in place agree; the old
    // engine keeps its answers.
    let shared = engine.with_config(other.clone()).unwrap();
    assert_eq!(engine.report(&q).unwrap(), before);
    engine.set_config(other).unwrap();
    assert_eq!(shared.report(&q).unwrap(), engine.report(&q).unwrap());
    assert_ne!(shared.report(&q).unwrap(), before);
    let (r, c) = (raw.report(&q).unwrap(), engine.report(&q).unwrap());
    assert_eq!(r.len(), 168);
    assert_eq!(r.len(), c.len());
    // The SLA partials keep the business hours the cube was built with (email's threshold
    // runs in business hours, which moved with the zone); everything else follows.
    for (a, b) in r.iter().zip(&c) {
        assert_eq!(a.key, b.key);
        for id in [
            "contacts",
            "csat",
            "aht_s",
            "first_response_p90_s",
            "abandonment_rate",
        ] {
            let (x, y) = (a.get(id), b.get(id));
            let ok = match (x, y) {
                (Some(x), Some(y)) => close(x, y),
                _ => x == y,
            };
            assert!(ok, "New York {:?} {id}: raw {x:?} cube {y:?}", a.key);
        }
    }
    same_heatmaps(
        "heatmap in New York",
        &raw.heatmap(&Query::default(), "contacts").unwrap(),
        &engine.heatmap(&Query::default(), "contacts").unwrap(),
    );
    assert_eq!(raw.data_days(), engine.data_days());
}

#[test]
fn a_cube_and_contact_rows_do_not_mix() {
    let cfg = config();
    let (_, csv) = raw_and_cube_csv(&cfg);
    let demo = file("demo.csv");
    for files in [
        [("cube.csv", csv.as_bytes()), ("demo.csv", &demo[..])],
        [("demo.csv", &demo[..]), ("cube.csv", csv.as_bytes())],
    ] {
        let e = load(&files, &cfg).unwrap_err();
        match &e.error {
            ReadError::CubeWithRows { cube, rows } => {
                assert_eq!((cube.as_str(), rows.as_str()), ("cube.csv", "demo.csv"))
            }
            other => panic!("expected CubeWithRows, got {other:?}"),
        }
        let msg = e.to_string();
        assert!(
            msg.contains("cube.csv") && msg.contains("demo.csv"),
            "{msg}"
        );
    }
    let e = load(
        &[("a.csv", csv.as_bytes()), ("b.csv", csv.as_bytes())],
        &cfg,
    )
    .unwrap_err();
    assert!(matches!(e.error, ReadError::SecondCube { .. }), "{e}");
}

#[test]
fn a_bad_cube_row_is_named_with_its_line() {
    let cfg = config();
    let (_, csv) = raw_and_cube_csv(&cfg);
    // Line 3 (the second data row): its channel becomes unreadable.
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    let row = &lines[2];
    let comma = row.find(',').unwrap();
    let rest = &row[comma + 1..];
    let after = rest.find(',').unwrap();
    lines[2] = format!("{},pigeon{}", &row[..comma], &rest[after..]);
    let bad = lines.join("\n");
    let e = load(&[("broken_cube.csv", bad.as_bytes())], &cfg).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("broken_cube.csv"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");
    assert!(msg.contains("channel"), "{msg}");
    assert!(matches!(e.error, ReadError::Cube(_)), "{e:?}");
}

fn kpi(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kpi {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if out.stdout.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn kpi_cube_then_kpi_report_equals_kpi_report_on_the_rows() {
    let dir = std::env::temp_dir().join(format!("kpi-cube-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("cube.csv");
    let p = |s: &str| root().join(s).to_string_lossy().into_owned();
    let (demo, agents, daily, config) = (
        p("public/data/demo.csv"),
        p("public/data/agents.csv"),
        p("public/data/daily.csv"),
        p("public/config.json"),
    );
    let out_s = out.to_string_lossy().into_owned();
    kpi(&[
        "cube", "--input", &demo, "--config", &config, "--out", &out_s,
    ]);
    let cube_rows = std::fs::read_to_string(&out).unwrap().lines().count() as u64 - 1;
    for by in [&[][..], &["--by", "channel", "--by", "week"][..]] {
        let run = |input: &str| {
            let mut a = vec![
                "report", "--input", input, "--input", &agents, "--input", &daily,
            ];
            a.extend(["--config", &config, "--now", "none", "--format", "json"]);
            a.extend(by);
            kpi(&a)
        };
        let (r, c) = (run(&demo), run(&out_s));
        assert_eq!(c["sources"][0]["rows_loaded"], cube_rows);
        assert_eq!(c["sources"][0]["name"], out_s.as_str());
        let (rg, cg) = (
            r["groups"].as_array().unwrap(),
            c["groups"].as_array().unwrap(),
        );
        assert!(!rg.is_empty());
        assert_eq!(rg.len(), cg.len());
        for (a, b) in rg.iter().zip(cg) {
            assert_eq!(a["key"], b["key"]);
            let (ka, kb) = (
                a["kpis"].as_object().unwrap(),
                b["kpis"].as_object().unwrap(),
            );
            assert_eq!(ka.len(), kb.len());
            for (k, x) in ka {
                let y = &kb[k];
                let ok = match (x.as_f64(), y.as_f64()) {
                    (Some(x), Some(y)) => close(x, y),
                    _ => x == y,
                };
                assert!(ok, "{by:?} {} {k}: rows {x} cube {y}", a["key"]);
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A cut at a whole hour gives from the cube what the rows give (the cube's hours are whole),
/// and a cut inside an hour keeps that hour.
#[test]
fn a_cube_cuts_the_last_day_at_its_hours() {
    let cfg = config();
    let (raw, csv) = raw_and_cube_csv(&cfg);
    let cube = cube_engine(&csv, &cfg);
    let day = omnikpi_engine::time::parse_day("2026-11-22").unwrap();
    let q = |cut: Option<i64>| Query {
        from: Some(day - 6),
        to: Some(day),
        last_day_until: cut,
        ..Query::default()
    };
    let contacts = |e: &Engine, cut| e.report(&q(cut)).unwrap()[0].get("contacts");
    for h in [0, 7, 10, 13, 24] {
        let cut = Some(h * 3600);
        assert_eq!(contacts(&cube, cut), contacts(&raw, cut), "cut at {h}:00");
    }
    assert!(
        contacts(&raw, Some(10 * 3600)) < contacts(&raw, None),
        "the cut takes something"
    );
    // 10:30 from the cube is the rows' 11:00: the hour from 10:00 is kept whole.
    assert_eq!(
        contacts(&cube, Some(10 * 3600 + 1800)),
        contacts(&raw, Some(11 * 3600))
    );
}
