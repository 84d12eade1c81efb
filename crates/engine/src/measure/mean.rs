//! Arithmetic mean, with the sum of squares so that Welch's t-test can use it.

use super::{Estimate, Merge};
use serde::{Deserialize, Serialize};

/// Count, sum and sum of squares of observations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Mean {
    /// Observations.
    pub n: u64,
    /// Σ x.
    pub sum: f64,
    /// Σ x².
    pub sum_sq: f64,
}

impl Mean {
    /// Adds one observation.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
    }

    /// The mean, `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    /// Sample variance (n − 1 denominator), `None` below two observations.
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        Some(((self.sum_sq - self.sum * self.sum / n) / (n - 1.0)).max(0.0))
    }
}

impl Merge for Mean {
    fn merge(&mut self, o: &Self) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
    }
}

impl Estimate for Mean {
    fn estimate(&self) -> Option<f64> {
        self.mean()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_variance_by_hand() {
        let mut m = Mean::default();
        assert_eq!(m.mean(), None);
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            m.add(x);
        }
        assert_eq!(m.mean(), Some(5.0));
        // Σ(x−5)² = 32, sample variance 32/7.
        assert!((m.variance().unwrap() - 32.0 / 7.0).abs() < 1e-12);
        let (mut a, mut b) = (Mean::default(), Mean::default());
        a.add(1.0);
        b.add(3.0);
        a.merge(&b);
        assert_eq!(a.mean(), Some(2.0));
    }
}
