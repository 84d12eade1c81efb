//! Every rejection reason, with file, line, field and value; files that are no table; the
//! rejected-rows CSV.

use omnikpi_engine::io::{load_bytes, LoadOptions, Mapping, ReadError};
use omnikpi_engine::{Channel, Dataset, Reason};

const HEAD: &str =
    "id,channel,arrived_at,first_response_s,handle_s,closed_at,csat,nps,ces,abandoned";

fn load(rows: &[&str]) -> Dataset {
    let text = format!("{HEAD}\n{}\n", rows.join("\n"));
    load_bytes("t.csv", text.as_bytes(), &LoadOptions::default()).unwrap()
}

/// Loads one bad row after a good one and returns its single problem.
fn rejected(row: &str) -> (String, String, Reason, u64) {
    let ds = load(&[
        "ok,chat,2024-01-01T10:00:00Z,5,60,2024-01-01T10:05:00Z,4,9,2,no",
        row,
    ]);
    let r = &ds.report;
    assert_eq!(
        (r.rows_read, r.rows_loaded, r.rows_rejected),
        (2, 1, 1),
        "{row}: {:?}",
        r.rejected
    );
    let p = &r.rejected[0];
    assert_eq!(p.file, "t.csv");
    assert!(!p.raw.is_empty());
    (p.field.clone(), p.value.clone(), p.reason, p.line)
}

#[test]
fn each_rejection_reason() {
    let t = "2024-01-01T10:00:00Z";
    let cases: Vec<(String, &str, &str, Reason)> = vec![
        (format!(",chat,{t},,,,,,,"), "id", "", Reason::Missing),
        ("x,chat,,,,,,,,".into(), "arrived_at", "", Reason::Missing),
        (format!("x,,{t},,,,,,,"), "channel", "", Reason::Missing),
        (
            "x,chat,31/31/2024,,,,,,,".into(),
            "arrived_at",
            "31/31/2024",
            Reason::BadTimestamp,
        ),
        (
            format!("x,chat,{t},,,tomorrow,,,,"),
            "closed_at",
            "tomorrow",
            Reason::BadTimestamp,
        ),
        (
            format!("x,chat,{t},abc,,,,,,"),
            "first_response_s",
            "abc",
            Reason::Unparseable,
        ),
        (
            format!("x,chat,{t},,,,,,,maybe"),
            "abandoned",
            "maybe",
            Reason::Unparseable,
        ),
        (
            format!("x,chat,{t},-1,,,,,,"),
            "first_response_s",
            "-1",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,2592000,,,,,"),
            "handle_s",
            "2592000",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,,,6,,,"),
            "csat",
            "6",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,,,0,,,"),
            "csat",
            "0",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,,,,11,,"),
            "nps",
            "11",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,,,,,8,"),
            "ces",
            "8",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,,,,,0,"),
            "ces",
            "0",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,,,3.5,,,"),
            "csat",
            "3.5",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},,,2023-12-31T10:00:00Z,,,,"),
            "closed_at",
            "2023-12-31T10:00:00Z",
            Reason::ClosedBeforeArrival,
        ),
        (
            format!("x,chat,{t},,,2024-02-15T10:00:00Z,,,,"),
            "closed_at",
            "2024-02-15T10:00:00Z",
            Reason::OutOfRange,
        ),
        (
            format!("x,chat,{t},600,,2024-01-01T10:05:00Z,,,,"),
            "first_response_s",
            "600",
            Reason::ResponseAfterClose,
        ),
        (
            format!("ok,chat,{t},,,,,,,"),
            "id",
            "ok",
            Reason::DuplicateId,
        ),
        (
            format!("x,chat,{t},,,"),
            "",
            "6 fields, header has 10",
            Reason::WrongFieldCount,
        ),
    ];
    for (row, field, value, reason) in cases {
        let (f, v, r, line) = rejected(&row);
        assert_eq!((f.as_str(), v.as_str(), r), (field, value, reason), "{row}");
        assert_eq!(line, 3, "{row}");
    }
}

#[test]
fn unknown_channel_loads_as_other_with_a_warning() {
    let ds = load(&["x,pigeon,2024-01-01T10:00:00Z,,,,,,,"]);
    assert_eq!((ds.report.rows_loaded, ds.report.rows_rejected), (1, 0));
    assert_eq!(ds.contacts.channel[0], Channel::Other);
    let w = &ds.report.warnings[0];
    assert_eq!(
        (w.field.as_str(), w.value.as_str(), w.reason, w.line),
        ("channel", "pigeon", Reason::UnknownChannel, 2)
    );
}

#[test]
fn duplicates_keep_the_first_row() {
    let ds = load(&[
        "a,chat,2024-01-01T10:00:00Z,1,,,,,,",
        "a,email,2024-01-01T09:00:00Z,2,,,,,,",
    ]);
    assert_eq!(ds.contacts.channel, vec![Channel::Chat]);
    assert_eq!(ds.report.rejected[0].line, 3);
}

#[test]
fn json_and_ndjson_non_objects_are_malformed_rows() {
    let o = LoadOptions::default();
    let ds = load_bytes(
        "x.json",
        br#"[{"id":"a","channel":"chat","arrived_at":"2024-01-01"}, 42, "s"]"#,
        &o,
    )
    .unwrap();
    let r = &ds.report;
    assert_eq!((r.rows_read, r.rows_loaded, r.rows_rejected), (3, 1, 2));
    assert!(r.rejected.iter().all(|p| p.reason == Reason::Malformed));
    assert_eq!(r.rejected[0].line, 2);
    let nd = b"{\"id\":\"a\",\"channel\":\"chat\",\"arrived_at\":\"2024-01-01\"}\n{broken\n\n[1]\n";
    let ds = load_bytes("x.ndjson", nd, &o).unwrap();
    let r = &ds.report;
    assert_eq!((r.rows_read, r.rows_loaded, r.rows_rejected), (3, 1, 2));
    assert_eq!((r.rejected[0].line, r.rejected[1].line), (2, 4));
}

#[test]
fn files_that_are_no_table_get_one_clear_error() {
    let o = LoadOptions::default();
    let e = |name: &str, b: &[u8]| load_bytes(name, b, &o).unwrap_err();
    assert_eq!(e("data.csv", b""), ReadError::Empty);
    assert_eq!(e("data.csv", b"  \n\n"), ReadError::Empty);
    assert_eq!(
        e("data.csv", b"<!DOCTYPE html><html><body>404</body></html>"),
        ReadError::Html
    );
    assert_eq!(
        e("data.json", b"\n<html><head><title>Login</title>"),
        ReadError::Html
    );
    assert_eq!(
        e("data.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"),
        ReadError::Binary
    );
    assert!(matches!(
        e("data.json", b"{\"id\": 1"),
        ReadError::NotATable(_)
    ));
    assert!(matches!(
        e("data.json", b"{\"rows\": []}"),
        ReadError::NotATable(_)
    ));
    assert!(matches!(
        e("data.xlsx", b"PK\x03\x04garbage"),
        ReadError::NotATable(_)
    ));
    assert!(matches!(
        e("data.csv", b"a,b,c\n1,2,3\n"),
        ReadError::NotCanonical { .. }
    ));
    let m = Mapping::from_json(r#"{"fields": {"id": "Nope", "arrived_at": "b"}}"#).unwrap();
    let e = load_bytes(
        "x.csv",
        b"a,b\n1,2\n",
        &LoadOptions {
            mapping: Some(&m),
            ..o
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("Nope"), "{e}");
}

#[test]
fn rejected_rows_as_csv() {
    let ds = load(&[
        "a,chat,2024-01-01T10:00:00Z,,,,9,,,",
        "b,chat,2024-01-01T10:00:00Z,,,,,,,",
    ]);
    let csv = ds.report.rejected_csv();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        rdr.headers().unwrap(),
        vec!["file", "line", "field", "value", "reason", "raw"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].iter().take(5).collect::<Vec<_>>(),
        vec!["t.csv", "2", "csat", "9", "out_of_range"]
    );
    assert_eq!(&rows[0][5], "a,chat,2024-01-01T10:00:00Z,,,,9,,,");
}

#[test]
fn latin1_and_quoted_newlines() {
    let text = b"id,channel,arrived_at,topic\nx,chat,2024-01-01,\"Caf\xe9\nline two\"\n";
    let ds = load_bytes("l.csv", text, &LoadOptions::default()).unwrap();
    assert_eq!(ds.report.rows_loaded, 1);
    assert_eq!(ds.contacts.dim("topic").unwrap().value(0), "Café\nline two");
}
