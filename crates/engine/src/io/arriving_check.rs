//! The tests' way to read a source while it arrives and the same bytes whole, to compare
//! them: shared by the Arrow and the CSV readers' tests.

use super::{LoadJob, LoadOptions, Loader, Progress, ReadError};
use crate::model::Dataset;

/// `bytes` read whole, as the app reads a file it has in memory.
pub(crate) fn whole(name: &str, bytes: &[u8], opts: &LoadOptions) -> Result<Dataset, ReadError> {
    let mut job = LoadJob::new(name, bytes.to_vec(), opts)?;
    assert!(job.run().done);
    Ok(job.finish())
}

/// What [`arriving`] read.
pub(crate) struct Arrived {
    pub ds: Dataset,
    /// The progress at the end.
    pub end: Progress,
    /// The most rows read before the last byte arrived.
    pub early: u64,
}

/// `bytes` given to an arriving job over `loader`, `chunk` bytes at a time, up to `budget`
/// rows read after each chunk (as the browser does between frames); `size` tells the job the
/// length.
pub(crate) fn arriving(
    loader: &mut Loader,
    name: &str,
    bytes: &[u8],
    opts: &LoadOptions,
    (chunk, budget): (usize, usize),
    size: bool,
) -> Result<Arrived, ReadError> {
    let hint = size.then_some(bytes.len() as u64);
    let mut job = LoadJob::arriving(loader, name, opts, hint);
    let mut early = 0;
    for part in bytes.chunks(chunk) {
        job.feed(part)?;
        while !job.waiting() {
            let p = job.step(budget);
            assert!(!p.done, "{name}: done before the end");
            assert!(p.rows_done - early <= budget as u64);
            early = p.rows_done;
        }
    }
    job.end()?;
    assert!(!job.waiting());
    let end = loop {
        let p = job.step(budget);
        if p.done {
            break p;
        }
    };
    Ok(Arrived {
        ds: job.finish(),
        end,
        early,
    })
}

/// Everything a load gives, as one comparable text: every column and dictionary, and the
/// load report with each problem's line and reason.
pub(crate) fn digest(ds: &Dataset) -> String {
    format!("{ds:?}")
}

/// Asserts that `got` (a source of `len` bytes read while it arrived) is `want` (the same
/// bytes read whole), and that its progress ended at every byte and row.
pub(crate) fn assert_same(got: &Dataset, end: Progress, want: &Dataset, len: usize, what: &str) {
    assert_eq!(digest(got), digest(want), "{what}");
    assert_eq!(
        (end.bytes_done, end.bytes_total, end.rows_done),
        (len as u64, len as u64, want.report.rows_read),
        "{what}"
    );
}
