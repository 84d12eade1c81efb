//! KPIs: the catalog (ids, units, bands, tiers), the per-dataset case outcomes, and the
//! mergeable accumulators that compute every KPI from contact, case, agent and daily rows.

mod acc;
mod agent_acc;
mod bands;
mod basis;
mod case_acc;
mod cases;
pub mod catalog;
mod daily_acc;
pub mod light;

pub use acc::{in_queue, KpiAcc, Percentiles, Rows, QA_WEIGHTS};
pub use agent_acc::AgentAcc;
pub use bands::{Band, Bands, BandsError};
pub use basis::Basis;
pub use case_acc::CaseAcc;
pub use cases::{case_flag, contact_cost, CaseOutcome, Cases};
pub use catalog::{
    index_of, kpi, Better, KpiArray, KpiDef, Source, Tier, Unit, CATALOG, KPI_COUNT,
};
pub use daily_acc::DailyAcc;
pub use light::{is_light, Count, LightAcc, LIGHT_KPIS};
