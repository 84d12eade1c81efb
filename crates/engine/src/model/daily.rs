//! The `daily` table: business and technical series, one row per day (and per `system` or
//! `traffic_source` where the source splits them).

use serde::{Deserialize, Serialize};

/// Numeric fields of the `daily` table, in catalog order.
pub const DAILY_FIELDS: [&str; 18] = [
    "customers_start",
    "customers_new",
    "customers_end",
    "web_visits",
    "web_unique_visitors",
    "web_page_views",
    "web_time_on_site_s",
    "web_conversions",
    "checkouts_started",
    "checkouts_abandoned",
    "uptime_s",
    "downtime_s",
    "integrations_ok",
    "integrations_failed",
    "sync_checked",
    "sync_mismatched",
    "headcount",
    "leavers",
];

/// One day as a reader produces it. `values[k]` belongs to `DAILY_FIELDS[k]`; `None` is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DailyRecord {
    /// Day, days since the Unix epoch.
    pub date: i32,
    /// Traffic source dimension.
    pub traffic_source: Option<String>,
    /// System dimension.
    pub system: Option<String>,
    /// Field values in [`DAILY_FIELDS`] order.
    pub values: Vec<Option<f64>>,
}

impl DailyRecord {
    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        let k = DAILY_FIELDS.iter().position(|f| *f == name)?;
        self.values.get(k).copied().flatten()
    }

    /// Sets field `name` (ignored when `name` is not a daily field).
    pub fn set(&mut self, name: &str, v: Option<f64>) {
        if let Some(k) = DAILY_FIELDS.iter().position(|f| *f == name) {
            if self.values.len() < DAILY_FIELDS.len() {
                self.values.resize(DAILY_FIELDS.len(), None);
            }
            self.values[k] = v;
        }
    }
}

/// The daily table.
#[derive(Debug, Clone, Default)]
pub struct Daily {
    /// Rows sorted by date.
    pub rows: Vec<DailyRecord>,
}

impl Daily {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Sorts by date.
    pub fn finish(&mut self) {
        crate::sorting::sort_by_key(&mut self.rows, |r| r.date);
    }
}
