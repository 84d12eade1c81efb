//! Round trips through every format: what the canonical writers write, the readers read back
//! unchanged.

mod common;

use common::{sample_contacts, xlsx};
use omnikpi_engine::io::write::{
    agent_cells, contact_cells, contact_json, daily_cells, dataset_json, write_agents_csv,
    write_contacts_csv, write_daily_csv,
};
use omnikpi_engine::io::{
    load_bytes, load_many, tables, Format, LoadJob, LoadOptions, SourceBytes, CONTACT_FIELDS,
};
use omnikpi_engine::model::{AgentRecord, DailyRecord};
use omnikpi_engine::{ContactRecord, Dataset};

fn tz() -> omnikpi_engine::Zone {
    "Europe/Berlin".parse().unwrap()
}

fn opts() -> LoadOptions<'static> {
    LoadOptions {
        tz: tz(),
        ..Default::default()
    }
}

fn agents() -> Vec<AgentRecord> {
    vec![AgentRecord {
        agent_id: "A1".into(),
        team: Some("Blue".into()),
        date: 19_753,
        interval_start: None,
        scheduled_s: 28_800.0,
        staffed_s: 27_000.0,
        handling_s: 20_000.0,
        adherent_s: 26_000.0,
        hired_on: Some(18_000),
        left_on: None,
    }]
}

fn daily() -> Vec<DailyRecord> {
    let mut d = DailyRecord {
        date: 19_753,
        system: Some("crm".into()),
        ..Default::default()
    };
    d.set("web_visits", Some(1234.0));
    d.set("uptime_s", Some(86_000.0));
    d.set("downtime_s", Some(400.0));
    vec![d]
}

fn assert_same(ds: &Dataset, want: &[ContactRecord]) {
    let r = &ds.report;
    assert_eq!(
        (r.rows_rejected, ds.contacts.len()),
        (0, want.len()),
        "{:?}",
        r.rejected
    );
    let got: Vec<ContactRecord> = (0..ds.contacts.len())
        .map(|i| ds.contacts.record(i).unwrap())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn csv_round_trip_with_agents_and_daily() {
    let want = sample_contacts();
    let mut buf = Vec::new();
    write_contacts_csv(&mut buf, &want, &["store"], &tz()).unwrap();
    assert_same(&load_bytes("c.csv", &buf, &opts()).unwrap(), &want);
    let mut a = Vec::new();
    write_agents_csv(&mut a, &agents(), &tz()).unwrap();
    let mut d = Vec::new();
    write_daily_csv(&mut d, &daily()).unwrap();
    let srcs = [
        SourceBytes {
            name: "contacts.csv",
            bytes: &buf,
            opts: opts(),
        },
        SourceBytes {
            name: "agents.csv",
            bytes: &a,
            opts: opts(),
        },
        SourceBytes {
            name: "daily.csv",
            bytes: &d,
            opts: opts(),
        },
    ];
    let ds = load_many(&srcs).unwrap();
    assert_eq!(ds.agents.rows, agents());
    assert_eq!(ds.daily.rows, daily());
    assert_eq!(ds.report.rows_read, want.len() as u64 + 2);
}

#[test]
fn csv_dialects_semicolon_tab_bom_crlf() {
    let want = sample_contacts();
    let mut buf = Vec::new();
    write_contacts_csv(&mut buf, &want, &["store"], &tz()).unwrap();
    let text = String::from_utf8(buf).unwrap();
    // Re-write with other delimiters through the csv crate, with a BOM and CRLF endings.
    for delim in [b';', b'\t'] {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let mut w = csv::WriterBuilder::new()
            .delimiter(delim)
            .terminator(csv::Terminator::CRLF)
            .from_writer(b"\xEF\xBB\xBF".to_vec());
        w.write_record(rdr.headers().unwrap()).unwrap();
        for r in rdr.records() {
            w.write_record(&r.unwrap()).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        assert_same(&load_bytes("c.txt", &bytes, &opts()).unwrap(), &want);
    }
}

#[test]
fn json_object_and_array_round_trip() {
    let want = sample_contacts();
    let doc = dataset_json(&want, &agents(), &daily(), &tz()).to_string();
    let ds = load_bytes("all.json", doc.as_bytes(), &opts()).unwrap();
    assert_same(&ds, &want);
    assert_eq!(ds.agents.rows, agents());
    assert_eq!(ds.daily.rows, daily());
    // A bare array of contact objects, with numbers and booleans as JSON values.
    let arr: Vec<serde_json::Value> = want
        .iter()
        .map(|r| {
            let mut v = contact_json(r, &tz());
            v["transfers"] = serde_json::json!(r.transfers);
            v["resolved"] = serde_json::json!(r.resolved);
            v
        })
        .collect();
    let text = serde_json::to_string(&arr).unwrap();
    assert_same(
        &load_bytes("data", text.as_bytes(), &opts()).unwrap(),
        &want,
    );
}

#[test]
fn ndjson_round_trip() {
    let want = sample_contacts();
    let text: String = want
        .iter()
        .map(|r| contact_json(r, &tz()).to_string() + "\n")
        .collect();
    let o = LoadOptions {
        format: Some(Format::Ndjson),
        ..opts()
    };
    assert_same(&load_bytes("x", text.as_bytes(), &o).unwrap(), &want);
    assert_same(
        &load_bytes("x.ndjson", text.as_bytes(), &opts()).unwrap(),
        &want,
    );
}

#[test]
fn xlsx_round_trip_first_or_named_sheet() {
    let want = sample_contacts();
    let mut rows = vec![CONTACT_FIELDS
        .iter()
        .map(|s| s.to_string())
        .chain(["store".to_string()])
        .collect()];
    for r in &want {
        let mut cells = contact_cells(r, &tz());
        cells.push(r.extra[0].1.clone());
        rows.push(cells);
    }
    let mut arows = vec![tables::AGENT_FIELDS
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    arows.extend(agents().iter().map(|a| agent_cells(a, &tz())));
    let mut drows = vec![tables::DAILY_TABLE_FIELDS
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    drows.extend(daily().iter().map(daily_cells));
    let book = xlsx(&[("Contacts", rows), ("Agents", arows), ("Daily", drows)]);
    assert_same(&load_bytes("book.xlsx", &book, &opts()).unwrap(), &want);
    let o = LoadOptions {
        sheet: Some("agents".into()),
        ..opts()
    };
    assert_eq!(
        load_bytes("book.xlsx", &book, &o).unwrap().agents.rows,
        agents()
    );
    let o = LoadOptions {
        sheet: Some("Daily".into()),
        ..opts()
    };
    assert_eq!(
        load_bytes("no-extension", &book, &o).unwrap().daily.rows,
        daily()
    );
    let o = LoadOptions {
        sheet: Some("Nope".into()),
        ..opts()
    };
    assert!(load_bytes("book.xlsx", &book, &o)
        .unwrap_err()
        .to_string()
        .contains("Contacts, Agents, Daily"));
}

#[test]
fn incremental_job_reports_progress_and_matches_one_shot() {
    let want = sample_contacts();
    let mut buf = Vec::new();
    write_contacts_csv(&mut buf, &want, &["store"], &tz()).unwrap();
    let mut job = LoadJob::new("c.csv", buf.clone(), &opts()).unwrap();
    let mut last = 0;
    let mut steps = 0;
    loop {
        let p = job.step(2);
        assert!(p.bytes_done >= last && p.bytes_done <= p.bytes_total);
        assert_eq!(p.bytes_total, buf.len() as u64);
        last = p.bytes_done;
        steps += 1;
        if p.done {
            assert_eq!((p.rows_done, p.bytes_done), (6, p.bytes_total));
            break;
        }
        assert!(p.rows_done <= 6 && steps < 10);
    }
    assert!(steps >= 3);
    assert_same(&job.finish(), &want);
}

#[test]
fn foreign_agents_and_daily_through_mappings() {
    use omnikpi_engine::io::Mapping;
    let m = Mapping::from_json(
        r#"{"table": "agents", "date_order": "day_first", "fields": {
            "agent_id": "Agent", "team": "Group", "date": "Day",
            "scheduled_s": {"column": "Scheduled (h)", "transform": "hours"},
            "staffed_s": {"column": "Logged in", "transform": "duration"}}}"#,
    )
    .unwrap();
    let csv = "Agent;Group;Day;Scheduled (h);Logged in\nA1;Blue;31/01/2024;8;7:30:00\n;Blue;31/01/2024;8;1:00\n";
    let o = LoadOptions {
        mapping: Some(&m),
        ..opts()
    };
    let ds = load_bytes("agents.csv", csv.as_bytes(), &o).unwrap();
    assert_eq!((ds.report.rows_loaded, ds.report.rows_rejected), (1, 1));
    let a = &ds.agents.rows[0];
    assert_eq!(
        (a.date, a.scheduled_s, a.staffed_s),
        (19_753, 28_800.0, 27_000.0)
    );
    assert_eq!(ds.report.rejected[0].field, "agent_id");
    let m = Mapping::from_json(
        r#"{"table": "daily", "fields": {"date": "Datum", "web_visits": "Besuche", "system": {"constant": "crm"}}}"#,
    )
    .unwrap();
    let o = LoadOptions {
        mapping: Some(&m),
        ..opts()
    };
    let ds = load_bytes(
        "d.json",
        br#"[{"Datum": "2024-01-31", "Besuche": 1200}]"#,
        &o,
    )
    .unwrap();
    assert_eq!(ds.daily.rows[0].get("web_visits"), Some(1200.0));
    assert_eq!(ds.daily.rows[0].system.as_deref(), Some("crm"));
}
