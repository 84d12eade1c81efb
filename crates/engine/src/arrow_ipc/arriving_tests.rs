//! A source read while it arrives ([`LoadJob::arriving`]) against the same bytes read whole:
//! in chunks of every size from one byte up, stepped between chunks, the loaded dataset (every
//! column, dictionary and the load report with each problem's line and reason) is the same;
//! a source cut anywhere, or damaged, gives the error the whole source gives, at its end.

use super::test_data::dirty_file;
use crate::io::arriving_check::{self as check, digest};
use crate::io::{options, LoadJob, Progress, ReadError};
use crate::model::Dataset;

const FILE: &[u8] = include_bytes!("../../../../bench/fixtures/contacts-300.arrow");
const STREAM: &[u8] = include_bytes!("../../../../bench/fixtures/contacts-300.arrows");

fn tz() -> crate::zone::Zone {
    crate::zone::Zone::named("Europe/Berlin").unwrap()
}

/// `bytes` read whole, as the app reads a file it has in memory.
fn whole(name: &str, bytes: &[u8]) -> Result<Dataset, ReadError> {
    check::whole(name, bytes, &options(None, tz()))
}

/// `bytes` given to an arriving job `chunk` bytes at a time, up to `budget` rows read after
/// each chunk; `size` tells the job the length.
fn arriving(
    name: &str,
    bytes: &[u8],
    chunk: usize,
    budget: usize,
    size: bool,
) -> Result<(Dataset, Progress), ReadError> {
    let opts = options(None, tz());
    let mut loader = crate::io::Loader::new();
    let a = check::arriving(&mut loader, name, bytes, &opts, (chunk, budget), size)?;
    Ok((a.ds, a.end))
}

#[test]
fn in_chunks_of_any_size_the_same_dataset_as_whole() {
    let mut sources: Vec<(String, Vec<u8>)> = vec![
        ("c.arrow".into(), FILE.to_vec()),
        ("c.arrows".into(), STREAM.to_vec()),
    ];
    // Dirty rows (each load's problems are reported with their lines), in both layouts, with
    // batches of 37 rows and dictionary deltas between them.
    for (seed, variant) in [(3, 0), (8, 1), (21, 0)] {
        sources.push((
            format!("dirty-{seed}.arrows"),
            dirty_file(seed, variant, 400, 37),
        ));
    }
    for (name, bytes) in &sources {
        let want = whole(name, bytes).unwrap();
        assert!(want.report.rows_loaded > 0, "{name}");
        for (chunk, budget) in [(1, 7), (5, 1000), (64, 13), (1000, 50), (65_536, 1 << 20)] {
            for size in [true, false] {
                let (got, p) = arriving(name, bytes, chunk, budget, size).unwrap();
                let what = format!("{name}: chunks of {chunk}");
                check::assert_same(&got, p, &want, bytes.len(), &what);
            }
        }
    }
}

#[test]
fn rows_are_read_before_the_source_has_all_arrived() {
    // The point of reading while it arrives: the first batches are loaded from the first part.
    let half = &STREAM[..STREAM.len() / 2];
    let opts = options(None, tz());
    let mut job = LoadJob::arriving(&mut crate::io::Loader::new(), "c.arrows", &opts, None);
    job.feed(half).unwrap();
    let p = job.step(usize::MAX);
    assert!(!p.done);
    assert!(job.waiting());
    // The fixture's batches have 128, 128 and 44 rows: only the first is whole in the first
    // half of the bytes.
    assert_eq!(p.rows_done, 128, "{p:?}");
}

#[test]
fn a_source_cut_anywhere_gives_the_whole_sources_error_at_its_end() {
    for (name, bytes) in [("c.arrow", FILE), ("c.arrows", STREAM)] {
        // Every 97th cut and the last bytes: in the schema, a dictionary, a batch's metadata
        // or body, the end marker, the footer.
        let cuts = (0..bytes.len())
            .step_by(97)
            .chain(bytes.len() - 12..bytes.len());
        for cut in cuts {
            let part = &bytes[..cut];
            let want = whole(name, part).map(|ds| digest(&ds));
            for chunk in [1000, 4096] {
                let got = arriving(name, part, chunk, 64, true).map(|(ds, _)| digest(&ds));
                assert_eq!(got, want, "{name} cut at {cut}, chunks of {chunk}");
            }
            if name == "c.arrow" && cut > 0 {
                assert!(want.is_err(), "a file cut at {cut} loads");
            }
        }
    }
}

#[test]
fn a_damaged_source_gives_the_whole_sources_error() {
    // One byte changed in the schema, a dictionary batch, a record batch's metadata, its body.
    for at in (8..STREAM.len()).step_by(211) {
        let mut bad = STREAM.to_vec();
        bad[at] ^= 0x5a;
        let want = whole("c.arrows", &bad).map(|ds| digest(&ds));
        let got = arriving("c.arrows", &bad, 512, 64, false).map(|(ds, _)| digest(&ds));
        assert_eq!(got, want, "byte {at} changed");
    }
}

#[test]
fn not_arrow_and_empty_are_the_same_errors() {
    for bytes in [&b""[..], b"id,arrived_at\n1,2026-01-01\n", b"ARR"] {
        let want = whole("x.arrow", bytes).map(|ds| digest(&ds));
        let got = arriving("x.arrow", bytes, 3, 10, true).map(|(ds, _)| digest(&ds));
        assert_eq!(got, want, "{bytes:?}");
        assert!(got.is_err());
    }
}

#[test]
fn an_arriving_source_holds_what_is_not_read_yet_not_all_of_it() {
    let bytes = dirty_file(5, 0, 3000, 50);
    let tz = tz();
    let mut loader = crate::io::Loader::new();
    loader.begin_source("big.arrows");
    let mut head = Vec::new();
    let mut chunks = bytes.chunks(700);
    let mut rows = loop {
        head.extend_from_slice(chunks.next().unwrap());
        if let Some(r) = super::ArrowRows::open_head(&mut head, None, tz).unwrap() {
            break r;
        }
    };
    let mut held = 0;
    for chunk in chunks {
        rows.append(chunk).unwrap();
        rows.step(usize::MAX, "big.arrows", &mut loader);
        held = held.max(rows.bytes.len());
        assert!(rows.len_bytes() <= bytes.len() as u64);
    }
    rows.end().unwrap();
    assert!(rows.step(usize::MAX, "big.arrows", &mut loader).1);
    assert_eq!(rows.len_bytes(), bytes.len() as u64, "every byte counted");
    // Batches of 50 rows are a few KB: the buffer never held more than a few of them.
    assert!(
        held * 8 < bytes.len(),
        "held {held} of {} bytes",
        bytes.len()
    );
    let want = whole("big.arrows", &bytes).unwrap();
    assert_eq!(digest(&loader.finish()), digest(&want));
}
