//! Benchmark bands: thresholds that turn a KPI value into a status word and colour.

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

/// Thresholds of one KPI. For "higher is better" KPIs `good ≥ x` is good and `x < bad` is bad;
/// for "lower is better" the reverse; for a target range (occupancy) good is `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Bands {
    /// Good from this value (or below it, for lower-is-better).
    pub good: Option<f64>,
    /// Bad beyond this value.
    pub bad: Option<f64>,
    /// Lower end of a target range.
    pub low: Option<f64>,
    /// Upper end of a target range.
    pub high: Option<f64>,
}
