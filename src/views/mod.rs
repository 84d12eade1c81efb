//! One module per route.

mod overview;

pub use overview::Overview;
