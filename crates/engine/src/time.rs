//! Local time in the configured zone, fast: a cached UTC offset for sorted timestamps, civil
//! dates from day numbers, and the time buckets (hour, day, ISO week, month, quarter) that
//! groupings and trends use. DST-correct through the zone's offset table ([`crate::zone`]).

use crate::zone::Zone;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde::{Deserialize, Serialize};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Every zone in the tz database changes its offset at a multiple of 15 minutes UTC (since the
/// 1970s), so one offset lookup per 15-minute block is exact for modern data.
const BLOCK: i64 = 900;

/// The UTC offset of a zone, cached per 15-minute block: scanning rows sorted by arrival costs
/// one table lookup per block instead of one per row.
#[derive(Debug, Clone)]
pub struct TzCache {
    tz: Zone,
    block: i64,
    off: i64,
}

impl TzCache {
    /// A cache for `tz`.
    pub fn new(tz: Zone) -> Self {
        TzCache {
            tz,
            block: i64::MIN,
            off: 0,
        }
    }

    /// The zone.
    pub fn tz(&self) -> Zone {
        self.tz
    }

    /// Offset from UTC in seconds at Unix time `t`.
    #[inline]
    pub fn offset(&mut self, t: i64) -> i64 {
        let b = t.div_euclid(BLOCK);
        if b != self.block {
            self.block = b;
            self.off = self.tz.offset_at(t) as i64;
        }
        self.off
    }

    /// Local seconds since the local epoch (Unix time shifted by the offset).
    #[inline]
    pub fn local(&mut self, t: i64) -> i64 {
        t + self.offset(t)
    }
}

/// Unix seconds of the local wall-clock time `t` in `tz`. In a DST gap the time moves forward
/// by the gap; an ambiguous time takes the earlier instant.
pub fn local_to_utc(tz: &Zone, t: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&t) {
        chrono::LocalResult::Single(x) => x.timestamp(),
        chrono::LocalResult::Ambiguous(a, _) => a.timestamp(),
        chrono::LocalResult::None => local_to_utc(tz, t + chrono::Duration::hours(1)) - 3600,
    }
}

/// Unix seconds of local midnight starting local day `day` (days since 1970-01-01).
pub fn day_start_utc(tz: &Zone, day: i64) -> i64 {
    let d = NaiveDate::from_num_days_from_ce_opt((day + 719_163) as i32).unwrap_or(NaiveDate::MIN);
    let t = local_to_utc(tz, d.and_hms_opt(0, 0, 0).unwrap_or_default());
    // A zone whose midnight is skipped by DST: the day starts at the first existing instant.
    t
}

/// Year, month (1–12) and day (1–31) of day number `z` (days since 1970-01-01).
pub fn civil(z: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil.
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day number of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Weekday of day number `day`, Monday = 0.
#[inline]
pub fn weekday(day: i64) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (day + 3).rem_euclid(7) as u32
}

/// A time bucket of local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    /// Clock hour.
    Hour,
    /// Calendar day.
    Day,
    /// ISO week (Monday to Sunday).
    Week,
    /// Calendar month.
    Month,
    /// Calendar quarter.
    Quarter,
}

impl Bucket {
    /// Parses `hour`, `day`, `week`, `month`, `quarter`.
    pub fn parse(s: &str) -> Option<Bucket> {
        Some(match s {
            "hour" => Bucket::Hour,
            "day" => Bucket::Day,
            "week" => Bucket::Week,
            "month" => Bucket::Month,
            "quarter" => Bucket::Quarter,
            _ => return None,
        })
    }

    /// The id used as a group key name.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Hour => "hour",
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
            Bucket::Quarter => "quarter",
        }
    }

    /// The bucket number of local seconds `local`: hours or days since the epoch, the day number
    /// of the week's Monday, or months (`year·12 + month − 1`), or quarters (`year·4 + q − 1`).
    #[inline]
    pub fn index(self, local: i64) -> i64 {
        let day = local.div_euclid(DAY);
        match self {
            Bucket::Hour => local.div_euclid(3600),
            Bucket::Day => day,
            Bucket::Week => day - weekday(day) as i64,
            Bucket::Month | Bucket::Quarter => {
                let (y, m, _) = civil(day);
                if self == Bucket::Month {
                    y * 12 + m as i64 - 1
                } else {
                    y * 4 + (m as i64 - 1) / 3
                }
            }
        }
    }

    /// The label of bucket `idx`: `2026-03-29T02:00`, `2026-03-29`, `2026-W13`, `2026-03`, `2026-Q1`.
    pub fn label(self, idx: i64) -> String {
        match self {
            Bucket::Hour => {
                let (y, m, d) = civil(idx.div_euclid(24));
                format!("{y:04}-{m:02}-{d:02}T{:02}:00", idx.rem_euclid(24))
            }
            Bucket::Day => {
                let (y, m, d) = civil(idx);
                format!("{y:04}-{m:02}-{d:02}")
            }
            Bucket::Week => {
                // The ISO year is the year of the week's Thursday.
                let thu = idx + 3;
                let (y, _, _) = civil(thu);
                let jan1 = days_from_civil(y, 1, 1);
                format!("{y:04}-W{:02}", (thu - jan1) / 7 + 1)
            }
            Bucket::Month => format!("{:04}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1),
            Bucket::Quarter => format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1),
        }
    }

    /// The first local day of bucket `idx` (for Hour: the day containing it).
    pub fn first_day(self, idx: i64) -> i64 {
        match self {
            Bucket::Hour => idx.div_euclid(24),
            Bucket::Day | Bucket::Week => idx,
            Bucket::Month => {
                days_from_civil(idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32, 1)
            }
            Bucket::Quarter => {
                days_from_civil(idx.div_euclid(4), (idx.rem_euclid(4) * 3 + 1) as u32, 1)
            }
        }
    }
}

/// Parses a `YYYY-MM-DD` date into a day number.
pub fn parse_day(s: &str) -> Option<i64> {
    let d = crate::io::stamp::parse_ymd(s)?;
    Some(d.num_days_from_ce() as i64 - 719_163)
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_and_weekdays() {
        for z in [-1000, 0, 59, 365, 20_000, 20_513] {
            let (y, m, d) = civil(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil(0), (1970, 1, 1));
        // 2026-03-29 is day 20541 (2026-01-01 = 20454, + 31 + 28 + 28) and a Sunday.
        assert_eq!(days_from_civil(2026, 3, 29), 20_541);
        assert_eq!(weekday(20_541), 6);
        assert_eq!(parse_day("2026-03-29"), Some(20_541));
    }

    #[test]
    fn berlin_dst_buckets() {
        let tz: Zone = "Europe/Berlin".parse().unwrap();
        let mut c = TzCache::new(tz);
        // 2026-03-29 00:30 UTC = 01:30 CET (+1h); 01:30 UTC = 03:30 CEST (+2h): the clock skips 2–3.
        let t0 = days_from_civil(2026, 3, 29) * DAY + 1800;
        assert_eq!(c.offset(t0), 3600);
        assert_eq!(c.offset(t0 + 3600), 7200);
        assert_eq!(
            Bucket::Hour.label(Bucket::Hour.index(c.local(t0))),
            "2026-03-29T01:00"
        );
        assert_eq!(
            Bucket::Hour.label(Bucket::Hour.index(c.local(t0 + 3600))),
            "2026-03-29T03:00"
        );
        // 22:30 UTC on 2026-03-28 is 23:30 local on the 28th; 23:30 UTC is 00:30 on the 29th.
        let late = t0 - 2 * 3600;
        assert_eq!(
            Bucket::Day.label(Bucket::Day.index(c.local(late))),
            "2026-03-28"
        );
        assert_eq!(
            Bucket::Day.label(Bucket::Day.index(c.local(late + 3600))),
            "2026-03-29"
        );
        // The local day of 2026-03-29 is 23 hours long.
        let len = day_start_utc(&tz, 20_542) - day_start_utc(&tz, 20_541);
        assert_eq!(len, 23 * 3600);
    }

    #[test]
    fn week_month_quarter_labels() {
        // 2026-01-01 is a Thursday: ISO week 1 of 2026 starts Monday 2025-12-29.
        let d = days_from_civil(2026, 1, 1);
        let w = Bucket::Week.index(d * DAY);
        assert_eq!(w, days_from_civil(2025, 12, 29));
        assert_eq!(Bucket::Week.label(w), "2026-W01");
        // 2027-01-01 is a Friday: it belongs to ISO week 53 of 2026.
        let d = days_from_civil(2027, 1, 1);
        assert_eq!(Bucket::Week.label(Bucket::Week.index(d * DAY)), "2026-W53");
        let d = days_from_civil(2026, 5, 17);
        assert_eq!(Bucket::Month.label(Bucket::Month.index(d * DAY)), "2026-05");
        assert_eq!(
            Bucket::Quarter.label(Bucket::Quarter.index(d * DAY)),
            "2026-Q2"
        );
        assert_eq!(
            Bucket::Quarter.first_day(Bucket::Quarter.index(d * DAY)),
            days_from_civil(2026, 4, 1)
        );
    }
}
