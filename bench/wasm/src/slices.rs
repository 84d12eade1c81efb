//! A CSV read slice by slice into one loader, so that the whole file never sits in wasm memory
//! (wasm32 has 4 GB; the 10M-contact CSV is 1.66 GB, and the dataset being built needs room
//! beside it). Each slice's complete records go through the engine's own reader
//! (`LoadJob::with_loader`, the app's path) as a small CSV of the header plus those records;
//! the bytes after the last complete record wait for the next slice.
//!
//! Records may hold quoted newlines, so a record ends at a newline outside quotes: with RFC 4180
//! quoting (`""` inside quotes) a newline is outside quotes when the quotes before it are even in
//! number. Only the quotes are counted over a slice; the last record end is then found by walking
//! back from the slice's end.
//!
//! The rows and their order are those of a one-buffer load; what differs: the load report lists
//! one source entry per slice (all named alike), and a rejected row's line number counts from
//! its slice's start. Each slice is transcoded on its own (a file mixing UTF-8 and Latin-1 across
//! slices would be read differently; the benchmark's CSV is ASCII).

use omnikpi_engine::io::{self, LoadJob, Loader, ReadError};
use omnikpi_engine::{Dataset, Zone};

pub struct CsvSlices {
    name: String,
    tz: Zone,
    loader: Loader,
    /// The header record with its newline; empty until the first complete record was seen.
    header: Vec<u8>,
    /// Bytes after the last record end seen so far.
    carry: Vec<u8>,
    /// Whether the end of the bytes seen so far is inside quotes.
    in_quotes: bool,
}

impl CsvSlices {
    /// A reader of the CSV named `name` (naive timestamps in `tz`).
    pub fn new(name: &str, tz: Zone) -> CsvSlices {
        CsvSlices {
            name: name.to_string(),
            tz,
            loader: Loader::new(),
            header: Vec::new(),
            carry: Vec::new(),
            in_quotes: false,
        }
    }

    /// Reads the records of `slice` that end in it (with what was carried before them).
    pub fn feed(&mut self, slice: &[u8]) -> Result<(), ReadError> {
        let start_quoted = self.in_quotes;
        let quotes = slice.iter().filter(|&&b| b == b'"').count();
        self.in_quotes = start_quoted ^ (quotes % 2 == 1);
        // Walk back from the end: `quoted` is the state after byte i.
        let mut quoted = self.in_quotes;
        let mut end = None;
        for (i, &b) in slice.iter().enumerate().rev() {
            if b == b'\n' && !quoted {
                end = Some(i);
                break;
            }
            if b == b'"' {
                quoted = !quoted;
            }
        }
        let Some(end) = end else {
            self.carry.extend_from_slice(slice);
            return Ok(());
        };
        let mut text = Vec::with_capacity(self.header.len() + self.carry.len() + end + 1);
        text.extend_from_slice(&self.header);
        text.extend_from_slice(&self.carry);
        text.extend_from_slice(&slice[..=end]);
        if self.header.is_empty() {
            self.header = first_record(&text).to_vec();
        }
        self.carry.clear();
        self.carry.extend_from_slice(&slice[end + 1..]);
        self.read(text)
    }

    /// Reads what is left and hands over the dataset.
    pub fn finish(mut self) -> Result<Dataset, ReadError> {
        if self.carry.iter().any(|b| !b.is_ascii_whitespace()) {
            let mut text = std::mem::take(&mut self.header);
            text.append(&mut self.carry);
            self.read(text)?;
        }
        Ok(self.loader.finish())
    }

    fn read(&mut self, text: Vec<u8>) -> Result<(), ReadError> {
        let opts = io::options(Some(io::Format::Csv), self.tz);
        let mut job = LoadJob::with_loader(&mut self.loader, &self.name, text, &opts)?;
        job.run();
        self.loader = job.into_loader();
        Ok(())
    }
}

/// The first record of `text` with its newline (all of `text` when it has one record).
fn first_record(text: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return &text[..=i],
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dataset of `csv` read in slices of `n` bytes.
    fn sliced(csv: &[u8], n: usize) -> Dataset {
        let mut s = CsvSlices::new("t.csv", Zone::UTC);
        for chunk in csv.chunks(n) {
            s.feed(chunk).unwrap();
        }
        s.finish().unwrap()
    }

    fn whole(csv: &[u8]) -> Dataset {
        io::load_bytes("t.csv", csv, &io::options(Some(io::Format::Csv), Zone::UTC)).unwrap()
    }

    /// Rows, their order and every column as the one-buffer load has them.
    fn same(a: &Dataset, b: &Dataset) {
        assert_eq!(a.report.rows_loaded, b.report.rows_loaded);
        assert_eq!(a.report.rows_rejected, b.report.rows_rejected);
        assert_eq!(format!("{:?}", a.contacts), format!("{:?}", b.contacts));
    }

    #[test]
    fn slices_read_what_one_buffer_reads() {
        // Quoted newlines, doubled quotes and a CRLF, cut at every place.
        let csv = "id,arrived_at,channel,topic\r\n\
                   c1,2026-01-01T10:00:00Z,chat,\"two\nlines\"\n\
                   c2,2026-01-01T11:00:00Z,email,\"say \"\"hi\"\"\n, twice\"\n\
                   c3,2026-01-02T09:30:00Z,voice,plain\n\
                   c4,2026-01-02T09:31:00Z,voice,\"\"\n\
                   c5,2026-01-02T09:32:00Z,chat,last without newline";
        let want = whole(csv.as_bytes());
        assert_eq!(want.report.rows_loaded, 5);
        for n in 1..=csv.len() {
            same(&want, &sliced(csv.as_bytes(), n));
        }
    }

    #[test]
    fn slices_read_the_benchmark_fixture() {
        let csv = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/contacts-300.csv"
        ))
        .unwrap();
        let want = whole(&csv);
        assert!(want.report.rows_loaded >= 300);
        for n in [7, 100, 4096, 65_536, csv.len()] {
            same(&want, &sliced(&csv, n));
        }
    }
}
