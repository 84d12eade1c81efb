//! Loyalty, web and technical KPIs, and turnover, over rows of the `daily` table.

use super::catalog::{index_of, KpiArray};
use crate::measure::{Mean, Merge, Span};
use crate::model::{DailyRecord, DAILY_FIELDS};

/// Partial aggregates of daily rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailyAcc {
    /// Σ of every field, in [`DAILY_FIELDS`] order.
    pub sums: [f64; DAILY_FIELDS.len()],
    /// Rows that have each field.
    pub present: [u32; DAILY_FIELDS.len()],
    /// `customers_start` on the first day.
    pub start: Span,
    /// `customers_end` on the last day.
    pub end: Span,
    /// Headcount per day.
    pub headcount: Mean,
}

fn idx(name: &str) -> usize {
    DAILY_FIELDS.iter().position(|f| *f == name).unwrap_or(0)
}

impl DailyAcc {
    /// Adds one daily row.
    pub fn add(&mut self, r: &DailyRecord) {
        for (k, v) in r.values.iter().enumerate().take(DAILY_FIELDS.len()) {
            if let Some(x) = v {
                self.sums[k] += x;
                self.present[k] += 1;
            }
        }
        if let Some(x) = r.get("customers_start") {
            self.start.add(r.date, x);
        }
        if let Some(x) = r.get("customers_end") {
            self.end.add(r.date, x);
        }
        if let Some(x) = r.get("headcount") {
            self.headcount.add(x);
        }
    }

    fn sum(&self, name: &str) -> Option<f64> {
        let k = idx(name);
        (self.present[k] > 0).then_some(self.sums[k])
    }

    fn share(&self, num: &str, den: f64) -> Option<f64> {
        let n = self.sum(num)?;
        (den > 0.0).then(|| n / den)
    }

    /// Turnover from `leavers` and `headcount`, when the table has both.
    pub fn turnover(&self) -> Option<f64> {
        let leavers = self.sum("leavers")?;
        let h = self.headcount.mean()?;
        (h > 0.0).then(|| leavers / h)
    }

    /// Writes the daily KPIs into `out` at their catalog positions (turnover is added by the
    /// caller).
    pub fn fill(&self, out: &mut KpiArray) {
        macro_rules! set {
            ($id:literal, $v:expr) => {
                out[const { index_of($id) }] = $v
            };
        }
        let start = self.start.opening().filter(|s| *s > 0.0);
        let new = self.sum("customers_new");
        let retention = match (start, self.end.closing(), new) {
            (Some(s), Some(e), Some(n)) => Some((e - n) / s),
            _ => None,
        };
        set!("retention", retention);
        set!("churn", retention.map(|r| 1.0 - r));
        set!("acquisition", start.and_then(|s| new.map(|n| n / s)));
        let started = self.sum("checkouts_started").unwrap_or(0.0);
        set!(
            "checkout_abandonment",
            self.share("checkouts_abandoned", started)
        );
        let visits = self.sum("web_visits").unwrap_or(0.0);
        set!("web_conversion", self.share("web_conversions", visits));
        set!("pages_per_visit", self.share("web_page_views", visits));
        set!("time_on_site_s", self.share("web_time_on_site_s", visits));
        let up = self.sum("uptime_s");
        let down = self.sum("downtime_s");
        set!(
            "uptime",
            match (up, down) {
                (None, None) => None,
                (u, d) => {
                    let (u, d) = (u.unwrap_or(0.0), d.unwrap_or(0.0));
                    (u + d > 0.0).then(|| u / (u + d))
                }
            }
        );
        let ok = self.sum("integrations_ok");
        let failed = self.sum("integrations_failed");
        set!(
            "integration_success",
            match (ok, failed) {
                (None, None) => None,
                (o, f) => {
                    let (o, f) = (o.unwrap_or(0.0), f.unwrap_or(0.0));
                    (o + f > 0.0).then(|| o / (o + f))
                }
            }
        );
        let checked = self.sum("sync_checked").unwrap_or(0.0);
        set!(
            "sync_accuracy",
            self.share("sync_mismatched", checked).map(|m| 1.0 - m)
        );
    }
}

impl Merge for DailyAcc {
    fn merge(&mut self, o: &Self) {
        for k in 0..DAILY_FIELDS.len() {
            self.sums[k] += o.sums[k];
            self.present[k] += o.present[k];
        }
        self.start.merge(&o.start);
        self.end.merge(&o.end);
        self.headcount.merge(&o.headcount);
    }
}
