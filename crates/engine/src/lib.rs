//! omnikpi's engine: the canonical data model, readers, mergeable measures, every KPI of the
//! catalog and the analyses. No UI dependency: it compiles and tests natively and runs unchanged
//! in the browser.

#![warn(missing_docs)]

pub mod analysis;
pub mod arrow_ipc;
mod assemble;
pub mod business;
pub mod cells;
pub mod config;
pub mod cube;
pub mod engine;
pub mod group;
pub mod io;
pub mod json_path;
pub mod kpi;
pub mod live;
pub mod measure;
pub mod model;
pub mod prepared;
pub mod query;
mod recent;
pub mod report;
pub mod sorting;
pub mod staffing;
#[cfg(test)]
mod test_rng;
pub mod text;
pub mod time;
pub mod vec_map;
pub mod zone;

pub use config::Config;
pub use engine::{Engine, Group, KpiValues, SourceKind};
pub use kpi::{KpiAcc, CATALOG};
pub use model::{Channel, ContactRecord, Contacts, Dataset};
pub use query::{Dim, Query, QueryError};
pub use report::{LoadReport, Problem, Reason, SourceCounts};
pub use time::Bucket;
pub use vec_map::VecMap;
pub use zone::Zone;
