//! The bundled demo data and runtime config, and the generator that makes them.

use omnikpi_engine::io::{load_many, LoadOptions, SourceBytes};
use omnikpi_engine::model::flag;
use omnikpi_engine::{Channel, Config, Dataset};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

fn root() -> String {
    format!("{}/../..", env!("CARGO_MANIFEST_DIR"))
}

fn load_dir(dir: &str, contacts: &str) -> Dataset {
    let read = |f: &str| std::fs::read(format!("{dir}/{f}")).unwrap();
    let (c, a, d) = (read(contacts), read("agents.csv"), read("daily.csv"));
    let opts = LoadOptions {
        tz: omnikpi_engine::Zone::named("Europe/Berlin").unwrap(),
        ..Default::default()
    };
    let srcs = [
        SourceBytes {
            name: contacts,
            bytes: &c,
            opts: opts.clone(),
        },
        SourceBytes {
            name: "agents.csv",
            bytes: &a,
            opts: opts.clone(),
        },
        SourceBytes {
            name: "daily.csv",
            bytes: &d,
            opts,
        },
    ];
    load_many(&srcs).unwrap()
}

#[test]
fn bundled_demo_loads_clean_and_covers_the_catalog() {
    let ds = load_dir(&format!("{}/public/data", root()), "demo.csv");
    let r = &ds.report;
    assert_eq!(r.rows_rejected, 0, "{:?}", r.rejected.first());
    assert!(r.warnings.is_empty());
    let c = &ds.contacts;
    assert!((50_000..=80_000).contains(&c.len()), "{}", c.len());
    let span_days = (c.arrived[c.len() - 1] - c.arrived[0]) / 86_400;
    assert!(span_days >= 364, "{span_days}");
    let channels: BTreeSet<Channel> = c.channel.iter().copied().collect();
    assert_eq!(channels.len(), Channel::COUNT);
    // Cases that switch channel: 20–30 %.
    let mut per_case: BTreeMap<u32, BTreeSet<Channel>> = BTreeMap::new();
    for i in 0..c.len() {
        per_case.entry(c.case[i]).or_default().insert(c.channel[i]);
    }
    let multi = per_case.values().filter(|s| s.len() > 1).count() as f64 / per_case.len() as f64;
    assert!((0.20..=0.30).contains(&multi), "{multi}");
    // Bot containment inside 60–80 %, surveys answered by a minority.
    let bots: Vec<usize> = (0..c.len()).filter(|&i| c.has(i, flag::BOT)).collect();
    let contained = bots
        .iter()
        .filter(|&&i| c.has(i, flag::RESOLVED) && !c.has(i, flag::HANDED_OFF))
        .count() as f64
        / bots.len() as f64;
    assert!((0.6..=0.8).contains(&contained), "{contained}");
    let surveyed =
        (0..c.len()).filter(|&i| c.csat.get(i).is_some()).count() as f64 / c.len() as f64;
    assert!((0.05..0.5).contains(&surveyed), "{surveyed}");
    // Scores follow resolution.
    let mean = |res: bool| {
        let v: Vec<f64> = (0..c.len())
            .filter(|&i| c.has(i, flag::RESOLVED) == res)
            .filter_map(|i| c.csat.get(i).map(f64::from))
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean(true) > mean(false) + 1.0);
    assert!(ds.agents.len() > 1000 && ds.daily.len() >= 365 * 8);
    let occ: f64 = ds.agents.rows.iter().map(|a| a.handling_s).sum::<f64>()
        / ds.agents.rows.iter().map(|a| a.staffed_s).sum::<f64>();
    assert!((0.6..=0.9).contains(&occ), "{occ}");
    // An abandoned contact belongs to the team whose queue it left, so a team's abandonment
    // rate is not 0 % for want of a team: counted here from the rows, against the engine.
    let team = c.dims.iter().find(|d| d.name == "team").unwrap();
    let teams: Vec<Option<String>> = (0..c.len())
        .map(|i| Some(team.value(i).to_string()).filter(|v| !v.is_empty()))
        .collect();
    let abandoned: Vec<bool> = (0..c.len()).map(|i| c.has(i, flag::ABANDONED)).collect();
    assert!(abandoned.iter().filter(|&&a| a).count() > 1000);
    assert!(abandoned
        .iter()
        .zip(&teams)
        .all(|(&a, t)| !a || t.is_some()));
    let rates: Vec<(&str, f64)> = ["Voice", "Chat & Social"]
        .into_iter()
        .map(|t| {
            let of_team = teams.iter().filter(|x| x.as_deref() == Some(t)).count();
            let n = abandoned
                .iter()
                .zip(&teams)
                .filter(|(&a, x)| a && x.as_deref() == Some(t))
                .count();
            (t, n as f64 / of_team as f64)
        })
        .collect();
    let e = omnikpi_engine::Engine::new(ds, Config::default()).unwrap();
    let by_team = e
        .report(&omnikpi_engine::Query::default().group_by(omnikpi_engine::Dim::parse("team")))
        .unwrap();
    for (t, want) in rates {
        let g = by_team.iter().find(|g| g.key[0].1 == t).unwrap();
        let rate = g.get("abandonment_rate").unwrap();
        assert!((rate - want).abs() < 1e-12, "{t}: {rate} against {want}");
        assert!(rate > 0.03, "{t}: {rate}");
    }
}

#[test]
fn shipped_config_parses_and_costs_are_in_the_catalog_ranges() {
    let text = std::fs::read_to_string(format!("{}/public/config.json", root())).unwrap();
    let cfg = Config::from_json(&text).unwrap();
    assert_eq!(cfg.timezone, "Europe/Berlin");
    assert!((8.0..=15.0).contains(&cfg.cost_rate(Channel::Voice)));
    for ch in [Channel::Chat, Channel::Email] {
        assert!((2.0..=5.0).contains(&cfg.cost_rate(ch)));
    }
    assert_eq!(cfg.sources[0].url, "data/demo.csv");
}

#[test]
fn generator_is_deterministic() {
    let tmp = std::env::temp_dir().join(format!("omnikpi-gen-{}", std::process::id()));
    let run = |sub: &str| {
        let out = tmp.join(sub);
        let st = Command::new(env!("CARGO_BIN_EXE_gen"))
            .args([
                "--end",
                "2025-06-30",
                "--contacts",
                "4000",
                "--seed",
                "7",
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        out
    };
    let (a, b) = (run("a"), run("b"));
    for f in ["demo.csv", "agents.csv", "daily.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let ds = load_dir(a.to_str().unwrap(), "demo.csv");
    assert_eq!(ds.report.rows_rejected, 0);
    let last = ds.contacts.arrived[ds.contacts.len() - 1];
    assert!(last < 1_751_328_000 + 3 * 86_400, "{last}"); // ends around 2025-06-30/07-01
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The filter pickers' values: for each dimension, the distinct values of its column in the
/// file (read here with the csv crate, not through the engine), the same on every call (the
/// engine remembers them after the first).
#[test]
fn dimension_values_are_the_columns_distinct_values_on_every_call() {
    let dir = format!("{}/public/data", root());
    let ds = load_dir(&dir, "demo.csv");
    let e = omnikpi_engine::Engine::new(ds, Config::default()).unwrap();
    let mut rdr = csv::Reader::from_path(format!("{dir}/demo.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    for dim in ["channel", "team", "topic", "segment", "region", "priority"] {
        let col = headers.iter().position(|h| h == dim).unwrap();
        let want: BTreeSet<String> = rows.iter().map(|r| r[col].to_string()).collect();
        let first = e.dimension_values(dim).unwrap();
        assert_eq!(
            first,
            e.dimension_values(dim).unwrap(),
            "{dim}: second call"
        );
        let got: BTreeSet<String> = first.iter().cloned().collect();
        assert_eq!(got, want, "{dim}");
        assert_eq!(got.len(), first.len(), "{dim}: no value twice");
        if dim != "channel" {
            assert!(first.windows(2).all(|w| w[0] < w[1]), "{dim}: sorted");
        }
    }
}

/// The engine remembers recent answers (`contact_groups`, which `report` and `total` use): asked
/// again, in any order, each query still gets its own answer, the one an engine that never saw
/// another query gives. The queries differ in one field each, so a memo keyed on less than the
/// whole query would hand one of them another's answer.
#[test]
fn repeated_queries_get_their_own_answers() {
    use omnikpi_engine::time::Bucket;
    use omnikpi_engine::{Dim, Query};
    let dir = format!("{}/public/data", root());
    let e = omnikpi_engine::Engine::new(load_dir(&dir, "demo.csv"), Config::default()).unwrap();
    let (_, last) = e.data_days().unwrap();
    let base = Query {
        from: Some(last - 27),
        to: Some(last),
        ..Default::default()
    };
    let now = e.dataset().contacts.arrived.last().copied();
    let queries = [
        base.clone(),
        base.clone().filter("channel", &["chat"]),
        base.clone().filter("channel", &["voice"]),
        base.clone().group_by(Dim::Channel),
        base.clone().group_by(Dim::Time(Bucket::Day)),
        Query {
            from: Some(last - 6),
            ..base.clone()
        },
        Query {
            business_hours: Some(true),
            ..base.clone()
        },
        Query {
            now,
            ..base.clone()
        },
        base.clone()
            .filter("team", &["Chat & Social"])
            .group_by(Dim::Channel),
    ];
    // Each answer from an engine of its own (`with_config` starts with nothing remembered).
    let fresh: Vec<_> = queries
        .iter()
        .map(|q| {
            e.with_config(e.config().clone())
                .unwrap()
                .report(q)
                .unwrap()
        })
        .collect();
    for (i, (a, b)) in fresh.iter().zip(&fresh[1..]).enumerate() {
        assert_ne!(
            a,
            b,
            "queries {i} and {} must differ for this test to mean anything",
            i + 1
        );
    }
    for round in 0..3 {
        for k in 0..queries.len() {
            // Forwards, backwards and strided, so hits come from every slot of the memo.
            let i = match round {
                0 => k,
                1 => queries.len() - 1 - k,
                _ => k * 4 % queries.len(),
            };
            assert_eq!(
                e.report(&queries[i]).unwrap(),
                fresh[i],
                "query {i}, round {round}"
            );
            let total = e.total(&queries[i]).unwrap().values();
            let want = e
                .with_config(e.config().clone())
                .unwrap()
                .total(&queries[i])
                .unwrap()
                .values();
            assert_eq!(total, want, "total of query {i}, round {round}");
        }
    }
}

/// A configuration change on a loaded engine (`set_config`, or `with_config` as the settings page
/// does) forgets the
/// remembered answers: SLA per channel under a longer threshold is what an engine built with that
/// configuration says, not the answer from before the change.
#[test]
fn a_configuration_change_is_not_answered_from_memory() {
    use omnikpi_engine::{Dim, Query};
    let dir = format!("{}/public/data", root());
    let mut e = omnikpi_engine::Engine::new(load_dir(&dir, "demo.csv"), Config::default()).unwrap();
    let q = Query::default().group_by(Dim::Channel);
    let before = e.report(&q).unwrap();
    let mut cfg = e.config().clone();
    for t in cfg.sla.values_mut() {
        t.threshold_s += 600.0;
    }
    let mut fresh = omnikpi_engine::Engine::new(load_dir(&dir, "demo.csv"), cfg.clone()).unwrap();
    let want = fresh.report(&q).unwrap();
    assert_ne!(
        before, want,
        "a longer SLA threshold must change the report"
    );
    // The settings page's way: a new engine over the same rows (shared, not copied), while the
    // old one keeps its configuration for whatever still holds it.
    let next = e.with_config(cfg.clone()).unwrap();
    assert!(
        std::ptr::eq(next.dataset(), e.dataset()),
        "the rows are shared"
    );
    assert_eq!(next.report(&q).unwrap(), want);
    assert_eq!(e.report(&q).unwrap(), before);
    e.set_config(cfg).unwrap();
    assert_eq!(e.report(&q).unwrap(), want);
    // Switching to the row scan forgets too (its sums run in another order than the cells').
    fresh.set_use_cube(false);
    e.set_use_cube(false);
    assert_eq!(
        e.report(&q).unwrap(),
        fresh.report(&q).unwrap(),
        "row scan after the switch"
    );
}
