//! Weekday × hour heatmaps and the date × hour matrix of volume or of any contact KPI: where
//! each KPI's numbers come from (cells' hour accumulators, hour counts, or a row scan) and the
//! matrices' labels.

use super::kpi_value;
use crate::engine::Engine;
use crate::kpi::{is_light, KpiAcc};
use crate::query::{Dim, Query, QueryError, WEEKDAYS};
use crate::time::{Bucket, DAY};
use serde::Serialize;

/// A matrix of KPI values: `cells[row][col]`, `None` where there is no data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    /// KPI id (`contacts` for volume).
    pub kpi: String,
    /// Row labels (weekdays `mon`..`sun`, or dates).
    pub rows: Vec<String>,
    /// Column labels (hours `00`..`23`).
    pub cols: Vec<String>,
    /// Values.
    pub cells: Vec<Vec<Option<f64>>>,
}

fn hours() -> Vec<String> {
    (0..24).map(|h| format!("{h:02}")).collect()
}

fn weekday_hour(kpi: &str, cells: Vec<Vec<Option<f64>>>) -> Heatmap {
    Heatmap {
        kpi: kpi.to_string(),
        rows: WEEKDAYS.iter().map(|s| s.to_string()).collect(),
        cols: hours(),
        cells,
    }
}

/// The 7 × 24 values of `kpi` from 168 accumulators (`[weekday·24 + hour]`).
fn from_accs(accs: &[KpiAcc], kpi: &str) -> Vec<Vec<Option<f64>>> {
    let mut cells = vec![vec![None; 24]; 7];
    for (k, a) in accs.iter().enumerate().take(168) {
        cells[k / 24][k % 24] = kpi_value(a, kpi);
    }
    cells
}

impl Engine {
    /// Weekday × local hour of `kpi` over the rows `q` selects (its grouping is ignored). Volume
    /// (`contacts`) counts contacts per cell (0 where none arrived); other KPIs are computed per
    /// cell. See [`Engine::heatmaps`] for where the numbers come from.
    pub fn heatmap(&self, q: &Query, kpi: &str) -> Result<Heatmap, QueryError> {
        let mut v = self.heatmaps(q, &[kpi])?;
        // `heatmaps` gives one heatmap per id: never empty here.
        Ok(v.pop()
            .unwrap_or_else(|| weekday_hour(kpi, vec![vec![None; 24]; 7])))
    }

    /// [`Engine::heatmap`] of each of `kpis`, in their order, sharing the work. When the day
    /// cells answer `q` (date range, channels, at most one low-cardinality dimension: see
    /// [`Engine::answers_from_cells`]) the light KPIs ([`crate::kpi::LIGHT_KPIS`]) come from
    /// the cells' per-hour [`crate::kpi::LightAcc`]s (built on the first such heatmap) and
    /// volume alone from the cells' hour counts; every other KPI (percentiles, case KPIs, the
    /// live queue), or any KPI when cells cannot answer, comes from one row scan shared by all
    /// of them. Both give the same numbers (tested).
    pub fn heatmaps(&self, q: &Query, kpis: &[&str]) -> Result<Vec<Heatmap>, QueryError> {
        if self.is_cube() {
            return self.cube_heatmaps(q, kpis);
        }
        let f = self.filter(q)?;
        let c = &self.dataset().contacts;
        let prep = self.prepared();
        let light = match kpis.iter().any(|k| *k != "contacts" && is_light(k)) {
            true => self.cell_light(q, &f),
            false => None,
        };
        let from_light = |k: &str| light.is_some() && is_light(k);
        let scanned = kpis
            .iter()
            .any(|k| *k != "contacts" && !from_light(k))
            .then(|| {
                let rows = self.rows(q.now);
                let mut accs: Vec<KpiAcc> = vec![KpiAcc::default(); 168];
                f.for_each(c, prep, |i| accs[prep.how[i] as usize % 168].add(&rows, i));
                accs
            });
        let mut volume: Option<[u64; 168]> = None;
        let mut out = Vec::with_capacity(kpis.len());
        for kpi in kpis {
            let cells = match (&light, &scanned) {
                (Some(l), _) if from_light(kpi) => from_accs(l, kpi),
                (_, Some(s)) => from_accs(s, kpi),
                // Only volume asked, or volume besides light KPIs without cells: counts.
                _ => {
                    let counts = *volume.get_or_insert_with(|| {
                        self.cell_volume(q, &f).unwrap_or_else(|| {
                            let mut counts = [0u64; 168];
                            f.for_each(c, prep, |i| counts[prep.how[i] as usize % 168] += 1);
                            counts
                        })
                    });
                    let mut cells = vec![vec![None; 24]; 7];
                    for (k, n) in counts.iter().enumerate() {
                        cells[k / 24][k % 24] = Some(*n as f64);
                    }
                    cells
                }
            };
            out.push(weekday_hour(kpi, cells));
        }
        Ok(out)
    }

    /// [`Engine::heatmaps`] from the cube: its cells grouped by weekday × hour of day once.
    fn cube_heatmaps(&self, q: &Query, kpis: &[&str]) -> Result<Vec<Heatmap>, QueryError> {
        let q = Query {
            by: vec![Dim::Weekday, Dim::HourOfDay],
            ..q.clone()
        };
        let groups = self.contact_groups(&q)?;
        Ok(kpis
            .iter()
            .map(|kpi| {
                let empty = kpi_value(&KpiAcc::default(), kpi);
                let volume = *kpi == "contacts";
                let mut cells = vec![vec![if volume { Some(0.0) } else { empty }; 24]; 7];
                for (k, a) in &groups {
                    let w = WEEKDAYS.iter().position(|d| *d == k[0].1).unwrap_or(0);
                    let h: usize = k[1].1.parse().unwrap_or(0);
                    cells[w][h.min(23)] = if volume {
                        Some(a.contacts as f64)
                    } else {
                        kpi_value(a, kpi)
                    };
                }
                weekday_hour(kpi, cells)
            })
            .collect())
    }

    /// Date × local hour of `kpi`: one row per local day that has contacts. A light KPI comes
    /// from the cells' per-hour accumulators when cells answer `q` (as in
    /// [`Engine::heatmaps`]), anything else from a row scan.
    pub fn date_hour(&self, q: &Query, kpi: &str) -> Result<Heatmap, QueryError> {
        if let Some(light) = self.light_hours(q, &[kpi]) {
            // An hour without contacts is no group in the row scan: no data (volume 0).
            let empty = (kpi == "contacts").then_some(0.0);
            let (mut rows, mut cells) = (Vec::new(), Vec::<Vec<Option<f64>>>::new());
            let mut last_day = None;
            for (i, a) in light {
                let day = i.div_euclid(24);
                if last_day != Some(day) {
                    last_day = Some(day);
                    rows.push(Bucket::Day.label(Bucket::Day.index(day * DAY)));
                    cells.push(vec![empty; 24]);
                }
                if let Some(row) = cells.last_mut() {
                    row[i.rem_euclid(24) as usize] = kpi_value(&a, kpi);
                }
            }
            return Ok(Heatmap {
                kpi: kpi.to_string(),
                rows,
                cols: hours(),
                cells,
            });
        }
        let q = Query {
            by: vec![Dim::Time(Bucket::Day), Dim::HourOfDay],
            ..q.clone()
        };
        let groups = self.contact_groups(&q)?;
        let mut rows: Vec<String> = groups.iter().map(|(k, _)| k[0].1.clone()).collect();
        crate::sorting::sort(&mut rows);
        rows.dedup();
        let mut cells = vec![vec![None; 24]; rows.len()];
        for (k, a) in &groups {
            let r = rows.binary_search(&k[0].1).unwrap_or(0);
            let h: usize = k[1].1.parse().unwrap_or(0);
            cells[r][h.min(23)] = kpi_value(a, kpi);
        }
        if kpi == "contacts" {
            for row in cells.iter_mut() {
                for x in row.iter_mut() {
                    x.get_or_insert(0.0);
                }
            }
        }
        Ok(Heatmap {
            kpi: kpi.to_string(),
            rows,
            cols: hours(),
            cells,
        })
    }
}
