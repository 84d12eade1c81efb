//! Mergeable measures: small accumulators that `add` observations and `merge` with each other,
//! so that the value over a union equals the merge of the parts. Every KPI is one of these (or a
//! combination), which lets a warehouse cube feed the same code as raw rows.

mod distinct;
mod histogram;
mod mean;
mod nps;
mod ratio;
mod span;

pub use distinct::{CodeHasher, CodeMap, Distinct};
pub use histogram::Histogram;
pub use mean::Mean;
pub use nps::{Nps, NpsClass};
pub use ratio::Ratio;
pub use span::Span;

/// An accumulator that can absorb another one of its kind.
pub trait Merge {
    /// Adds everything `other` has seen to `self`.
    fn merge(&mut self, other: &Self);
}

/// An accumulator with a single headline value; `None` means "no data" (empty denominator).
pub trait Estimate {
    /// The value, or `None` when nothing was observed.
    fn estimate(&self) -> Option<f64>;
}
