//! Named time zones as UTC-offset tables.
//!
//! A [`Zone`] is the list of instants at which a zone's UTC offset changes between 1970 and
//! 2100, with the offset in force after each. It is built by probing a source of offsets: the
//! tz database (chrono-tz, feature `tzdb`) natively, or whatever a host registers with
//! [`set_provider`]; the browser app registers the browser's own `Intl` time zones, so the
//! wasm module carries no tz database (chrono-tz's tables are ~150 KB gzip). Both sources go
//! through the same builder, and the tests check the built tables against chrono-tz.
//!
//! `Zone` implements chrono's [`TimeZone`], so `DateTime<Zone>` works as with any zone.

use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeZone};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

/// First instant the tables cover (1970-01-01T00:00Z); earlier instants take the offset in
/// force then.
pub const COVER_FROM: i64 = 0;
/// End of the covered span (2100-01-01T00:00Z); later instants keep the last offset.
pub const COVER_TO: i64 = 4_102_444_800;
/// Probe spacing: shorter than any stretch between two offset changes of a tz-database zone
/// after 1970 (the shortest, Boa Vista's summer time of October 2000, lasted 6.96 days), which
/// the tests check for every zone chrono-tz knows.
const STEP: i64 = 5 * 86_400;

/// A time zone: a name and its offset table. Cheap to copy; tables live for the program.
#[derive(Clone, Copy)]
pub struct Zone(&'static Table);

struct Table {
    name: &'static str,
    /// Instants (Unix seconds) at which the offset changes, ascending.
    at: &'static [i64],
    /// Offsets in seconds: `off[0]` before `at[0]`, `off[i + 1]` from `at[i]` on.
    off: &'static [i32],
}

static UTC_TABLE: Table = Table {
    name: "UTC",
    at: &[],
    off: &[0],
};

/// Why a zone name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}")]
pub struct UnknownZone(pub String);

/// A source of UTC offsets for named zones: `Some(probe)` when the name is known, where
/// `probe(t)` is the offset in seconds at Unix time `t`.
pub type Provider = fn(&str) -> Option<Box<dyn FnMut(i64) -> i32>>;

static PROVIDER: OnceLock<Provider> = OnceLock::new();

fn registry() -> &'static Mutex<HashMap<String, Zone>> {
    static R: OnceLock<Mutex<HashMap<String, Zone>>> = OnceLock::new();
    R.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Registers the source of zones the tz database does not provide (in the browser: `Intl`).
/// The first registration wins; later calls return `false`.
pub fn set_provider(p: Provider) -> bool {
    PROVIDER.set(p).is_ok()
}

impl Zone {
    /// Coordinated Universal Time.
    pub const UTC: Zone = Zone(&UTC_TABLE);

    /// The zone called `name`: `UTC`, a fixed offset such as `+05:30`, or an IANA name such as
    /// `Europe/Berlin` from the tz database or the registered provider. Tables are built once
    /// per name and kept.
    pub fn named(name: &str) -> Result<Zone, UnknownZone> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("utc") || name == "Etc/UTC" || name == "Z" {
            return Ok(Zone::UTC);
        }
        let mut reg = registry().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(z) = reg.get(name) {
            return Ok(*z);
        }
        let zone = match fixed_offset(name) {
            Some(off) => Zone::leak(name, Vec::new(), vec![off]),
            None => {
                let mut probe = source(name).ok_or_else(|| UnknownZone(name.to_string()))?;
                Zone::build(name, &mut *probe)
            }
        };
        reg.insert(name.to_string(), zone);
        Ok(zone)
    }

    /// Builds the table of `name` by probing `probe` (offset in seconds at a Unix time) over the
    /// covered span: one probe a week, then a bisection to the minute where the offset changes.
    pub fn build(name: &str, probe: &mut dyn FnMut(i64) -> i32) -> Zone {
        let (at, off) = probe_table(probe, STEP);
        Zone::leak(name, at, off)
    }

    fn leak(name: &str, at: Vec<i64>, off: Vec<i32>) -> Zone {
        Zone(Box::leak(Box::new(Table {
            name: Box::leak(name.to_string().into_boxed_str()),
            at: Box::leak(at.into_boxed_slice()),
            off: Box::leak(off.into_boxed_slice()),
        })))
    }

    /// The zone's name.
    pub fn name(&self) -> &'static str {
        self.0.name
    }

    /// The number of offset changes in the covered span.
    pub fn transitions(&self) -> usize {
        self.0.at.len()
    }

    /// The offset from UTC in seconds at Unix time `t`.
    #[inline]
    pub fn offset_at(&self, t: i64) -> i32 {
        let table = self.0;
        table.off[table.at.partition_point(|&a| a <= t)]
    }

    /// The Unix times whose local wall-clock reading is `local` (local seconds since the local
    /// epoch): none in a gap, two in an overlap (earlier first).
    pub fn from_local_seconds(&self, local: i64) -> MappedLocalTime<i64> {
        let t = self.0;
        // Offset changes are weeks apart, so only the offsets next to `local` can map to it.
        let k = t.at.partition_point(|&a| a <= local);
        // The earliest and latest of at most three candidates (a sort of them compiled one
        // more quicksort into the browser module).
        let mut found: Option<(i64, i64)> = None;
        for i in k.saturating_sub(1)..(k + 2).min(t.off.len()) {
            let u = local - t.off[i] as i64;
            if self.offset_at(u) == t.off[i] {
                found = Some(found.map_or((u, u), |(a, b)| (a.min(u), b.max(u))));
            }
        }
        match found {
            None => MappedLocalTime::None,
            Some((a, b)) if a == b => MappedLocalTime::Single(a),
            Some((a, b)) => MappedLocalTime::Ambiguous(a, b),
        }
    }
}

fn probe_table(probe: &mut dyn FnMut(i64) -> i32, step: i64) -> (Vec<i64>, Vec<i32>) {
    let mut at = Vec::new();
    let mut t = COVER_FROM;
    let mut cur = probe(t);
    let mut off = vec![cur];
    while t < COVER_TO {
        let next = (t + step).min(COVER_TO);
        let o = probe(next);
        if o == cur {
            t = next;
            continue;
        }
        // probe(lo) == cur and probe(hi) != cur: bisect to the minute (changes since 1970 fall
        // on whole minutes but a few, which the last step finds to the second).
        let (mut lo, mut hi) = (t / 60, next / 60);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if probe(mid * 60) == cur {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let mut change = hi * 60;
        if probe(change - 1) != cur {
            let (mut lo, mut hi) = (change - 60, change - 1);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if probe(mid) == cur {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            change = hi;
        }
        cur = probe(change);
        at.push(change);
        off.push(cur);
        t = change;
    }
    (at, off)
}

fn source(name: &str) -> Option<Box<dyn FnMut(i64) -> i32>> {
    #[cfg(feature = "tzdb")]
    if let Ok(tz) = name.parse::<chrono_tz::Tz>() {
        return Some(Box::new(move |t| {
            chrono::DateTime::from_timestamp(t, 0)
                .map(|d| {
                    tz.offset_from_utc_datetime(&d.naive_utc())
                        .fix()
                        .local_minus_utc()
                })
                .unwrap_or(0)
        }));
    }
    PROVIDER.get().and_then(|p| p(name))
}

/// `+05:30`, `-0800`, `UTC+2` and the like, as seconds east of UTC.
fn fixed_offset(s: &str) -> Option<i32> {
    let s = s
        .strip_prefix("UTC")
        .or_else(|| s.strip_prefix("GMT"))
        .unwrap_or(s);
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60 && !h.to_string().is_empty()).then_some(sign * (h * 3600 + m * 60))
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.0.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl FromStr for Zone {
    type Err = UnknownZone;
    fn from_str(s: &str) -> Result<Zone, UnknownZone> {
        Zone::named(s)
    }
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::UTC
    }
}

/// The offset of a [`Zone`] at some instant; carries its zone, as chrono's `TimeZone` needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fixed, f)
    }
}

impl Zone {
    fn offset_value(&self, secs: i32) -> ZoneOffset {
        ZoneOffset {
            zone: *self,
            fixed: FixedOffset::east_opt(secs).unwrap_or(FixedOffset::east_opt(0).unwrap()),
        }
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        match local.and_hms_opt(0, 0, 0) {
            Some(t) => self.offset_from_local_datetime(&t),
            None => MappedLocalTime::None,
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let l = local.and_utc().timestamp();
        self.from_local_seconds(l)
            .map(|u| self.offset_value((l - u) as i32))
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_value(
            self.offset_at(
                utc.and_hms_opt(0, 0, 0)
                    .unwrap_or_default()
                    .and_utc()
                    .timestamp(),
            ),
        )
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset_value(self.offset_at(utc.and_utc().timestamp()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_and_fixed_offsets() {
        assert_eq!(Zone::named("UTC").unwrap(), Zone::UTC);
        assert_eq!(Zone::UTC.offset_at(1_700_000_000), 0);
        assert_eq!(Zone::named("+05:30").unwrap().offset_at(0), 19_800);
        assert_eq!(Zone::named("UTC-08:00").unwrap().offset_at(0), -28_800);
        assert_eq!(Zone::named("-0330").unwrap().offset_at(0), -12_600);
        assert!(Zone::named("Mars/Olympus").is_err());
        assert!(Zone::named("+25:00").is_err());
    }

    #[test]
    fn berlin_2024_by_hand() {
        let z = Zone::named("Europe/Berlin").unwrap();
        // 2024-03-31 01:00Z: CET (+1) to CEST (+2); 2024-10-27 01:00Z: back to CET.
        let spring = 1_711_846_800;
        let autumn = 1_729_990_800;
        assert_eq!(z.offset_at(spring - 1), 3600);
        assert_eq!(z.offset_at(spring), 7200);
        assert_eq!(z.offset_at(autumn - 1), 7200);
        assert_eq!(z.offset_at(autumn), 3600);
        // Local 02:30 on 31 March does not exist; local 02:30 on 27 October exists twice.
        let local = |h: i64, m: i64, day0: i64| day0 + h * 3600 + m * 60;
        let mar31 = 19_813 * 86_400;
        let oct27 = 20_023 * 86_400;
        assert_eq!(
            z.from_local_seconds(local(2, 30, mar31)),
            MappedLocalTime::None
        );
        assert_eq!(
            z.from_local_seconds(local(2, 30, oct27)),
            MappedLocalTime::Ambiguous(autumn - 1800, autumn + 1800)
        );
        assert_eq!(
            z.from_local_seconds(local(12, 0, oct27)),
            MappedLocalTime::Single(oct27 + 11 * 3600)
        );
        // Two changes a year from 1980 (the first summer time since 1949) to 2099.
        assert!(z.transitions() >= 2 * 120);
    }

    /// Every zone of the tz database, at many instants: the built table equals chrono-tz.
    #[cfg(feature = "tzdb")]
    #[test]
    fn tables_equal_chrono_tz_for_every_zone() {
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15_u64);
        for tz in chrono_tz::TZ_VARIANTS {
            let z = Zone::named(tz.name()).unwrap();
            let truth = |t: i64| {
                tz.offset_from_utc_datetime(
                    &chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc(),
                )
                .fix()
                .local_minus_utc()
            };
            for _ in 0..2000 {
                let t = (next() % COVER_TO as u64) as i64;
                assert_eq!(z.offset_at(t), truth(t), "{} at {t}", tz.name());
            }
            // Around every change the table found: exact to the second.
            for &c in z.0.at {
                assert_eq!(z.offset_at(c - 1), truth(c - 1), "{} before {c}", tz.name());
                assert_eq!(z.offset_at(c), truth(c), "{} at {c}", tz.name());
            }
        }
    }

    /// The probe spacing is safe: probed daily, no zone changes its offset twice within
    /// `STEP` (the shortest stretch is Boa Vista's summer time of October 2000, 6.96 days).
    #[cfg(feature = "tzdb")]
    #[test]
    fn no_zone_changes_twice_within_a_step() {
        for tz in chrono_tz::TZ_VARIANTS {
            let mut p = source(tz.name()).unwrap();
            let (at, _) = probe_table(&mut *p, 86_400);
            for w in at.windows(2) {
                assert!(
                    w[1] - w[0] > STEP,
                    "{} changes at {} and {}",
                    tz.name(),
                    w[0],
                    w[1]
                );
            }
        }
    }

    /// Local-to-UTC agrees with chrono-tz, gaps and overlaps included.
    #[cfg(feature = "tzdb")]
    #[test]
    fn local_times_equal_chrono_tz() {
        for name in [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "Africa/Casablanca",
            "Asia/Kathmandu",
            "Pacific/Apia",
        ] {
            let z = Zone::named(name).unwrap();
            let tz: chrono_tz::Tz = name.parse().unwrap();
            let mut t = NaiveDate::from_ymd_opt(2010, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
            let end = NaiveDate::from_ymd_opt(2030, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
            while t < end {
                let ours = z.from_local_datetime(&t).map(|d| d.timestamp());
                let theirs = tz.from_local_datetime(&t).map(|d| d.timestamp());
                assert_eq!(ours, theirs, "{name} at local {t}");
                t += chrono::Duration::minutes(15);
            }
        }
    }
}
