//! Analyses on top of the KPIs: heatmaps, trends with overlays, period comparisons with
//! significance tests, band and deviation alerts, drivers (rate and mix effects), top topics,
//! duration summaries and how settled a period's cases are. Each is a method of [`crate::Engine`] plus plain result types.

mod alerts;
mod compare;
mod drivers;
mod durations;
mod heatmap;
mod journeys;
mod maturity;
pub mod stat;
pub mod stats;
mod topics;
mod trend;

pub use alerts::{band_alerts, bands_of, Alert, AlertKind};
pub use compare::{compare_accs, Comparison};
pub use drivers::{decompose, Driver, Drivers};
pub use durations::{durations, DurationStats};
pub use heatmap::Heatmap;
pub use journeys::{ChannelUsage, Transitions};
pub use maturity::{CaseMaturity, CASE_WINDOW_DAYS};
pub use stat::{stat, Stat};
pub use stats::TestResult;
pub use topics::TopicRow;
pub use trend::{
    coverage, last_buckets, moving_average, overlay_ranges, Coverage, Series, Trend, TrendPoint,
};

use crate::kpi::KpiAcc;

/// The value of contact or case KPI `id` in `a` (`contacts` is the volume).
pub fn kpi_value(a: &KpiAcc, id: &str) -> Option<f64> {
    match stat(a, id) {
        Some(s) => s.value(),
        None => a.value(id),
    }
}

/// An inclusive range of local days.
pub type DayRange = (i64, i64);
