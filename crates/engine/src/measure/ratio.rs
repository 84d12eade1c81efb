//! A rate: hits over trials (or any numerator over a denominator).

use super::{Estimate, Merge};
use serde::{Deserialize, Serialize};

/// Numerator and denominator. The value is `num / den`, `None` when `den` is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// Numerator.
    pub num: f64,
    /// Denominator.
    pub den: f64,
}

impl Ratio {
    /// Counts one trial, a hit when `hit`.
    #[inline]
    pub fn add(&mut self, hit: bool) {
        self.den += 1.0;
        if hit {
            self.num += 1.0;
        }
    }

    /// Adds arbitrary amounts to numerator and denominator.
    #[inline]
    pub fn add_parts(&mut self, num: f64, den: f64) {
        self.num += num;
        self.den += den;
    }

    /// `num / den`, `None` for an empty denominator.
    pub fn value(&self) -> Option<f64> {
        (self.den != 0.0).then(|| self.num / self.den)
    }
}

impl Merge for Ratio {
    fn merge(&mut self, o: &Self) {
        self.num += o.num;
        self.den += o.den;
    }
}

impl Estimate for Ratio {
    fn estimate(&self) -> Option<f64> {
        self.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_denominator_is_no_data() {
        let mut r = Ratio::default();
        assert_eq!(r.value(), None);
        r.add(true);
        r.add(false);
        r.add(false);
        r.add(true);
        assert_eq!(r.value(), Some(0.5));
    }
}
