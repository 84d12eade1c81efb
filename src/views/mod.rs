//! One module per route.

pub mod data;
mod exec;
mod ops;
pub mod settings;

pub use exec::Exec;
pub use ops::{Ops, ToOps};
