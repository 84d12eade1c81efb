//! Cubes: the engine's mergeable measures pre-aggregated per UTC hour × channel × dimension
//! values, so that a warehouse (see `sql/`) can do the heavy pass over billions of contacts and
//! the dashboard reads the small result. The format is documented in `docs/cube.md`.
//!
//! - [`Cube::build`] makes a cube from a loaded [`Engine`](crate::Engine) (the native writer),
//!   [`Cube::to_csv`] writes it;
//! - [`Cube::from_csv`] reads one (written by the engine, DuckDB, Spark or any warehouse);
//! - [`CubeEngine`] answers the same [`Query`](crate::Query)s as the engine — filters on the
//!   cube's dimensions, date ranges, business/peak hours, grouping by dimensions, by time buckets
//!   of an hour or more, by weekday and hour of day — with the same [`KpiAcc`] and therefore the
//!   same KPIs: exactly for counts, sums and rates, percentiles from the same histogram buckets.
//!
//! Hour buckets are UTC: local buckets are exact in zones whose offset is a whole number of
//! hours (all of Europe and the Americas), business and peak hours when they start and end on
//! the hour.

mod build;
mod csv;
mod engine;

pub use build::CubeSpec;
pub use csv::{is_cube_csv, CubeError, MEASURE_COLUMNS};
pub use engine::CubeEngine;

use crate::kpi::KpiAcc;
use crate::measure::Histogram;
use crate::model::{Channel, Dict};

/// The dimensions a cube keeps by default (besides the channel): the low-cardinality ones.
/// `agent_id` can be added with [`CubeSpec`]; `customer_id` never is a cube dimension (it
/// feeds the `customers` partial instead).
pub const DEFAULT_DIMS: [&str; 5] = ["team", "topic", "segment", "region", "priority"];

/// The histogram columns, in [`Cell::hists`] order.
pub const HIST_COLUMNS: [&str; 5] = [
    "handle_hist",
    "first_response_hist",
    "handoff_hist",
    "case_handle_hist",
    "case_resolution_hist",
];

/// One dimension of a cube: its column name and its values.
#[derive(Debug, Clone, Default)]
pub struct CubeDim {
    /// Column name (`team`, ...).
    pub name: String,
    /// Values; code 0 is the empty value.
    pub dict: Dict,
}

/// One cube row: the partial aggregates of the contacts that arrived in one UTC hour on one
/// channel with one combination of dimension values.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Unix seconds of the UTC hour the contacts arrived in (a multiple of 3600).
    pub hour: i64,
    /// Channel.
    pub channel: Channel,
    /// Code per cube dimension, in [`Cube::dims`] order.
    pub dims: Vec<u32>,
    /// Counts and sums. Its histograms hold only their exact mean parts (`n`, `sum`,
    /// `sum_sq`): the bucket counts are in `hists`; its distinct customers are in `customers`;
    /// its live queue is `None`.
    pub acc: KpiAcc,
    /// Sparse bucket counts `(bucket, count)` of the five histograms ([`HIST_COLUMNS`]).
    pub hists: [Vec<(u32, u32)>; 5],
    /// Customers of the cases whose first contact is in the cell: `(code in
    /// [`Cube::customers`], cases)`, cases saturated at 2.
    pub customers: Vec<(u32, u8)>,
}

impl Default for Cell {
    fn default() -> Self {
        Cell {
            hour: 0,
            channel: Channel::Other,
            dims: Vec::new(),
            acc: KpiAcc::default(),
            hists: Default::default(),
            customers: Vec::new(),
        }
    }
}

impl Cell {
    /// The histogram of `acc` that column `k` of [`HIST_COLUMNS`] fills.
    pub fn hist_mut(acc: &mut KpiAcc, k: usize) -> &mut Histogram {
        match k {
            0 => &mut acc.handle,
            1 => &mut acc.first_response,
            2 => &mut acc.handoff,
            3 => &mut acc.cases.handle,
            _ => &mut acc.cases.resolution,
        }
    }

    /// Adds this cell's partials into `acc` (the accumulator of a group); `universe` is the
    /// size of the cube's customer dictionary.
    pub fn add_to(&self, acc: &mut KpiAcc, universe: usize) {
        use crate::measure::Merge;
        acc.merge(&self.acc);
        for (k, h) in self.hists.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            let target = Cell::hist_mut(acc, k);
            for &(b, c) in h {
                let b = b as usize;
                let counts = target.counts.to_mut();
                if b >= counts.len() {
                    counts.resize(b + 1, 0);
                }
                counts[b] += c;
            }
        }
        for &(code, n) in &self.customers {
            for _ in 0..n.min(2) {
                acc.cases.customers.add(code, universe);
            }
        }
    }
}

/// A cube: its dimensions, the customer dictionary of the `customers` partial, and the cells
/// sorted by hour.
#[derive(Debug, Clone, Default)]
pub struct Cube {
    /// Dimensions besides `hour` and `channel`.
    pub dims: Vec<CubeDim>,
    /// Customer ids of the `customers` partial.
    pub customers: Dict,
    /// Rows, sorted by hour.
    pub cells: Vec<Cell>,
}

impl Cube {
    /// Index of dimension `name`.
    pub fn dim_index(&self, name: &str) -> Option<usize> {
        self.dims.iter().position(|d| d.name == name)
    }

    /// Number of contacts the cube summarises.
    pub fn contacts(&self) -> u64 {
        self.cells.iter().map(|c| c.acc.contacts).sum()
    }

    /// Sorts cells by hour (stable), as queries expect.
    pub fn finish(&mut self) {
        if !self.cells.windows(2).all(|w| w[0].hour <= w[1].hour) {
            crate::sorting::sort_by_key(&mut self.cells, |c| c.hour);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::measure::Histogram;

    /// The smallest f64 whose bucket is at least `b` (bisection over the bit patterns of
    /// positive floats, which order like the values).
    fn edge(b: usize) -> f64 {
        let (mut lo, mut hi) = (1.0f64.to_bits(), 1e13f64.to_bits());
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2;
            if Histogram::bucket(f64::from_bits(mid)) >= b {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        f64::from_bits(hi)
    }

    /// The engine stores durations as `f32`, so only f32 values reach a histogram. This checks
    /// that no f32 value lies within a relative 1e-12 of any log bucket edge up to 30 days:
    /// then any SQL engine that computes `floor(ln(x / 120) / ln(1.02))` to better than
    /// 1e-12 puts every f32 value in the engine's bucket (docs/cube.md, "Histogram buckets").
    #[test]
    fn f32_values_are_far_from_every_log_bucket_edge() {
        let max = 120 + ((30.0f64 * 86_400.0 / 120.0).ln() / 1.02f64.ln()) as usize + 2;
        let mut worst = f64::MAX;
        for b in 121..=max {
            let e = edge(b);
            // The f32 values just below and at-or-above the edge.
            let f = e as f32;
            for g in [
                f,
                f32::from_bits(f.to_bits() - 1),
                f32::from_bits(f.to_bits() + 1),
            ] {
                let g = g as f64;
                let ideal = 120.0 * 1.02f64.powi((b - 120) as i32);
                worst = worst.min((g - ideal).abs() / ideal);
                // And the engine agrees with the mathematical bucket there.
                let math = 120 + ((g / 120.0).ln() / 1.02f64.ln()).floor() as usize;
                assert_eq!(Histogram::bucket(g), math, "f32 {g} near edge {b}");
            }
        }
        assert!(worst > 1e-12, "an f32 value is {worst} from an edge");
    }
}
