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

/// The same day one year earlier (29 February becomes 28 February).
pub fn year_before(day: i64) -> i64 {
    let (y, m, d) = civil(day);
    let d = if m == 2 && d == 29 { 28 } else { d };
    days_from_civil(y - 1, m, d)
}

impl Engine {
    /// The KPI per bucket of local days `from..=to` for the rows `q` selects, split by `split`
    /// when given; buckets without rows are present with `None` (volume: 0).
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
        let groups = self.contact_groups(&q)?;
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
        let empty = KpiAcc::default();
        Ok(names
            .into_iter()
            .map(|name| {
                let points = labels
                    .iter()
                    .map(|l| {
                        let a = vals
                            .get(&(name.clone(), l.clone()))
                            .copied()
                            .unwrap_or(&empty);
                        (l.clone(), kpi_value(a, kpi))
                    })
                    .collect();
                Series { name, points }
            })
            .collect())
    }

    /// The trend of `kpi` over `q`'s range (the data's range when open) with a `window`-bucket
    /// moving average, the previous period of the same number of days and the same dates one
    /// year earlier, aligned bucket by bucket.
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
        let len = to - from + 1;
        let cur = one(from, to)?;
        let prev = one(from - len, from - 1)?;
        let ly = one(year_before(from), year_before(to))?;
        let values: Vec<Option<f64>> = cur.iter().map(|(_, v)| *v).collect();
        let ma = moving_average(&values, window);
        let points = cur
            .into_iter()
            .enumerate()
            .map(|(i, (label, value))| TrendPoint {
                label,
                value,
                moving_average: ma[i],
                previous: prev.get(i).and_then(|p| p.1),
                last_year: ly.get(i).and_then(|p| p.1),
            })
            .collect();
        Ok(Trend {
            kpi: kpi.into(),
            bucket,
            points,
        })
    }
}
