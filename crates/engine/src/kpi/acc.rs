//! The KPI accumulator: every measure the catalog needs for one group of rows, mergeable.

use crate::config::Config;
use crate::measure::{Histogram, Mean, Merge};
use crate::model::Contacts;
use std::collections::BTreeMap;

/// Partial aggregates of one group of contacts. `add` rows, `merge` groups, read `values`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KpiAcc {
    /// Contacts offered.
    pub contacts: u64,
    /// Handling time of contacts that have one.
    pub handle: Histogram,
    /// CSAT answers.
    pub csat: Mean,
}

impl KpiAcc {
    /// Adds contact row `i`.
    #[inline]
    pub fn add(&mut self, c: &Contacts, i: usize, _cfg: &Config) {
        self.contacts += 1;
        if let Some(h) = c.handle.get(i) {
            self.handle.add(h as f64);
        }
        if let Some(s) = c.csat.get(i) {
            self.csat.add(s as f64);
        }
    }

    /// KPI values by catalog id; `None` is "no data".
    pub fn values(&self) -> BTreeMap<&'static str, Option<f64>> {
        let mut m = BTreeMap::new();
        m.insert("contacts", Some(self.contacts as f64));
        m.insert("aht_s", self.handle.mean.mean());
        m.insert("csat", self.csat.mean());
        m
    }
}

impl Merge for KpiAcc {
    fn merge(&mut self, o: &Self) {
        self.contacts += o.contacts;
        self.handle.merge(&o.handle);
        self.csat.merge(&o.csat);
    }
}
