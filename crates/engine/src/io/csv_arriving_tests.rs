//! A CSV source read while it arrives (`LoadJob::arriving`) against the same bytes read whole:
//! in chunks of many sizes, stepped between chunks as the browser does, the dataset (every
//! column and dictionary, and the load report with each problem's line and reason) is the
//! same, for canonical files, the two real exports through their presets, and the dialects
//! and encodings a whole read accepts; and into a loader that holds another source.

use super::arriving_check::{
    arriving as read_arriving, assert_same, digest, whole as read_whole, Arrived,
};
use super::{options, LoadJob, LoadOptions, Loader, Mapping, Progress};
use crate::model::Dataset;

fn root(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn preset(name: &str) -> Mapping {
    let text = std::fs::read_to_string(root(&format!("public/presets/{name}.json"))).unwrap();
    Mapping::from_json(&text).unwrap()
}

fn tz() -> crate::zone::Zone {
    crate::zone::Zone::named("Europe/Berlin").unwrap()
}

/// The first `n` lines of the demo data (a canonical contacts file).
fn demo_lines(n: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(root("public/data/demo.csv")).unwrap();
    let mut out: String = text.lines().take(n).collect::<Vec<_>>().join("\n");
    out.push('\n');
    out.into_bytes()
}

fn whole(name: &str, bytes: &[u8], opts: &LoadOptions) -> Dataset {
    read_whole(name, bytes, opts).unwrap()
}

/// `bytes` fed `chunk` at a time into an arriving job (into `loader`), at most `budget` rows
/// read between chunks: the dataset, the progress at the end, and the most rows read before
/// the last byte.
fn arriving(
    loader: &mut Loader,
    name: &str,
    bytes: &[u8],
    chunk: usize,
    budget: usize,
    opts: &LoadOptions,
) -> (Dataset, Progress, u64) {
    let Arrived { ds, end, early } =
        read_arriving(loader, name, bytes, opts, (chunk, budget), true).unwrap();
    (ds, end, early)
}

/// Every source against its whole read, in chunks of `chunks`; returns how many rows the
/// arriving reads had loaded before their last byte, at most, per source.
fn same_as_whole(name: &str, bytes: &[u8], opts: &LoadOptions, chunks: &[usize]) -> u64 {
    let want = whole(name, bytes, opts);
    assert!(want.report.rows_read > 0, "{name}");
    let mut early = 0;
    for &chunk in chunks {
        for budget in [3, 1 << 20] {
            let (got, p, e) = arriving(&mut Loader::new(), name, bytes, chunk, budget, opts);
            let what = format!("{name}: chunks of {chunk}");
            assert_same(&got, p, &want, bytes.len(), &what);
            early = early.max(e);
            if chunk * 4 < bytes.len() {
                assert!(
                    e > 0,
                    "{name}: chunks of {chunk}: nothing read before the end"
                );
            }
        }
    }
    early
}

#[test]
fn canonical_csv_in_chunks_is_the_whole_read_and_loads_before_the_end() {
    let bytes = demo_lines(600);
    let opts = options(None, tz());
    let early = same_as_whole("demo.csv", &bytes, &opts, &[1, 7, 64, 1000, 65_536]);
    // With chunks smaller than the file, most rows are loaded before its last byte arrives.
    assert!(early >= 500, "{early} rows read before the end");
    // A first chunk of more than a MiB, the header whole in it, is read at once too.
    let big = demo_lines(20_000);
    assert!(big.len() > 3 << 20);
    let early = same_as_whole("big.csv", &big, &opts, &[1_500_000]);
    assert!(early > 5_000, "{early} rows read before the end");
}

#[test]
fn the_real_exports_through_their_presets() {
    for (file, preset_name) in [
        ("support-tickets.csv", "support-tickets"),
        ("pwc-call-center.csv", "pwc-call-center"),
    ] {
        let bytes =
            std::fs::read(format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let m = preset(preset_name);
        let opts = LoadOptions {
            mapping: Some(&m),
            ..options(None, tz())
        };
        same_as_whole(file, &bytes, &opts, &[4096, 65_536, 1 << 20]);
    }
}

/// The first `rows` demo lines with the topic of line `at` (0: the header) replaced by
/// `topic` (raw bytes).
fn with_topic(rows: usize, at: usize, topic: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, line) in demo_lines(rows)
        .split_inclusive(|&b| b == b'\n')
        .enumerate()
    {
        match i == at {
            true => out.extend_from_slice(&with_topic_line(line, topic)),
            false => out.extend_from_slice(line),
        }
    }
    out
}

#[test]
fn dialects_and_encodings_read_as_a_whole_read_reads_them() {
    let opts = options(None, tz());
    let demo = demo_lines(200);
    let crlf: Vec<u8> = String::from_utf8(demo.clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    let semicolons: Vec<u8> = demo
        .iter()
        .map(|&b| if b == b',' { b';' } else { b })
        .collect();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&crlf);
    // A quoted topic over two lines, with a doubled quote.
    let quoted = with_topic(200, 3, b"\"billing \"\"x\"\"\nsecond line\"");
    // A Windows-1252 record in the middle, everything before it ASCII.
    let latin1_late = with_topic(200, 150, b"r\xE9clamation");
    // UTF-8 beyond ASCII early, then a record that is not UTF-8.
    let mixed = mixed_file(200, 180);
    // A last row with no line end, and blank lines between rows.
    let mut ragged = demo_lines(50);
    ragged.pop();
    let ragged = String::from_utf8(ragged)
        .unwrap()
        .replacen('\n', "\n\n\n", 5)
        .into_bytes();
    for (name, bytes) in [
        ("crlf.csv", crlf),
        ("semicolons.csv", semicolons),
        ("bom.csv", bom),
        ("quoted.csv", quoted),
        ("latin1-late.csv", latin1_late),
        ("mixed.csv", mixed),
        ("ragged.csv", ragged),
    ] {
        same_as_whole(name, &bytes, &opts, &[1, 13, 4096, 1 << 20]);
    }
}

/// `line` (a demo row) with its topic replaced by `topic`: the 13th field, and no field
/// before it is quoted in the demo.
fn with_topic_line(line: &[u8], topic: &[u8]) -> Vec<u8> {
    let cut: Vec<usize> = line
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b',')
        .map(|(k, _)| k)
        .collect();
    let mut out = line[..=cut[11]].to_vec();
    out.extend_from_slice(topic);
    out.extend_from_slice(&line[cut[12]..]);
    out
}

/// The first `rows` demo lines, the topic of the second data row "réclamation" in UTF-8 and
/// that of line `late` "café" in Windows-1252.
fn mixed_file(rows: usize, late: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let text = with_topic(rows, 2, "réclamation".as_bytes());
    for (i, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
        match i == late {
            true => out.extend_from_slice(&with_topic_line(line, b"caf\xE9")),
            false => out.extend_from_slice(line),
        }
    }
    out
}

#[test]
fn each_record_is_utf8_when_it_is_else_windows_1252() {
    // A UTF-8 file with one record from a Windows system: both read right, whole or arriving.
    let bytes = mixed_file(41, 40);
    let opts = options(None, tz());
    let (ds, _, _) = arriving(&mut Loader::new(), "mixed.csv", &bytes, 7, 5, &opts);
    for ds in [ds, whole("mixed.csv", &bytes, &opts)] {
        let topics = ds.contacts.dim("topic").unwrap();
        let names: Vec<&str> = (0..topics.dict.len() as u32)
            .filter_map(|c| topics.dict.get(c))
            .collect();
        assert!(names.contains(&"réclamation"), "{names:?}");
        assert!(names.contains(&"café"), "{names:?}");
        assert_eq!(ds.report.rows_read, 40);
    }
}

#[test]
fn into_a_loader_that_holds_a_source() {
    // The rows are read as they arrive, and the end is what a whole read into the same loader
    // gives.
    let opts = options(None, tz());
    let first = demo_lines(30);
    let second = {
        let mut b = demo_lines(1);
        let rows = demo_lines(60);
        b.extend(
            rows.split_inclusive(|&b| b == b'\n')
                .skip(31)
                .flatten()
                .copied(),
        );
        b
    };
    let mut a = Loader::new();
    let mut job = LoadJob::with_loader(&mut a, "a.csv", first.clone(), &opts).unwrap();
    job.run();
    let mut b = job.into_loader();
    let mut job = LoadJob::with_loader(&mut b, "b.csv", second.clone(), &opts).unwrap();
    job.run();
    let want = job.finish();

    let mut job = LoadJob::with_loader(&mut Loader::new(), "a.csv", first, &opts).unwrap();
    job.run();
    let mut loader = job.into_loader();
    let (got, _, early) = arriving(&mut loader, "b.csv", &second, 100, 1 << 20, &opts);
    assert!(early > 0);
    assert_eq!(digest(&got), digest(&want));
    assert_eq!(got.report.sources.len(), 2);
}

#[test]
fn sources_that_cannot_be_read_before_the_end_are_read_whole_then() {
    let opts = options(None, tz());
    // A header whose quote never closes: nothing to read before the end, and the end is the
    // whole read's (here: an error, the same one).
    let mut open = b"\"id,arrived_at\n".to_vec();
    open.extend(demo_lines(20_000).iter().skip(30));
    let want = read_whole("open.csv", &open, &opts).map(|ds| digest(&ds));
    let got = read_arriving(
        &mut Loader::new(),
        "open.csv",
        &open,
        &opts,
        (65_536, 100),
        true,
    )
    .map(|a| digest(&a.ds));
    assert_eq!(
        got.map_err(|e| e.to_string()),
        want.map_err(|e| e.to_string())
    );
    assert!(open.len() > 2 << 20);
    // No name to tell the format, NDJSON whose first object is longer than the 64 KiB a CSV is
    // told by: read whole at the end, as NDJSON.
    let long = "x".repeat(70_000);
    let nd = format!(
        "{{\"id\":\"a\",\"arrived_at\":\"2026-01-01T10:00:00Z\",\"channel\":\"chat\",\"topic\":\"{long}\"}}\n{{\"id\":\"b\",\"arrived_at\":\"2026-01-01T11:00:00Z\",\"channel\":\"email\"}}\n"
    );
    let want = whole("feed", nd.as_bytes(), &opts);
    assert_eq!(want.report.rows_loaded, 2);
    let (got, _, _) = arriving(&mut Loader::new(), "feed", nd.as_bytes(), 4096, 100, &opts);
    assert_eq!(digest(&got), digest(&want));
}
