//! Benchmark bands: thresholds that turn a KPI value into a status word and colour.

use super::catalog::Better;
use serde::{Deserialize, Serialize};

/// A KPI's status against its bands. Shown as a word and a colour, never colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Better than the good threshold.
    Good,
    /// Between thresholds.
    Watch,
    /// Worse than the bad threshold.
    Bad,
    /// No bands defined, or no data.
    None,
}

impl Band {
    /// The status word shown beside the value.
    pub fn word(self) -> &'static str {
        match self {
            Band::Good => "good",
            Band::Watch => "watch",
            Band::Bad => "act now",
            Band::None => "",
        }
    }
}

/// Thresholds of one KPI.
///
/// - higher is better: good when `x ≥ good`, bad when `x < bad`, watch between;
/// - lower is better: good when `x ≤ good`, bad when `x > bad`, watch between;
/// - target range (occupancy): good when `low ≤ x ≤ high`, bad when `x < bad` or
///   `x > bad_high`, watch otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Bands {
    /// Good from this value (or below it, for lower-is-better).
    pub good: Option<f64>,
    /// Bad beyond this value (below it for higher-is-better and ranges).
    pub bad: Option<f64>,
    /// Lower end of a target range.
    pub low: Option<f64>,
    /// Upper end of a target range.
    pub high: Option<f64>,
    /// Bad above this value, for a target range.
    pub bad_high: Option<f64>,
}

impl Bands {
    /// Bands with a good and a bad threshold.
    pub const fn new(good: Option<f64>, bad: Option<f64>) -> Bands {
        Bands {
            good,
            bad,
            low: None,
            high: None,
            bad_high: None,
        }
    }

    /// True when no threshold is set.
    pub fn is_empty(&self) -> bool {
        *self == Bands::default()
    }

    /// The status of `value` for a KPI whose better direction is `better`.
    pub fn classify(&self, value: Option<f64>, better: Better) -> Band {
        let Some(x) = value else { return Band::None };
        if self.is_empty() || x.is_nan() {
            return Band::None;
        }
        match better {
            Better::Higher => {
                if self.good.is_some_and(|g| x >= g) {
                    Band::Good
                } else if self.bad.is_some_and(|b| x < b) {
                    Band::Bad
                } else {
                    Band::Watch
                }
            }
            Better::Lower => {
                if self.good.is_some_and(|g| x <= g) {
                    Band::Good
                } else if self.bad.is_some_and(|b| x > b) {
                    Band::Bad
                } else {
                    Band::Watch
                }
            }
            Better::Range => {
                let in_range = self.low.is_none_or(|l| x >= l) && self.high.is_none_or(|h| x <= h);
                if in_range && (self.low.is_some() || self.high.is_some()) {
                    Band::Good
                } else if self.bad.is_some_and(|b| x < b) || self.bad_high.is_some_and(|b| x > b) {
                    Band::Bad
                } else {
                    Band::Watch
                }
            }
            Better::Context => Band::None,
        }
    }
}

/// Bands whose thresholds contradict their direction: the one [`Bands::contradiction`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BandsError {
    /// Higher is better, yet "good" is below "bad".
    #[error("higher is better, so \"good\" must be at least \"bad\"")]
    HigherReversed,
    /// Lower is better, yet "good" is above "bad".
    #[error("lower is better, so \"good\" must be at most \"bad\"")]
    LowerReversed,
    /// A target range whose thresholds are not in the order bad ≤ low ≤ high ≤ bad_high.
    #[error("a target range needs bad ≤ low ≤ high ≤ bad_high")]
    RangeOutOfOrder,
    /// A threshold that is not a number.
    #[error("a threshold is not a number")]
    NotANumber,
}

impl Bands {
    /// Why these bands cannot be meant for a KPI whose better direction is `better` (a value
    /// would be "good" and "act now" at once, or never either), if they cannot.
    pub fn contradiction(&self, better: Better) -> Option<BandsError> {
        let all = [self.good, self.bad, self.low, self.high, self.bad_high];
        if all.iter().flatten().any(|x| x.is_nan()) {
            return Some(BandsError::NotANumber);
        }
        match (better, self.good, self.bad) {
            (Better::Higher, Some(g), Some(b)) if g < b => return Some(BandsError::HigherReversed),
            (Better::Lower, Some(g), Some(b)) if g > b => return Some(BandsError::LowerReversed),
            _ => {}
        }
        if better == Better::Range {
            let order: Vec<f64> = [self.bad, self.low, self.high, self.bad_high]
                .into_iter()
                .flatten()
                .collect();
            if order.windows(2).any(|w| w[0] > w[1]) {
                return Some(BandsError::RangeOutOfOrder);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Occupancy's target range: good 70–85 %, act now below 65 % or above 90 %.
    fn occupancy() -> Bands {
        Bands {
            low: Some(0.70),
            high: Some(0.85),
            bad: Some(0.65),
            bad_high: Some(0.90),
            good: None,
        }
    }

    #[test]
    fn contradictions_are_named() {
        let csat = Bands::new(Some(4.2), Some(3.8));
        assert_eq!(csat.contradiction(Better::Higher), None);
        assert_eq!(
            csat.contradiction(Better::Lower),
            Some(BandsError::LowerReversed)
        );
        let reversed = Bands::new(Some(2.0), Some(4.5));
        assert_eq!(
            reversed.contradiction(Better::Higher),
            Some(BandsError::HigherReversed)
        );
        assert_eq!(reversed.contradiction(Better::Lower), None);
        // One threshold alone, or equal ones, contradict nothing.
        assert_eq!(
            Bands::new(Some(2.0), None).contradiction(Better::Higher),
            None
        );
        assert_eq!(
            Bands::new(Some(3.0), Some(3.0)).contradiction(Better::Higher),
            None
        );
        let occ = occupancy();
        assert_eq!(occ.contradiction(Better::Range), None);
        let swapped = Bands {
            high: Some(0.60),
            ..occ
        };
        assert_eq!(
            swapped.contradiction(Better::Range),
            Some(BandsError::RangeOutOfOrder)
        );
        let nan = Bands::new(Some(f64::NAN), None);
        assert_eq!(
            nan.contradiction(Better::Higher),
            Some(BandsError::NotANumber)
        );
        // The catalog's own bands contradict nothing.
        for k in crate::kpi::CATALOG {
            assert_eq!(k.bands.contradiction(k.better), None, "{}", k.id);
        }
    }

    #[test]
    fn classify_each_direction() {
        let csat = Bands::new(Some(4.2), Some(3.8));
        assert_eq!(csat.classify(Some(4.2), Better::Higher), Band::Good);
        assert_eq!(csat.classify(Some(4.0), Better::Higher), Band::Watch);
        assert_eq!(csat.classify(Some(3.7), Better::Higher), Band::Bad);
        assert_eq!(csat.classify(None, Better::Higher), Band::None);
        let ces = Bands::new(Some(2.0), None);
        assert_eq!(ces.classify(Some(1.5), Better::Lower), Band::Good);
        assert_eq!(ces.classify(Some(3.0), Better::Lower), Band::Watch);
        let occ = occupancy();
        assert_eq!(occ.classify(Some(0.80), Better::Range), Band::Good);
        assert_eq!(occ.classify(Some(0.88), Better::Range), Band::Watch);
        assert_eq!(occ.classify(Some(0.95), Better::Range), Band::Bad);
        assert_eq!(occ.classify(Some(0.60), Better::Range), Band::Bad);
        assert_eq!(
            Bands::default().classify(Some(1.0), Better::Higher),
            Band::None
        );
    }
}
