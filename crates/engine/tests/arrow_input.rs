//! Arrow IPC as an ordinary input format: detected by its magic bytes and extensions, read
//! through the same load job as CSV (rows read = loaded + rejected, the same rejections and
//! warnings), a truncated file one clear error, and `kpi report` printing the same numbers for
//! the same rows in Arrow and CSV.

mod common;

use omnikpi_engine::io::{load_bytes, Format, LoadJob, LoadOptions, ReadError};
use omnikpi_engine::report::Reason;
use std::process::Command;

/// 300 demo contacts as CSV, and the same rows written by pyarrow as an Arrow IPC file and
/// stream (`bench/make_arrow.py --variant mixed`: dictionary strings, large strings, float32
/// durations, int8 scores, timestamps with a zone, a null-typed column; three record batches).
const FIXTURE_CSV: &[u8] = include_bytes!("../../../bench/fixtures/contacts-300.csv");
const FIXTURE_FILE: &[u8] = include_bytes!("../../../bench/fixtures/contacts-300.arrow");
const FIXTURE_STREAM: &[u8] = include_bytes!("../../../bench/fixtures/contacts-300.arrows");

fn opts() -> LoadOptions<'static> {
    LoadOptions {
        tz: "Europe/Berlin".parse().unwrap(),
        ..Default::default()
    }
}

// The engine's own test writer of Arrow IPC streams (also used by its unit tests), compiled into
// this test crate too; only its string columns are used here.
#[allow(dead_code)]
#[path = "../src/arrow_ipc/test_writer.rs"]
mod test_writer;

use test_writer::{stream, Msg, Type, Values};

/// An Arrow IPC stream of string columns `headers` holding `rows` (an empty cell is a null),
/// one record batch per `batch` rows. `legacy`: without continuation markers.
fn arrow_stream(headers: &[&str], rows: &[Vec<&str>], batch: usize, legacy: bool) -> Vec<u8> {
    let fields: Vec<(&str, Type)> = headers.iter().map(|h| (*h, Type::Utf8)).collect();
    let batches: Vec<Msg> = rows
        .chunks(batch.max(1))
        .map(|chunk| {
            let cols = (0..headers.len())
                .map(|j| {
                    let cells = chunk.iter().map(|r| r[j]);
                    Values::Utf8(cells.map(|c| (!c.is_empty()).then(|| c.into())).collect())
                })
                .collect();
            Msg::Batch(cols)
        })
        .collect();
    let out = stream(&fields, &batches);
    if legacy {
        // Drop every continuation marker: each message starts with its length.
        let mut plain = Vec::new();
        let mut p = 0;
        while p < out.len() {
            assert_eq!(&out[p..p + 4], &[0xff; 4]);
            let len = i32::from_le_bytes(out[p + 4..p + 8].try_into().unwrap());
            if len == 0 {
                plain.extend(0i32.to_le_bytes());
                break;
            }
            let meta = &out[p + 8..p + 8 + len as usize];
            let root = u32::from_le_bytes(meta[0..4].try_into().unwrap()) as usize;
            // bodyLength is the fourth field of the Message table.
            let body_len = message_body_len(meta, root);
            plain.extend(&out[p + 4..p + 8 + len as usize + body_len]);
            p += 8 + len as usize + body_len;
        }
        return plain;
    }
    out
}

/// The `bodyLength` of the Message table at `pos` of `meta`.
fn message_body_len(meta: &[u8], pos: usize) -> usize {
    let soff = i32::from_le_bytes(meta[pos..pos + 4].try_into().unwrap());
    let vt = (pos as i64 - soff as i64) as usize;
    let off = u16::from_le_bytes(meta[vt + 4 + 6..vt + 4 + 8].try_into().unwrap()) as usize;
    i64::from_le_bytes(meta[pos + off..pos + off + 8].try_into().unwrap()) as usize
}

/// The same rows as CSV.
fn csv(headers: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
    let mut out = headers.join(",");
    for r in rows {
        out.push('\n');
        out.push_str(&r.join(","));
    }
    out.push('\n');
    out.into_bytes()
}

const HEADERS: [&str; 6] = [
    "id",
    "channel",
    "arrived_at",
    "handle_s",
    "csat",
    "closed_at",
];

/// Nine rows: five load (one of them with an unknown channel: a warning), four are rejected
/// (a duplicate id, a missing arrived_at, a csat of 9, a closed_at before arrived_at).
fn messy_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "a1",
            "voice",
            "2026-01-05T09:00:00Z",
            "120",
            "5",
            "2026-01-05T09:10:00Z",
        ],
        vec!["a2", "chat", "2026-01-05T10:00:00Z", "60", "3", ""],
        vec!["a1", "voice", "2026-01-05T11:00:00Z", "30", "", ""],
        vec!["a3", "pigeon", "2026-01-06T09:00:00Z", "", "", ""],
        vec!["a4", "email", "", "90", "", ""],
        vec!["a5", "email", "2026-01-06T12:00:00Z", "300", "9", ""],
        vec![
            "a6",
            "voice",
            "2026-01-07T09:00:00Z",
            "10",
            "",
            "2026-01-07T08:00:00Z",
        ],
        vec!["a7", "sms", "2026-01-07T10:00:00Z", "", "4", ""],
        vec!["a8", "voice", "2026-01-07T11:00:00Z", "200", "1", ""],
    ]
}

#[test]
fn arrow_rows_load_reject_and_warn_like_the_same_csv() {
    let rows = messy_rows();
    let want = load_bytes("m.csv", &csv(&HEADERS, &rows), &opts()).unwrap();
    // Hand count: a1 a2 a3 a7 a8 load; a1 (again) a4 a5 a6 are rejected; a3 warns.
    let r = &want.report;
    assert_eq!((r.rows_read, r.rows_loaded, r.rows_rejected), (9, 5, 4));
    let reasons: Vec<(u64, Reason)> = r.rejected.iter().map(|p| (p.line, p.reason)).collect();
    assert_eq!(
        reasons,
        [
            (4, Reason::DuplicateId),
            (6, Reason::Missing),
            (7, Reason::OutOfRange),
            (8, Reason::ClosedBeforeArrival)
        ]
    );
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(
        (r.warnings[0].line, r.warnings[0].reason),
        (5, Reason::UnknownChannel)
    );

    for (name, batch, legacy) in [
        ("m.arrows", 4, false),
        ("m.arrows", 100, false),
        ("no-extension", 2, true),
    ] {
        let bytes = arrow_stream(&HEADERS, &rows, batch, legacy);
        assert_eq!(Format::detect(name, &bytes), Format::Arrow, "{name}");
        let got = load_bytes(name, &bytes, &opts()).unwrap();
        let g = &got.report;
        assert_eq!(
            (g.rows_read, g.rows_loaded, g.rows_rejected),
            (9, 5, 4),
            "{name} batch {batch}"
        );
        let strip = |ps: &[omnikpi_engine::report::Problem]| {
            ps.iter()
                .map(|p| {
                    (
                        p.line,
                        p.field.clone(),
                        p.value.clone(),
                        p.reason,
                        p.raw.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&g.rejected), strip(&r.rejected), "{name}");
        assert_eq!(strip(&g.warnings), strip(&r.warnings), "{name}");
        assert!(g.rejected.iter().all(|p| p.file == name));
        let recs = |ds: &omnikpi_engine::Dataset| {
            (0..ds.contacts.len())
                .map(|i| ds.contacts.record(i))
                .collect::<Vec<_>>()
        };
        assert_eq!(recs(&got), recs(&want), "{name}");
    }
}

#[test]
fn arrow_job_steps_in_slices_with_progress() {
    let rows = messy_rows();
    let bytes = arrow_stream(&HEADERS, &rows, 4, false);
    let mut job = LoadJob::new("m.arrows", bytes.clone(), &opts()).unwrap();
    let mut seen = Vec::new();
    loop {
        let p = job.step(2);
        assert!(p.bytes_done <= p.bytes_total && p.bytes_total == bytes.len() as u64);
        seen.push(p.rows_done);
        if p.done {
            break;
        }
        assert!(seen.len() < 20);
    }
    // 9 rows two at a time: 2, 4, 6, 8, then the last one.
    assert_eq!(seen, [2, 4, 6, 8, 9]);
    let ds = job.finish();
    assert_eq!((ds.report.rows_read, ds.report.rows_loaded), (9, 5));
}

#[test]
fn pyarrow_file_and_stream_load_like_the_csv() {
    // The CSV has a header and 300 data lines.
    let lines = FIXTURE_CSV.split(|&b| b == b'\n').filter(|l| !l.is_empty());
    assert_eq!(lines.count(), 301);
    let want = load_bytes("c.csv", FIXTURE_CSV, &opts()).unwrap();
    assert_eq!(want.report.rows_loaded, 300);
    for (name, bytes) in [
        ("c.arrow", FIXTURE_FILE),
        ("c.feather", FIXTURE_FILE),
        ("c.arrows", FIXTURE_STREAM),
    ] {
        let got = load_bytes(name, bytes, &opts()).unwrap();
        let r = &got.report;
        assert_eq!((r.rows_read, r.rows_loaded, r.rows_rejected), (300, 300, 0));
        for i in 0..300 {
            assert_eq!(
                got.contacts.record(i),
                want.contacts.record(i),
                "{name} {i}"
            );
        }
    }
}

fn kpi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kpi"))
        .arg("report")
        .args(args)
        .output()
        .unwrap()
}

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("kpi-arrow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn kpi_report_is_the_same_for_arrow_and_csv() {
    let csv_path = temp("demo.csv", FIXTURE_CSV);
    let arrow_path = temp("demo.arrow", FIXTURE_FILE);
    let stream_path = temp("demo.arrows", FIXTURE_STREAM);
    // An Arrow file under a misleading name is still told by its magic bytes.
    let renamed = temp("demo-arrow.csv", FIXTURE_FILE);
    for extra in [
        &[][..],
        &["--by", "channel"][..],
        &["--by", "team", "--format", "csv"],
    ] {
        let run = |input: &str| {
            let mut args = vec!["--input", input, "--now", "none"];
            if !extra.contains(&"--format") {
                args.extend(["--format", "json"]);
            }
            args.extend(extra.iter().copied());
            let out = kpi(&args);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        // The JSON names the input under "sources": blank it to compare the rest byte for byte.
        let unnamed = |out: Vec<u8>, path: &str| {
            let text = String::from_utf8(out).unwrap();
            text.replace(&serde_json::Value::from(path).to_string(), "\"input\"")
        };
        let want = unnamed(run(&csv_path), &csv_path);
        if extra.is_empty() {
            let v: serde_json::Value = serde_json::from_str(&want).unwrap();
            assert_eq!(v["rows_read"], 300);
            assert_eq!(v["rows_loaded"], 300);
            assert_eq!(v["sources"][0]["rows_loaded"], 300);
            assert_eq!(v["groups"][0]["kpis"]["contacts"], 300.0);
        }
        for p in [&arrow_path, &stream_path, &renamed] {
            assert_eq!(unnamed(run(p), p), want, "{p} {extra:?}");
        }
    }
}

#[test]
fn kpi_report_on_a_truncated_arrow_file_is_one_clear_error() {
    let cut = temp("cut.arrow", &FIXTURE_FILE[..FIXTURE_FILE.len() / 2]);
    let out = kpi(&["--input", &cut, "--format", "json"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("cut.arrow") && err.contains("Arrow IPC: malformed"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn truncated_or_corrupt_arrow_never_panics() {
    // A file cut anywhere has lost its footer: always an error, nothing loaded.
    for end in (0..FIXTURE_FILE.len() - 1).step_by(97) {
        let r = load_bytes("c.arrow", &FIXTURE_FILE[..end], &opts());
        match r {
            Err(ReadError::Arrow(_)) => {}
            Err(ReadError::Empty) if end == 0 => {}
            other => panic!("cut at {end}: {:?}", other.map(|d| d.report.rows_read)),
        }
    }
    // A stream cut at a message boundary is a shorter stream; anywhere else an error.
    for end in (1..FIXTURE_STREAM.len()).step_by(89) {
        let Ok(ds) = load_bytes("c.arrows", &FIXTURE_STREAM[..end], &opts()) else {
            continue;
        };
        let r = &ds.report;
        assert!(r.rows_read <= 300 && r.rows_read == r.rows_loaded + r.rows_rejected);
    }
    // Flipped bytes: an error or rows that add up, never a panic.
    let mut bytes = FIXTURE_STREAM.to_vec();
    for k in (0..bytes.len()).step_by(53) {
        let old = bytes[k];
        bytes[k] ^= 0xa5;
        if let Ok(ds) = load_bytes("c.arrows", &bytes, &opts()) {
            let r = &ds.report;
            assert_eq!(r.rows_read, r.rows_loaded + r.rows_rejected);
        }
        bytes[k] = old;
    }
    // Named .arrow but not Arrow: the reader's error, not a CSV misreading.
    assert!(matches!(
        load_bytes("x.arrow", b"id,arrived_at\n", &opts()),
        Err(ReadError::Arrow(_))
    ));
}

#[test]
fn detection_does_not_misfire() {
    let rows = messy_rows();
    let stream = arrow_stream(&HEADERS, &rows, 4, false);
    let legacy = arrow_stream(&HEADERS, &rows, 4, true);
    assert!(!legacy.starts_with(&[0xff; 4]));
    for (bytes, want) in [
        (FIXTURE_FILE, Format::Arrow),
        (FIXTURE_STREAM, Format::Arrow),
        (&stream[..], Format::Arrow),
        (&legacy[..], Format::Arrow),
        (FIXTURE_CSV, Format::Csv),
        (b"ARROW1,x\n1,2\n", Format::Csv),
        (b"\xff\xfei\0d\0", Format::Csv),
        (b"[{\"id\": \"a\"}]", Format::Json),
        (b"{\"id\": \"a\"}\n{\"id\": \"b\"}\n", Format::Ndjson),
        (b"\x10\0\0\0id,arrived_at\n", Format::Csv),
    ] {
        assert_eq!(
            Format::sniff(bytes),
            want,
            "{:?}",
            &bytes[..bytes.len().min(12)]
        );
        assert_eq!(Format::detect("noext", bytes), want);
    }
    let book = common::xlsx(&[("Contacts", vec![vec!["id".to_string()]])]);
    assert_eq!(Format::sniff(&book), Format::Xlsx);
    assert_eq!(Format::detect("book.xlsx", &book), Format::Xlsx);
    for (name, want) in [
        ("a.arrow", Some(Format::Arrow)),
        ("a.FEATHER", Some(Format::Arrow)),
        ("https://x/a.arrows?v=1", Some(Format::Arrow)),
        ("a.csv", Some(Format::Csv)),
        ("a.json", Some(Format::Json)),
        ("a.xlsx", Some(Format::Xlsx)),
        ("arrow", None),
    ] {
        assert_eq!(Format::from_name(name), want, "{name}");
    }
    // Text named .csv stays CSV; the parse of a config's `format` knows arrow.
    assert_eq!(Format::detect("a.csv", FIXTURE_CSV), Format::Csv);
    assert_eq!(Format::parse("Arrow"), Some(Format::Arrow));
}

#[test]
fn foreign_arrow_columns_peek_and_load_through_a_mapping() {
    let headers = ["Ticket", "Medium", "Opened"];
    let rows = vec![
        vec!["t1", "voice", "2026-01-05T09:00:00Z"],
        vec!["t2", "chat", ""],
        vec!["t3", "email", "2026-01-05T10:00:00Z"],
    ];
    let bytes = arrow_stream(&headers, &rows, 2, false);
    // Without a mapping: the same error as a CSV with these columns, naming them.
    let csv_err = load_bytes("f.csv", &csv(&headers, &rows), &opts()).unwrap_err();
    let err = load_bytes("f.arrows", &bytes, &opts()).unwrap_err();
    assert_eq!(err, csv_err);
    assert!(
        matches!(err, ReadError::NotCanonical { ref found } if found == "Ticket, Medium, Opened")
    );
    // The mapping screen's first look.
    let (h, sample) = omnikpi_engine::arrow_ipc::peek(&bytes, 2).unwrap();
    assert_eq!(h, headers);
    assert_eq!(
        sample,
        [
            vec!["t1", "voice", "2026-01-05T09:00:00Z"],
            vec!["t2", "chat", ""]
        ]
    );
    let mapping = omnikpi_engine::io::Mapping::from_json(
        r#"{"table": "contacts", "fields": {"id": "Ticket", "channel": "Medium", "arrived_at": "Opened"}}"#,
    )
    .unwrap();
    let o = LoadOptions {
        mapping: Some(&mapping),
        ..opts()
    };
    let ds = load_bytes("f.arrows", &bytes, &o).unwrap();
    // t2 has no arrival: rejected on line 3.
    let r = &ds.report;
    assert_eq!((r.rows_read, r.rows_loaded, r.rows_rejected), (3, 2, 1));
    assert_eq!(
        (r.rejected[0].line, r.rejected[0].reason),
        (3, Reason::Missing)
    );
    assert_eq!(r.rejected[0].raw, "t2,chat,");
}
