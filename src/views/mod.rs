//! One module per route.

mod agents;
pub mod data;
mod exec;
mod journeys;
pub mod lazy;
mod ops;
pub mod settings;

pub use agents::Agents;
pub use exec::Exec;
pub use journeys::Journeys;
pub use ops::{Ops, ToOps};
