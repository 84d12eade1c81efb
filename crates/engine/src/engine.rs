//! The engine: a loaded dataset with its configuration and derived columns, answering queries.
//! This is what the UI and the `kpi` binary call.
//!
//! ```text
//! let engine = Engine::new(dataset, config)?;          // once per load (derived columns, cases; day cells on first use)
//! let q = Query::default().filter("channel", &["voice"]).group_by(Dim::parse("day"));
//! engine.report(&q)?            -> Vec<Group>          // every catalog KPI per group
//! engine.heatmap(&q, "csat")?   -> Heatmap             // weekday × hour ("contacts" = volume)
//! engine.heatmaps(&q, &["csat", "aht_s"])? -> Vec<Heatmap> // several KPIs, work shared
//! engine.date_hour(&q, id)?     -> Heatmap             // date × hour
//! engine.trend(&q, id, Bucket::Day, 7)? -> Trend       // + moving average, previous period, last year
//! engine.series(&q, id, Bucket::Day, Some(Dim::Channel))? -> Vec<Series>
//! engine.compare(&q, a, b)? / engine.before_after(&q, day)? -> Vec<Comparison> (with p-values)
//! engine.drivers(&q, id, Dim::Channel, a, b)? -> Option<Drivers>
//! engine.deviation_alerts(&q, &["contacts"], 8, 3.0)?; analysis::band_alerts(&group.kpis, cfg)
//! engine.top_topics(&q, 10)?; analysis::durations(&engine.total(&q)?)
//! engine.staffing(&q)? -> Vec<StaffingCell>           // Erlang C per weekday × hour × channel
//! ```
//!
//! When the loaded source is a cube (`Dataset.cube`, docs/cube.md) the engine answers contact
//! and case KPIs from it through [`CubeEngine`] (reports, totals, groups, heatmaps, staffing,
//! topics, series and everything built on them) and questions that need contact rows with
//! [`QueryError::NeedsRows`]; [`Engine::is_cube`] tells the views which one they have.

use crate::assemble::{assemble, sort_by_labels, AccRef};
use crate::cells::DayCells;
use crate::config::{Config, ConfigError};
use crate::cube::CubeEngine;
use crate::group::{group_rows, Keyer};
use crate::kpi::{
    index_of, AgentAcc, DailyAcc, KpiAcc, KpiArray, Percentiles, Rows, CATALOG, KPI_COUNT,
};
use crate::measure::Merge;
use crate::model::{Channel, Dataset};
use crate::prepared::Prepared;
use crate::query::{Dim, Query, QueryError, RowFilter, WEEKDAYS};
use crate::recent::Recent;
use crate::time::{Bucket, DAY};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// How far under its target a channel's SLA is "act now" rather than "watch" (10 points).
pub const SLA_ACT_NOW_BELOW: f64 = 0.10;

/// A dataset ready for queries.
///
/// Not `Clone`: a copy would duplicate every column (gigabytes at 10M contacts, more than
/// wasm32's 4 GiB beside the original). [`Engine::with_config`] shares the rows instead.
#[derive(Debug)]
pub struct Engine {
    /// Shared with the engines [`Engine::with_config`] makes: only the configuration and what
    /// is derived from it differ between them.
    ds: Arc<Dataset>,
    cfg: Config,
    prep: Prepared,
    /// Day × channel cells, built on first use ([`Engine::day_cells`]): the first query they
    /// answer builds them, so that a load is ready without a pass of every KPI over the rows.
    cube: OnceLock<DayCells>,
    /// Day × channel × value cells per dimension column, built on first use (`None`: the
    /// dimension has too many values).
    dim_cells: Vec<OnceLock<Option<Arc<DayCells>>>>,
    /// The values rows use, per dimension column, found on first use: filter bars ask on every
    /// render, and a scan of every row's code per dimension is too slow for that at 1M rows.
    dim_values: Vec<OnceLock<Vec<String>>>,
    /// The channels rows use, found on first use (as `dim_values`).
    channel_values: OnceLock<Vec<String>>,
    use_cube: bool,
    /// The last few small answers of [`Engine::contact_groups`] over rows.
    recent: Recent<Query, Vec<(Labels, KpiAcc)>>,
    /// The cube the contact KPIs come from, when the loaded source is a cube (then the
    /// dataset's contacts are empty).
    source: Option<Box<CubeEngine>>,
}

/// Where an engine's contact KPIs come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Contact rows: every query can be answered.
    Rows,
    /// A pre-aggregated cube: KPIs, groupings by the cube's dimensions and time buckets of an
    /// hour or more; no contact rows ([`QueryError::NeedsRows`]).
    Cube,
}

/// KPI values of one group by catalog id, in catalog order; `None` is "no data".
pub type KpiValues = Vec<(&'static str, Option<f64>)>;

/// One group of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// `(dimension, value)` pairs; empty for the ungrouped total.
    pub key: Vec<(String, String)>,
    /// Every catalog KPI.
    pub kpis: KpiValues,
}

impl Group {
    /// The value of KPI `id`.
    pub fn get(&self, id: &str) -> Option<f64> {
        self.kpis
            .iter()
            .find(|(k, _)| *k == id)
            .and_then(|(_, v)| *v)
    }
}

/// Label of the agents/daily groups, for joining with contact groups.
type Labels = Vec<(String, String)>;

/// `extra`'s groups merged into `groups` by their labels with `merge` (a group only in `extra`
/// joins as it is), in report order.
fn merged_by_labels(
    mut groups: Vec<(Labels, KpiAcc)>,
    extra: Vec<(Labels, KpiAcc)>,
    merge: fn(&mut KpiAcc, &KpiAcc),
) -> Vec<(Labels, KpiAcc)> {
    for (k, a) in extra {
        match groups.iter_mut().find(|g| g.0 == k) {
            Some(g) => merge(&mut g.1, &a),
            None => groups.push((k, a)),
        }
    }
    sort_by_labels(&mut groups, |(k, _)| k);
    groups
}

/// Answers [`Engine::contact_groups`] remembers: one view's render asks a dozen or so queries,
/// some twice. Since a comparison's cut day is answered apart and merged (`split_cut`), the ops
/// view asks more than 8 distinct ones per render, and with 8 every filter change at 10M
/// contacts recomputed answers it had just given: 59–66 ms median against 36–41 ms with 16 or
/// 32 (bench/latency.mjs, session 12). 32 leaves room for views to grow; an answer is at most
/// [`RECENT_MAX_GROUPS`] groups.
const RECENT_ANSWERS: usize = 32;

/// Larger answers are not remembered: an accumulator holds histograms and distinct-count
/// sets, and an answer per agent or per day is rarely asked twice in a row.
const RECENT_MAX_GROUPS: usize = 16;

impl Engine {
    /// Prepares `ds` (which must be finished) under `cfg`. When `ds` holds a cube, contact
    /// KPIs are answered from it (see [`Engine::source_kind`]).
    pub fn new(mut ds: Dataset, cfg: Config) -> Result<Engine, ConfigError> {
        let source = match ds.cube.take() {
            Some(cube) => Some(Box::new(CubeEngine::new(
                cube,
                ds.agents.clone(),
                ds.daily.clone(),
                cfg.clone(),
            )?)),
            None => None,
        };
        let prep = Prepared::new(&ds.contacts, &cfg)?;
        let mut e = Engine {
            ds: Arc::new(ds),
            cfg,
            prep,
            cube: OnceLock::new(),
            dim_cells: Vec::new(),
            dim_values: Vec::new(),
            channel_values: OnceLock::new(),
            recent: Recent::new(RECENT_ANSWERS),
            use_cube: true,
            source,
        };
        e.dim_cells = e.ds.contacts.dims.iter().map(|_| OnceLock::new()).collect();
        e.dim_values = e.ds.contacts.dims.iter().map(|_| OnceLock::new()).collect();
        Ok(e)
    }

    /// The day × channel cells (see [`crate::cells`]), built on the first call: in one pass
    /// over the rows, the same cells whenever they are built.
    pub fn day_cells(&self) -> &DayCells {
        self.cube
            .get_or_init(|| DayCells::build(&self.ds.contacts, &self.prep, &self.rows(None)))
    }

    /// Where the contact KPIs come from: rows or a cube.
    pub fn source_kind(&self) -> SourceKind {
        if self.source.is_some() {
            SourceKind::Cube
        } else {
            SourceKind::Rows
        }
    }

    /// True when the loaded source is a cube: contact KPIs come from it, and questions that
    /// need contact rows give [`QueryError::NeedsRows`].
    pub fn is_cube(&self) -> bool {
        self.source.is_some()
    }

    /// The cube the contact KPIs come from, when the source is one.
    pub fn cube(&self) -> Option<&crate::cube::Cube> {
        self.source.as_deref().map(CubeEngine::cube)
    }

    /// `Err(NeedsRows(what))` when the source is a cube.
    pub fn needs_rows(&self, what: &str) -> Result<(), QueryError> {
        match self.source {
            Some(_) => Err(QueryError::NeedsRows(what.to_string())),
            None => Ok(()),
        }
    }

    /// The cube engine and `q` checked against it: every dimension `q` filters or groups by
    /// must be the channel, a cube dimension or one of the agents/daily tables; `agent_id`,
    /// `customer_id` and other row-only dimensions give [`QueryError::NeedsRows`].
    fn cube_for(&self, q: &Query) -> Option<Result<&CubeEngine, QueryError>> {
        let cube = self.source.as_deref()?;
        let known = |name: &str| {
            name == "channel"
                || cube.cube().dim_index(name).is_some()
                || crate::group::OTHER_TABLE_DIMS.contains(&name)
        };
        let names = q
            .filters
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(q.by.iter().filter_map(|d| match d {
                Dim::Column(n) => Some(n.as_str()),
                _ => None,
            }));
        for n in names {
            if !known(n) {
                return Some(Err(QueryError::NeedsRows(format!("the dimension \"{n}\""))));
            }
        }
        Some(Ok(cube))
    }

    /// The dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.ds
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The derived columns.
    pub fn prepared(&self) -> &Prepared {
        &self.prep
    }

    /// An engine over the same rows under `cfg`: the dataset is shared, not copied; the
    /// derived columns, cells and remembered answers are made afresh. What a view still holds
    /// keeps answering under the old configuration until it lets go.
    pub fn with_config(&self, cfg: Config) -> Result<Engine, ConfigError> {
        let source = match self.source.as_deref() {
            Some(c) => Some(Box::new(c.with_config(cfg.clone())?)),
            None => None,
        };
        Ok(Engine {
            ds: Arc::clone(&self.ds),
            prep: Prepared::new(&self.ds.contacts, &cfg)?,
            cfg,
            cube: OnceLock::new(),
            dim_cells: self
                .ds
                .contacts
                .dims
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
            // The values rows use do not depend on the configuration.
            dim_values: self.dim_values.clone(),
            channel_values: self.channel_values.clone(),
            // Every remembered answer was computed under the old configuration.
            recent: Recent::new(RECENT_ANSWERS),
            use_cube: self.use_cube,
            source,
        })
    }

    /// Replaces the configuration and re-derives the columns that depend on it: what
    /// [`Engine::with_config`] makes, in place (on error the engine is unchanged).
    pub fn set_config(&mut self, cfg: Config) -> Result<(), ConfigError> {
        *self = self.with_config(cfg)?;
        Ok(())
    }

    /// Answers cube-shaped queries from the day × channel cube (default) or always scans rows
    /// (`false`; for tests and benchmarks: both give the same numbers).
    pub fn set_use_cube(&mut self, on: bool) {
        self.use_cube = on;
        self.recent = Recent::new(RECENT_ANSWERS);
    }

    /// The row context for [`KpiAcc::add`].
    pub fn rows(&self, now: Option<i64>) -> Rows<'_> {
        Rows {
            contacts: &self.ds.contacts,
            prep: &self.prep,
            cfg: &self.cfg,
            now,
        }
    }

    /// The dimensions a query can filter and group by: `channel`, every dimension column of
    /// the contacts (standard and extra), and `system` / `traffic_source` of the daily table.
    pub fn dimensions(&self) -> Vec<String> {
        let mut v = vec!["channel".to_string()];
        match self.cube() {
            Some(cube) => v.extend(cube.dims.iter().map(|d| d.name.clone())),
            None => v.extend(self.ds.contacts.dims.iter().map(|d| d.name.clone())),
        }
        for d in crate::group::OTHER_TABLE_DIMS {
            if !v.iter().any(|x| x == d) {
                v.push(d.to_string());
            }
        }
        v
    }

    /// The values of dimension `name`, sorted (`""`, rows without a value, first when present),
    /// for filter pickers. `None` for an unknown dimension.
    pub fn dimension_values(&self, name: &str) -> Option<Vec<String>> {
        if let Some(cube) = self.cube() {
            if !matches!(name, "system" | "traffic_source") {
                return cube_dimension_values(cube, name);
            }
        }
        let mut v: Vec<String> = match name {
            "channel" => {
                let present = || channels_present(self.ds.contacts.channel.iter().copied());
                return Some(self.channel_values.get_or_init(present).clone());
            }
            "system" | "traffic_source" => {
                let mut s: Vec<String> = self
                    .ds
                    .daily
                    .rows
                    .iter()
                    .filter_map(|r| {
                        if name == "system" {
                            r.system.clone()
                        } else {
                            r.traffic_source.clone()
                        }
                    })
                    .collect();
                crate::sorting::sort(&mut s);
                s.dedup();
                s
            }
            _ => {
                let d = self.ds.contacts.dim_index(name)?;
                let col = &self.ds.contacts.dims[d];
                let used = || {
                    used_values(
                        &col.dict,
                        (0..col.codes.len()).map(|i| col.codes.get(i) as usize),
                    )
                };
                return Some(match self.dim_values.get(d) {
                    Some(cached) => cached.get_or_init(used).clone(),
                    None => used(),
                });
            }
        };
        crate::sorting::sort(&mut v);
        Some(v)
    }

    /// The band of `value` for KPI `id` under the configured (else default) bands.
    pub fn band(&self, id: &str, value: Option<f64>) -> crate::kpi::Band {
        match crate::kpi::kpi(id) {
            Some(k) => crate::analysis::bands_of(&self.cfg, id).classify(value, k.better),
            None => crate::kpi::Band::None,
        }
    }

    /// The band of an SLA value of one channel: good from the channel's configured target,
    /// watch below it, act now more than [`SLA_ACT_NOW_BELOW`] under it (the catalog's "per
    /// channel" targets: voice 80 %, chat 90 %, email 95 %). The overall SLA's default band is
    /// the same rule on voice's target (good ≥ 0.80, act now < 0.70), so the two agree for a
    /// channel with that target.
    pub fn sla_band(&self, channel: Channel, value: Option<f64>) -> crate::kpi::Band {
        match self.cfg.sla.get(&channel) {
            Some(t) => crate::kpi::Bands::new(Some(t.target), Some(t.target - SLA_ACT_NOW_BELOW))
                .classify(value, crate::kpi::Better::Higher),
            None => self.band("sla", value),
        }
    }

    /// Local days of the first and the last contact.
    pub fn data_days(&self) -> Option<(i64, i64)> {
        if let Some(cube) = self.cube() {
            let mut cache = crate::time::TzCache::new(self.prep.tz);
            let first = cache.local(cube.cells.first()?.hour).div_euclid(DAY);
            let last = cache.local(cube.cells.last()?.hour).div_euclid(DAY);
            return Some((first, last));
        }
        let a = &self.ds.contacts.arrived;
        let mut cache = crate::time::TzCache::new(self.prep.tz);
        let first = cache.local(*a.first()?).div_euclid(DAY);
        let last = cache.local(*a.last()?).div_euclid(DAY);
        Some((first, last))
    }

    /// Compiles the row filter of `q`; [`QueryError::NeedsRows`] when the source is a cube
    /// (every row scan starts here).
    pub fn filter(&self, q: &Query) -> Result<RowFilter, QueryError> {
        self.needs_rows("this question")?;
        RowFilter::new(q, &self.ds.contacts, &self.prep)
    }

    /// Contact accumulators per group of `q` (agents and daily left out), with their key labels.
    pub fn contact_groups(&self, q: &Query) -> Result<Vec<(Labels, KpiAcc)>, QueryError> {
        if let Some(cube) = self.cube_for(q) {
            // In report order (the cube's first-seen order depends on its file).
            let mut groups = cube?.contact_groups(q)?;
            sort_by_labels(&mut groups, |(k, _)| k);
            return Ok(groups);
        }
        // A range whose last day is cut: the whole days from wherever they come from (the day
        // cells, mostly), the cut day from its rows.
        if let Some((whole, cut)) = self.split_cut(q) {
            return Ok(merged_by_labels(
                self.contact_groups(&whole)?,
                self.contact_groups(&cut)?,
                <KpiAcc as Merge>::merge,
            ));
        }
        if let Some(hit) = self.recent.get(q) {
            return Ok(hit);
        }
        // A total that the cells answer is the merge of its channels' groups. Views show both
        // (a tile row and a per-channel grid, for the period and for its comparison): asked
        // this way, the per-channel answer is remembered and the second question costs no pass
        // over the cells. Not with `now`: live queue counts belong to the rows, not the cells.
        if q.by.is_empty() && q.now.is_none() && self.cell_plan(q).is_some() {
            let by_channel = Query {
                by: vec![Dim::Channel],
                ..q.clone()
            };
            let groups = total_of(self.contact_groups(&by_channel)?, KpiAcc::merge);
            self.recent.put(q.clone(), groups.clone());
            return Ok(groups);
        }
        let groups = self.contact_groups_of_rows(q)?;
        if groups.len() <= RECENT_MAX_GROUPS {
            self.recent.put(q.clone(), groups.clone());
        }
        Ok(groups)
    }

    /// [`Engine::contact_groups`] for a report: answered from cells, a group that is one cell
    /// borrows it instead of a copy (a report by channel × day at 1M rows has ~3,000 such
    /// groups), with true when the groups are in report order already. The live queue (`now`)
    /// and the other paths give owned accumulators, unordered.
    fn contact_parts(&self, q: &Query) -> Result<(Vec<(Labels, AccRef<'_>)>, bool), QueryError> {
        let owned =
            |g: Vec<(Labels, KpiAcc)>| (g.into_iter().map(|(k, a)| (k, a.into())).collect(), false);
        // A total (one group) too: `contact_groups` answers it as the merge of its channels'
        // groups, and `total` must read the same sums, in the same order, as the report.
        if self.source.is_some() || q.now.is_some() || q.by.is_empty() {
            return self.contact_groups(q).map(owned);
        }
        if let Some(hit) = self.recent.get(q) {
            return Ok(owned(hit));
        }
        let f = self.filter(q)?;
        let Some((cells, values)) = self.cell_plan(q) else {
            return self.contact_groups(q).map(owned);
        };
        let (groups, ordered) = cells.group_parts(
            q,
            &f.channels(),
            values.as_deref(),
            &self.ds.contacts,
            false,
        );
        if groups.len() <= RECENT_MAX_GROUPS {
            let copy = groups
                .iter()
                .map(|(k, a)| (k.clone(), (**a).clone()))
                .collect();
            self.recent.put(q.clone(), copy);
        }
        Ok((groups, ordered))
    }

    fn contact_groups_of_rows(&self, q: &Query) -> Result<Vec<(Labels, KpiAcc)>, QueryError> {
        let f = self.filter(q)?;
        let c = &self.ds.contacts;
        if let Some((cells, values)) = self.cell_plan(q) {
            return Ok(self.cube_groups(q, &f, cells, values.as_deref()));
        }
        let mut keyer = Keyer::new(&q.by, c, &self.prep, &f)?;
        let rows = self.rows(q.now);
        let g = group_rows(&mut keyer, &f, c, &self.prep, |a: &mut KpiAcc, i| {
            a.add(&rows, i)
        });
        Ok(g.keys
            .iter()
            .zip(g.accs)
            .map(|(&k, a)| (keyer.labels(k), a))
            .collect())
    }

    /// The day cells, when they can answer `q` (ignoring its grouping).
    pub fn cells_for(&self, q: &Query) -> Option<&DayCells> {
        if self.source.is_some() {
            return None;
        }
        let q = Query {
            by: Vec::new(),
            ..q.clone()
        };
        if !self.use_cube || self.cuts(&q) {
            return None;
        }
        let cells = self.day_cells();
        cells.serves(&q).then_some(cells)
    }

    /// The parts a query whose last day is cut is answered from: the whole days before that
    /// day (no cut), and the cut day alone. `None` when the cut leaves out nothing or the range
    /// is that one day. A case counts where its first contact is, so no case is in both parts.
    fn split_cut(&self, q: &Query) -> Option<(Query, Query)> {
        let to = q.to?;
        if !self.cuts(q) || q.from.is_some_and(|f| f >= to) {
            return None;
        }
        let whole = Query {
            to: Some(to - 1),
            last_day_until: None,
            ..q.clone()
        };
        let cut = Query {
            from: Some(to),
            ..q.clone()
        };
        Some((whole, cut))
    }

    /// True when `q`'s [`Query::last_day_until`] leaves out some contact of its last day, so
    /// that whole-day cells cannot answer it (a cut after the day's last contact, as when the
    /// period ends now, changes nothing and the cells still answer).
    fn cuts(&self, q: &Query) -> bool {
        let (Some(cut), Some(to)) = (q.cut_of(&self.prep.tz), q.to) else {
            return false;
        };
        let a = &self.ds.contacts.arrived;
        let end = crate::time::day_start_utc(&self.prep.tz, to + 1);
        a.partition_point(|&t| t < cut) < a.partition_point(|&t| t < end)
    }

    /// The cells that answer `q` and the allowed codes of their value axis (`None`: all), when
    /// some can: the day × channel cells for date range and channel filters, the day × channel
    /// × value cells of one dimension (built on first use) when the query also filters or
    /// groups by that one dimension (of at most [`crate::cells::MAX_VALUES`] values). Groupings
    /// by channel, day, week, month, quarter and that dimension; no business or peak hour
    /// filter. Everything else scans rows.
    fn cell_plan(&self, q: &Query) -> Option<(&DayCells, Option<Vec<bool>>)> {
        if !self.use_cube || q.business_hours.is_some() || q.peak.is_some() || self.cuts(q) {
            return None;
        }
        let c = &self.ds.contacts;
        let mut dim: Option<usize> = None;
        let mut one = |i: usize| *dim.get_or_insert(i) == i;
        // The same name resolution as `RowFilter::new` and `Keyer::new`.
        for (name, _) in &q.filters {
            if name == "channel" {
                continue;
            }
            match c.dim_index(name) {
                Some(i) if one(i) => {}
                None if crate::group::OTHER_TABLE_DIMS.contains(&name.as_str()) => {}
                _ => return None,
            }
        }
        for d in &q.by {
            if let Dim::Column(name) = d {
                match c.dim_index(name) {
                    Some(i) if one(i) => {}
                    _ => return None,
                }
            }
        }
        let Some(d) = dim else {
            let cells = self.day_cells();
            return cells.serves(q).then_some((cells, None));
        };
        let cells = self.dim_cells.get(d)?.get_or_init(|| {
            DayCells::build_for(c, &self.prep, &self.rows(None), Some(d)).map(Arc::new)
        });
        let cells = cells.as_deref()?;
        if !cells.serves_grouping(q, c) {
            return None;
        }
        let dict = &c.dims[d].dict;
        let mut allowed = vec![true; cells.values];
        for (name, values) in &q.filters {
            if c.dim_index(name) == Some(d) && name != "channel" {
                let mut m = vec![false; cells.values];
                for v in values {
                    if let Some(code) = dict.find(v) {
                        if let Some(x) = m.get_mut(code as usize) {
                            *x = true;
                        }
                    }
                }
                for (a, b) in allowed.iter_mut().zip(m) {
                    *a &= b;
                }
            }
        }
        Some((cells, Some(allowed)))
    }

    /// True when `q` is answered from pre-aggregated cells rather than by scanning rows.
    pub fn answers_from_cells(&self, q: &Query) -> bool {
        self.source.is_some() || self.cell_plan(q).is_some()
    }

    /// Contacts per weekday × local hour (`[weekday·24 + hour]`) from cells, when cells can
    /// answer `q` (see [`Engine::cell_plan`]).
    pub(crate) fn cell_volume(&self, q: &Query, f: &RowFilter) -> Option<[u64; 168]> {
        let q = Query {
            by: Vec::new(),
            ..q.clone()
        };
        let (cells, values) = self.cell_plan(&q)?;
        Some(cells.volume_by_hour_of_week(&q, &f.channels(), values.as_deref()))
    }

    /// Accumulators per weekday × local hour (`[weekday·24 + hour]`) holding the light KPIs'
    /// counts and sums from the cells' hour accumulators, when cells can answer `q` (see
    /// [`Engine::cell_plan`]); read only [`crate::kpi::LIGHT_KPIS`] from them.
    pub(crate) fn cell_light(&self, q: &Query, f: &RowFilter) -> Option<Vec<KpiAcc>> {
        let q = Query {
            by: Vec::new(),
            ..q.clone()
        };
        let (cells, values) = self.cell_plan(&q)?;
        cells.light_by_hour_of_week(&self.rows(None), &q, &f.channels(), values.as_deref())
    }

    /// [`Engine::cell_light`] per local day × local hour: `(day, 24 accumulators)` per day with
    /// contacts.
    pub(crate) fn cell_light_days(
        &self,
        q: &Query,
        f: &RowFilter,
    ) -> Option<Vec<(i64, Vec<KpiAcc>)>> {
        let q = Query {
            by: Vec::new(),
            ..q.clone()
        };
        let (cells, values) = self.cell_plan(&q)?;
        cells.light_by_date_hour(&self.rows(None), &q, &f.channels(), values.as_deref())
    }

    /// Hour-bucket accumulators (`Bucket::Hour` index, accumulator) of the hours with contacts,
    /// in time order, from the cells' hour accumulators, when every KPI of `kpis` is light and
    /// cells can answer `q` (its grouping ignored); `None` otherwise (the caller scans rows).
    /// Read only `kpis` from them. Hour-grouped views (intraday, deviation alerts) refresh on
    /// every filter change, and a row scan with every KPI per hour was most of that time.
    pub(crate) fn light_hours(&self, q: &Query, kpis: &[&str]) -> Option<Vec<(i64, KpiAcc)>> {
        if self.is_cube() || kpis.is_empty() || !kpis.iter().all(|k| crate::kpi::is_light(k)) {
            return None;
        }
        let f = self.filter(q).ok()?;
        let days = self.cell_light_days(q, &f)?;
        Some(
            days.into_iter()
                .flat_map(|(day, accs)| {
                    accs.into_iter()
                        .enumerate()
                        .filter(|(_, a)| a.contacts > 0)
                        .map(move |(h, a)| (day * 24 + h as i64, a))
                })
                .collect(),
        )
    }

    /// Approximate heap bytes of the day cells and of the dimension cells built so far (with
    /// their hour accumulators once a light heatmap built them).
    pub fn cells_heap_bytes(&self) -> usize {
        self.cube.get().map_or(0, DayCells::heap_bytes)
            + self
                .dim_cells
                .iter()
                .filter_map(|c| c.get().and_then(|c| c.as_deref()))
                .map(DayCells::heap_bytes)
                .sum::<usize>()
    }

    /// Groups from cells, with the live queue counted from the few rows that can be in it.
    fn cube_groups(
        &self,
        q: &Query,
        f: &RowFilter,
        cells: &DayCells,
        values: Option<&[bool]>,
    ) -> Vec<(Labels, KpiAcc)> {
        let c = &self.ds.contacts;
        let mut groups = cells.groups(q, &f.channels(), values, c);
        if let Some(now) = q.now {
            for (_, a) in groups.iter_mut() {
                a.queue = Some(0);
            }
            if let Ok(mut keyer) = Keyer::new(&q.by, c, &self.prep, f) {
                for i in self.day_cells().queue_rows(c, now) {
                    if i < f.lo || i >= f.hi || !f.pass(c, &self.prep, i) {
                        continue;
                    }
                    if crate::kpi::in_queue(c, i, now) {
                        let k = keyer.key(c, &self.prep, i);
                        let labels = keyer.labels(k);
                        if let Some((_, a)) = groups.iter_mut().find(|(k, _)| *k == labels) {
                            *a.queue.get_or_insert(0) += 1;
                        }
                    }
                }
            }
        }
        groups
    }

    /// The contact accumulator of everything `q` selects, ignoring its grouping.
    pub fn total(&self, q: &Query) -> Result<KpiAcc, QueryError> {
        if let Some(cube) = self.cube_for(q) {
            return cube?.total(q);
        }
        let q = Query {
            by: Vec::new(),
            ..q.clone()
        };
        Ok(self
            .contact_groups(&q)?
            .into_iter()
            .next()
            .map(|(_, a)| a)
            .unwrap_or_else(|| KpiAcc {
                queue: q.now.map(|_| 0),
                ..Default::default()
            }))
    }

    fn day_in_range(q: &Query, day: i64) -> bool {
        q.from.is_none_or(|f| day >= f) && q.to.is_none_or(|t| day <= t)
    }

    /// Agent accumulators per group, or `None` when the grouping uses a dimension agents lack.
    pub fn agent_groups(&self, q: &Query) -> Option<BTreeMap<Labels, AgentAcc>> {
        let mut out: BTreeMap<Labels, AgentAcc> = BTreeMap::new();
        let teams = q.filter_values("team");
        let agents = q.filter_values("agent_id");
        // The same span as the contacts: on a cut last day, the intervals that start at or
        // after the cut are left out (the one the cut falls in is kept, as a cube keeps its
        // hour). An agent-day row has no time of day and stays whole.
        let cut = q.cut_of(&self.prep.tz).zip(q.to);
        for r in &self.ds.agents.rows {
            if !Self::day_in_range(q, r.date as i64) {
                continue;
            }
            if let (Some((cut, to)), Some(start)) = (cut, r.interval_start) {
                if r.date as i64 == to && start >= cut {
                    continue;
                }
            }
            let team = r.team.as_deref().unwrap_or("");
            if teams.is_some_and(|v| !v.iter().any(|x| x == team))
                || agents.is_some_and(|v| !v.contains(&r.agent_id))
            {
                continue;
            }
            let mut key = Vec::with_capacity(q.by.len());
            for d in &q.by {
                let label = match d {
                    Dim::Time(b) => day_label(*b, r.date as i64),
                    Dim::Weekday => WEEKDAYS[crate::time::weekday(r.date as i64) as usize].into(),
                    Dim::Column(n) if n == "team" => team.to_string(),
                    Dim::Column(n) if n == "agent_id" => r.agent_id.clone(),
                    _ => return None,
                };
                key.push((d.name().to_string(), label));
            }
            out.entry(key).or_default().add(r);
        }
        Some(out)
    }

    /// Daily accumulators per group, or `None` when the grouping uses a dimension `daily` lacks.
    pub fn daily_groups(&self, q: &Query) -> Option<BTreeMap<Labels, DailyAcc>> {
        let mut out: BTreeMap<Labels, DailyAcc> = BTreeMap::new();
        let systems = q.filter_values("system");
        let sources = q.filter_values("traffic_source");
        for r in &self.ds.daily.rows {
            if !Self::day_in_range(q, r.date as i64) {
                continue;
            }
            let system = r.system.as_deref().unwrap_or("");
            let source = r.traffic_source.as_deref().unwrap_or("");
            if systems.is_some_and(|v| !v.iter().any(|x| x == system))
                || sources.is_some_and(|v| !v.iter().any(|x| x == source))
            {
                continue;
            }
            let mut key = Vec::with_capacity(q.by.len());
            for d in &q.by {
                let label = match d {
                    Dim::Time(b) => day_label(*b, r.date as i64),
                    Dim::Weekday => WEEKDAYS[crate::time::weekday(r.date as i64) as usize].into(),
                    Dim::Column(n) if n == "system" => system.to_string(),
                    Dim::Column(n) if n == "traffic_source" => source.to_string(),
                    _ => return None,
                };
                key.push((d.name().to_string(), label));
            }
            out.entry(key).or_default().add(r);
        }
        Some(out)
    }

    /// The light KPIs ([`crate::kpi::LIGHT_KPIS`]) per group of `q`, merged from the day cells
    /// without their histogram buckets and customer sets: each group lists only the light
    /// KPIs. Their values are those of [`Engine::report`], bit for bit (the same sums in the
    /// same order), and its groups are the report's. `None` when the cells cannot answer `q`
    /// (then ask [`Engine::report`]): a cube source, a live queue (`now`), a filter the cells
    /// do not keep, or a grouping by a dimension column.
    pub fn light_report(&self, q: &Query) -> Option<Vec<Group>> {
        let contacts = self.light_groups(q)?;
        // Joined with the agents' and daily groups as in `report`, so that both list the same
        // groups (a day with staffing but no contacts, say) in the same order.
        let contacts = contacts.into_iter().map(|(k, a)| (k, a.into())).collect();
        let mut groups = self.assembled(q, contacts, true);
        for g in &mut groups {
            g.kpis.retain(|(id, _)| crate::kpi::is_light(id));
        }
        Some(groups)
    }

    /// [`Engine::light_report`]'s accumulators, with their key labels: each holds only what
    /// the light KPIs read (counts, sums, the histograms' means), so read only
    /// [`crate::kpi::LIGHT_KPIS`] from it (their `n` too). A total is the merge of its
    /// channels' groups, as in [`Engine::contact_groups`]. `None` as for `light_report`.
    pub fn light_groups(&self, q: &Query) -> Option<Vec<(Labels, KpiAcc)>> {
        if self.source.is_some()
            || q.now.is_some()
            || q.by
                .iter()
                .any(|d| !matches!(d, Dim::Channel | Dim::Time(_)))
        {
            return None;
        }
        // A cut last day: the whole days from the cells, the cut day from its rows, merged light.
        if let Some((whole, cut)) = self.split_cut(q) {
            return Some(merged_by_labels(
                self.light_groups(&whole)?,
                self.contact_groups(&cut).ok()?,
                KpiAcc::merge_light,
            ));
        }
        let (cells, values) = self.cell_plan(q)?;
        if q.by.is_empty() {
            let by_channel = Query {
                by: vec![Dim::Channel],
                ..q.clone()
            };
            return Some(total_of(
                self.light_groups(&by_channel)?,
                KpiAcc::merge_light,
            ));
        }
        let f = self.filter(q).ok()?;
        let (groups, _) =
            cells.group_parts(q, &f.channels(), values.as_deref(), &self.ds.contacts, true);
        Some(
            groups
                .into_iter()
                .map(|(k, a)| (k, a.into_owned()))
                .collect(),
        )
    }

    /// Every catalog KPI per group of `q`, sorted by key (channels and weekdays in their
    /// natural order, time buckets chronologically, other values alphabetically).
    pub fn report(&self, q: &Query) -> Result<Vec<Group>, QueryError> {
        if let Some(cube) = self.cube_for(q) {
            return cube?.report(q);
        }
        let (contacts, ordered) = self.contact_parts(q)?;
        Ok(self.assembled(q, contacts, ordered))
    }

    /// The report of `q` from its contact groups: joined with the agents' and daily groups of
    /// `q` ([`assemble`]); `ordered` as there.
    fn assembled(
        &self,
        q: &Query,
        contacts: Vec<(Labels, AccRef<'_>)>,
        ordered: bool,
    ) -> Vec<Group> {
        let agents = self.agent_groups(q).unwrap_or_default();
        let daily = self.daily_groups(q).unwrap_or_default();
        let empty = KpiAcc {
            queue: q.now.map(|_| 0),
            ..Default::default()
        };
        assemble(contacts, &agents, &daily, q.by.is_empty(), empty, ordered)
    }

    /// A report of `q` that holds at least the KPIs `ids`: [`Engine::light_report`] when every
    /// id is light and the cells can answer (only counts and sums merged), else
    /// [`Engine::report`].
    pub fn report_for(&self, q: &Query, ids: &[&str]) -> Result<Vec<Group>, QueryError> {
        match all_light(ids).then(|| self.light_report(q)).flatten() {
            Some(r) => Ok(r),
            None => self.report(q),
        }
    }

    /// The total accumulator of `q` from which the KPIs `ids` can be read: the light total when
    /// every id is light and the cells can answer, else [`Engine::total`].
    pub fn total_for(&self, q: &Query, ids: &[&str]) -> Result<KpiAcc, QueryError> {
        let total = Query {
            by: Vec::new(),
            ..q.clone()
        };
        let light = all_light(ids).then(|| self.light_groups(&total)).flatten();
        match light.and_then(|g| g.into_iter().next()) {
            Some((_, a)) => Ok(a),
            None => self.total(q),
        }
    }

    /// Accumulators of `q`'s groups from which the KPIs `ids` can be read:
    /// [`Engine::light_groups`] when every id is light and the cells can answer, else
    /// [`Engine::contact_groups`].
    pub fn contact_groups_for(
        &self,
        q: &Query,
        ids: &[&str],
    ) -> Result<Vec<(Labels, KpiAcc)>, QueryError> {
        match all_light(ids).then(|| self.light_groups(q)).flatten() {
            Some(g) => Ok(g),
            None => self.contact_groups(q),
        }
    }
}

fn all_light(ids: &[&str]) -> bool {
    ids.iter().all(|id| crate::kpi::is_light(id))
}

/// The one total group of per-channel `groups`, merged in their order with `merge` (the
/// contact groups' and the light groups' totals add the same way).
fn total_of(
    groups: Vec<(Labels, KpiAcc)>,
    merge: fn(&mut KpiAcc, &KpiAcc),
) -> Vec<(Labels, KpiAcc)> {
    let mut channels = groups.into_iter();
    channels
        .next()
        .map(|(_, mut acc)| {
            for (_, a) in channels {
                merge(&mut acc, &a);
            }
            (Labels::new(), acc)
        })
        .into_iter()
        .collect()
}

/// The ids of the channels `channels` holds, in catalog order (the channel picker's values).
fn channels_present(channels: impl Iterator<Item = Channel>) -> Vec<String> {
    let mut seen = [false; Channel::COUNT];
    for c in channels {
        seen[c as usize] = true;
    }
    Channel::ALL
        .iter()
        .filter(|c| seen[**c as usize])
        .map(|c| c.as_str().to_string())
        .collect()
}

/// The values of dimension `name` that some cell of `cube` has, sorted, like
/// [`Engine::dimension_values`] over the rows the cube was built from.
fn cube_dimension_values(cube: &crate::cube::Cube, name: &str) -> Option<Vec<String>> {
    if name == "channel" {
        return Some(channels_present(cube.cells.iter().map(|c| c.channel)));
    }
    let d = cube.dim_index(name)?;
    let codes = cube.cells.iter().map(|c| c.dims[d] as usize);
    Some(used_values(&cube.dims[d].dict, codes))
}

/// The values of `dict` that some code of `codes` points at, sorted.
fn used_values(dict: &crate::model::Dict, codes: impl Iterator<Item = usize>) -> Vec<String> {
    let mut used = vec![false; dict.len()];
    for code in codes {
        if let Some(u) = used.get_mut(code) {
            *u = true;
        }
    }
    let mut v: Vec<String> = dict
        .values()
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|(s, _)| s.clone())
        .collect();
    crate::sorting::sort(&mut v);
    v
}

/// Every catalog KPI from the three accumulators of one group, in catalog order.
pub fn merge_values(c: &KpiAcc, a: Option<&AgentAcc>, d: Option<&DailyAcc>) -> KpiValues {
    merge_values_with(c, &c.percentiles(), a, d)
}

/// [`merge_values`] with `c`'s percentiles computed before ([`KpiAcc::percentiles`]).
pub(crate) fn merge_values_with(
    c: &KpiAcc,
    pct: &Percentiles,
    a: Option<&AgentAcc>,
    d: Option<&DailyAcc>,
) -> KpiValues {
    // Each source writes its own KPIs (disjoint sets) at their catalog positions.
    let mut v: KpiArray = [None; KPI_COUNT];
    c.fill_with(&mut v, pct);
    if let Some(a) = a {
        a.fill(&mut v);
    }
    if let Some(d) = d {
        d.fill(&mut v);
    }
    v[const { index_of("turnover") }] = d
        .and_then(DailyAcc::turnover)
        .or_else(|| a.and_then(AgentAcc::turnover));
    // Filled in place and copied out whole: a report reads ~3,000 groups, and a push per
    // KPI (a call each in the size-optimised build) was a quarter of its time.
    let mut out = NO_VALUES;
    for i in 0..KPI_COUNT {
        out[i].1 = match v[i] {
            Some(x) if x.is_finite() => Some(x),
            _ => None,
        };
    }
    out.to_vec()
}

/// Every catalog id, in catalog order, without a value.
const NO_VALUES: [(&str, Option<f64>); KPI_COUNT] = {
    let mut out = [("", None); KPI_COUNT];
    let mut i = 0;
    while i < KPI_COUNT {
        out[i].0 = CATALOG[i].id;
        i += 1;
    }
    out
};

fn day_label(b: Bucket, day: i64) -> String {
    match b {
        Bucket::Hour => Bucket::Day.label(day),
        _ => b.label(b.index(day * DAY)),
    }
}

/// Merges accumulators of groups that share a key, for callers that aggregate in parts.
pub fn merge_all<A: Merge + Default + Clone>(parts: &[A]) -> A {
    let mut out = A::default();
    for p in parts {
        out.merge(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::Source;

    /// Each accumulator writes exactly the catalog KPIs of its source (turnover: agents or
    /// daily), so the sources never overwrite each other's values and none is left out.
    #[test]
    fn each_source_fills_exactly_its_catalog_kpis() {
        const MARK: Option<f64> = Some(-123.25);
        let written = |f: &dyn Fn(&mut KpiArray)| -> Vec<&'static str> {
            let mut v: KpiArray = [MARK; KPI_COUNT];
            f(&mut v);
            CATALOG
                .iter()
                .zip(v)
                .filter(|(_, x)| *x != MARK)
                .map(|(k, _)| k.id)
                .collect()
        };
        let of = |s: &[Source]| -> Vec<&'static str> {
            CATALOG
                .iter()
                .filter(|k| s.contains(&k.source) && k.id != "turnover")
                .map(|k| k.id)
                .collect()
        };
        assert_eq!(
            written(&|v| KpiAcc::default().fill(v)),
            of(&[Source::Contacts, Source::Cases])
        );
        assert_eq!(
            written(&|v| AgentAcc::default().fill(v)),
            of(&[Source::Agents])
        );
        assert_eq!(
            written(&|v| DailyAcc::default().fill(v)),
            of(&[Source::Daily])
        );
        let all = merge_values(
            &KpiAcc::default(),
            Some(&AgentAcc::default()),
            Some(&DailyAcc::default()),
        );
        let ids: Vec<&str> = all.iter().map(|(k, _)| *k).collect();
        let want: Vec<&str> = CATALOG.iter().map(|k| k.id).collect();
        assert_eq!(ids, want);
    }
}
