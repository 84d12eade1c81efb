//! The filter state of every view, and its translation to and from the URL query. Everything here
//! is pure: [`parse`] reads query pairs, [`to_pairs`] writes them back, [`resolve`] turns a filter
//! into the engine's [`Query`] for the period and for the comparison period. Days are local day
//! numbers (days since 1970-01-01 in the configured zone), as the engine uses them.
//!
//! URL keys: `period` (`today`, `7d`, `30d`, `month`, `last_month`, `quarter`, `12m`, `custom`),
//! `from` and `to` (`YYYY-MM-DD`, for `custom`), `compare` (`previous`, `last_year`, `none`),
//! one key per dimension of [`DIMS`] with comma-separated values, `bh` (`1` business hours only,
//! `0` off hours only). Any other key (a view's own state) is kept untouched by [`with_changes`].

use omnikpi_engine::time::{civil, days_from_civil, parse_day, Bucket};
use omnikpi_engine::Query;

/// The dimensions the filter bar offers, in URL order.
pub const DIMS: [&str; 6] = ["channel", "team", "topic", "segment", "region", "priority"];

/// A date preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// The anchor day.
    Today,
    /// The anchor day and the 6 before.
    Days7,
    /// The anchor day and the 29 before.
    Days30,
    /// The anchor's month up to the anchor.
    ThisMonth,
    /// The whole month before the anchor's.
    LastMonth,
    /// The anchor's calendar quarter up to the anchor.
    Quarter,
    /// The anchor day and the 12 months before it.
    Months12,
    /// `from`..`to`.
    Custom,
}

impl Period {
    /// Every preset, in menu order.
    pub const ALL: [Period; 8] = [
        Period::Today,
        Period::Days7,
        Period::Days30,
        Period::ThisMonth,
        Period::LastMonth,
        Period::Quarter,
        Period::Months12,
        Period::Custom,
    ];

    /// URL id.
    pub fn id(self) -> &'static str {
        match self {
            Period::Today => "today",
            Period::Days7 => "7d",
            Period::Days30 => "30d",
            Period::ThisMonth => "month",
            Period::LastMonth => "last_month",
            Period::Quarter => "quarter",
            Period::Months12 => "12m",
            Period::Custom => "custom",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Period::Today => "Today",
            Period::Days7 => "7 days",
            Period::Days30 => "30 days",
            Period::ThisMonth => "This month",
            Period::LastMonth => "Last month",
            Period::Quarter => "Quarter",
            Period::Months12 => "12 months",
            Period::Custom => "Custom",
        }
    }

    /// Parses a URL id.
    pub fn parse(s: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.id() == s)
    }
}

/// What the period is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// The same number of days right before.
    Previous,
    /// The same dates one year earlier.
    LastYear,
    /// No comparison.
    None,
}

impl Compare {
    /// URL id.
    pub fn id(self) -> &'static str {
        match self {
            Compare::Previous => "previous",
            Compare::LastYear => "last_year",
            Compare::None => "none",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Compare::Previous => "previous period",
            Compare::LastYear => "last year",
            Compare::None => "nothing",
        }
    }
}

/// The whole filter state.
#[derive(Clone, Debug, PartialEq)]
pub struct Filters {
    /// Date preset.
    pub period: Period,
    /// First day of a custom range.
    pub from: Option<i64>,
    /// Last day of a custom range.
    pub to: Option<i64>,
    /// Comparison.
    pub compare: Compare,
    /// Selected values per dimension, in [`DIMS`] order; only dimensions with values.
    pub dims: Vec<(String, Vec<String>)>,
    /// `Some(true)`: business hours only; `Some(false)`: off hours only.
    pub business_hours: Option<bool>,
}

impl Filters {
    /// The selected values of `dim` (empty: all).
    pub fn values(&self, dim: &str) -> &[String] {
        self.dims
            .iter()
            .find(|(d, _)| d == dim)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn day_str(day: i64) -> String {
    Bucket::Day.label(day)
}

/// Reads the filter from URL query pairs; unknown or malformed values fall back to defaults.
pub fn parse(pairs: &[(String, String)], default_period: Period) -> Filters {
    let get = |k: &str| {
        pairs
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let from = get("from").and_then(parse_day);
    let to = get("to").and_then(parse_day);
    let mut period = get("period")
        .and_then(Period::parse)
        .unwrap_or(default_period);
    if period == Period::Custom && (from.is_none() || to.is_none()) {
        period = default_period;
    }
    let (from, to) = match (period, from, to) {
        (Period::Custom, Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
        _ => (None, None),
    };
    let compare = match get("compare") {
        Some("last_year") => Compare::LastYear,
        Some("none") => Compare::None,
        _ => Compare::Previous,
    };
    let dims = DIMS
        .iter()
        .filter_map(|d| {
            let mut vals: Vec<String> = get(d)?
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            vals.dedup();
            (!vals.is_empty()).then(|| (d.to_string(), vals))
        })
        .collect();
    let business_hours = match get("bh") {
        Some("1") => Some(true),
        Some("0") => Some(false),
        _ => None,
    };
    Filters {
        period,
        from,
        to,
        compare,
        dims,
        business_hours,
    }
}

/// The URL pairs of a filter (defaults left out, so a plain link stays short).
pub fn to_pairs(f: &Filters, default_period: Period) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if f.period != default_period {
        out.push(("period".into(), f.period.id().into()));
    }
    if f.period == Period::Custom {
        if let (Some(a), Some(b)) = (f.from, f.to) {
            out.push(("from".into(), day_str(a)));
            out.push(("to".into(), day_str(b)));
        }
    }
    if f.compare != Compare::Previous {
        out.push(("compare".into(), f.compare.id().into()));
    }
    for d in DIMS {
        let v = f.values(d);
        if !v.is_empty() {
            out.push((d.into(), v.join(",")));
        }
    }
    if let Some(b) = f.business_hours {
        out.push(("bh".into(), if b { "1" } else { "0" }.into()));
    }
    out
}

/// The filter keys [`to_pairs`] may write.
pub fn filter_keys() -> impl Iterator<Item = &'static str> {
    ["period", "from", "to", "compare", "bh"]
        .into_iter()
        .chain(DIMS)
}

/// `current` with `changes` applied: `Some` sets a key (in place, or appended), `None` removes it.
pub fn with_changes(
    current: &[(String, String)],
    changes: &[(&str, Option<String>)],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = current
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, v)| c == k && v.is_none()))
        .cloned()
        .collect();
    for (k, v) in changes {
        if let Some(v) = v {
            match out.iter_mut().find(|(key, _)| key == k) {
                Some(slot) => slot.1 = v.clone(),
                None => out.push((k.to_string(), v.clone())),
            }
        }
    }
    out
}

/// `current` with its filter keys replaced by those of `f`; other keys kept.
pub fn replace_filters(
    current: &[(String, String)],
    f: &Filters,
    default_period: Period,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = current
        .iter()
        .filter(|(k, _)| !filter_keys().any(|f| f == k))
        .cloned()
        .collect();
    out.extend(to_pairs(f, default_period));
    out
}

/// Seconds since the local midnight of `today` at instant `now`, when `now` falls on `today`
/// (the day is in progress), else `None`.
pub fn elapsed_today(tz: omnikpi_engine::Zone, today: i64, now: i64) -> Option<i64> {
    let start = omnikpi_engine::time::day_start_utc(&tz, today);
    let end = omnikpi_engine::time::day_start_utc(&tz, today + 1);
    (start..end).contains(&now).then(|| now - start + 1)
}

/// The anchor ("today"): the real today when the data reaches it, else the data's last day.
pub fn anchor_day(data_last: i64, real_today: i64) -> i64 {
    if data_last >= real_today {
        real_today
    } else {
        data_last
    }
}

/// The same day one year earlier (29 February becomes 28 February).
pub fn year_before(day: i64) -> i64 {
    let (y, m, d) = civil(day);
    days_from_civil(y - 1, m, if m == 2 && d == 29 { 28 } else { d })
}

/// The inclusive day range of `period` for anchor day `today`.
pub fn period_range(f: &Filters, today: i64) -> (i64, i64) {
    let (y, m, _) = civil(today);
    let month_start = days_from_civil(y, m, 1);
    match f.period {
        Period::Today => (today, today),
        Period::Days7 => (today - 6, today),
        Period::Days30 => (today - 29, today),
        Period::ThisMonth => (month_start, today),
        Period::LastMonth => {
            let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
            (days_from_civil(py, pm, 1), month_start - 1)
        }
        Period::Quarter => (days_from_civil(y, (m - 1) / 3 * 3 + 1, 1), today),
        Period::Months12 => (year_before(today) + 1, today),
        Period::Custom => (f.from.unwrap_or(today), f.to.unwrap_or(today)),
    }
}

/// A filter resolved against an anchor day: the engine queries of the period and the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// Inclusive day range of the period.
    pub range: (i64, i64),
    /// Inclusive day range of the comparison period.
    pub cmp_range: Option<(i64, i64)>,
    /// The query of the period (no grouping).
    pub query: Query,
    /// The query of the comparison period.
    pub cmp_query: Option<Query>,
    /// Seconds after local midnight both periods' last days are cut at (see [`resolve`]).
    pub until: Option<i64>,
}

/// The engine query of `f` over `range`.
pub fn query_for(f: &Filters, range: (i64, i64)) -> Query {
    Query {
        from: Some(range.0),
        to: Some(range.1),
        filters: f.dims.clone(),
        business_hours: f.business_hours,
        ..Query::default()
    }
}

/// Resolves `f` for anchor day `today`, which has gone on for `elapsed` seconds since its local
/// midnight when it is in progress (the data reaches "now" on it). A period that ends on that
/// day is then compared with the same span of the earlier one: the comparison's last day is
/// cut at the same time of day ([`Query::last_day_until`]); the period's own cut changes
/// nothing, as no contact has arrived after now.
pub fn resolve(f: &Filters, today: i64, elapsed: Option<i64>) -> Resolved {
    let range = period_range(f, today);
    let len = range.1 - range.0 + 1;
    let cmp_range = match f.compare {
        Compare::Previous => Some(match f.period {
            // Calendar periods compare with the calendar period before, over the same days of
            // it: November 1–23 with October 1–23, last month with the month before it, this
            // quarter so far with the same days of the last one.
            Period::ThisMonth => calendar_before(range, 1),
            Period::LastMonth => (calendar_before(range, 1).0, range.0 - 1),
            Period::Quarter => calendar_before(range, 3),
            _ => (range.0 - len, range.0 - 1),
        }),
        Compare::LastYear => Some((year_before(range.0), year_before(range.1))),
        Compare::None => None,
    };
    let until = elapsed.filter(|_| range.1 == today);
    let cut = |r: (i64, i64), until: Option<i64>| Query {
        last_day_until: until,
        ..query_for(f, r)
    };
    // A comparison that ends on its period's last day because that period is shorter (March
    // 31 against February 28) compares that whole day: it is over, and no later day stands in
    // for the rest of today.
    let cmp_until = until.filter(|_| cmp_range.is_some_and(|(a, b)| b - a == range.1 - range.0));
    Resolved {
        range,
        cmp_range,
        query: cut(range, until),
        cmp_query: cmp_range.map(|r| cut(r, cmp_until)),
        until,
    }
}

/// The days of `range`, which starts on the first day of a month (or quarter), taken `months`
/// earlier: from that month's first day, as many days as `range` has, at most to the day before
/// `range` (a longer month's 31st becomes a shorter one's last day).
fn calendar_before(range: (i64, i64), months: u32) -> (i64, i64) {
    let (y, m, _) = civil(range.0);
    let back = (y * 12 + i64::from(m) - 1) - i64::from(months);
    let start = days_from_civil(back.div_euclid(12), back.rem_euclid(12) as u32 + 1, 1);
    (start, (start + (range.1 - range.0)).min(range.0 - 1))
}

/// The `kpi report` arguments equivalent to a resolved filter (shown for reproducibility).
pub fn cli_args(f: &Filters, r: &Resolved) -> String {
    let mut s = format!("--from {} --to {}", day_str(r.range.0), day_str(r.range.1));
    for (d, v) in &f.dims {
        s.push_str(&format!(" --filter {d}={}", v.join(",")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &[(&str, &str)]) -> Vec<(String, String)> {
        s.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn round_trip_and_defaults() {
        let p = pairs(&[
            ("period", "custom"),
            ("from", "2026-10-10"),
            ("to", "2026-10-01"),
            ("channel", "voice,chat"),
            ("compare", "last_year"),
            ("bh", "1"),
            ("kpi", "sla"),
        ]);
        let f = parse(&p, Period::Today);
        assert_eq!(f.from, parse_day("2026-10-01"));
        assert_eq!(f.values("channel"), ["voice", "chat"]);
        assert_eq!(parse(&to_pairs(&f, Period::Today), Period::Today), f);
        let kept = replace_filters(&p, &f, Period::Today);
        assert!(kept.contains(&("kpi".into(), "sla".into())));
        let bad = parse(&pairs(&[("period", "custom")]), Period::Days7);
        assert_eq!(bad.period, Period::Days7);
    }

    #[test]
    fn ranges() {
        let today = parse_day("2026-03-10").unwrap();
        let mut f = parse(&[], Period::LastMonth);
        assert_eq!(
            period_range(&f, today),
            (
                parse_day("2026-02-01").unwrap(),
                parse_day("2026-02-28").unwrap()
            )
        );
        f.period = Period::Quarter;
        assert_eq!(period_range(&f, today).0, parse_day("2026-01-01").unwrap());
        f.period = Period::Days7;
        let r = resolve(&f, today, None);
        assert_eq!(r.cmp_range, Some((today - 13, today - 7)));
        assert_eq!(r.cmp_query.as_ref().and_then(|q| q.last_day_until), None);
        // Today in progress (10:30): the comparison's last day stops at 10:30 as well; a period
        // that ended before today is whole.
        let r = resolve(&f, today, Some(37_800));
        assert_eq!(r.until, Some(37_800));
        assert_eq!(r.query.last_day_until, Some(37_800));
        assert_eq!(
            r.cmp_query.as_ref().and_then(|q| q.last_day_until),
            Some(37_800)
        );
        f.period = Period::LastMonth;
        let r = resolve(&f, today, Some(37_800));
        assert_eq!((r.until, r.query.last_day_until), (None, None));
        assert_eq!(r.cmp_query.and_then(|q| q.last_day_until), None);
        assert_eq!(anchor_day(today - 3, today), today - 3);
        assert_eq!(anchor_day(today + 1, today), today);
    }

    #[test]
    fn calendar_periods_compare_with_the_calendar_period_before() {
        let d = |s: &str| parse_day(s).unwrap();
        let cmp = |p: Period, today: &str| {
            let mut f = parse(&[], p);
            f.compare = Compare::Previous;
            resolve(&f, d(today), None).cmp_range
        };
        // November so far against the same days of October; last month (October) against
        // September whole; this quarter so far against the same days of the last one.
        assert_eq!(
            cmp(Period::ThisMonth, "2026-11-23"),
            Some((d("2026-10-01"), d("2026-10-23")))
        );
        assert_eq!(
            cmp(Period::LastMonth, "2026-11-23"),
            Some((d("2026-09-01"), d("2026-09-30")))
        );
        assert_eq!(
            cmp(Period::Quarter, "2026-11-23"),
            Some((d("2026-07-01"), d("2026-08-23")))
        );
        // Across a year, and a longer month onto a shorter one (its last day, not March 3).
        assert_eq!(
            cmp(Period::ThisMonth, "2026-01-15"),
            Some((d("2025-12-01"), d("2025-12-15")))
        );
        assert_eq!(
            cmp(Period::ThisMonth, "2026-03-31"),
            Some((d("2026-02-01"), d("2026-02-28")))
        );
        assert_eq!(
            cmp(Period::LastMonth, "2026-03-10"),
            Some((d("2026-01-01"), d("2026-01-31")))
        );
        assert_eq!(
            cmp(Period::Quarter, "2026-02-14"),
            Some((d("2025-10-01"), d("2025-11-14")))
        );
        // Today in progress on March 31: February 28 is compared whole, not until now.
        let mut f = parse(&[], Period::ThisMonth);
        f.compare = Compare::Previous;
        let r = resolve(&f, d("2026-03-31"), Some(37_800));
        assert_eq!(r.query.last_day_until, Some(37_800));
        assert_eq!(r.cmp_query.and_then(|q| q.last_day_until), None);
        let r = resolve(&f, d("2026-03-20"), Some(37_800));
        assert_eq!(r.cmp_query.and_then(|q| q.last_day_until), Some(37_800));
        // Last month in February: the whole of December before it.
        assert_eq!(
            cmp(Period::LastMonth, "2026-02-10"),
            Some((d("2025-12-01"), d("2025-12-31")))
        );
        // Rolling windows keep the window of equal length just before.
        assert_eq!(
            cmp(Period::Days30, "2026-11-23"),
            Some((d("2026-09-25"), d("2026-10-24")))
        );
    }
}
