//! Trend series: a KPI per time bucket with a trailing moving average, the previous period of
//! the same length and the same period last year overlaid, position by position.

use super::kpi_value;
use crate::engine::Engine;
use crate::kpi::KpiAcc;
use crate::query::{Dim, Query, QueryError};
use crate::time::{civil, days_from_civil, Bucket};
use serde::Serialize;
use std::collections::HashMap;

/// One bucket of a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// Bucket label (`2026-11-16`, `2026-W47`, ...).
    pub label: String,
    /// The KPI in this bucket.
    pub value: Option<f64>,
    /// Mean of the values of this and the previous `window − 1` buckets that have data.
    pub moving_average: Option<f64>,
    /// The KPI in the bucket at the same position of the previous period.
    pub previous: Option<f64>,
    /// The KPI in the bucket at the same position of the same period last year.
    pub last_year: Option<f64>,
}

/// A trend of one KPI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// KPI id.
    pub kpi: String,
    /// Bucket size.
    pub bucket: Bucket,
    /// Buckets in time order, empty ones included.
    pub points: Vec<TrendPoint>,
}

/// One line of a split series (e.g. one channel).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The split value (`voice`), empty for an unsplit series.
    pub name: String,
    /// `(bucket label, value)` for every bucket of the range.
    pub points: Vec<(String, Option<f64>)>,
}

/// Trailing moving average over `window` points, skipping points without data.
pub fn moving_average(values: &[Option<f64>], window: usize) -> Vec<Option<f64>> {
    let w = window.max(1);
    (0..values.len())
        .map(|i| {
            let lo = (i + 1).saturating_sub(w);
            let xs: Vec<f64> = values[lo..=i].iter().flatten().copied().collect();
            (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
        })
        .collect()
}

/// Bucket indices covering local days `from..=to`, in order.
pub fn buckets(b: Bucket, from: i64, to: i64) -> Vec<i64> {
    if to < from {
        return Vec::new();
    }
    match b {
        Bucket::Hour => (from * 24..(to + 1) * 24).collect(),
        Bucket::Day => (from..=to).collect(),
        _ => {
            let (a, z) = (b.index(from * 86_400), b.index(to * 86_400));
            if b == Bucket::Week {
                (0..=(z - a) / 7).map(|k| a + 7 * k).collect()
            } else {
                (a..=z).collect()
            }
        }
    }
}

/// How much of one time bucket an answer covers.
///
/// A bucket that the query's range or the data's own first and last day cut is **partial**: the
/// week the data ends in may hold one day of seven. Its counts are not comparable with those of
/// whole buckets, and its rates and means rest on fewer days, so charts mark it rather than let
/// a short week read as a collapse in volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Days of the bucket inside both the range and the data's days (for hours: 1 when the
    /// hour's day is, else 0).
    pub days: u32,
    /// Days the bucket has (1 for an hour or a day).
    pub of: u32,
}

impl Coverage {
    /// True when part of the bucket lies outside the range or the data.
    pub fn partial(self) -> bool {
        self.days < self.of
    }
}

/// The [`Coverage`] of every bucket of local days `from..=to` (in the order of [`buckets`]),
/// when the data holds local days `data.0..=data.1`.
pub fn coverage(b: Bucket, from: i64, to: i64, data: (i64, i64)) -> Vec<Coverage> {
    let (lo, hi) = (from.max(data.0), to.min(data.1));
    let within = |a: i64, z: i64| (z.min(hi) - a.max(lo) + 1).max(0) as u32;
    buckets(b, from, to)
        .into_iter()
        .map(|i| {
            let (a, z) = match b {
                Bucket::Hour => {
                    let d = i.div_euclid(24);
                    (d, d)
                }
                Bucket::Day => (i, i),
                Bucket::Week => (i, i + 6),
                Bucket::Month | Bucket::Quarter => (b.first_day(i), b.first_day(i + 1) - 1),
            };
            Coverage {
                days: within(a, z),
                of: (z - a + 1) as u32,
            }
        })
        .collect()
}

/// The local days of the last `n` buckets to local day `end`: from the first day of the bucket
/// `n − 1` before the one holding `end`, to `end`. Every bucket but the last is whole (a trend
/// of "the last 13 weeks" has 13 points, the first one a full week).
pub fn last_buckets(bucket: Bucket, end: i64, n: u32) -> (i64, i64) {
    let i = bucket.index(end * crate::time::DAY);
    let back = n.max(1) as i64 - 1;
    let first = match bucket {
        // Week numbers are the Monday's day; hours are per day here.
        Bucket::Week => i - 7 * back,
        Bucket::Hour | Bucket::Day => end - back,
        Bucket::Month | Bucket::Quarter => i - back,
    };
    let from = match bucket {
        Bucket::Hour | Bucket::Day => first,
        _ => bucket.first_day(first),
    };
    (from, end)
}

/// The same day one year earlier (29 February becomes 28 February).
pub fn year_before(day: i64) -> i64 {
    let (y, m, d) = civil(day);
    let d = if m == 2 && d == 29 { 28 } else { d };
    days_from_civil(y - 1, m, d)
}

/// The day ranges of the previous period and of the same period last year for a trend over
/// local days `from..=to` in `bucket`s, so that bucket `i` of each lines up with bucket `i` of
/// the trend: days and hours shift by the range's length and by one calendar year; weeks by
/// their count and by 52 weeks (same ISO weekday); months and quarters by their count and by
/// 12 months / 4 quarters (whole buckets from the first bucket's start).
pub fn overlay_ranges(bucket: Bucket, from: i64, to: i64) -> ((i64, i64), (i64, i64)) {
    let idx = buckets(bucket, from, to);
    let (Some(&first), Some(&last)) = (idx.first(), idx.last()) else {
        return ((from, to), (from, to));
    };
    let n = idx.len() as i64;
    let start = bucket.first_day(first);
    match bucket {
        Bucket::Hour | Bucket::Day => {
            let len = to - from + 1;
            ((from - len, from - 1), (year_before(from), year_before(to)))
        }
        Bucket::Week => (
            (start - 7 * n, start - 1),
            (start - 364, bucket.first_day(last) + 6 - 364),
        ),
        Bucket::Month | Bucket::Quarter => {
            let per_year = if bucket == Bucket::Month { 12 } else { 4 };
            let end = |i: i64| bucket.first_day(i + 1) - 1;
            (
                (bucket.first_day(first - n), start - 1),
                (bucket.first_day(first - per_year), end(last - per_year)),
            )
        }
    }
}

impl Engine {
    /// The KPI per bucket of local days `from..=to` for the rows `q` selects, split by `split`
    /// when given; buckets without rows are present with `None` (volume: 0), and buckets with
    /// no day in the data's days are `None` for every KPI (a count over days before the data
    /// began is not zero).
    pub fn series(
        &self,
        q: &Query,
        kpi: &str,
        bucket: Bucket,
        split: Option<Dim>,
    ) -> Result<Vec<Series>, QueryError> {
        let Some((from, to)) = self.range_of(q) else {
            return Ok(Vec::new());
        };
        let mut by = Vec::new();
        by.extend(split.clone());
        by.push(Dim::Time(bucket));
        let q = Query {
            from: Some(from),
            to: Some(to),
            by,
            ..q.clone()
        };
        let light = match (bucket, &split) {
            (Bucket::Hour, None) => self.light_hours(&q, &[kpi]),
            _ => None,
        };
        let groups = match light {
            Some(hours) => hours
                .into_iter()
                .map(|(i, a)| (vec![(String::new(), bucket.label(i))], a))
                .collect(),
            None => self.contact_groups(&q)?,
        };
        let mut names: Vec<String> = Vec::new();
        let mut vals: HashMap<(String, String), &KpiAcc> = HashMap::new();
        for (k, a) in &groups {
            let name = if split.is_some() {
                k[0].1.clone()
            } else {
                String::new()
            };
            if !names.contains(&name) {
                names.push(name.clone());
            }
            vals.insert((name, k.last().map(|x| x.1.clone()).unwrap_or_default()), a);
        }
        if names.is_empty() {
            names.push(String::new());
        }
        let labels: Vec<String> = buckets(bucket, from, to)
            .into_iter()
            .map(|i| bucket.label(i))
            .collect();
        let covered: Vec<bool> = match self.data_days() {
            Some(d) => coverage(bucket, from, to, d)
                .into_iter()
                .map(|c| c.days > 0)
                .collect(),
            None => vec![false; labels.len()],
        };
        let empty = KpiAcc::default();
        Ok(names
            .into_iter()
            .map(|name| {
                let points = labels
                    .iter()
                    .zip(&covered)
                    .map(|(l, &covered)| {
                        let a = vals
                            .get(&(name.clone(), l.clone()))
                            .copied()
                            .unwrap_or(&empty);
                        (l.clone(), kpi_value(a, kpi).filter(|_| covered))
                    })
                    .collect();
                Series { name, points }
            })
            .collect())
    }

    /// Each `bucket` of `q`'s range (the data's range when open) with its label and its
    /// [`Coverage`] by the contacts' days, in the order of [`Engine::series`]' points; empty
    /// without data.
    pub fn coverage(&self, q: &Query, bucket: Bucket) -> Vec<(String, Coverage)> {
        let (Some((from, to)), Some(data)) = (self.range_of(q), self.data_days()) else {
            return Vec::new();
        };
        buckets(bucket, from, to)
            .into_iter()
            .map(|i| bucket.label(i))
            .zip(coverage(bucket, from, to, data))
            .collect()
    }

    /// The trend of `kpi` over `q`'s range (the data's range when open) with a `window`-bucket
    /// moving average, the previous period and the same period one year earlier (see
    /// [`overlay_ranges`]), aligned bucket by bucket.
    pub fn trend(
        &self,
        q: &Query,
        kpi: &str,
        bucket: Bucket,
        window: usize,
    ) -> Result<Trend, QueryError> {
        let Some((from, to)) = self.range_of(q) else {
            return Ok(Trend {
                kpi: kpi.into(),
                bucket,
                points: Vec::new(),
            });
        };
        let one = |f: i64, t: i64| -> Result<Vec<(String, Option<f64>)>, QueryError> {
            let s = self.series(
                &Query {
                    from: Some(f),
                    to: Some(t),
                    ..q.clone()
                },
                kpi,
                bucket,
                None,
            )?;
            Ok(s.into_iter().next().map(|s| s.points).unwrap_or_default())
        };
        let cur = one(from, to)?;
        let (prev_range, ly_range) = overlay_ranges(bucket, from, to);
        // An overlay bucket the data does not cover whole is no data: a count over days before
        // the data began is not zero, and part of a bucket is not the bucket.
        let data = self.data_days();
        let overlay = |(f, t): (i64, i64)| -> Result<Vec<Option<f64>>, QueryError> {
            let covered = data.map(|d| coverage(bucket, f, t, d)).unwrap_or_default();
            Ok(one(f, t)?
                .into_iter()
                .zip(covered)
                .map(|((_, v), c)| v.filter(|_| c.days == c.of))
                .collect())
        };
        let prev = overlay(prev_range)?;
        let ly = overlay(ly_range)?;
        // A count over part of a bucket is of fewer days, and would drag the average down: the
        // moving average of a count is of whole buckets (rates and means are of whatever days
        // the bucket has).
        let is_count = crate::kpi::kpi(kpi).is_some_and(|d| d.unit == crate::kpi::Unit::Count);
        let whole: Vec<bool> = match data {
            Some(d) if is_count => coverage(bucket, from, to, d)
                .into_iter()
                .map(|c| !c.partial())
                .collect(),
            _ => vec![true; cur.len()],
        };
        let values: Vec<Option<f64>> = cur
            .iter()
            .zip(&whole)
            .map(|((_, v), &w)| v.filter(|_| w))
            .collect();
        let ma = moving_average(&values, window);
        let points = cur
            .into_iter()
            .enumerate()
            .map(|(i, (label, value))| TrendPoint {
                label,
                value,
                moving_average: ma[i],
                previous: prev.get(i).copied().flatten(),
                last_year: ly.get(i).copied().flatten(),
            })
            .collect();
        Ok(Trend {
            kpi: kpi.into(),
            bucket,
            points,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{days_from_civil as d, parse_day};

    #[test]
    fn coverage_marks_the_buckets_the_range_or_the_data_cut() {
        let c = |days, of| Coverage { days, of };
        // The exec's weekly trend: 91 days to Monday 2026-11-23, the data's last day. Tuesday
        // 2026-08-25 starts the range, so its week (Mon 24 Aug) has 6 of 7 days; the week of
        // Mon 23 Nov has 1; the twelve between are whole.
        let data = (d(2025, 11, 24), d(2026, 11, 23));
        let w = coverage(Bucket::Week, d(2026, 8, 25), d(2026, 11, 23), data);
        assert_eq!(w.len(), 14);
        assert_eq!(w[0], c(6, 7));
        assert!(w[1..13].iter().all(|x| *x == c(7, 7) && !x.partial()));
        assert_eq!(w[13], c(1, 7));
        assert!(w[0].partial() && w[13].partial());
        // The data starting inside the range cuts too: it starts on Thursday 27 August.
        let w = coverage(
            Bucket::Week,
            d(2026, 8, 25),
            d(2026, 11, 23),
            (d(2026, 8, 27), data.1),
        );
        assert_eq!(w[0], c(4, 7));
        // A range past the data's end: the days after it are not covered, a bucket wholly
        // after it not at all.
        let w = coverage(Bucket::Week, d(2026, 11, 16), d(2026, 12, 6), data);
        assert_eq!(w, [c(7, 7), c(1, 7), c(0, 7)]);
        // Months: November 2025 from the 24th (7 of 30), February 2026 whole (28), November
        // 2026 to the 23rd.
        let m = coverage(Bucket::Month, d(2025, 11, 24), d(2026, 11, 23), data);
        assert_eq!(m.len(), 13);
        assert_eq!((m[0], m[3], m[12]), (c(7, 30), c(28, 28), c(23, 30)));
        // A quarter: 1 October to 23 November is 54 of Q4's 92 days.
        let q = coverage(Bucket::Quarter, d(2026, 10, 1), d(2026, 11, 23), data);
        assert_eq!(q, [c(54, 92)]);
        // Days and hours are whole inside the data, empty outside it.
        let h = coverage(Bucket::Hour, d(2026, 11, 23), d(2026, 11, 24), data);
        assert_eq!(h.len(), 48);
        assert!(h[..24].iter().all(|x| *x == c(1, 1)));
        assert!(h[24..].iter().all(|x| *x == c(0, 1)));
        assert_eq!(
            coverage(Bucket::Day, d(2026, 11, 22), d(2026, 11, 24), data),
            [c(1, 1), c(1, 1), c(0, 1)]
        );
        // An empty range has no buckets.
        assert!(coverage(Bucket::Week, d(2026, 11, 23), d(2026, 11, 22), data).is_empty());
    }

    #[test]
    fn last_buckets_start_on_a_bucket_boundary() {
        // Monday 2026-08-31: its week is the 13th, so they start on Monday 2026-06-08; 12
        // months from 2025-09-01.
        let end = d(2026, 8, 31);
        assert_eq!(last_buckets(Bucket::Week, end, 13), (d(2026, 6, 8), end));
        assert_eq!(buckets(Bucket::Week, d(2026, 6, 8), end).len(), 13);
        assert_eq!(last_buckets(Bucket::Month, end, 12), (d(2025, 9, 1), end));
        // Sunday 2026-11-22 ends its week: 13 whole weeks from Monday 2026-08-24.
        let end = d(2026, 11, 22);
        assert_eq!(last_buckets(Bucket::Week, end, 13), (d(2026, 8, 24), end));
        // Across a year end, by month and quarter.
        let end = d(2026, 2, 10);
        assert_eq!(last_buckets(Bucket::Month, end, 3), (d(2025, 12, 1), end));
        assert_eq!(last_buckets(Bucket::Quarter, end, 2), (d(2025, 10, 1), end));
        assert_eq!(last_buckets(Bucket::Day, end, 7), (d(2026, 2, 4), end));
        // One bucket: the one holding `end`, from its start.
        assert_eq!(last_buckets(Bucket::Week, end, 1), (d(2026, 2, 9), end));
        assert_eq!(last_buckets(Bucket::Week, end, 0), (d(2026, 2, 9), end));
    }

    #[test]
    fn overlays_line_up_by_bucket() {
        // March 2026 by month: previous = February, last year = March 2025.
        let (p, y) = overlay_ranges(Bucket::Month, d(2026, 3, 1), d(2026, 3, 31));
        assert_eq!(p, (d(2026, 2, 1), d(2026, 2, 28)));
        assert_eq!(y, (d(2025, 3, 1), d(2025, 3, 31)));
        // Q2 2026: previous Q1, last year Q2 2025.
        let (p, y) = overlay_ranges(Bucket::Quarter, d(2026, 4, 1), d(2026, 6, 30));
        assert_eq!(p, (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(y, (d(2025, 4, 1), d(2025, 6, 30)));
        // Two ISO weeks from Wednesday 2026-11-18 (weeks of Mon 16 and Mon 23): previous = the two
        // weeks from Mon 2 Nov; last year = 52 weeks earlier, Mon 17 Nov 2025 to Sun 30 Nov 2025.
        let (p, y) = overlay_ranges(Bucket::Week, d(2026, 11, 18), d(2026, 11, 24));
        assert_eq!(p, (d(2026, 11, 2), d(2026, 11, 15)));
        assert_eq!(y, (d(2025, 11, 17), d(2025, 11, 30)));
        // Days: the same number of days before; the same dates last year.
        let (p, y) = overlay_ranges(Bucket::Day, d(2026, 3, 1), d(2026, 3, 7));
        assert_eq!(p, (d(2026, 2, 22), d(2026, 2, 28)));
        assert_eq!(y, (d(2025, 3, 1), d(2025, 3, 7)));
        assert_eq!(
            parse_day("2024-02-29").map(year_before),
            Some(d(2023, 2, 28))
        );
    }
}
