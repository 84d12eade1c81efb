//! KPIs: the catalog (ids, units, bands) and the accumulator that computes them from rows.

mod acc;
mod bands;

pub use acc::KpiAcc;
pub use bands::{Band, Bands};
