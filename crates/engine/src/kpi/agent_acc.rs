//! Agent KPIs (occupancy, utilization, adherence, and turnover from `left_on`) over rows of the
//! `agents` table.

use super::catalog::{index_of, KpiArray};
use crate::measure::Merge;
use crate::model::AgentRecord;
use std::collections::{BTreeMap, BTreeSet};

/// Partial aggregates of agent rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentAcc {
    /// Σ scheduled_s.
    pub scheduled: f64,
    /// Σ staffed_s.
    pub staffed: f64,
    /// Σ handling_s.
    pub handling: f64,
    /// Σ adherent_s.
    pub adherent: f64,
    /// Distinct agents per day (agent-days), for the mean headcount.
    pub agent_days: BTreeSet<(i32, String)>,
    /// Leaving day of each agent that has one.
    pub left_on: BTreeMap<String, i32>,
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

impl AgentAcc {
    /// Adds one agent row.
    pub fn add(&mut self, r: &AgentRecord) {
        self.scheduled += r.scheduled_s;
        self.staffed += r.staffed_s;
        self.handling += r.handling_s;
        self.adherent += r.adherent_s;
        self.agent_days.insert((r.date, r.agent_id.clone()));
        if let Some(d) = r.left_on {
            self.left_on.insert(r.agent_id.clone(), d);
        }
    }

    /// Turnover from the table itself: agents whose `left_on` falls within the days the rows
    /// cover, over the mean number of distinct agents per covered day.
    pub fn turnover(&self) -> Option<f64> {
        let first = self.agent_days.first()?.0;
        let last = self.agent_days.last()?.0;
        // Distinct days: `agent_days` is ordered by day first.
        let days = 1 + self
            .agent_days
            .iter()
            .zip(self.agent_days.iter().skip(1))
            .filter(|(x, y)| x.0 != y.0)
            .count();
        let mean_headcount = self.agent_days.len() as f64 / days as f64;
        let leavers = self
            .left_on
            .values()
            .filter(|&&d| d >= first && d <= last)
            .count();
        ratio(leavers as f64, mean_headcount)
    }

    /// Writes the agent KPIs into `out` at their catalog positions (turnover is added by the
    /// caller, which prefers `daily`).
    pub fn fill(&self, out: &mut KpiArray) {
        out[const { index_of("occupancy") }] = ratio(self.handling, self.staffed);
        out[const { index_of("utilization") }] = ratio(self.staffed, self.scheduled);
        out[const { index_of("adherence") }] = ratio(self.adherent, self.scheduled);
    }
}

impl Merge for AgentAcc {
    fn merge(&mut self, o: &Self) {
        self.scheduled += o.scheduled;
        self.staffed += o.staffed;
        self.handling += o.handling;
        self.adherent += o.adherent;
        self.agent_days.extend(o.agent_days.iter().cloned());
        for (k, v) in &o.left_on {
            self.left_on.insert(k.clone(), *v);
        }
    }
}
