//! ISO-style timestamps, dates and times of day, scanned by hand.
//!
//! The readers used chrono's format-string parser (`parse_from_str`, `parse_from_rfc3339`),
//! which compiles an interpreter for every strftime item into the app (about 20 KB of wasm)
//! for the handful of layouts below. The grammar here is those layouts, written out:
//!
//! ```text
//! stamp  = date [ sep time [ offset ] ]          sep = "T" | "t" | " "
//! date   = Y{1,4} "-" M{1,2} "-" D{1,2}
//! time   = H{1,2} ":" M{1,2} [ ":" S{1,2} [ "." digit+ ] ]
//! offset = " "* ( "Z" | "z" | ("+" | "-") HH [ ":" ] MM )    (only after seconds)
//! ```
//!
//! It accepts every string chrono accepted through those layouts, with the same value (tested
//! against chrono on generated variants), except what chrono's whitespace rule let through:
//! no separator at all (`2024-01-3109:12`) or several blanks. It accepts a little more than chrono did: an
//! offset or fraction after one-digit fields, and `z`/`t` in any layout. A second of 60 (a leap
//! second) reads as 59, as chrono's timestamps did.

use chrono::{NaiveDate, NaiveTime};

/// A scanned timestamp: the local date and time, and the offset east of UTC in seconds when
/// one was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The date.
    pub date: NaiveDate,
    /// The time of day (seconds whole); midnight for a bare date.
    pub time: NaiveTime,
    /// Offset east of UTC in seconds, when the text has one.
    pub offset: Option<i32>,
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    /// A number of `min..=max` digits.
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        let mut v: u32 = 0;
        while self.i - start < max {
            match self.b.get(self.i) {
                Some(c @ b'0'..=b'9') => {
                    // Saturating: a fraction of a second may have any number of digits.
                    v = v.saturating_mul(10).saturating_add(u32::from(c - b'0'));
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i - start >= min).then_some(v)
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

fn date(sc: &mut Scan) -> Option<NaiveDate> {
    let y = sc.num(1, 4)? as i32;
    if !sc.eat(b'-') {
        return None;
    }
    let m = sc.num(1, 2)?;
    if !sc.eat(b'-') {
        return None;
    }
    let d = sc.num(1, 2)?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `H:M[:S[.f]]`; whether seconds were given.
fn time(sc: &mut Scan) -> Option<(NaiveTime, bool)> {
    let h = sc.num(1, 2)?;
    if !sc.eat(b':') {
        return None;
    }
    let mi = sc.num(1, 2)?;
    let mut s = 0;
    let seconds = sc.eat(b':');
    if seconds {
        s = sc.num(1, 2)?;
        if sc.eat(b'.') {
            sc.num(1, usize::MAX)?;
        }
    }
    // A leap second (60) reads as 59; chrono checks the rest of the ranges.
    let t = NaiveTime::from_hms_opt(h, mi, if s == 60 { 59 } else { s })?;
    Some((t, seconds))
}

fn offset(sc: &mut Scan) -> Option<i32> {
    while sc.eat(b' ') {}
    if sc.eat(b'Z') || sc.eat(b'z') {
        return Some(0);
    }
    let sign = match sc.peek()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    sc.i += 1;
    let h = sc.num(2, 2)?;
    sc.eat(b':');
    let m = sc.num(2, 2)?;
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60) as i32)
}

/// Scans a timestamp or a bare date (surrounding blanks ignored); `None` when it is not one.
pub fn parse_stamp(s: &str) -> Option<Stamp> {
    let mut sc = Scan {
        b: s.trim().as_bytes(),
        i: 0,
    };
    let date = date(&mut sc)?;
    if sc.done() {
        return Some(Stamp {
            date,
            time: NaiveTime::MIN,
            offset: None,
        });
    }
    if !matches!(sc.peek(), Some(b'T' | b't' | b' ')) {
        return None;
    }
    sc.i += 1;
    let (time, seconds) = time(&mut sc)?;
    let offset = if sc.done() {
        None
    } else if seconds {
        Some(offset(&mut sc)?)
    } else {
        return None;
    };
    sc.done().then_some(Stamp { date, time, offset })
}

/// Scans a time of day `H:M[:S[.f]]` (surrounding blanks ignored).
pub fn parse_clock(s: &str) -> Option<NaiveTime> {
    let mut sc = Scan {
        b: s.trim().as_bytes(),
        i: 0,
    };
    let (t, _) = time(&mut sc)?;
    sc.done().then_some(t)
}

/// Scans a date `Y-M-D` (surrounding blanks ignored).
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let mut sc = Scan {
        b: s.trim().as_bytes(),
        i: 0,
    };
    let d = date(&mut sc)?;
    sc.done().then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDateTime, Timelike};

    /// What the readers did with chrono: UTC seconds with an offset, else the naive local
    /// seconds as if in UTC (tagged), for comparison.
    fn chrono_reading(s: &str) -> Option<(i64, bool)> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some((t.timestamp(), true));
        }
        for f in [
            "%Y-%m-%d %H:%M:%S%:z",
            "%Y-%m-%d %H:%M:%S%z",
            "%Y-%m-%dT%H:%M:%S%z",
        ] {
            if let Ok(t) = DateTime::parse_from_str(s, f) {
                return Some((t.timestamp(), true));
            }
        }
        for f in [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
                return Some((t.and_utc().timestamp(), false));
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| (d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp(), false))
    }

    fn our_reading(s: &str) -> Option<(i64, bool)> {
        let st = parse_stamp(s)?;
        let local = st.date.and_time(st.time).and_utc().timestamp();
        Some(match st.offset {
            Some(o) => (local - i64::from(o), true),
            None => (local, false),
        })
    }

    /// Every combination of field widths, separators, seconds, fractions and offsets, plus
    /// invalid dates and times: wherever chrono read a value, ours is the same; where chrono
    /// refused, ours refuses too, except the documented extensions.
    #[test]
    fn reads_what_chrono_read() {
        let dates = [
            "2024-01-31",
            "2024-1-5",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-4-31",
            "24-01-05",
            "2024-01-00",
            "20240-01-01",
            "2024/01/31",
            "1900-02-29",
            "2000-02-29",
        ];
        let seps = ["T", " ", "t", "", "  ", "_"];
        let times = [
            "09:12:58",
            "9:5:7",
            "23:59:60",
            "24:00:00",
            "09:60:00",
            "09:12",
            "9:05",
            "09:12:58.5",
            "09:12:58.123456789123",
            "09:12:58.",
            "09:12:5x",
            "09",
            "09:12:58,5",
        ];
        let offsets = [
            "", "Z", "z", "+01:00", "-05:30", "+0100", " +01:00", "+1:00", "+01", "+24:00", "UTC",
            " Z",
        ];
        let (mut checked, mut both) = (0, 0);
        for d in dates {
            for s in seps {
                for t in times {
                    for o in offsets {
                        let text = format!("{d}{s}{t}{o}");
                        let (want, got) = (chrono_reading(&text), our_reading(&text));
                        match (want, got) {
                            (Some(w), Some(g)) => {
                                assert_eq!(g, w, "{text}");
                                both += 1;
                            }
                            (Some(_), None) => {
                                // chrono's whitespace rule: a separator of zero or two blanks.
                                assert!(
                                    s.is_empty() || s == "  ",
                                    "{text}: chrono read it, we did not"
                                );
                            }
                            (None, Some(_)) => {
                                // Our extensions: `t`/`z` anywhere, offsets and fractions after
                                // one-digit fields or with a blank or a fraction.
                                let ext = s == "t"
                                    || o.contains('z')
                                    || o.starts_with(' ')
                                    || t == "9:5:7"
                                    || d == "2024-1-5"
                                    || d == "2024-4-31"
                                    || d == "24-01-05"
                                    || t.contains('.');
                                assert!(ext, "{text}: we read it, chrono did not");
                            }
                            (None, None) => {}
                        }
                        checked += 1;
                    }
                }
                // The bare date.
                assert_eq!(our_reading(d), chrono_reading(d), "{d}");
            }
        }
        assert!(checked > 10_000);
        assert!(both > 250, "{both} read by both");
    }

    /// Long digit runs neither overflow nor panic (the fuzz targets build with overflow checks).
    #[test]
    fn long_digit_runs_are_total() {
        let long = format!("2024-01-31T09:12:58.{}Z", "9".repeat(40));
        assert_eq!(
            parse_stamp(&long).map(|s| s.time),
            NaiveTime::from_hms_opt(9, 12, 58)
        );
        assert_eq!(parse_stamp(&format!("{}-01-01", "9".repeat(30))), None);
        assert_eq!(parse_clock(&"9".repeat(30)), None);
    }

    #[test]
    fn clock_and_date_read_as_chrono_read_them() {
        for t in [
            "09:12:58",
            "9:5",
            "9:05:07.250",
            "23:59",
            "24:00",
            "12:60",
            "7",
            "07:00:00 ",
            " 7:00",
        ] {
            let want = ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
                .iter()
                .find_map(|f| NaiveTime::parse_from_str(t.trim(), f).ok())
                .map(|x| (x.hour(), x.minute(), x.second()));
            let got = parse_clock(t).map(|x| (x.hour(), x.minute(), x.second()));
            assert_eq!(got, want, "{t}");
        }
        for d in ["2024-01-31", " 2024-1-5 ", "2024-02-30", "2024-01-31x", "x"] {
            let want = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
            assert_eq!(parse_ymd(d), want, "{d}");
        }
    }
}
