//! Rows read, loaded and rejected per source of a multi-source load, with totals equal to the
//! sums of the sources, through the library and `kpi report`.

use omnikpi_engine::io::{load_many, LoadJob, LoadOptions, Loader, SourceBytes};
use omnikpi_engine::{Reason, SourceCounts};
use std::process::Command;

/// Four contacts: c1, c2 and c4 load (c4's channel is unknown: a warning), c3 has no arrival.
const CONTACTS: &str = "id,channel,arrived_at,handle_s,csat
c1,voice,2026-02-02T09:00:00Z,100,5
c2,chat,2026-02-02T10:00:00Z,200,4
c3,email,,50,
c4,carrier-pigeon,2026-02-03T09:00:00Z,,
";

/// Five more contacts: c1 again (a duplicate across sources), d2's csat of 9 is out of range
/// and d4 closes before it arrives; d1 and d3 load.
const MORE: &str = r#"{"id": "d1", "channel": "sms", "arrived_at": "2026-02-04T09:00:00Z"}
{"id": "c1", "channel": "voice", "arrived_at": "2026-02-04T10:00:00Z"}
{"id": "d2", "channel": "chat", "arrived_at": "2026-02-04T11:00:00Z", "csat": 9}
{"id": "d3", "channel": "web", "arrived_at": "2026-02-04T12:00:00Z", "handle_s": 30}
{"id": "d4", "channel": "voice", "arrived_at": "2026-02-04T13:00:00Z", "closed_at": "2026-02-04T12:00:00Z"}
"#;

/// Two agent-days, both load.
const AGENTS: &str = "agent_id,team,date,scheduled_s,staffed_s,handling_s,adherent_s
a1,t1,2026-02-02,28800,27000,21600,25200
a2,t1,2026-02-02,28800,28800,20000,28000
";

fn counts(name: &str, read: u64, loaded: u64, rejected: u64, warnings: u64) -> SourceCounts {
    SourceCounts {
        name: name.into(),
        rows_read: read,
        rows_loaded: loaded,
        rows_rejected: rejected,
        warnings,
    }
}

/// The hand counts of the three sources, in load order.
fn want() -> Vec<SourceCounts> {
    vec![
        counts("contacts.csv", 4, 3, 1, 1),
        counts("more.ndjson", 5, 2, 3, 0),
        counts("agents.csv", 2, 2, 0, 0),
    ]
}

fn sources() -> Vec<SourceBytes<'static>> {
    [
        ("contacts.csv", CONTACTS),
        ("more.ndjson", MORE),
        ("agents.csv", AGENTS),
    ]
    .into_iter()
    .map(|(name, text)| SourceBytes {
        name,
        bytes: text.as_bytes(),
        opts: LoadOptions::default(),
    })
    .collect()
}

#[test]
fn per_source_counts_and_totals_of_a_multi_source_load() {
    let ds = load_many(&sources()).unwrap();
    let r = &ds.report;
    assert_eq!(r.sources, want());
    // Totals by hand: 4 + 5 + 2 read, 3 + 2 + 2 loaded, 1 + 3 + 0 rejected, 1 warning.
    assert_eq!((r.rows_read, r.rows_loaded, r.rows_rejected), (11, 7, 4));
    assert_eq!(r.warnings.len(), 1);
    // And the totals are the sums of the sources.
    let sum = |f: fn(&SourceCounts) -> u64| r.sources.iter().map(f).sum::<u64>();
    assert_eq!(sum(|s| s.rows_read), r.rows_read);
    assert_eq!(sum(|s| s.rows_loaded), r.rows_loaded);
    assert_eq!(sum(|s| s.rows_rejected), r.rows_rejected);
    assert_eq!(sum(|s| s.warnings), r.warnings.len() as u64);
    // The problems name their source.
    let rejected: Vec<(&str, Reason)> = r
        .rejected
        .iter()
        .map(|p| (p.file.as_str(), p.reason))
        .collect();
    assert_eq!(
        rejected,
        [
            ("contacts.csv", Reason::Missing),
            ("more.ndjson", Reason::DuplicateId),
            ("more.ndjson", Reason::OutOfRange),
            ("more.ndjson", Reason::ClosedBeforeArrival),
        ]
    );
    assert_eq!(r.warnings[0].file, "contacts.csv");
    assert_eq!((ds.contacts.len(), ds.agents.len()), (5, 2));
}

#[test]
fn sliced_jobs_count_the_same_and_empty_sources_are_listed() {
    let mut loader = Loader::new();
    for s in sources() {
        let mut job = LoadJob::with_loader(&mut loader, s.name, s.bytes.to_vec(), &s.opts).unwrap();
        while !job.step(1).done {}
        loader = job.into_loader();
    }
    // A header-only file: listed, with nothing read.
    let header = "id,channel,arrived_at\n";
    let mut job =
        LoadJob::with_loader(&mut loader, "empty.csv", header.into(), &Default::default()).unwrap();
    job.run();
    let ds = job.finish();
    let mut want = want();
    want.push(counts("empty.csv", 0, 0, 0, 0));
    assert_eq!(ds.report.sources, want);
    assert_eq!(ds.report.rows_read, 11);
}

#[test]
fn a_source_that_fails_leaves_no_entry() {
    let mut loader = Loader::new();
    omnikpi_engine::io::load_into(
        &mut loader,
        "contacts.csv",
        CONTACTS.as_bytes(),
        &Default::default(),
    )
    .unwrap();
    let bad = omnikpi_engine::io::load_into(
        &mut loader,
        "page.html",
        b"<html></html>",
        &Default::default(),
    );
    assert!(bad.is_err());
    let ds = loader.finish();
    assert_eq!(ds.report.sources, [counts("contacts.csv", 4, 3, 1, 1)]);
}

#[test]
fn kpi_report_lists_counts_per_input() {
    let dir = std::env::temp_dir().join(format!("kpi-sources-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut args = vec!["report".to_string()];
    let mut paths = Vec::new();
    for s in sources() {
        let p = dir.join(s.name);
        std::fs::write(&p, s.bytes).unwrap();
        let p = p.to_str().unwrap().to_string();
        args.extend(["--input".to_string(), p.clone()]);
        paths.push(p);
    }
    args.extend(["--now", "none", "--format", "json"].map(String::from));
    let out = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["rows_read"], &v["rows_loaded"], &v["rows_rejected"]),
        (&11.into(), &7.into(), &4.into())
    );
    let got: Vec<(String, u64, u64, u64, u64)> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let n = |k: &str| s[k].as_u64().unwrap();
            let name = s["name"].as_str().unwrap().to_string();
            (
                name,
                n("rows_read"),
                n("rows_loaded"),
                n("rows_rejected"),
                n("warnings"),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64, u64, u64)> = want()
        .into_iter()
        .zip(&paths)
        .map(|(c, p)| {
            (
                p.clone(),
                c.rows_read,
                c.rows_loaded,
                c.rows_rejected,
                c.warnings,
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(v["groups"][0]["kpis"]["contacts"], 5.0);
}
