//! Text helpers that keep general machinery out of the browser app.
//!
//! Lower-casing for matching names and values (column names, channel synonyms, mapped values,
//! null markers): ASCII text, nearly all of it, is lower-cased directly. With the feature
//! `host-lowercase` the rest goes to a function the host registers ([`set_lowercase`]): the
//! browser app registers `String.prototype.toLowerCase`, the same Unicode default case mapping,
//! so its module carries no lower-case table. Without the feature (the `kpi` binary, the tests,
//! the workbook worker) it is `str::to_lowercase`.
//!
//! Dates as `YYYY-MM-DD` written directly rather than by chrono's general `format`.
//!
//! [`trim`]: `str::trim` that settles a value beginning and ending in printable ASCII without
//! walking characters; every cell of every text row is trimmed, some more than once.

#[cfg(feature = "host-lowercase")]
static HOST: std::sync::OnceLock<fn(&str) -> String> = std::sync::OnceLock::new();

/// Registers the host's lower-casing of non-ASCII text. Call once, before any file is read.
#[cfg(feature = "host-lowercase")]
pub fn set_lowercase(f: fn(&str) -> String) {
    let _ = HOST.set(f);
}

/// `s.trim()`. A value whose first and last bytes are printable ASCII other than the space
/// has no white space to trim, and is returned as it is.
#[inline]
pub fn trim(s: &str) -> &str {
    let graphic = |b: &u8| (0x21..0x7f).contains(b);
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(x), Some(y)) if graphic(x) && graphic(y) => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// `s.to_lowercase()`.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(feature = "host-lowercase")]
    {
        let f = HOST.get().expect("text::set_lowercase was not called");
        f(s)
    }
    #[cfg(not(feature = "host-lowercase"))]
    {
        s.to_lowercase()
    }
}

/// `d.format("%Y-%m-%d")`, written directly: chrono's general formatter (and the Unicode
/// lower-case table its `%P` pulls in) then stays out of the browser app.
pub fn ymd(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let y = d.year();
    if (0..=9999).contains(&y) {
        format!("{y:04}-{:02}-{:02}", d.month(), d.day())
    } else {
        format!("{y:+05}-{:02}-{:02}", d.month(), d.day())
    }
}

/// `t.format("%Y-%m-%d %H:%M")`, written directly (see [`ymd`]).
pub fn ymd_hm(t: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{} {:02}:{:02}", ymd(t.date()), t.hour(), t.minute())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveDateTime};

    #[test]
    fn ymd_and_ymd_hm_are_chronos_format() {
        let days = (-800_000i64..800_000).step_by(997).chain([
            -719_528,  // 0000-01-01
            -719_529,  // -0001-12-31
            2_932_896, // 10000-01-01
            2_932_895, // 9999-12-31
            0, -1,
        ]);
        for d in days {
            let secs = d * 86_400 + (d.rem_euclid(86_400)) * 7 % 86_400;
            let Some(t) = chrono::DateTime::from_timestamp(secs, 0).map(|t| t.naive_utc()) else {
                continue;
            };
            assert_eq!(ymd(t.date()), t.format("%Y-%m-%d").to_string(), "{secs}");
            assert_eq!(ymd_hm(t), t.format("%Y-%m-%d %H:%M").to_string(), "{secs}");
        }
        let far = NaiveDate::from_ymd_opt(-262_000, 1, 2).unwrap();
        assert_eq!(ymd(far), far.format("%Y-%m-%d").to_string());
        let late = NaiveDateTime::new(
            NaiveDate::from_ymd_opt(123_456, 12, 31).unwrap(),
            chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap(),
        );
        assert_eq!(ymd_hm(late), late.format("%Y-%m-%d %H:%M").to_string());
    }

    /// Random strings over an alphabet of printable ASCII, the space, ASCII controls, Unicode
    /// white space and other non-ASCII characters, so every kind of first and last character.
    pub(crate) fn tricky_strings(seed: u64, n: usize) -> Vec<String> {
        const ALPHABET: [char; 16] = [
            'a', 'Z', '0', '~', '!', ' ', '\t', '\n', '\r', '\u{b}', '\u{1f}', '\u{a0}',
            '\u{3000}', '\u{2028}', 'é', '日',
        ];
        let mut next = crate::test_rng::xorshift(seed);
        (0..n)
            .map(|_| {
                let len = next() % 6;
                (0..len)
                    .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn trim_is_str_trim() {
        for s in tricky_strings(0x5eed, 20_000)
            .iter()
            .map(String::as_str)
            .chain([
                "",
                " ",
                "x",
                "a b",
                "\u{a0}x",
                "x\u{3000}",
                "\u{1f}x\u{1f}",
                "\u{7f}",
            ])
        {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn lower_is_to_lowercase() {
        for s in [
            "",
            "Call Id",
            "PHONE",
            "Social Media",
            "ÄÖÜ Größe",
            "ΟΔΥΣΣΕΥΣ",
            "İstanbul",
            "ǅ DŽ",
            "Ⅻ",
            "E-Mail\u{7f}",
            "日本語 ABC",
        ] {
            assert_eq!(lower(s), s.to_lowercase(), "{s}");
        }
    }
}
