//! Tests of the Arrow IPC reader: the typed and columnar paths against the text path.

use super::*;
use crate::{Config, Dim, Engine, Query};

const CSV: &[u8] = include_bytes!("../../../../bench/fixtures/contacts-300.csv");
const FILE: &[u8] = include_bytes!("../../../../bench/fixtures/contacts-300.arrow");
const STREAM: &[u8] = include_bytes!("../../../../bench/fixtures/contacts-300.arrows");

/// The fixture: 300 demo contacts written by pyarrow (bench/make_arrow.py --variant mixed:
/// dictionary strings, large_string, float32, int8, int64, bool, timestamp[s] and [ms] with a
/// zone, a null-typed column; three record batches).
#[test]
fn arrow_file_and_stream_load_like_the_csv() {
    let tz = crate::zone::Zone::named("Europe/Berlin").unwrap();
    let csv = crate::io::load_bytes("c.csv", CSV, &crate::io::options(None, tz)).unwrap();
    let q = Query::default().group_by(Dim::Channel);
    let cfg = Config::default();
    let records: Vec<_> = (0..csv.contacts.len())
        .map(|i| csv.contacts.record(i))
        .collect();
    let want = Engine::new(csv, cfg.clone()).unwrap().report(&q).unwrap();
    for (name, bytes) in [("c.arrow", FILE), ("c.arrows", STREAM)] {
        assert!(is_arrow(bytes));
        // Columnar path, typed path (every row of the fixture) and text path give the CSV's
        // KPIs.
        for path in [Path::Columnar, Path::Typed, Path::Text] {
            let mut loader = Loader::new();
            let n = read(&mut loader, name, bytes, None, tz, path).unwrap();
            let taken = match path {
                Path::Columnar => (0, 300),
                Path::Typed => (300, 0),
                Path::Text => (0, 0),
            };
            assert_eq!(n, taken, "{name} {path:?}");
            let ds = loader.finish();
            for (i, r) in records.iter().enumerate() {
                assert_eq!(&ds.contacts.record(i), r, "{name} {path:?} row {i}");
            }
            assert_eq!(ds.report.rows_read, 300, "{name}");
            assert_eq!(ds.report.rows_loaded, 300, "{name}");
            let got = Engine::new(ds, cfg.clone()).unwrap().report(&q).unwrap();
            assert_eq!(got, want, "{name} {path:?}");
        }
    }
}

#[test]
fn not_arrow_and_truncated_are_errors() {
    let tz = crate::zone::Zone::UTC;
    assert_eq!(
        load("x", b"id,arrived_at\n", None, tz).unwrap_err(),
        ArrowError::NotArrow
    );
    let cut = &FILE[..FILE.len() / 3];
    assert!(matches!(
        load("x", cut, None, tz),
        Err(ArrowError::Malformed(_))
    ));
}
