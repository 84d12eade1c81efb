//! [`CsvText`] against `csv::Reader`, the reader every CSV source went through before (and
//! whose parser it drives): random texts of quotes, delimiters, line ends, blank lines,
//! UTF-8 beyond ASCII and bytes that are not UTF-8, fed in random chunks, give the same
//! records as `csv::Reader` cutting the whole text, each on the physical line its first byte
//! is on, and decoded as UTF-8 when it is, else as Windows-1252.

use super::csv_text::{CsvText, Next};
use crate::test_rng::xorshift;

/// Bytes 0x80–0xFF as Python's cp1252 codec decodes them, the five it leaves undefined as the
/// C1 controls WHATWG gives them (made with Python, not with the table under test).
const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8d}Ž\u{8f}\u{90}‘’“”•–—˜™š›œ\u{9d}žŸ\u{a0}¡¢£¤¥¦§¨©ª«¬\u{ad}®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ";

/// A byte of a record that is not UTF-8, by [`HIGH`].
fn cp1252(b: u8) -> char {
    match b {
        0x80.. => HIGH.chars().nth(usize::from(b - 0x80)).unwrap(),
        _ => char::from(b),
    }
}

/// The physical line (1-based; `\n`, `\r\n` and a lone `\r` each end one) of the first byte of
/// the record `csv::Reader` began reading at byte `at`: the line ends and blank lines it stood
/// before are skipped first (its own line numbers count from where it stood).
fn physical_line(raw: &[u8], at: usize) -> u64 {
    let first = at
        + raw[at..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
    let before = &raw[..first];
    let ends = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && raw.get(i + 1) != Some(&b'\n')))
        .count();
    ends as u64 + 1
}

/// The records of `raw`: a byte-order mark dropped, cut by `csv::Reader` (`flexible`, no
/// header), each with the physical line it begins on ([`physical_line`]), decoded as UTF-8
/// when all its cells are, else every byte as Windows-1252.
fn reference(raw: &[u8], delimiter: u8) -> Vec<(u64, Vec<String>)> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(raw);
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while rdr.read_byte_record(&mut rec).unwrap() {
        let line = physical_line(raw, rec.position().unwrap().byte() as usize);
        let utf8 = rec.iter().all(|c| std::str::from_utf8(c).is_ok());
        let cells = rec
            .iter()
            .map(|c| match utf8 {
                true => String::from_utf8(c.to_vec()).unwrap(),
                false => c.iter().map(|&b| cp1252(b)).collect(),
            })
            .collect();
        out.push((line, cells));
    }
    out
}

/// The records of `raw` fed to a [`CsvText`] in chunks whose sizes `sizes` gives, read
/// after every chunk as far as they go.
fn arriving(
    raw: &[u8],
    delimiter: u8,
    mut sizes: impl FnMut() -> usize,
) -> Vec<(u64, Vec<String>)> {
    let first = sizes().min(raw.len());
    let mut text = CsvText::with(raw[..first].to_vec(), delimiter, false);
    let mut rest = &raw[first..];
    let mut out = Vec::new();
    loop {
        loop {
            match text.next() {
                Next::Record => out.push((
                    text.line(),
                    text.cells().iter().map(|c| c.to_string()).collect(),
                )),
                Next::Waiting => break,
                Next::End => return out,
            }
        }
        if rest.is_empty() {
            text.end();
        } else {
            let n = sizes().clamp(1, rest.len());
            text.push(&rest[..n]).unwrap();
            rest = &rest[n..];
        }
    }
}

/// A random CSV-ish text of `len` pieces.
fn random_text(next: &mut impl FnMut() -> u64, len: usize, wide: bool, latin1: bool) -> Vec<u8> {
    let mut pieces: Vec<&[u8]> = vec![
        b"a", b"bc", b"12", b" ", b",", b";", b"\t", b"\"", b"\"\"", b"\n", b"\r\n", b"\r",
        b"\n\n", b"x\"y",
    ];
    if wide {
        pieces.extend(["é".as_bytes(), "€".as_bytes(), "日本".as_bytes()]);
    }
    if latin1 {
        // Lone bytes beyond ASCII, a lead byte and a continuation byte apart (one on each side
        // of a delimiter makes bytes that are UTF-8 only once the delimiter is gone).
        pieces.extend([
            &b"\xE9"[..],
            &b"\xFF"[..],
            b"\xC3",
            b"\xA9",
            b"\x80",
            b"\xDF",
        ]);
    }
    let mut out = Vec::new();
    if next().is_multiple_of(5) {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    for _ in 0..len {
        out.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
    }
    out
}

#[test]
fn random_texts_in_random_chunks_read_as_csv_reader_reads_them() {
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    for case in 0..3000 {
        let wide = case % 3 != 0;
        let latin1 = case % 4 == 1;
        let len = (next() % 60) as usize;
        let raw = random_text(&mut next, len, wide, latin1);
        let delimiter = [b',', b';', b'\t'][(next() % 3) as usize];
        let want = reference(&raw, delimiter);
        let max = 1 + (next() % 16) as usize;
        let mut r = xorshift(case + 1);
        let got = arriving(&raw, delimiter, || 1 + (r() as usize) % max);
        assert_eq!(
            got,
            want,
            "case {case}: {:?}",
            String::from_utf8_lossy(&raw)
        );
        // Whole, as a file read in one go is.
        let mut text = CsvText::with(raw.clone(), delimiter, true);
        let mut whole = Vec::new();
        while text.next() == Next::Record {
            whole.push((
                text.line(),
                text.cells().iter().map(|c| c.to_string()).collect(),
            ));
        }
        assert_eq!(whole, want, "case {case} whole");
    }
}

#[test]
fn a_byte_order_mark_split_across_chunks_is_still_one() {
    let raw = b"\xEF\xBB\xBFid,x\n1,2\n";
    let want = reference(raw, b',');
    assert_eq!(want[0].1, vec!["id", "x"]);
    for first in 1..=3 {
        let mut sizes = [first, 1, 1, 100].into_iter().cycle();
        assert_eq!(
            arriving(raw, b',', || sizes.next().unwrap()),
            want,
            "first {first}"
        );
    }
}

#[test]
fn an_arriving_text_holds_what_is_not_read_yet_not_all_of_it() {
    // 8 MiB of records in chunks of 64 KiB, read after each: the reader lets the bytes of the
    // records it has read go, so it never holds more than about two of its 1 MiB steps.
    let row = b"C0000001,K0000001,U00001,chat,2026-01-01T00:00:00Z,12,false,300\n";
    let raw: Vec<u8> = row.iter().copied().cycle().take(8 << 20).collect();
    let mut text = CsvText::with(raw[..65_536].to_vec(), b',', false);
    let (mut held, mut records) = (0, 0);
    let mut read = |text: &mut CsvText| {
        while text.next() == Next::Record {
            records += 1;
        }
    };
    read(&mut text);
    for chunk in raw[65_536..].chunks(65_536) {
        text.push(chunk).unwrap();
        held = held.max(text.held());
        read(&mut text);
        assert_eq!(
            text.received(),
            text.consumed(),
            "every byte arrived is read"
        );
    }
    text.end();
    read(&mut text);
    assert_eq!(records, raw.len().div_ceil(row.len()));
    assert_eq!(text.consumed(), raw.len() as u64);
    assert!(
        held <= (2 << 20) + 65_536,
        "held {held} bytes of {}",
        raw.len()
    );
}

#[test]
fn bytes_that_are_not_utf8_read_as_windows_1252() {
    // Every byte from 0x80 up, as Python's cp1252 codec decodes it (the five it leaves undefined
    // as the C1 controls WHATWG gives them), in a record that is not UTF-8.
    let want = HIGH;
    let mut raw = b"a,b\n".to_vec();
    raw.extend(0x80..=0xFFu8);
    raw.extend_from_slice(b",x\n");
    let mut text = CsvText::with(raw, b',', true);
    assert_eq!(text.next(), Next::Record);
    assert_eq!(text.next(), Next::Record);
    assert_eq!(text.cells(), vec![want, "x"]);
    // A record that is UTF-8 is read as UTF-8, in the same file.
    let mut raw = "é,\u{201c}\n".as_bytes().to_vec();
    raw.extend_from_slice(b"\x93q\x94,\xe9\n");
    let mut text = CsvText::with(raw, b',', true);
    let mut cells = Vec::new();
    while text.next() == Next::Record {
        cells.push(text.cells().join("|"));
    }
    assert_eq!(cells, vec!["é|\u{201c}", "\u{201c}q\u{201d}|é"]);
    // Cells that are not UTF-8 but whose bytes are once the delimiter between them is gone:
    // a lead byte ending one cell, continuation bytes starting the next.
    for (raw, want) in [
        (&b"\xC3,\xA9\n"[..], vec!["Ã", "©"]),
        (b"1,Fu\xDF,\x80\n", vec!["1", "Fuß", "€"]),
    ] {
        let mut text = CsvText::with(raw.to_vec(), b',', true);
        assert_eq!(text.next(), Next::Record);
        assert_eq!(text.cells(), want, "{raw:?}");
    }
}

#[test]
fn the_mapping_screen_peeks_what_a_load_reads() {
    use super::peek_csv;
    // A Windows export: semicolons, a header beyond ASCII, a quoted line end.
    let raw = b"\xEF\xBB\xBFid;Priorit\xe4t;Thema\r\n1;hoch;\"zwei\r\nZeilen\"\r\n2;niedrig;\x93x\x94\r\n3;mittel;y";
    let (headers, rows) = peek_csv(raw, 10, true);
    assert_eq!(headers, vec!["id", "Priorität", "Thema"]);
    assert_eq!(
        rows,
        vec![
            vec!["1", "hoch", "zwei\r\nZeilen"],
            vec!["2", "niedrig", "\u{201c}x\u{201d}"],
            vec!["3", "mittel", "y"],
        ]
    );
    // Only the first bytes of a file: the record they cut is left out, and `rows` is a cap.
    let (_, rows) = peek_csv(&raw[..raw.len() - 3], 10, false);
    assert_eq!(rows.len(), 2);
    let (_, rows) = peek_csv(raw, 1, true);
    assert_eq!(rows.len(), 1);
}

#[test]
fn lines_are_physical_lines_whatever_ends_them() {
    // Line 2 is blank, x's quoted cell spans lines 3–4, y's line ends with a lone `\r`, line 6
    // is blank (a lone `\r` again), z is on line 7; then the same with every kind of end.
    let text = "a,b\r\n\r\nx,\"1\r\n2\"\r\ny,3\r\rz,4";
    for cut in 1..text.len() {
        let mut sizes = [cut, text.len()].into_iter().chain(std::iter::repeat(1));
        let got = arriving(text.as_bytes(), b',', || sizes.next().unwrap());
        let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 3, 5, 7], "cut at {cut}");
        assert_eq!(got[1].1, ["x", "1\r\n2"]);
    }
    for end in ["\n", "\r\n", "\r"] {
        let text = ["id", "1", "", "2", "", "", "3"].join(end);
        let lines: Vec<u64> = arriving(text.as_bytes(), b',', || 2)
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(lines, [1, 2, 4, 7], "{end:?}");
    }
}
