//! Weekday × hour heatmap and date × hour matrix of volume or of any contact KPI.

use super::kpi_value;
use crate::engine::Engine;
use crate::kpi::KpiAcc;
use crate::query::{Dim, Query, QueryError, WEEKDAYS};
use crate::time::Bucket;
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

impl Engine {
    /// Weekday × local hour of `kpi` over the rows `q` selects (its grouping is ignored). Volume
    /// (`contacts`) counts contacts per cell (0 where none arrived); other KPIs are computed per
    /// cell.
    pub fn heatmap(&self, q: &Query, kpi: &str) -> Result<Heatmap, QueryError> {
        if self.is_cube() {
            return self.cube_heatmap(q, kpi);
        }
        let f = self.filter(q)?;
        let c = &self.dataset().contacts;
        let prep = self.prepared();
        let mut cells = vec![vec![None; 24]; 7];
        if kpi == "contacts" {
            let counts = match self.cell_volume(q, &f) {
                Some(counts) => counts,
                None => {
                    let mut counts = [0u64; 168];
                    f.for_each(c, prep, |i| counts[prep.how[i] as usize % 168] += 1);
                    counts
                }
            };
            for (k, n) in counts.iter().enumerate() {
                cells[k / 24][k % 24] = Some(*n as f64);
            }
        } else {
            let rows = self.rows(q.now);
            let mut accs: Vec<KpiAcc> = vec![KpiAcc::default(); 168];
            f.for_each(c, prep, |i| accs[prep.how[i] as usize % 168].add(&rows, i));
            for (k, a) in accs.iter().enumerate() {
                cells[k / 24][k % 24] = kpi_value(a, kpi);
            }
        }
        Ok(Heatmap {
            kpi: kpi.to_string(),
            rows: WEEKDAYS.iter().map(|s| s.to_string()).collect(),
            cols: hours(),
            cells,
        })
    }

    /// [`Engine::heatmap`] from the cube: its cells grouped by weekday × hour of day.
    fn cube_heatmap(&self, q: &Query, kpi: &str) -> Result<Heatmap, QueryError> {
        let q = Query {
            by: vec![Dim::Weekday, Dim::HourOfDay],
            ..q.clone()
        };
        let empty = kpi_value(&KpiAcc::default(), kpi);
        let volume = kpi == "contacts";
        let mut cells = vec![vec![if volume { Some(0.0) } else { empty }; 24]; 7];
        for (k, a) in self.contact_groups(&q)? {
            let w = WEEKDAYS.iter().position(|d| *d == k[0].1).unwrap_or(0);
            let h: usize = k[1].1.parse().unwrap_or(0);
            cells[w][h.min(23)] = if volume {
                Some(a.contacts as f64)
            } else {
                kpi_value(&a, kpi)
            };
        }
        Ok(Heatmap {
            kpi: kpi.to_string(),
            rows: WEEKDAYS.iter().map(|s| s.to_string()).collect(),
            cols: hours(),
            cells,
        })
    }

    /// Date × local hour of `kpi`: one row per local day that has contacts.
    pub fn date_hour(&self, q: &Query, kpi: &str) -> Result<Heatmap, QueryError> {
        let q = Query {
            by: vec![Dim::Time(Bucket::Day), Dim::HourOfDay],
            ..q.clone()
        };
        let groups = self.contact_groups(&q)?;
        let mut rows: Vec<String> = groups.iter().map(|(k, _)| k[0].1.clone()).collect();
        rows.sort();
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
