//! Alerts: a KPI outside its band (configured bands override the catalog's), and the latest
//! hour far from its trailing baseline of the same weekday and hour.

use super::kpi_value;
use crate::config::Config;
use crate::engine::{Engine, KpiValues};
use crate::kpi::{kpi, Band, Bands};
use crate::query::{Dim, Query, QueryError};
use crate::time::Bucket;
use serde::Serialize;
use std::collections::HashMap;

/// What raised an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The value is in the "watch" or "act now" band.
    Band,
    /// The latest bucket deviates from its baseline.
    Deviation,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// KPI id.
    pub kpi: &'static str,
    /// Kind.
    pub kind: AlertKind,
    /// Band of the value (band alerts), `Band::None` for deviations.
    pub band: Band,
    /// The value.
    pub value: f64,
    /// Baseline mean (deviation alerts).
    pub baseline: Option<f64>,
    /// Standard score against the baseline (deviation alerts).
    pub z: Option<f64>,
    /// The bucket the alert is about (deviation alerts: the latest hour).
    pub bucket: Option<String>,
}

/// The effective bands of KPI `id`: the configuration's, else the catalog's.
pub fn bands_of(cfg: &Config, id: &str) -> Bands {
    cfg.bands
        .get(id)
        .copied()
        .or_else(|| kpi(id).map(|k| k.bands))
        .unwrap_or_default()
}

/// Band alerts of a group's values: every KPI in "watch" or "act now".
pub fn band_alerts(values: &KpiValues, cfg: &Config) -> Vec<Alert> {
    values
        .iter()
        .filter_map(|(id, v)| {
            let def = kpi(id)?;
            let band = bands_of(cfg, id).classify(*v, def.better);
            matches!(band, Band::Watch | Band::Bad).then(|| Alert {
                kpi: def.id,
                kind: AlertKind::Band,
                band,
                value: v.unwrap_or(f64::NAN),
                baseline: None,
                z: None,
                bucket: None,
            })
        })
        .collect()
}

impl Engine {
    /// Deviation alerts: for each KPI in `kpis`, the latest local hour that has contacts is
    /// compared with the same weekday and hour of the previous `weeks` weeks (volume counts an
    /// hour without contacts as 0; other KPIs skip it). An alert when at least 3 baseline hours
    /// exist, their standard deviation is positive and |z| ≥ `z_limit`.
    pub fn deviation_alerts(
        &self,
        q: &Query,
        kpis: &[&str],
        weeks: usize,
        z_limit: f64,
    ) -> Result<Vec<Alert>, QueryError> {
        let Some((_, to)) = self.range_of(q) else {
            return Ok(Vec::new());
        };
        let from = to - 7 * weeks as i64 - 1;
        let q = Query {
            from: Some(q.from.map_or(from, |f| f.max(from))),
            to: Some(to),
            by: vec![Dim::Time(Bucket::Hour)],
            ..q.clone()
        };
        let groups: Vec<(String, crate::kpi::KpiAcc)> = match self.light_hours(&q, kpis) {
            Some(hours) => hours
                .into_iter()
                .map(|(i, a)| (Bucket::Hour.label(i), a))
                .collect(),
            None => self
                .contact_groups(&q)?
                .into_iter()
                .map(|(k, a)| (k.into_iter().next().map(|x| x.1).unwrap_or_default(), a))
                .collect(),
        };
        let by_label: HashMap<&str, &crate::kpi::KpiAcc> =
            groups.iter().map(|(k, a)| (k.as_str(), a)).collect();
        // Labels sort chronologically: the latest hour with contacts is the greatest.
        let Some(latest) = groups.iter().map(|(k, _)| k.clone()).max() else {
            return Ok(Vec::new());
        };
        let latest_idx = hour_index(&latest);
        let mut out = Vec::new();
        for id in kpis {
            let Some(def) = kpi(id) else { continue };
            let Some(value) = by_label.get(latest.as_str()).and_then(|a| kpi_value(a, id)) else {
                continue;
            };
            let base: Vec<f64> = (1..=weeks as i64)
                .filter_map(|k| {
                    let l = Bucket::Hour.label(latest_idx - 168 * k);
                    match by_label.get(l.as_str()) {
                        Some(a) => kpi_value(a, id),
                        None if *id == "contacts" => Some(0.0),
                        None => None,
                    }
                })
                .collect();
            if base.len() < 3 {
                continue;
            }
            let n = base.len() as f64;
            let mean = base.iter().sum::<f64>() / n;
            let sd = (base.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            if sd > 0.0 {
                let z = (value - mean) / sd;
                if z.abs() >= z_limit {
                    out.push(Alert {
                        kpi: def.id,
                        kind: AlertKind::Deviation,
                        band: Band::None,
                        value,
                        baseline: Some(mean),
                        z: Some(z),
                        bucket: Some(latest.clone()),
                    });
                }
            }
        }
        Ok(out)
    }
}

/// The local hour index of an hour label `YYYY-MM-DDTHH:00`.
fn hour_index(label: &str) -> i64 {
    let day = crate::time::parse_day(&label[..10.min(label.len())]).unwrap_or(0);
    let h: i64 = label.get(11..13).and_then(|s| s.parse().ok()).unwrap_or(0);
    day * 24 + h
}
