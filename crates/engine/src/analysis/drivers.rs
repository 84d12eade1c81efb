//! Drivers of a KPI change between two periods: per segment, the *rate effect* (the KPI moved
//! inside the segment) and the *mix effect* (the segment's share of the denominator moved).
//!
//! With `w` a segment's share of the denominator and `r` its rate, the total is `Σ w·r`, and
//! `Δtotal = Σ Δw·(r_a + r_b)/2 + Σ Δr·(w_a + w_b)/2` exactly (the symmetric, Shapley split).
//! Since `Σ Δw = 0`, a segment's mix term is taken against the mean total `R̄` of the two
//! periods, `Δw·((r_a + r_b)/2 − R̄)`: the same sum, and a term that says what the segment's
//! shift did. A segment present in one period only takes its rate from the other, so its whole
//! contribution is mix.

use super::stat::stat;
use super::DayRange;
use crate::engine::Engine;
use crate::query::{Dim, Query, QueryError};
use serde::Serialize;

/// One segment's contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// Segment value.
    pub segment: String,
    /// Share of the denominator in period a and b.
    pub weight: (f64, f64),
    /// The KPI in the segment in period a and b.
    pub rate: (Option<f64>, Option<f64>),
    /// Change explained by the KPI moving inside the segment.
    pub rate_effect: f64,
    /// Change explained by the segment's share moving: its share's change times its rate's
    /// distance from the mean total of the two periods.
    pub mix_effect: f64,
}

/// A KPI change split into segment effects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drivers {
    /// KPI id.
    pub kpi: String,
    /// The segmenting dimension.
    pub dim: String,
    /// The KPI in period a and b (from the segments' sums).
    pub total: (Option<f64>, Option<f64>),
    /// `total.1 − total.0` (0 when either is missing).
    pub change: f64,
    /// Σ rate effects.
    pub rate_effect: f64,
    /// Σ mix effects.
    pub mix_effect: f64,
    /// Segments by decreasing |rate + mix| effect.
    pub segments: Vec<Driver>,
}

/// One segment's `(num, den)` in the two periods.
type SegmentPair = ((f64, f64), (f64, f64));

/// Per segment name: the KPI's `(name, num, den)`; `None` when the KPI has no parts.
type Parts = Option<Vec<(String, f64, f64)>>;

/// Decomposes the change of `Σnum/Σden` from parts `a` to parts `b`, by segment name.
pub fn decompose(
    kpi: &str,
    dim: &str,
    a: &[(String, f64, f64)],
    b: &[(String, f64, f64)],
) -> Drivers {
    // Every segment once, in name order (a sorted vector rather than a map: less code).
    let mut names: Vec<&str> = a.iter().chain(b).map(|(s, ..)| s.as_str()).collect();
    crate::sorting::sort(&mut names);
    names.dedup();
    let mut segs: Vec<(&str, SegmentPair)> = names
        .into_iter()
        .map(|s| (s, SegmentPair::default()))
        .collect();
    for (s, n, d) in a {
        let i = segs.partition_point(|(k, _)| *k < s.as_str());
        segs[i].1 .0 = (*n, *d);
    }
    for (s, n, d) in b {
        let i = segs.partition_point(|(k, _)| *k < s.as_str());
        segs[i].1 .1 = (*n, *d);
    }
    let den_a: f64 = segs.iter().map(|(_, x)| x.0 .1).sum();
    let den_b: f64 = segs.iter().map(|(_, x)| x.1 .1).sum();
    let num_a: f64 = segs.iter().map(|(_, x)| x.0 .0).sum();
    let num_b: f64 = segs.iter().map(|(_, x)| x.1 .0).sum();
    let total = (
        (den_a > 0.0).then(|| num_a / den_a),
        (den_b > 0.0).then(|| num_b / den_b),
    );
    let mut out = Vec::new();
    if den_a > 0.0 && den_b > 0.0 {
        // A segment's mix effect is measured against the mean of the two totals: the shares
        // change by Σ Δw = 0, so the sum is the same, but each term then says what the shift
        // did (toward a segment above the average raises the total) rather than the shift
        // times the segment's whole rate, which the shifts away from the others cancel.
        let mean = (num_a / den_a + num_b / den_b) / 2.0;
        for (s, ((na, da), (nb, db))) in segs {
            let (wa, wb) = (da / den_a, db / den_b);
            let ra = (da > 0.0).then(|| na / da);
            let rb = (db > 0.0).then(|| nb / db);
            let (xa, xb) = match (ra, rb) {
                (Some(x), Some(y)) => (x, y),
                (Some(x), None) => (x, x),
                (None, Some(y)) => (y, y),
                (None, None) => (0.0, 0.0),
            };
            out.push(Driver {
                segment: s.to_string(),
                weight: (wa, wb),
                rate: (ra, rb),
                rate_effect: (xb - xa) * (wa + wb) / 2.0,
                mix_effect: (wb - wa) * ((xa + xb) / 2.0 - mean),
            });
        }
    }
    crate::sorting::sort_by(&mut out, |x, y| {
        (y.rate_effect + y.mix_effect)
            .abs()
            .total_cmp(&(x.rate_effect + x.mix_effect).abs())
    });
    Drivers {
        kpi: kpi.into(),
        dim: dim.into(),
        total,
        change: match total {
            (Some(x), Some(y)) => y - x,
            _ => 0.0,
        },
        rate_effect: out.iter().map(|d| d.rate_effect).sum(),
        mix_effect: out.iter().map(|d| d.mix_effect).sum(),
        segments: out,
    }
}

impl Engine {
    /// What moved `kpi` from period `a` to period `b`, segment by segment of `dim`. Works for
    /// every KPI that is a ratio of additive sums (rates, means, cost per contact, ...);
    /// `None` for others (percentiles, recurring customers, agent and daily KPIs).
    pub fn drivers(
        &self,
        q: &Query,
        kpi: &str,
        dim: Dim,
        a: DayRange,
        b: DayRange,
    ) -> Result<Option<Drivers>, QueryError> {
        if kpi == "recurring_customer_rate" {
            return Ok(None);
        }
        let name = dim.name().to_string();
        let parts = |r: DayRange| -> Result<Parts, QueryError> {
            let g = self.contact_groups(&Query {
                from: Some(r.0),
                to: Some(r.1),
                by: vec![dim.clone()],
                ..q.clone()
            })?;
            let mut v = Vec::new();
            for (k, acc) in &g {
                let Some(s) = stat(acc, kpi) else {
                    return Ok(None);
                };
                let (n, d) = s.parts();
                v.push((k[0].1.clone(), n, d));
            }
            Ok(Some(v))
        };
        if super::stat::stat(&Default::default(), kpi).is_none() {
            return Ok(None);
        }
        match (parts(a)?, parts(b)?) {
            (Some(pa), Some(pb)) => Ok(Some(decompose(kpi, &name, &pa, &pb))),
            _ => Ok(None),
        }
    }
}
