//! Period comparison and before/after a change date, with a significance test per KPI:
//! two-proportion z-test for rates, Welch's t-test for means (NPS as the mean of +100/0/−100).

use super::stat::{stat, Stat};
use super::stats::{two_proportion, welch, TestResult};
use super::{kpi_value, DayRange};
use crate::engine::Engine;
use crate::kpi::{KpiAcc, Source, CATALOG};
use crate::query::{Query, QueryError};
use serde::Serialize;

/// One KPI in two periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// KPI id.
    pub kpi: &'static str,
    /// Value in the first (earlier, "before") period.
    pub a: Option<f64>,
    /// Value in the second ("after") period.
    pub b: Option<f64>,
    /// `b − a`.
    pub change: Option<f64>,
    /// `b / a − 1`, `None` when `a` is 0 or absent.
    pub relative: Option<f64>,
    /// Significance of the difference; `None` for KPIs without a per-observation variance
    /// (ratios of sums, percentiles, counts) or too little data.
    pub test: Option<TestResult>,
}

/// Compares every contact and case KPI of two accumulators.
pub fn compare_accs(a: &KpiAcc, b: &KpiAcc) -> Vec<Comparison> {
    CATALOG
        .iter()
        .filter(|k| matches!(k.source, Source::Contacts | Source::Cases))
        .map(|k| {
            let (va, vb) = (kpi_value(a, k.id), kpi_value(b, k.id));
            let test = match (stat(a, k.id), stat(b, k.id)) {
                (
                    Some(Stat::Proportion {
                        hits: x1,
                        trials: n1,
                    }),
                    Some(Stat::Proportion {
                        hits: x2,
                        trials: n2,
                    }),
                ) => two_proportion(x1, n1, x2, n2),
                (Some(Stat::Mean(m1)), Some(Stat::Mean(m2))) => {
                    match (m1.mean(), m1.variance(), m2.mean(), m2.variance()) {
                        (Some(x1), Some(v1), Some(x2), Some(v2)) => {
                            welch(m1.n as f64, x1, v1, m2.n as f64, x2, v2)
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            let change = va.zip(vb).map(|(x, y)| y - x);
            Comparison {
                kpi: k.id,
                a: va,
                b: vb,
                change,
                relative: va
                    .zip(vb)
                    .and_then(|(x, y)| (x != 0.0).then(|| y / x - 1.0)),
                test,
            }
        })
        .collect()
}

impl Engine {
    /// Compares periods `a` and `b` (inclusive local days) under `q`'s other filters.
    pub fn compare(
        &self,
        q: &Query,
        a: DayRange,
        b: DayRange,
    ) -> Result<Vec<Comparison>, QueryError> {
        let at = |r: DayRange| Query {
            from: Some(r.0),
            to: Some(r.1),
            by: Vec::new(),
            ..q.clone()
        };
        Ok(compare_accs(&self.total(&at(a))?, &self.total(&at(b))?))
    }

    /// Before versus after `change_day` (the first day of "after") within `q`'s range (the
    /// data's range when open).
    pub fn before_after(&self, q: &Query, change_day: i64) -> Result<Vec<Comparison>, QueryError> {
        let Some((from, to)) = self.range_of(q) else {
            return Ok(Vec::new());
        };
        self.compare(q, (from, change_day - 1), (change_day, to))
    }
}
