//! Queries over a cube: the same [`Query`] and the same report as [`Engine`], computed by
//! merging cells instead of adding rows.

use super::Cube;
use crate::assemble::assemble;
use crate::business::Week;
use crate::config::{Config, ConfigError};
use crate::engine::{Engine, Group};
use crate::group::OTHER_TABLE_DIMS;
use crate::kpi::KpiAcc;
use crate::model::{Agents, Channel, Contacts, Daily, Dataset};
use crate::query::{Dim, Query, QueryError, WEEKDAYS};
use crate::time::{day_start_utc, weekday, Bucket, TzCache, DAY};
use std::collections::HashMap;

type Labels = Vec<(String, String)>;

/// A cube (plus the raw `agents` and `daily` tables, which are small) ready for queries.
#[derive(Debug)]
pub struct CubeEngine {
    /// Shared with the engines [`CubeEngine::with_config`] makes.
    cube: std::sync::Arc<Cube>,
    /// Local seconds of each cell's hour start.
    local: Vec<i64>,
    /// Business (bit 0) and peak (bit 1) per cell.
    bits: Vec<u8>,
    /// Agents and daily tables, for their KPIs (no contacts).
    side: Engine,
    universe: usize,
}

enum Part {
    Channel,
    Column(usize),
    Missing,
    Time(Bucket),
    HourOfDay,
    Weekday,
    Business,
    Peak,
}

impl CubeEngine {
    /// Prepares `cube` under `cfg`; `agents` and `daily` may be empty.
    pub fn new(
        cube: Cube,
        agents: Agents,
        daily: Daily,
        cfg: Config,
    ) -> Result<CubeEngine, ConfigError> {
        let mut ds = Dataset {
            contacts: Contacts::new(),
            agents,
            daily,
            ..Default::default()
        };
        ds.finish();
        let side = Engine::new(ds, cfg)?;
        let (local, bits) = Self::derive(&cube, side.config())?;
        let universe = cube.customers.len();
        Ok(CubeEngine {
            cube: std::sync::Arc::new(cube),
            local,
            bits,
            side,
            universe,
        })
    }

    fn derive(cube: &Cube, cfg: &Config) -> Result<(Vec<i64>, Vec<u8>), ConfigError> {
        let mut cache = TzCache::new(cfg.tz()?);
        let business = Week::business(cfg);
        let peak = Week::peak(cfg);
        let mut local = Vec::with_capacity(cube.cells.len());
        let mut bits = Vec::with_capacity(cube.cells.len());
        for c in &cube.cells {
            let l = cache.local(c.hour);
            local.push(l);
            bits.push(business.contains(l) as u8 | (peak.contains(l) as u8) << 1);
        }
        Ok((local, bits))
    }

    /// The cube.
    pub fn cube(&self) -> &Cube {
        &self.cube
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.side.config()
    }

    /// The same cube under `cfg` (time zone, business and peak hours), sharing its cells (see
    /// [`Engine::with_config`]). SLA and cost partials stay those the cube was built with.
    pub fn with_config(&self, cfg: Config) -> Result<CubeEngine, ConfigError> {
        let (local, bits) = Self::derive(&self.cube, &cfg)?;
        Ok(CubeEngine {
            cube: std::sync::Arc::clone(&self.cube),
            local,
            bits,
            side: self.side.with_config(cfg)?,
            universe: self.universe,
        })
    }

    /// What [`CubeEngine::with_config`] makes, in place (on error the engine is unchanged).
    pub fn set_config(&mut self, cfg: Config) -> Result<(), ConfigError> {
        *self = self.with_config(cfg)?;
        Ok(())
    }

    /// The cells `q` selects, by index.
    fn select(&self, q: &Query) -> Result<Vec<usize>, QueryError> {
        let tz = self.side.prepared().tz;
        let cells = &self.cube.cells;
        let lo = match q.from {
            Some(d) => {
                let t = day_start_utc(&tz, d);
                cells.partition_point(|c| c.hour < t)
            }
            None => 0,
        };
        let hi = match q.to {
            Some(d) => {
                let t = match q.cut_of(&tz) {
                    Some(cut) => cut.min(day_start_utc(&tz, d + 1)),
                    None => day_start_utc(&tz, d + 1),
                };
                cells.partition_point(|c| c.hour < t)
            }
            None => cells.len(),
        };
        let mut channels = [true; Channel::COUNT];
        let mut dims: Vec<(usize, Vec<bool>)> = Vec::new();
        for (name, values) in &q.filters {
            if name == "channel" {
                let mut m = [false; Channel::COUNT];
                for v in values {
                    if let Some(ch) = Channel::parse(v) {
                        m[ch as usize] = true;
                    }
                }
                for (a, b) in channels.iter_mut().zip(m) {
                    *a &= b;
                }
                continue;
            }
            let idx = match self.cube.dim_index(name) {
                Some(i) => i,
                None if OTHER_TABLE_DIMS.contains(&name.as_str()) => continue,
                None => return Err(QueryError::UnknownDimension(name.clone())),
            };
            let dict = &self.cube.dims[idx].dict;
            let mut allowed = vec![false; dict.len()];
            for v in values {
                if let Some(code) = dict.find(v) {
                    allowed[code as usize] = true;
                }
            }
            dims.push((idx, allowed));
        }
        let (mut mask, mut want) = (0u8, 0u8);
        if let Some(b) = q.business_hours {
            mask |= 1;
            want |= b as u8;
        }
        if let Some(p) = q.peak {
            mask |= 2;
            want |= (p as u8) << 1;
        }
        Ok((lo..hi.max(lo))
            .filter(|&i| {
                let c = &cells[i];
                channels[c.channel as usize]
                    && self.bits[i] & mask == want
                    && dims
                        .iter()
                        .all(|(d, ok)| ok.get(c.dims[*d] as usize).copied().unwrap_or(false))
            })
            .collect())
    }

    fn parts(&self, by: &[Dim]) -> Result<Vec<Part>, QueryError> {
        by.iter()
            .map(|d| {
                Ok(match d {
                    Dim::Channel => Part::Channel,
                    Dim::Column(n) => match self.cube.dim_index(n) {
                        Some(i) => Part::Column(i),
                        None if OTHER_TABLE_DIMS.contains(&n.as_str()) => Part::Missing,
                        None => return Err(QueryError::UnknownDimension(n.clone())),
                    },
                    Dim::Time(b) => Part::Time(*b),
                    Dim::HourOfDay => Part::HourOfDay,
                    Dim::Weekday => Part::Weekday,
                    Dim::BusinessHours => Part::Business,
                    Dim::Peak => Part::Peak,
                })
            })
            .collect()
    }

    fn value(&self, p: &Part, i: usize) -> i64 {
        let c = &self.cube.cells[i];
        let l = self.local[i];
        match p {
            Part::Channel => c.channel as i64,
            Part::Column(d) => c.dims[*d] as i64,
            Part::Missing => 0,
            Part::Time(b) => b.index(l),
            Part::HourOfDay => l.rem_euclid(DAY) / 3600,
            Part::Weekday => weekday(l.div_euclid(DAY)) as i64,
            Part::Business => (self.bits[i] & 1) as i64,
            Part::Peak => ((self.bits[i] >> 1) & 1) as i64,
        }
    }

    fn label(&self, p: &Part, v: i64) -> String {
        match p {
            Part::Channel => Channel::from_index(v as usize)
                .map_or("", |c| c.as_str())
                .into(),
            Part::Column(d) => self.cube.dims[*d]
                .dict
                .get(v as u32)
                .unwrap_or("")
                .to_string(),
            Part::Missing => String::new(),
            Part::Time(b) => b.label(v),
            Part::HourOfDay => format!("{v:02}"),
            Part::Weekday => WEEKDAYS[v as usize % 7].to_string(),
            Part::Business => if v == 1 { "business" } else { "off_hours" }.into(),
            Part::Peak => if v == 1 { "peak" } else { "off_peak" }.into(),
        }
    }

    /// Contact accumulators per group of `q`, with their key labels (agents and daily left
    /// out), in first-seen order. The live queue is never known from a cube.
    pub fn contact_groups(&self, q: &Query) -> Result<Vec<(Labels, KpiAcc)>, QueryError> {
        let sel = self.select(q)?;
        let parts = self.parts(&q.by)?;
        let mut slot: HashMap<Vec<i64>, usize> = HashMap::new();
        let mut keys: Vec<Vec<i64>> = Vec::new();
        let mut accs: Vec<KpiAcc> = Vec::new();
        let mut key = Vec::with_capacity(parts.len());
        for i in sel {
            key.clear();
            key.extend(parts.iter().map(|p| self.value(p, i)));
            let s = match slot.get(&key) {
                Some(&s) => s,
                None => {
                    slot.insert(key.clone(), accs.len());
                    keys.push(key.clone());
                    accs.push(KpiAcc::default());
                    accs.len() - 1
                }
            };
            self.cube.cells[i].add_to(&mut accs[s], self.universe);
        }
        let names: Vec<&str> = q.by.iter().map(Dim::name).collect();
        Ok(keys
            .into_iter()
            .zip(accs)
            .map(|(k, a)| {
                let labels = k
                    .iter()
                    .zip(&parts)
                    .zip(&names)
                    .map(|((&v, p), n)| (n.to_string(), self.label(p, v)))
                    .collect();
                (labels, a)
            })
            .collect())
    }

    /// The contact accumulator of everything `q` selects, ignoring its grouping.
    pub fn total(&self, q: &Query) -> Result<KpiAcc, QueryError> {
        let mut acc = KpiAcc::default();
        for i in self.select(q)? {
            self.cube.cells[i].add_to(&mut acc, self.universe);
        }
        Ok(acc)
    }

    /// Every catalog KPI per group of `q`, exactly as [`Engine::report`] orders and labels them.
    pub fn report(&self, q: &Query) -> Result<Vec<Group>, QueryError> {
        let mut q = q.clone();
        q.now = None;
        let contacts = self.contact_groups(&q)?;
        let agents = self.side.agent_groups(&q).unwrap_or_default();
        let daily = self.side.daily_groups(&q).unwrap_or_default();
        Ok(assemble(
            contacts.into_iter().map(|(k, a)| (k, a.into())).collect(),
            &agents,
            &daily,
            q.by.is_empty(),
            KpiAcc::default(),
            false,
        ))
    }
}
