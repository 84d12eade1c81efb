//! Duration histogram with fixed bucket edges, for percentiles that merge.
//!
//! Buckets are one second wide below [`Histogram::LINEAR_LIMIT`] seconds, so whole-second data
//! there gives exact percentiles; above it they grow by 2 % each, and a percentile is reported as
//! its bucket's geometric midpoint, within ±1 % of the true order statistic. Percentiles use the
//! nearest-rank definition: the p-quantile is the smallest observation with at least ⌈p·n⌉
//! observations at or below it.

use super::{Mean, Merge};
use serde::{Deserialize, Serialize};

/// Counts per bucket (grown on demand up to the largest bucket used), plus the exact mean.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Count per bucket index.
    pub counts: Vec<u32>,
    /// Exact count, sum and sum of squares.
    pub mean: Mean,
}

const GROWTH: f64 = 1.02;

impl Histogram {
    /// Below this many seconds buckets are one second wide.
    pub const LINEAR_LIMIT: f64 = 120.0;

    /// The bucket of `x` seconds (negative values count as 0).
    #[inline]
    pub fn bucket(x: f64) -> usize {
        if !(x > 0.0) {
            0
        } else if x < Self::LINEAR_LIMIT {
            x as usize
        } else {
            Self::LINEAR_LIMIT as usize + ((x / Self::LINEAR_LIMIT).ln() / GROWTH.ln()) as usize
        }
    }

    /// The value reported for bucket `b`.
    pub fn representative(b: usize) -> f64 {
        let lin = Self::LINEAR_LIMIT as usize;
        if b < lin {
            b as f64
        } else {
            Self::LINEAR_LIMIT * GROWTH.powf((b - lin) as f64 + 0.5)
        }
    }

    /// Adds one observation.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let b = Self::bucket(x);
        if b >= self.counts.len() {
            self.counts.resize(b + 1, 0);
        }
        self.counts[b] += 1;
        self.mean.add(x);
    }

    /// Number of observations.
    pub fn n(&self) -> u64 {
        self.mean.n
    }

    /// Nearest-rank quantile for `p` in (0, 1]; `None` when empty.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        let n = self.mean.n;
        if n == 0 {
            return None;
        }
        let rank = ((p.clamp(0.0, 1.0) * n as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c as u64;
            if seen >= rank {
                return Some(Self::representative(b));
            }
        }
        None
    }
}

impl Merge for Histogram {
    fn merge(&mut self, o: &Self) {
        if o.counts.len() > self.counts.len() {
            self.counts.resize(o.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.mean.merge(&o.mean);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_below_two_minutes_nearest_rank() {
        let mut h = Histogram::default();
        assert_eq!(h.quantile(0.5), None);
        for x in [10.0, 20.0, 30.0, 40.0] {
            h.add(x);
        }
        // Nearest rank: ⌈0.5·4⌉ = 2nd value; ⌈0.9·4⌉ = 4th.
        assert_eq!(h.quantile(0.5), Some(20.0));
        assert_eq!(h.quantile(0.9), Some(40.0));
        assert_eq!(h.mean.mean(), Some(25.0));
    }

    #[test]
    fn within_one_percent_above_and_merges() {
        let mut a = Histogram::default();
        let mut b = Histogram::default();
        for x in [500.0, 1000.0, 86_400.0] {
            a.add(x);
        }
        b.add(3600.0);
        a.merge(&b);
        let med = a.quantile(0.5).unwrap(); // 2nd of 500, 1000, 3600, 86400
        assert!((med - 1000.0).abs() / 1000.0 <= 0.01, "{med}");
        let top = a.quantile(1.0).unwrap();
        assert!((top - 86_400.0).abs() / 86_400.0 <= 0.01, "{top}");
    }
}
