//! Case-level KPIs for one group: counts and sums over the cases whose first contact is in the
//! group (see [`super::Cases`]).

use super::cases::{case_flag, CaseOutcome};
use super::catalog::{index_of, KpiArray};
use crate::measure::{Distinct, Histogram, Merge};

/// Partial aggregates of case outcomes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseAcc {
    /// Cases.
    pub cases: u64,
    /// Resolved cases.
    pub resolved: u64,
    /// Resolved cases with one contact.
    pub fcr: u64,
    /// Handle time per case, over cases with any handle time.
    pub handle: Histogram,
    /// Resolution time over resolved cases with an end time.
    pub resolution: Histogram,
    /// Cases on more than one channel.
    pub migrated: u64,
    /// Σ channel switches.
    pub switches: u64,
    /// Cases with a switch.
    pub switched: u64,
    /// Switched cases resolved right after a switch.
    pub cross_resolved: u64,
    /// Σ cost of the cases' contacts.
    pub cost: f64,
    /// Cases per customer (first contact's `customer_id`).
    pub customers: Distinct,
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl CaseAcc {
    /// Adds one case; `customer` is its customer's code (0: unknown, not counted) in a
    /// dictionary of `customers` codes.
    #[inline]
    pub fn add(&mut self, o: &CaseOutcome, customer: u32, customers: usize) {
        self.cases += 1;
        if o.has(case_flag::RESOLVED) {
            self.resolved += 1;
            if let Some(r) = o.resolution() {
                self.resolution.add(r);
            }
        }
        self.fcr += o.has(case_flag::FCR) as u64;
        if o.has(case_flag::HANDLED) {
            self.handle.add(o.handle_s as f64);
        }
        self.migrated += o.has(case_flag::MIGRATED) as u64;
        self.switches += o.switches as u64;
        self.switched += o.has(case_flag::SWITCHED) as u64;
        self.cross_resolved += o.has(case_flag::CROSS_RESOLVED) as u64;
        self.cost += o.cost as f64;
        if customer != 0 {
            self.customers.add(customer, customers);
        }
    }

    /// Writes the case KPIs into `out` at their catalog positions.
    pub fn fill(&self, out: &mut KpiArray) {
        macro_rules! set {
            ($id:literal, $v:expr) => {
                out[const { index_of($id) }] = $v
            };
        }
        set!("fcr", ratio(self.fcr, self.resolved));
        set!("aht_case_s", self.handle.mean.mean());
        set!("art_s", self.resolution.mean.mean());
        set!("migration_rate", ratio(self.migrated, self.cases));
        set!(
            "switches_per_case",
            (self.cases > 0).then(|| self.switches as f64 / self.cases as f64)
        );
        set!("journey_completion", ratio(self.resolved, self.cases));
        set!(
            "cross_channel_resolution",
            ratio(self.cross_resolved, self.switched)
        );
        set!(
            "recurring_customer_rate",
            ratio(self.customers.repeated(), self.customers.distinct())
        );
        set!(
            "cost_per_resolution",
            (self.resolved > 0).then(|| self.cost / self.resolved as f64)
        );
    }
}

impl Merge for CaseAcc {
    fn merge(&mut self, o: &Self) {
        self.cases += o.cases;
        self.resolved += o.resolved;
        self.fcr += o.fcr;
        self.handle.merge(&o.handle);
        self.resolution.merge(&o.resolution);
        self.migrated += o.migrated;
        self.switches += o.switches;
        self.switched += o.switched;
        self.cross_resolved += o.cross_resolved;
        self.cost += o.cost;
        self.customers.merge(&o.customers);
    }
}
