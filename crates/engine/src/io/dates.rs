//! Dates and times in the orders foreign exports use: ISO (`2024-01-31`), day-first
//! (`31/01/2024`), month-first (`01/31/2024`), optionally followed by a time of day; and the
//! detection of the order a column uses, so the mapping screen can ask when it cannot tell.

use super::values::{local_to_utc, parse_timestamp};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// How the date part of a foreign timestamp is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Year first: `2024-01-31`, `2024/01/31`.
    #[default]
    Iso,
    /// Day first: `31/01/2024`, `31.01.24`.
    DayFirst,
    /// Month first: `01/31/2024`.
    MonthFirst,
}

/// What [`detect_date_order`] found in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrderGuess {
    /// Every value reads unambiguously in this order.
    Sure(DateOrder),
    /// Values read both day-first and month-first (all days ≤ 12): ask the user.
    Ambiguous,
    /// No value looks like a date.
    NotDates,
}

/// Splits a date into its three numeric parts, whatever the separator (`-`, `/`, `.`).
fn date_parts(s: &str) -> Option<[u32; 3]> {
    let mut it = s.split(['-', '/', '.']);
    let mut out = [0u32; 3];
    for slot in out.iter_mut() {
        let p = it.next()?.trim();
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    if it.next().is_some() {
        return None;
    }
    Some(out)
}

fn full_year(y: u32) -> i32 {
    if y < 100 {
        2000 + y as i32
    } else {
        y as i32
    }
}

/// Parses a date (no time) in the given order. Two-digit years are 20xx. A date whose first
/// part is not a four-digit year is refused under [`DateOrder::Iso`] (it would be a guess).
pub fn parse_date(s: &str, order: DateOrder) -> Option<NaiveDate> {
    let s = s.trim();
    let [a, b, c] = date_parts(s)?;
    let first_is_year = s
        .split(['-', '/', '.'])
        .next()
        .is_some_and(|p| p.len() == 4);
    let (y, m, d) = if first_is_year {
        (full_year(a), b, c)
    } else {
        match order {
            DateOrder::Iso => return None,
            DateOrder::DayFirst => (full_year(c), b, a),
            DateOrder::MonthFirst => (full_year(c), a, b),
        }
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Parses a time of day: `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, with an optional `AM`/`PM`.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let (body, pm) = if let Some(b) = lower.strip_suffix("pm") {
        (b.trim().to_string(), Some(true))
    } else if let Some(b) = lower.strip_suffix("am") {
        (b.trim().to_string(), Some(false))
    } else {
        (lower, None)
    };
    let parsed = super::stamp::parse_clock(&body)?;
    match pm {
        None => Some(parsed),
        Some(pm) => {
            use chrono::Timelike;
            let h = parsed.hour();
            if h == 0 || h > 12 {
                return None;
            }
            let h24 = (h % 12) + if pm { 12 } else { 0 };
            parsed.with_hour(h24)
        }
    }
}

/// Parses a timestamp of a foreign export: anything [`parse_timestamp`] reads (ISO, RFC 3339,
/// with or without offset), else a date in `order` optionally followed by a time (separated by
/// a blank or `T`), read as local time in `tz`. Returns Unix seconds.
pub fn parse_timestamp_in(s: &str, order: DateOrder, tz: &crate::zone::Zone) -> Option<i64> {
    if let Some(t) = parse_timestamp(s, tz) {
        return Some(t);
    }
    let s = s.trim();
    let (date, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let d = parse_date(date, order)?;
    let t = match time {
        Some(t) if !t.trim().is_empty() => parse_time(t)?,
        _ => NaiveTime::MIN,
    };
    local_to_utc(NaiveDateTime::new(d, t), tz)
}

/// Joins a date value and a time-of-day value into one timestamp (Unix seconds).
pub fn join_date_time(
    date: &str,
    time: &str,
    order: DateOrder,
    tz: &crate::zone::Zone,
) -> Option<i64> {
    let d = parse_date(date.trim(), order).or_else(|| {
        // A date column that carries a (midnight) time too, e.g. "2021-01-01 00:00:00".
        let head = date.trim().split([' ', 'T']).next()?;
        parse_date(head, order)
    })?;
    let t = if time.trim().is_empty() {
        NaiveTime::MIN
    } else {
        // A time column may hold a full timestamp whose time part is what counts.
        parse_time(time).or_else(|| parse_time(time.trim().rsplit([' ', 'T']).next()?))?
    };
    local_to_utc(NaiveDateTime::new(d, t), tz)
}

/// Looks at a column's values and tells in which order their dates are written. Values with a
/// four-digit first part are ISO. Otherwise a first part above 12 proves day-first, a second
/// part above 12 proves month-first; when neither shows up the column is ambiguous.
pub fn detect_date_order<'a>(values: impl IntoIterator<Item = &'a str>) -> DateOrderGuess {
    let (mut iso, mut short, mut day_first, mut month_first) = (0usize, 0usize, false, false);
    for v in values {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let date = v.split([' ', 'T']).next().unwrap_or("");
        match date_parts(date) {
            None => {}
            Some([a, b, _]) => {
                if date
                    .split(['-', '/', '.'])
                    .next()
                    .is_some_and(|p| p.len() == 4)
                {
                    iso += 1;
                } else {
                    short += 1;
                    day_first |= a > 12;
                    month_first |= b > 12;
                }
            }
        }
    }
    match (iso > 0, short > 0, day_first, month_first) {
        (false, false, _, _) => DateOrderGuess::NotDates,
        (true, false, _, _) => DateOrderGuess::Sure(DateOrder::Iso),
        (false, true, true, false) => DateOrderGuess::Sure(DateOrder::DayFirst),
        (false, true, false, true) => DateOrderGuess::Sure(DateOrder::MonthFirst),
        _ => DateOrderGuess::Ambiguous,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_times() {
        let utc = crate::zone::Zone::UTC;
        let t = |s: &str, o| parse_timestamp_in(s, o, &utc);
        let want = Some(1_706_694_778); // 2024-01-31 09:52:58 UTC
        assert_eq!(t("2024-01-31 09:52:58", DateOrder::Iso), want);
        assert_eq!(t("31/01/2024 09:52:58", DateOrder::DayFirst), want);
        assert_eq!(t("01/31/2024 09:52:58", DateOrder::MonthFirst), want);
        assert_eq!(t("1/31/24 9:52:58 AM", DateOrder::MonthFirst), want);
        assert_eq!(t("31.01.2024T09:52:58", DateOrder::DayFirst), want);
        assert_eq!(t("31/01/2024", DateOrder::MonthFirst), None);
        assert_eq!(
            join_date_time("2024-01-31", "09:52:58", DateOrder::Iso, &utc),
            want
        );
        assert_eq!(
            join_date_time("31/01/2024", "9:52:58 am", DateOrder::DayFirst, &utc),
            want
        );
        assert_eq!(join_date_time("x", "09:52", DateOrder::Iso, &utc), None);
        assert_eq!(parse_time("13:00 pm"), None);
    }

    #[test]
    fn detects_orders_and_ambiguity() {
        use DateOrderGuess::*;
        assert_eq!(
            detect_date_order(["2024-01-02", "2024-12-31"]),
            Sure(DateOrder::Iso)
        );
        assert_eq!(
            detect_date_order(["01/02/2024", "31/01/2024"]),
            Sure(DateOrder::DayFirst)
        );
        assert_eq!(
            detect_date_order(["01/02/2024", "12/31/2024"]),
            Sure(DateOrder::MonthFirst)
        );
        assert_eq!(detect_date_order(["01/02/2024", "03/04/2024"]), Ambiguous);
        assert_eq!(detect_date_order(["hello", ""]), NotDates);
    }
}
