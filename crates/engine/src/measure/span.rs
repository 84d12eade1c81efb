//! Opening and closing balances of a period: the value summed on the period's first day and on
//! its last day (e.g. `customers_start` of the first day, `customers_end` of the last).

use super::Merge;
use serde::{Deserialize, Serialize};

/// The sum of a stock variable on the earliest and on the latest day seen. Several rows of one
/// day (a table split by system or traffic source) add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Earliest day and the sum of its values.
    pub first: Option<(i32, f64)>,
    /// Latest day and the sum of its values.
    pub last: Option<(i32, f64)>,
}

fn keep(slot: &mut Option<(i32, f64)>, day: i32, x: f64, earlier: bool) {
    match slot {
        Some((d, s)) if *d == day => *s += x,
        Some((d, _)) if (day < *d) != earlier => {}
        _ => *slot = Some((day, x)),
    }
}

impl Span {
    /// Adds the value `x` of `day` (days since the epoch).
    pub fn add(&mut self, day: i32, x: f64) {
        keep(&mut self.first, day, x, true);
        keep(&mut self.last, day, x, false);
    }

    /// The sum on the first day.
    pub fn opening(&self) -> Option<f64> {
        self.first.map(|(_, s)| s)
    }

    /// The sum on the last day.
    pub fn closing(&self) -> Option<f64> {
        self.last.map(|(_, s)| s)
    }
}

impl Merge for Span {
    fn merge(&mut self, o: &Self) {
        if let Some((d, s)) = o.first {
            keep(&mut self.first, d, s, true);
        }
        if let Some((d, s)) = o.last {
            keep(&mut self.last, d, s, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_and_last_day_sums_merge() {
        let mut a = Span::default();
        assert_eq!(a.opening(), None);
        a.add(10, 100.0);
        a.add(10, 5.0); // same day, other system: 105
        a.add(12, 120.0);
        let mut b = Span::default();
        b.add(9, 90.0);
        b.add(11, 110.0);
        a.merge(&b);
        assert_eq!((a.opening(), a.closing()), (Some(90.0), Some(120.0)));
    }
}
