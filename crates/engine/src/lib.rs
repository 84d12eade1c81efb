//! omnikpi's engine: the canonical data model, readers, mergeable measures, every KPI of the
//! catalog and the analyses. No UI dependency: it compiles and tests natively and runs unchanged
//! in the browser.

#![warn(missing_docs)]

pub mod config;
pub mod io;
pub mod kpi;
pub mod measure;
pub mod model;
pub mod report;

pub use config::Config;
pub use kpi::KpiAcc;
pub use model::{Channel, ContactRecord, Contacts, Dataset};
pub use report::{LoadReport, Problem, Reason};
