//! Agent KPIs (occupancy, utilization, adherence, and turnover from `left_on`) over rows of the
//! `agents` table.

use super::catalog::{index_of, KpiArray};
use crate::measure::Merge;
use crate::model::AgentRecord;
use crate::vec_map::VecMap;
use std::collections::HashSet;

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
    pub agent_days: HashSet<(i32, String)>,
    /// Leaving day of each agent that has one.
    pub left_on: VecMap<String, i32>,
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
        let mut days: Vec<i32> = self.agent_days.iter().map(|(d, _)| *d).collect();
        days.sort_unstable();
        days.dedup();
        let (&first, &last) = (days.first()?, days.last()?);
        let mean_headcount = self.agent_days.len() as f64 / days.len() as f64;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(agent: &str, date: i32, left_on: Option<i32>) -> AgentRecord {
        AgentRecord {
            agent_id: agent.into(),
            date,
            left_on,
            ..Default::default()
        }
    }

    /// Three days: a1 and a2 on day 10; a1, a2 and a3 on day 11; a1 on day 12, once more on
    /// day 10 (an interval row of the same agent-day). Six distinct agent-days over three days
    /// is a mean headcount of 2; a2 leaves on day 12 (inside), a3 on day 15 (outside): 1 / 2.
    #[test]
    fn turnover_counts_distinct_agent_days_and_leavers_inside_the_days() {
        let rows = [
            row("a1", 10, None),
            row("a2", 10, Some(12)),
            row("a2", 11, Some(12)),
            row("a1", 11, None),
            row("a3", 11, Some(15)),
            row("a1", 12, None),
            row("a1", 10, None),
        ];
        let mut all = AgentAcc::default();
        rows.iter().for_each(|r| all.add(r));
        assert_eq!(all.agent_days.len(), 6);
        assert_eq!(all.turnover(), Some(0.5));
        // Merged from two halves: the same.
        let (mut a, mut b) = (AgentAcc::default(), AgentAcc::default());
        rows[..3].iter().for_each(|r| a.add(r));
        rows[3..].iter().for_each(|r| b.add(r));
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(AgentAcc::default().turnover(), None);
    }
}
