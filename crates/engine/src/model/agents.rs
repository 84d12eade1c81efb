//! The `agents` table: one row per agent per day (or interval).

use serde::{Deserialize, Serialize};

/// One agent-day as a reader produces it. Dates are days since 1970-01-01; `interval_start`
/// (Unix seconds) is kept when the source is interval-based.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentRecord {
    /// Agent id (matches `contacts.agent_id`).
    pub agent_id: String,
    /// Team.
    pub team: Option<String>,
    /// Day, days since the Unix epoch.
    pub date: i32,
    /// Start of the interval, Unix seconds, when the row is an interval rather than a day.
    pub interval_start: Option<i64>,
    /// Scheduled seconds.
    pub scheduled_s: f64,
    /// Logged-in seconds (available + busy).
    pub staffed_s: f64,
    /// Seconds on contacts.
    pub handling_s: f64,
    /// Seconds in the scheduled activity at the scheduled time.
    pub adherent_s: f64,
    /// Hire date, days since the epoch.
    pub hired_on: Option<i32>,
    /// Leaving date, days since the epoch.
    pub left_on: Option<i32>,
}

/// The agents table (row-wise: it is small, one row per agent-day).
#[derive(Debug, Clone, Default)]
pub struct Agents {
    /// Rows sorted by date.
    pub rows: Vec<AgentRecord>,
}

impl Agents {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Sorts by date, then agent.
    pub fn finish(&mut self) {
        crate::sorting::sort_by(&mut self.rows, |a, b| {
            (a.date, a.interval_start, &a.agent_id).cmp(&(b.date, b.interval_start, &b.agent_id))
        });
    }
}
