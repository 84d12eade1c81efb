//! One module per route.

mod exec;
mod ops;

pub use exec::Exec;
pub use ops::{Ops, ToOps};
