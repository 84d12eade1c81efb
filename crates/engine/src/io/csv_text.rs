//! CSV records read from text whose bytes may still be arriving: the reader the load job uses
//! for every CSV source, whole or downloading.
//!
//! Records are cut by `csv_core`, the parser inside the `csv` crate, with that crate's default
//! dialect (quotes doubled to escape, any of `\r`, `\n`, `\r\n` ending a record, blank lines
//! skipped) and the line numbers `csv::Reader` gives: a record's line is where the reader stood
//! when it began it. A record split across chunks is resumed where it stopped.
//!
//! The text is UTF-8 when every byte of the file is, else Latin-1 for the whole file (an
//! export from an old system). With the bytes arriving that choice is made as they come: while
//! every record so far was ASCII the two read alike, so the first byte that is not UTF-8 simply
//! turns the rest to Latin-1. Only a file that had UTF-8 beyond ASCII *and then* a byte that is
//! not UTF-8 must be read again from its start as Latin-1 ([`Next::Restart`]); the reader keeps
//! every byte for that, as a whole read would hold them anyway. (The load job reads a header
//! beyond ASCII only once the whole file is in, so the header a restart reads again is the
//! same.)

use super::bytes::append_bytes;
use super::ReadError;
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// How the bytes are read as characters (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// UTF-8 so far; `wide` once a record held a character beyond ASCII, which Latin-1 would
    /// read otherwise.
    Utf8 { wide: bool },
    /// Every byte is a character of its own.
    Latin1,
}

/// What [`CsvText::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Next {
    /// A record: its cells are [`CsvText::cells`], its line [`CsvText::line`].
    Record,
    /// The bytes so far hold no further whole record; more must arrive.
    Waiting,
    /// The text has ended and every record was read.
    End,
    /// A byte that is not UTF-8 came after UTF-8 beyond ASCII: the file is Latin-1, and what
    /// was read of it must be read again. [`CsvText::restart`] starts over.
    Restart,
}

/// A CSV text read record by record (see the module documentation).
pub(super) struct CsvText {
    core: Reader,
    delimiter: u8,
    /// Every byte of the source received so far, a byte-order mark included.
    raw: Vec<u8>,
    /// Where the text starts in `raw` (after a byte-order mark); `None` while too few bytes
    /// have arrived to tell.
    start: Option<usize>,
    /// Bytes of `raw` the parser has consumed.
    at: usize,
    /// True once the last byte has arrived.
    ended: bool,
    enc: Encoding,
    /// The line of the next record, and of the record read last.
    next_line: u64,
    line: u64,
    /// The record being read: its field bytes and their ends, as `csv_core` writes them.
    out: Vec<u8>,
    nout: usize,
    ends: Vec<usize>,
    nend: usize,
    /// The record read last as text, and where its cells end.
    text: String,
    bounds: Vec<usize>,
}

/// Length of a UTF-8 byte-order mark at the start of `raw`; `None` while too few bytes have
/// arrived to tell.
fn bom_len(raw: &[u8], ended: bool) -> Option<usize> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if raw.starts_with(BOM) {
        Some(BOM.len())
    } else if raw.len() < BOM.len() && BOM.starts_with(raw) && !ended {
        None
    } else {
        Some(0)
    }
}

impl CsvText {
    fn with(raw: Vec<u8>, delimiter: u8, ended: bool, enc: Encoding) -> CsvText {
        let start = bom_len(&raw, ended);
        CsvText {
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            raw,
            start,
            at: start.unwrap_or(0),
            ended,
            enc,
            next_line: 1,
            line: 1,
            out: vec![0; 1024],
            nout: 0,
            ends: vec![0; 64],
            nend: 0,
            text: String::new(),
            bounds: Vec::new(),
        }
    }

    /// The whole text `raw`, cut with `delimiter`: UTF-8 when all of it is, else Latin-1.
    pub(super) fn whole(raw: Vec<u8>, delimiter: u8) -> CsvText {
        let start = bom_len(&raw, true).unwrap_or(0);
        let enc = match std::str::from_utf8(&raw[start..]) {
            Ok(_) => Encoding::Utf8 { wide: true },
            Err(_) => Encoding::Latin1,
        };
        CsvText::with(raw, delimiter, true, enc)
    }

    /// A text whose first bytes `head` have arrived (enough for [`head_ready`]); give it the
    /// rest with [`CsvText::push`] and [`CsvText::end`].
    pub(super) fn arriving(head: Vec<u8>, delimiter: u8) -> CsvText {
        CsvText::with(head, delimiter, false, Encoding::Utf8 { wide: false })
    }

    /// The next bytes of the source.
    pub(super) fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        append_bytes(&mut self.raw, chunk)
    }

    /// The source has ended.
    pub(super) fn end(&mut self) {
        self.ended = true;
    }

    /// True when what was read so far held UTF-8 beyond ASCII, so that a byte further on
    /// that is not UTF-8 would mean reading it again ([`Next::Restart`]).
    pub(super) fn wide(&self) -> bool {
        self.enc == Encoding::Utf8 { wide: true }
    }

    /// Every byte received, to read them another way.
    pub(super) fn into_raw(self) -> Vec<u8> {
        self.raw
    }

    /// True once the last byte has arrived.
    pub(super) fn ended(&self) -> bool {
        self.ended
    }

    /// Bytes of the source received so far.
    pub(super) fn received(&self) -> u64 {
        self.raw.len() as u64
    }

    /// Bytes of the source the parser has consumed.
    pub(super) fn consumed(&self) -> u64 {
        self.at as u64
    }

    /// Starts over from the first record, reading every byte as Latin-1 (after
    /// [`Next::Restart`]).
    pub(super) fn restart(&mut self) {
        self.core = ReaderBuilder::new().delimiter(self.delimiter).build();
        self.at = self.start.unwrap_or(0);
        self.enc = Encoding::Latin1;
        self.next_line = 1;
        self.line = 1;
        self.nout = 0;
        self.nend = 0;
    }

    /// Reads the next record.
    pub(super) fn next(&mut self) -> Next {
        if self.start.is_none() {
            match bom_len(&self.raw, self.ended) {
                Some(n) => {
                    self.start = Some(n);
                    self.at = n;
                }
                None => return Next::Waiting,
            }
        }
        loop {
            let input = &self.raw[self.at..];
            if input.is_empty() && !self.ended {
                return Next::Waiting;
            }
            // An empty input tells `csv_core` the text has ended.
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            self.at += nin;
            self.nout += nout;
            self.nend += nend;
            match res {
                ReadRecordResult::InputEmpty => continue,
                ReadRecordResult::OutputFull => {
                    let n = self.out.len().max(1) * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len().max(1) * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    let (nout, nend) = (self.nout, self.nend);
                    self.nout = 0;
                    self.nend = 0;
                    self.line = self.next_line;
                    self.next_line = self.core.line();
                    return match self.decode(nout, nend) {
                        true => Next::Record,
                        false => Next::Restart,
                    };
                }
                ReadRecordResult::End => return Next::End,
            }
        }
    }

    /// Takes the record in `out[..nout]` (cells ending at `ends[..nend]`) as text; false when
    /// the file turned out to be Latin-1 after UTF-8 beyond ASCII.
    fn decode(&mut self, nout: usize, nend: usize) -> bool {
        let bytes = &self.out[..nout];
        self.text.clear();
        self.bounds.clear();
        if let Encoding::Utf8 { wide } = self.enc {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    if !wide && !s.is_ascii() {
                        self.enc = Encoding::Utf8 { wide: true };
                    }
                    self.text.push_str(s);
                    self.bounds.extend_from_slice(&self.ends[..nend]);
                    return true;
                }
                // Every record before was ASCII, read alike either way: Latin-1 from here.
                Err(_) if !wide => self.enc = Encoding::Latin1,
                Err(_) => return false,
            }
        }
        let mut from = 0;
        for &end in &self.ends[..nend] {
            let cell = bytes.get(from..end).unwrap_or_default();
            self.text.extend(cell.iter().map(|&b| b as char));
            self.bounds.push(self.text.len());
            from = end;
        }
        true
    }

    /// The cells of the record read last.
    pub(super) fn cells(&self) -> Vec<&str> {
        let mut from = 0;
        self.bounds
            .iter()
            .map(|&end| {
                let cell = self.text.get(from..end).unwrap_or_default();
                from = end;
                cell
            })
            .collect()
    }

    /// The line the record read last starts at (1-based, as `csv::Reader` counts).
    pub(super) fn line(&self) -> u64 {
        self.line
    }
}

/// The delimiter of a CSV text that starts with `head` (a byte-order mark left out): the one
/// of `,` `;` tab its first line (within its first 64 KiB) holds most of.
pub(super) fn delimiter_of(head: &[u8]) -> u8 {
    let head = &head[..head.len().min(HEAD_LINE_MAX)];
    super::detect_delimiter(&String::from_utf8_lossy(head))
}

/// True when the first bytes `head` of a CSV text (all of them, if `ended`) tell what
/// [`delimiter_of`], `check_is_table` and the cube check need: its first line and 4 KiB.
pub(super) fn head_ready(head: &[u8], ended: bool) -> bool {
    ended || (head.len() >= 4096 && head.contains(&b'\n'))
}

/// How much of a text [`delimiter_of`] looks at.
pub(super) const HEAD_LINE_MAX: usize = 65_536;
