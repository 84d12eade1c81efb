//! Mean, median and p90 of every duration the accumulator tracks.

use crate::kpi::KpiAcc;
use crate::measure::Histogram;
use serde::Serialize;

/// Summary of one duration, seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationStats {
    /// `first_response`, `handle`, `handoff`, `handle_per_case` or `resolution`.
    pub id: &'static str,
    /// Observations.
    pub n: u64,
    /// Mean.
    pub mean: Option<f64>,
    /// Median (nearest rank; exact below 120 s, within 1 % above).
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
}

fn summary(id: &'static str, h: &Histogram) -> DurationStats {
    DurationStats {
        id,
        n: h.n(),
        mean: h.mean.mean(),
        p50: h.quantile(0.5),
        p90: h.quantile(0.9),
    }
}

/// Every duration of `a`.
pub fn durations(a: &KpiAcc) -> Vec<DurationStats> {
    vec![
        summary("first_response", &a.first_response),
        summary("handle", &a.handle),
        summary("handoff", &a.handoff),
        summary("handle_per_case", &a.cases.handle),
        summary("resolution", &a.cases.resolution),
    ]
}
