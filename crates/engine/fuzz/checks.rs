//! The properties every fuzz target checks, shared with the stable smoke test
//! (`tests/fuzz_smoke.rs` includes this file): the readers never panic, and every row read is
//! loaded or rejected, with one problem per rejected row.

use omnikpi_engine::io::{load_bytes, Format, LoadJob, LoadOptions, Mapping};

/// Loads `data` with `opts`, in one go and in small incremental steps, and checks the counts.
pub fn check(data: &[u8], opts: &LoadOptions) {
    let one = load_bytes("fuzz", data, opts);
    if let Ok(ds) = &one {
        let r = &ds.report;
        assert_eq!(r.rows_read, r.rows_loaded + r.rows_rejected);
        assert_eq!(r.rows_rejected as usize, r.rejected.len());
        assert_eq!(
            r.rows_loaded as usize,
            ds.contacts.len() + ds.agents.len() + ds.daily.len()
        );
        let _ = r.rejected_csv();
    }
    if let Ok(mut job) = LoadJob::new("fuzz", data.to_vec(), opts) {
        let mut last = 0;
        for _ in 0..100_000 {
            let p = job.step(3);
            assert!(p.rows_done >= last && p.bytes_done <= p.bytes_total);
            last = p.rows_done;
            if p.done {
                break;
            }
        }
        let ds = job.finish();
        let want = one.as_ref().map(|d| d.report.rows_read).ok();
        assert_eq!(Some(ds.report.rows_read), want);
    }
    check_arriving(data, opts, &one);
    // Repeated past the 4 KiB a CSV source's head needs, so that its records are read as
    // they arrive rather than all at the end.
    if !data.is_empty() && data.len() < 8192 {
        let long = data.repeat(8192 / data.len() + 1);
        check_arriving(&long, opts, &load_bytes("fuzz", &long, opts));
    }
}

/// `data` fed 7 bytes at a time to a job reading it while it arrives, stepped between chunks:
/// the whole read's dataset, or an error where the whole read gave one.
fn check_arriving(
    data: &[u8],
    opts: &LoadOptions,
    one: &Result<omnikpi_engine::model::Dataset, omnikpi_engine::io::ReadError>,
) {
    let mut loader = omnikpi_engine::io::Loader::new();
    let mut job = LoadJob::arriving(&mut loader, "fuzz", opts, Some(data.len() as u64));
    let mut fed = Ok(());
    for chunk in data.chunks(7) {
        fed = job.feed(chunk);
        if fed.is_err() {
            break;
        }
        for _ in 0..100_000 {
            if job.waiting() || job.step(3).done {
                break;
            }
        }
    }
    let fed = fed.and_then(|()| job.end());
    match (fed, one) {
        (Ok(()), Ok(want)) => {
            for _ in 0..1_000_000 {
                if job.step(3).done {
                    break;
                }
            }
            assert_eq!(format!("{:?}", job.finish()), format!("{want:?}"));
        }
        (Err(_), Err(_)) => {}
        (fed, one) => panic!(
            "read while arriving: {:?}, whole: {:?}",
            fed.err(),
            one.as_ref().err()
        ),
    }
}

/// The CSV reader, canonical.
pub fn check_csv(data: &[u8]) {
    check(
        data,
        &LoadOptions {
            format: Some(Format::Csv),
            ..Default::default()
        },
    );
}

/// The JSON and NDJSON readers, canonical, and format sniffing.
pub fn check_json(data: &[u8]) {
    check(
        data,
        &LoadOptions {
            format: Some(Format::Json),
            ..Default::default()
        },
    );
    check(
        data,
        &LoadOptions {
            format: Some(Format::Ndjson),
            ..Default::default()
        },
    );
    check(data, &LoadOptions::default());
}

/// A mapping with every transform, over CSV.
pub fn check_mapped(data: &[u8]) {
    let m = Mapping::from_json(
        r#"{"fields": {
            "id": "a",
            "arrived_at": {"column": "b", "time_column": "c"},
            "channel": {"column": "d", "values": {"Phone": "voice"}, "constant": "chat"},
            "abandoned": {"column": "e", "transform": "not"},
            "handle_s": {"column": "f", "transform": "duration"},
            "first_response_s": {"column": "g", "transform": "minutes"},
            "closed_at": "h",
            "csat": {"column": "i", "null_values": ["0"]}
        }, "date_order": "day_first", "on_bad_close": "drop_field", "keep_unmapped": true}"#,
    )
    .expect("the fuzz mapping is valid");
    check(
        data,
        &LoadOptions {
            format: Some(Format::Csv),
            mapping: Some(&m),
            ..Default::default()
        },
    );
}
