//! The canonical data model of the catalog: `contacts` (columnar), `agents`, `daily`, and the
//! [`Dataset`] that holds them with the load report.

mod agents;
mod channel;
mod codes;
mod column;
mod compact;
mod contacts;
mod daily;
mod dict;
mod fxhash;
mod hash_index;
mod ids;
mod record;
mod sparse;

pub use agents::{AgentRecord, Agents};
pub use channel::Channel;
pub use codes::Codes;
pub use column::{OptF32, OptU8};
pub use contacts::{flag, ContactRecord, Contacts, DimColumn, CUSTOMER_DIM, STANDARD_DIMS};
pub use daily::{Daily, DailyRecord, DAILY_FIELDS};
pub use dict::Dict;
pub use fxhash::{FxHashMap, FxHashSet, FxHasher};
pub use hash_index::{HashIndex, IdIndex};
pub use ids::{IdColumn, SeqLookup};
pub use sparse::Sparse;

use crate::report::LoadReport;

/// Everything loaded from one or more sources.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Interactions.
    pub contacts: Contacts,
    /// Agent-days.
    pub agents: Agents,
    /// Daily business and technical series.
    pub daily: Daily,
    /// What was read, loaded and rejected.
    pub report: LoadReport,
    /// A pre-aggregated cube loaded as the contacts source (docs/cube.md); then `contacts`
    /// is empty and [`crate::Engine`] answers contact KPIs from the cube.
    pub cube: Option<crate::cube::Cube>,
}

impl Dataset {
    /// Sorts and indexes all tables; call once after loading.
    pub fn finish(&mut self) {
        self.contacts.finish();
        self.agents.finish();
        self.daily.finish();
    }
}
