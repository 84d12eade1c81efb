//! Parsing of single field values: timestamps, durations, booleans, numbers.

use chrono::{NaiveDateTime, TimeZone};

/// Parses a timestamp. With an offset (RFC 3339, `2024-01-31T09:12:58+01:00`, or `Z`) it is
/// exact; a naive one (`2024-01-31 09:12:58`, `2024-01-31T09:12`, or a bare date) is read in
/// `tz`. Returns Unix seconds. The grammar is in [`super::stamp`].
pub fn parse_timestamp(s: &str, tz: &crate::zone::Zone) -> Option<i64> {
    let st = super::stamp::parse_stamp(s)?;
    let local = st.date.and_time(st.time);
    match st.offset {
        Some(east) => Some(local.and_utc().timestamp() - i64::from(east)),
        None => local_to_utc(local, tz),
    }
}

/// A naive local time in `tz` as Unix seconds. In a DST gap the time is moved forward by the
/// gap; in an overlap the earlier instant is taken (what most contact-center systems log).
pub fn local_to_utc(t: NaiveDateTime, tz: &crate::zone::Zone) -> Option<i64> {
    match tz.from_local_datetime(&t) {
        chrono::LocalResult::Single(x) => Some(x.timestamp()),
        chrono::LocalResult::Ambiguous(a, _) => Some(a.timestamp()),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(t + chrono::Duration::hours(1)))
            .earliest()
            .map(|x| x.timestamp()),
    }
}

/// Parses a number (a decimal comma is accepted when there is no dot).
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let v: f64 = match t.parse() {
        Ok(v) => v,
        Err(_) if !t.contains('.') && t.matches(',').count() == 1 => {
            t.replace(',', ".").parse().ok()?
        }
        Err(_) => return None,
    };
    v.is_finite().then_some(v)
}

/// Parses a duration: plain seconds, `h:mm:ss`, `mm:ss`.
pub fn parse_duration(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        let nums: Option<Vec<f64>> = parts
            .iter()
            .map(|p| p.trim().parse::<f64>().ok().filter(|x| *x >= 0.0))
            .collect();
        let nums = nums?;
        return match nums.as_slice() {
            [m, s] => Some(m * 60.0 + s),
            [h, m, s] => Some(h * 3600.0 + m * 60.0 + s),
            _ => None,
        };
    }
    parse_number(t)
}

/// Parses a boolean: `true/false`, `yes/no`, `y/n`, `1/0`, `t/f` (any case). Empty is `None`.
pub fn parse_bool(s: &str) -> Option<bool> {
    // Lower-cased into a small buffer rather than a new string: four flags a row.
    let s = crate::text::trim(s).as_bytes();
    let mut low = [0u8; 5];
    let low = low.get_mut(..s.len())?;
    for (l, c) in low.iter_mut().zip(s) {
        *l = c.to_ascii_lowercase();
    }
    match &*low {
        b"true" | b"yes" | b"y" | b"1" | b"t" => Some(true),
        b"false" | b"no" | b"n" | b"0" | b"f" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_and_without_offset() {
        let utc = crate::zone::Zone::UTC;
        let berlin: crate::zone::Zone = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            parse_timestamp("2024-01-01T00:00:00Z", &utc),
            Some(1_704_067_200)
        );
        assert_eq!(
            parse_timestamp("2024-01-01T01:00:00+01:00", &utc),
            Some(1_704_067_200)
        );
        assert_eq!(
            parse_timestamp("2024-01-01 01:00:00", &berlin),
            Some(1_704_067_200)
        );
        assert_eq!(parse_timestamp("2024-01-01", &utc), Some(1_704_067_200));
        // 02:30 does not exist in Berlin on 2024-03-31: moved forward to 03:30 CEST = 01:30 UTC.
        assert_eq!(
            parse_timestamp("2024-03-31 02:30:00", &berlin),
            parse_timestamp("2024-03-31T01:30:00Z", &utc)
        );
        assert_eq!(parse_timestamp("31/01/2024", &utc), None);
        assert_eq!(parse_timestamp("", &utc), None);
    }

    #[test]
    fn durations_numbers_bools() {
        assert_eq!(parse_duration("00:02:23"), Some(143.0));
        assert_eq!(parse_duration("2:05"), Some(125.0));
        assert_eq!(parse_duration("12.5"), Some(12.5));
        assert_eq!(parse_duration("1:x"), None);
        assert_eq!(parse_number("3,5"), Some(3.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_bool("Y"), Some(true));
        assert_eq!(parse_bool("no"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    /// What `parse_bool` was before it stopped allocating: trim, lower-case, compare.
    fn parse_bool_reference(s: &str) -> Option<bool> {
        match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "t" => Some(true),
            "false" | "no" | "n" | "0" | "f" => Some(false),
            _ => None,
        }
    }

    #[test]
    fn bools_as_the_reference_reads_them() {
        let words = [
            "true",
            "TRUE",
            "True",
            " yes ",
            "Yes\u{a0}",
            "y",
            "Y",
            "1",
            "t",
            "T",
            "false",
            "FALSE",
            "No",
            "n",
            "0",
            "f",
            "F",
            "",
            " ",
            "truee",
            "tru",
            "yess",
            "01",
            "10",
            "maybe",
            "\u{3000}no",
            "ｙes",
            "İ",
            "fAlSe\t",
            "nO\n",
        ];
        let random = crate::text::tests::tricky_strings(0xb001, 5_000);
        for s in words
            .iter()
            .copied()
            .chain(random.iter().map(String::as_str))
        {
            assert_eq!(parse_bool(s), parse_bool_reference(s), "{s:?}");
        }
    }
}
