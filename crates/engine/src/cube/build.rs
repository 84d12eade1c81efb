//! The native cube writer: one pass over a loaded dataset, rows grouped by UTC hour, channel
//! and the cube's dimensions, each group's partials taken from [`KpiAcc::add`] itself, so a
//! cube holds exactly what the engine would have accumulated from the rows.

use super::{Cell, Cube, CubeDim, DEFAULT_DIMS};
use crate::engine::Engine;
use crate::model::{flag, Dict, CUSTOMER_DIM};
use crate::query::QueryError;
use std::collections::HashMap;

/// Which dimensions a cube keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct CubeSpec {
    /// Dimension columns besides the channel (e.g. [`DEFAULT_DIMS`]; add `agent_id` or extra
    /// columns as needed: every one multiplies the number of rows).
    pub dims: Vec<String>,
}

impl Default for CubeSpec {
    fn default() -> Self {
        CubeSpec {
            dims: DEFAULT_DIMS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Cube {
    /// Aggregates every contact of `engine` into a cube. The partials depend on the engine's
    /// configuration where KPIs do: SLA thresholds (and the business hours of email's
    /// threshold) and the per-channel cost rates.
    pub fn build(engine: &Engine, spec: &CubeSpec) -> Result<Cube, QueryError> {
        let c = &engine.dataset().contacts;
        let mut dims = Vec::new();
        let mut cols = Vec::new();
        for name in &spec.dims {
            if name == "customer_id" || name == "channel" {
                continue;
            }
            let idx = c
                .dim_index(name)
                .ok_or_else(|| QueryError::UnknownDimension(name.clone()))?;
            cols.push(idx);
            dims.push(CubeDim {
                name: name.clone(),
                dict: c.dims[idx].dict.clone(),
            });
        }
        let customers_dim = c.dims.get(CUSTOMER_DIM);
        let mut customers = Dict::default();
        // Dataset customer code -> cube customer code, assigned on first use.
        let mut cust_map: HashMap<u32, u32> = HashMap::new();
        let rows = engine.rows(None);
        let mut cells: Vec<Cell> = Vec::new();
        let mut cell_customers: Vec<HashMap<u32, u8>> = Vec::new();
        let mut slot: HashMap<(u8, Vec<u32>), usize> = HashMap::new();
        let mut hour = i64::MIN;
        let mut key = Vec::with_capacity(cols.len());
        for i in 0..c.len() {
            let h = c.arrived[i].div_euclid(3600) * 3600;
            if h != hour {
                hour = h;
                slot.clear();
            }
            key.clear();
            key.extend(cols.iter().map(|&d| c.dims[d].codes.get(i)));
            let ch = c.channel[i];
            let k = match slot.get(&(ch as u8, key.clone())) {
                Some(&k) => k,
                None => {
                    cells.push(Cell {
                        hour: h,
                        channel: ch,
                        dims: key.clone(),
                        ..Default::default()
                    });
                    cell_customers.push(HashMap::new());
                    slot.insert((ch as u8, key.clone()), cells.len() - 1);
                    cells.len() - 1
                }
            };
            cells[k].acc.add(&rows, i);
            if c.has(i, flag::CASE_FIRST) {
                if let Some(d) = customers_dim {
                    let code = d.codes.get(i);
                    if code != 0 {
                        let cc = *cust_map
                            .entry(code)
                            .or_insert_with(|| customers.intern(d.dict.get(code).unwrap_or("")));
                        let n = cell_customers[k].entry(cc).or_insert(0);
                        *n = (*n + 1).min(2);
                    }
                }
            }
        }
        for (cell, cust) in cells.iter_mut().zip(cell_customers) {
            split_histograms(cell);
            cell.acc.cases.customers = Default::default();
            let mut v: Vec<(u32, u8)> = cust.into_iter().collect();
            v.sort_unstable();
            cell.customers = v;
        }
        let mut cube = Cube {
            dims,
            customers,
            cells,
        };
        cube.finish();
        Ok(cube)
    }
}

/// Moves the bucket counts of a cell's accumulator into its sparse histograms.
pub(super) fn split_histograms(cell: &mut Cell) {
    for k in 0..cell.hists.len() {
        let h = Cell::hist_mut(&mut cell.acc, k);
        let counts = std::mem::take(&mut h.counts);
        let mut v = Vec::new();
        counts.for_each_nonzero(|b, c| v.push((b as u32, c)));
        cell.hists[k] = v;
    }
}
