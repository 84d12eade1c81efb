//! Cubes: the KPIs from a cube equal the KPIs from the raw rows (demo data and a synthetic
//! set across DST changes), and the CSV form round-trips.

mod cube_shared;

use cube_shared::{queries, same_reports};
use omnikpi_engine::cube::{Cube, CubeEngine, CubeSpec};
use omnikpi_engine::io::{self, SourceBytes};
use omnikpi_engine::{Channel, Config, ContactRecord, Dataset, Engine, Query};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo data (contacts, and agents and daily when present) under the demo config.
fn demo() -> (Dataset, Config) {
    let cfg_text = std::fs::read_to_string(root().join("public/config.json")).unwrap();
    let cfg = Config::from_json(&cfg_text).unwrap();
    let tz = cfg.tz().unwrap();
    let mut files = Vec::new();
    for name in ["demo.csv", "agents.csv", "daily.csv"] {
        let p = root().join("public/data").join(name);
        if let Ok(b) = std::fs::read(&p) {
            files.push((name.to_string(), b));
        }
    }
    let sources: Vec<SourceBytes> = files
        .iter()
        .map(|(n, b)| SourceBytes {
            name: n,
            bytes: b,
            opts: io::options(None, tz),
        })
        .collect();
    let ds = io::load_many(&sources).unwrap();
    assert!(ds.contacts.len() > 100, "demo data missing");
    (ds, cfg)
}

fn check(ds: Dataset, cfg: Config) {
    let agents = ds.agents.clone();
    let daily = ds.daily.clone();
    let raw = Engine::new(ds, cfg.clone()).unwrap();
    let cube = Cube::build(&raw, &CubeSpec::default()).unwrap();
    assert_eq!(cube.contacts(), raw.dataset().contacts.len() as u64);
    // Through the CSV form, as a warehouse would hand it over.
    let text = cube.to_csv();
    let back = Cube::from_csv(text.as_bytes()).unwrap();
    assert_eq!(back.to_csv(), text, "CSV round trip");
    let ce = CubeEngine::new(back, agents, daily, cfg).unwrap();
    let team = raw
        .dataset()
        .contacts
        .dim("team")
        .and_then(|d| d.dict.values().get(1).cloned());
    let day = raw.data_days().map(|(a, _)| a + 1);
    for (what, q) in queries(team, day) {
        let r = raw.report(&q).unwrap();
        let c = ce.report(&q).unwrap();
        assert!(!r.is_empty(), "{what}: empty");
        same_reports(what, &r, &c);
    }
    // A dimension the cube does not keep is reported, not ignored.
    let q = Query::default().filter("agent_id", &["A1"]);
    assert!(ce.report(&q).is_err());
}

#[test]
fn cube_kpis_equal_raw_kpis_on_the_demo_data() {
    let (ds, cfg) = demo();
    check(ds, cfg);
}

#[test]
fn cube_kpis_equal_raw_kpis_on_the_demo_data_in_utc() {
    let (ds, _) = demo();
    check(ds, Config::default());
}

/// Contacts every 37 minutes over the 2026 spring and autumn DST changes in Berlin, with
/// durations on both sides of the 120 s linear limit, cases spanning channels and hours,
/// surveys, bots and costs.
fn synthetic() -> Dataset {
    let mut recs = Vec::new();
    let starts = [
        omnikpi_engine::time::days_from_civil(2026, 3, 27) * 86_400,
        omnikpi_engine::time::days_from_civil(2026, 10, 23) * 86_400,
    ];
    let mut k = 0u64;
    for s in starts {
        for j in 0..400i64 {
            k += 1;
            let ch = Channel::ALL[(k % 8) as usize];
            let w = (k * 7919 % 5000) as f64 / 3.0;
            recs.push(ContactRecord {
                id: format!("c{k}"),
                case_id: (!k.is_multiple_of(4)).then(|| format!("K{}", k / 3)),
                customer_id: (!k.is_multiple_of(5)).then(|| format!("U {}", k % 37)),
                channel: Some(ch),
                arrived_at: s + j * 37 * 60,
                first_response_s: (!k.is_multiple_of(6)).then_some(w),
                abandoned: k.is_multiple_of(6) && !k.is_multiple_of(12),
                handle_s: (!k.is_multiple_of(3)).then_some(w * 2.5 + 0.125),
                closed_at: (!k.is_multiple_of(3)).then(|| s + j * 37 * 60 + (w * 4.0) as i64 + 60),
                resolved: k % 4 == 1,
                team: Some(format!("T{}", k % 3)),
                topic: Some(["billing", "tech", "returns"][(k % 3) as usize].into()),
                segment: (k.is_multiple_of(2)).then(|| "vip".into()),
                bot: k % 5 == 1,
                handed_off: k % 10 == 1,
                handoff_s: (k % 10 == 1).then_some(w / 7.0),
                transfers: (k.is_multiple_of(7)) as u32,
                cost: (k.is_multiple_of(9)).then_some(3.27),
                revenue: (k.is_multiple_of(11)).then_some(12.5),
                csat: (k % 4 == 2).then_some((k % 5 + 1) as u8),
                nps: (k % 5 == 2).then_some((k % 11) as u8),
                ces: (k % 6 == 2).then_some((k % 7 + 1) as u8),
                sentiment: (k % 3 == 1).then_some((k % 21) as f64 / 10.0 - 1.0),
                qa_accuracy: (k % 8 == 3).then_some((k % 101) as f64),
                qa_compliance: (k % 16 == 3).then_some(88.0),
                ..Default::default()
            });
        }
    }
    let mut loader = io::Loader::new();
    for (i, r) in recs.into_iter().enumerate() {
        loader.row("synthetic", i as u64 + 2, &String::new, Ok((r, Vec::new())));
    }
    loader.finish()
}

#[test]
fn cube_kpis_equal_raw_kpis_across_dst_changes() {
    let cfg = Config::from_json(r#"{"timezone":"Europe/Berlin"}"#).unwrap();
    check(synthetic(), cfg);
    check(synthetic(), Config::default());
}
