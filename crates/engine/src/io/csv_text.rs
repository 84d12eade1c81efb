//! CSV records read from text whose bytes may still be arriving: the reader the load job uses
//! for every CSV source, whole or downloading.
//!
//! Records are cut by `csv_core`, the parser inside the `csv` crate, with that crate's default
//! dialect (quotes doubled to escape, any of `\r`, `\n`, `\r\n` ending a record, blank lines
//! skipped). A record's line is the physical line its first byte is on, counting `\n`, `\r\n`
//! and a lone `\r` as one line end each, inside quoted cells too: the line an editor shows.
//! (`csv::Reader`'s positions are not that: it reports where it stood after the previous record,
//! so a `\r\n` file's records are each one line early and a blank line before a record is not
//! counted.) A record split across chunks is resumed where it stopped, and the bytes of the
//! records read are let go as the source arrives.
//!
//! Each record is read as UTF-8 when every cell of it is UTF-8, else as Windows-1252 (an export
//! from an older Windows system; what the WHATWG encoding standard, and so every browser, reads
//! for a text labelled Latin-1: Latin-1 but for `€`, typographic quotes and dashes in
//! 0x80–0x9F). Deciding per record rather than for the whole file needs no byte that has not
//! arrived, and keeps a UTF-8 file's other records intact when one holds a stray byte. (A
//! Windows-1252 record whose bytes happen to be UTF-8 too, such as `Ã©` for `é`, reads as UTF-8;
//! real text almost never has such pairs, and the whole-file rule misread them the same way.)

use super::bytes::append_bytes;
use super::ReadError;
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// The read bytes at the front of an arriving text's buffer are dropped once they are this
/// many and at least half of it: each byte is then moved once at most, on average.
const COMPACT_AT: usize = 1 << 20;

/// What [`CsvText::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Next {
    /// A record: its cells are [`CsvText::cells`], its line [`CsvText::line`].
    Record,
    /// The bytes so far hold no further whole record; more must arrive.
    Waiting,
    /// The text has ended and every record was read.
    End,
}

/// A CSV text read record by record (see the module documentation).
pub(super) struct CsvText {
    core: Reader,
    delimiter: u8,
    /// The bytes received and not yet let go; `buf[at..]` is not read yet.
    buf: Vec<u8>,
    at: usize,
    /// Bytes let go from the front of `buf`.
    dropped: u64,
    /// True while the start of the text is not known: too few bytes have arrived to tell
    /// whether they begin with a byte-order mark.
    bom_unknown: bool,
    /// True once the last byte has arrived.
    ended: bool,
    /// True when the last [`CsvText::next`] found no whole record, until more bytes arrive.
    starved: bool,
    /// Line ends before `buf[at]`, and the byte before it (for a `\r\n` pair cut by a chunk).
    breaks: u64,
    last: u8,
    /// True once the record being read has a byte in the parser: the line ends that follow
    /// are inside it, not before it.
    in_record: bool,
    /// The line of the record read last.
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

/// True when byte `b`, after byte `before`, ends a line: a `\r`, or a `\n` that does not
/// finish a `\r\n` (counted at its `\r`).
#[inline]
fn ends_line(b: u8, before: u8) -> bool {
    b == b'\r' || (b == b'\n' && before != b'\r')
}

/// A UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Length of a UTF-8 byte-order mark at the start of `raw`; `None` while too few bytes have
/// arrived to tell.
fn bom_len(raw: &[u8], ended: bool) -> Option<usize> {
    if raw.starts_with(BOM) {
        Some(BOM.len())
    } else if raw.len() < BOM.len() && BOM.starts_with(raw) && !ended {
        None
    } else {
        Some(0)
    }
}

impl CsvText {
    /// The text whose bytes (the first of them, unless `ended`) are `buf`, cut with the
    /// delimiter [`delimiter_of`] finds in its first line.
    pub(super) fn new(buf: Vec<u8>, ended: bool) -> CsvText {
        let delimiter = delimiter_of(buf.strip_prefix(BOM).unwrap_or(&buf));
        CsvText::with(buf, delimiter, ended)
    }

    /// The text whose bytes (the first of them, unless `ended`) are `buf`, cut with
    /// `delimiter`; give the rest with [`CsvText::push`] and [`CsvText::end`].
    pub(super) fn with(buf: Vec<u8>, delimiter: u8, ended: bool) -> CsvText {
        let start = bom_len(&buf, ended);
        CsvText {
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            buf,
            at: start.unwrap_or(0),
            dropped: 0,
            bom_unknown: start.is_none(),
            ended,
            starved: false,
            breaks: 0,
            last: 0,
            in_record: false,
            line: 1,
            out: vec![0; 1024],
            nout: 0,
            ends: vec![0; 64],
            nend: 0,
            text: String::new(),
            bounds: Vec::new(),
        }
    }

    /// The delimiter the text is cut with.
    pub(super) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The next bytes of the source.
    pub(super) fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        if self.at >= COMPACT_AT && self.at * 2 >= self.buf.len() && !self.bom_unknown {
            self.buf.drain(..self.at);
            self.dropped += self.at as u64;
            self.at = 0;
        }
        self.starved = false;
        append_bytes(&mut self.buf, chunk)
    }

    /// The source has ended.
    pub(super) fn end(&mut self) {
        self.ended = true;
        self.starved = false;
    }

    /// True when every whole record that has arrived was read and more bytes must come.
    pub(super) fn waiting(&self) -> bool {
        self.starved && !self.ended
    }

    /// Bytes of the source received so far.
    pub(super) fn received(&self) -> u64 {
        self.dropped + self.buf.len() as u64
    }

    /// Bytes of the source the parser has consumed.
    pub(super) fn consumed(&self) -> u64 {
        self.dropped + self.at as u64
    }

    /// Bytes received and not let go yet.
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.buf.len()
    }

    /// Every byte received and not let go (all of them for a whole text, or an arriving one
    /// whose first record has not been read).
    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Reads the next record.
    pub(super) fn next(&mut self) -> Next {
        let next = self.read();
        self.starved = next == Next::Waiting;
        next
    }

    fn read(&mut self) -> Next {
        if self.bom_unknown {
            match bom_len(&self.buf, self.ended) {
                Some(n) => {
                    self.bom_unknown = false;
                    self.at = n;
                }
                None => return Next::Waiting,
            }
        }
        loop {
            if !self.in_record {
                // Line ends between records (a terminator's `\n`, blank lines) are skipped here
                // and counted, so the record's line is that of its first byte. The parser skips
                // them the same way, so not giving them to it changes no record.
                while let Some(&b) = self.buf.get(self.at) {
                    if b != b'\n' && b != b'\r' {
                        self.in_record = true;
                        self.line = self.breaks + 1;
                        break;
                    }
                    self.count_break(b);
                    self.at += 1;
                }
            }
            let input = &self.buf[self.at..];
            if input.is_empty() && !self.ended {
                return Next::Waiting;
            }
            // An empty input tells `csv_core` the text has ended.
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            self.count_breaks(self.at, self.at + nin);
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
                    self.decode();
                    self.nout = 0;
                    self.nend = 0;
                    self.in_record = false;
                    return Next::Record;
                }
                ReadRecordResult::End => return Next::End,
            }
        }
    }

    /// Counts byte `b` (the one after [`CsvText::last`]) if it ends a line: `\n`, and `\r`
    /// (the `\n` of a `\r\n` is then not counted again).
    #[inline]
    fn count_break(&mut self, b: u8) {
        self.breaks += u64::from(ends_line(b, self.last));
        self.last = b;
    }

    /// Counts the line ends in `buf[from..to]`, the bytes the parser consumed.
    fn count_breaks(&mut self, from: usize, to: usize) {
        let Some(bytes) = self.buf.get(from..to) else {
            return;
        };
        let Some(&end) = bytes.last() else {
            return;
        };
        let mut breaks = 0;
        let mut before = self.last;
        for &b in bytes {
            breaks += u64::from(ends_line(b, before));
            before = b;
        }
        self.breaks += breaks;
        self.last = end;
    }

    /// Takes the record in `out[..nout]` (cells ending at `ends[..nend]`) as text: UTF-8 when
    /// it is, else Windows-1252.
    fn decode(&mut self) {
        let bytes = &self.out[..self.nout];
        let ends = &self.ends[..self.nend];
        self.text.clear();
        self.bounds.clear();
        // Every cell UTF-8: the record is, and no cell ends inside a character (the bytes
        // `\xC3` and `\xA9` in two cells make "é" once the delimiter is gone).
        if let Ok(s) = std::str::from_utf8(bytes) {
            if ends.iter().all(|&e| s.is_char_boundary(e)) {
                self.text.push_str(s);
                self.bounds.extend_from_slice(ends);
                return;
            }
        }
        let mut from = 0;
        for &end in ends {
            let cell = bytes.get(from..end).unwrap_or_default();
            self.text.extend(cell.iter().map(|&b| windows_1252(b)));
            self.bounds.push(self.text.len());
            from = end;
        }
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

    /// The physical line the record read last starts on (1-based; see the module
    /// documentation).
    pub(super) fn line(&self) -> u64 {
        self.line
    }
}

/// The characters of Windows-1252's bytes 0x80–0x9F (the rest are Latin-1's). The five bytes
/// it leaves undefined stay the control characters Latin-1 has there, as WHATWG decodes them.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The character of byte `b` in Windows-1252.
fn windows_1252(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The header (trimmed) and up to `rows` records of the CSV text that starts with `head` (the
/// first bytes of a file, or all of it when `whole`), read as a load reads them: for the mapping
/// screen. A record cut by the end of `head` is left out unless `whole`.
pub fn peek_csv(head: &[u8], rows: usize, whole: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let mut csv = CsvText::new(head.to_vec(), whole);
    let mut records = Vec::new();
    while records.len() <= rows && csv.next() == Next::Record {
        records.push(
            csv.cells()
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
        );
    }
    let mut it = records.into_iter();
    let headers = it
        .next()
        .unwrap_or_default()
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    (headers, it.collect())
}

/// The delimiter of a CSV text that starts with `head` (a byte-order mark left out): the one
/// of `,` `;` tab its first line (within its first 64 KiB) holds most of.
fn delimiter_of(head: &[u8]) -> u8 {
    let head = &head[..head.len().min(HEAD_LINE_MAX)];
    super::detect_delimiter(&String::from_utf8_lossy(head))
}

/// True when the first bytes `head` of a CSV text (all of them, if `ended`) tell what
/// [`delimiter_of`], `check_is_table` and the cube check need: its first line and 4 KiB.
pub(super) fn head_ready(head: &[u8], ended: bool) -> bool {
    ended || (head.len() >= 4096 && head.contains(&b'\n'))
}

/// A CSV source whose header record has not ended within this many bytes is read whole, once
/// it has all arrived.
pub(super) const HEADER_MAX: usize = 1 << 20;

/// How much of a text [`delimiter_of`] looks at.
pub(super) const HEAD_LINE_MAX: usize = 65_536;
