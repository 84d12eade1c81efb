//! Day cells: one [`KpiAcc`] per local day × channel (× value of one low-cardinality dimension),
//! built inside the [`crate::Engine`] (unlike [`crate::cube`], which is an exchange format). The
//! dashboard's common queries (a date range, a set of channels, optionally the values of one
//! dimension such as `team`, grouped by channel, that dimension and/or day, week, month or
//! quarter) merge a few thousand cells instead of scanning millions of rows; anything else scans
//! rows. Both paths give the same numbers (tested), because a cell is just the accumulator of
//! the rows it covers.
//!
//! The day × channel cells are built on the first query they answer (`Engine::day_cells`), the
//! day × channel × value cells of a dimension on the first query that filters or groups by it
//! (see `Engine`), for dimensions of at most [`MAX_VALUES`] values.
//!
//! Each set of cells also owns, built on the first heatmap of a light KPI it answers, a
//! [`LightAcc`] per cell and local hour that has contacts ([`HourCells`]): weekday × hour and
//! date × hour heatmaps of the light KPIs ([`crate::kpi::LIGHT_KPIS`]) then merge at most
//! days × channels × values × 24 of those small structs instead of scanning rows. Their memory
//! is bounded by cells × 24, whatever the number of rows.

use crate::assemble::{AccRef, Labels};
use crate::kpi::{Count, KpiAcc, LightAcc, Percentiles, Rows};
use crate::measure::Merge;
use crate::model::{flag, Channel, Contacts};
use crate::prepared::Prepared;
use crate::query::{Dim, Query};
use crate::time::{Bucket, TzCache, DAY};
use std::sync::OnceLock;

/// Dimensions with more values than this (dictionary codes, the empty value included) are not
/// given cells: a query filtering them scans rows.
pub const MAX_VALUES: usize = 64;

/// Largest slot table (days × channels × values) built for a dimension.
const MAX_SLOTS: usize = 1 << 23;

/// No cell at this slot.
const EMPTY: u32 = u32::MAX;

/// Accumulators per local day × channel (× value), plus what the live queue needs.
#[derive(Debug, Clone, Default)]
pub struct DayCells {
    /// Local day of cell row 0.
    pub first_day: i64,
    /// Number of days.
    pub days: usize,
    /// The dimension column (index into `Contacts::dims`) of the value axis; `None`: no value
    /// axis (one value).
    pub dim: Option<usize>,
    /// Number of values (dictionary codes) of the value axis; 1 without one.
    pub values: usize,
    /// Index into `cells` of `((day − first_day) · 8 + channel) · values + value`, `u32::MAX`
    /// where no row falls.
    slot: Vec<u32>,
    /// Accumulators of the non-empty cells.
    pub cells: Vec<KpiAcc>,
    /// Each cell's percentiles (same index): a report of one cell per group reads them instead
    /// of walking the cell's histograms again.
    pub percentiles: Vec<Percentiles>,
    /// Contacts per local hour of each cell, same index (volume heatmaps without a scan).
    pub hours: Vec<[u32; 24]>,
    /// Rows never answered, abandoned or closed: in the queue at any later "now".
    pub open_forever: Vec<u32>,
    /// Longest time any other row stayed in the queue (seconds): rows that arrived earlier than
    /// `now − max_open` cannot be in it.
    pub max_open: i64,
    /// Light accumulators per cell and local hour, built on first use (see [`HourCells`]);
    /// `None` when they cannot be built (then heatmaps scan rows).
    light: OnceLock<Option<HourCells>>,
}

/// A [`LightAcc`] per cell and local hour with contacts, stored densely: only the hours that
/// have contacts take space (office-hours data fills 10 to 15 of the 24), with 16-bit counts
/// when no cell hour has 65 536 contacts or more (every realistic one), else 32-bit.
#[derive(Debug, Clone, Default)]
pub struct HourCells {
    /// Per cell: index into the accumulators of its first hour with contacts.
    start: Vec<u32>,
    /// Per cell: bit `h` set when local hour `h` has contacts.
    mask: Vec<u32>,
    /// The accumulators, cell by cell, hours ascending.
    accs: HourAccs,
}

/// The accumulators of [`HourCells`], in the narrowest count type that holds them.
#[derive(Debug, Clone)]
enum HourAccs {
    Narrow(Vec<LightAcc<u16>>),
    Wide(Vec<LightAcc<u32>>),
}

impl Default for HourAccs {
    fn default() -> Self {
        HourAccs::Narrow(Vec::new())
    }
}

impl HourCells {
    /// Merges every hour of cell `k` that has contacts into `out[h]` (hours 0..24).
    #[inline]
    fn merge_cell(&self, k: usize, out: &mut [LightAcc<u64>]) {
        match &self.accs {
            HourAccs::Narrow(v) => self.merge_from(v, k, out),
            HourAccs::Wide(v) => self.merge_from(v, k, out),
        }
    }

    #[inline]
    fn merge_from<N: Count>(&self, accs: &[LightAcc<N>], k: usize, out: &mut [LightAcc<u64>]) {
        let (Some(&start), Some(&mask)) = (self.start.get(k), self.mask.get(k)) else {
            return;
        };
        let mut m = mask;
        let mut j = start as usize;
        while m != 0 {
            let h = m.trailing_zeros() as usize;
            if let (Some(a), Some(o)) = (accs.get(j), out.get_mut(h)) {
                a.add_to(o);
            }
            m &= m - 1;
            j += 1;
        }
    }

    /// Heap bytes.
    pub fn heap_bytes(&self) -> usize {
        self.start.capacity() * 4
            + self.mask.capacity() * 4
            + match &self.accs {
                HourAccs::Narrow(v) => v.capacity() * std::mem::size_of::<LightAcc<u16>>(),
                HourAccs::Wide(v) => v.capacity() * std::mem::size_of::<LightAcc<u32>>(),
            }
    }
}

/// Which cells a query selects: days `lo..hi` (offsets from `first_day`), channels, values.
struct Selection<'a> {
    lo: usize,
    hi: usize,
    channels: &'a [bool; Channel::COUNT],
    values: Option<&'a [bool]>,
}

impl DayCells {
    /// Builds the day × channel cells in one pass over the rows.
    pub fn build(c: &Contacts, prep: &Prepared, rows: &Rows<'_>) -> DayCells {
        Self::build_for(c, prep, rows, None).unwrap_or_default()
    }

    /// Builds day × channel × value cells of dimension column `dim` (`None`: day × channel),
    /// in one pass over the rows; `None` when the dimension has too many values or the slot
    /// table would be too large.
    pub fn build_for(
        c: &Contacts,
        prep: &Prepared,
        rows: &Rows<'_>,
        dim: Option<usize>,
    ) -> Option<DayCells> {
        let n = c.len();
        let codes = match dim {
            Some(d) => Some(&c.dims.get(d)?.codes),
            None => None,
        };
        let values = match dim {
            Some(d) => c.dims[d].dict.len().max(1),
            None => 1,
        };
        if values > MAX_VALUES {
            return None;
        }
        if n == 0 {
            return Some(DayCells {
                dim,
                values,
                ..Default::default()
            });
        }
        let mut tz = TzCache::new(prep.tz);
        let first_day = tz.local(c.arrived[0]).div_euclid(DAY);
        let last_day = tz.local(c.arrived[n - 1]).div_euclid(DAY);
        let days = (last_day - first_day + 1).max(1) as usize;
        let slots = days.checked_mul(Channel::COUNT * values)?;
        if dim.is_some() && slots > MAX_SLOTS {
            return None;
        }
        let mut slot = vec![EMPTY; slots];
        let mut cells: Vec<KpiAcc> = Vec::new();
        let mut hours: Vec<[u32; 24]> = Vec::new();
        let mut open_forever = Vec::new();
        let mut max_open = 0i64;
        let rows = Rows { now: None, ..*rows };
        for i in 0..n {
            let k = slot_of(c, codes, &mut tz, i, first_day, days, values);
            let s = &mut slot[k];
            if *s == EMPTY {
                *s = cells.len() as u32;
                cells.push(KpiAcc::default());
                hours.push([0; 24]);
            }
            let s = *s as usize;
            cells[s].add(&rows, i);
            hours[s][prep.how.get(i).map_or(0, |h| *h as usize % 24)] += 1;
            if dim.is_none() && !c.has(i, flag::ABANDONED) {
                let fr = c.first_response.get(i);
                let close = c.close_after.get(i);
                match (fr, close) {
                    (None, None) => open_forever.push(i as u32),
                    (a, b) => {
                        let open = a.unwrap_or(f32::INFINITY).min(b.unwrap_or(f32::INFINITY));
                        max_open = max_open.max(open.ceil() as i64);
                    }
                }
            }
        }
        for cell in cells.iter_mut() {
            // Stored partials: compact, shared by clones, and quick to merge from.
            cell.share();
        }
        let percentiles = cells.iter().map(KpiAcc::percentiles).collect();
        Some(DayCells {
            first_day,
            days,
            dim,
            values,
            slot,
            cells,
            percentiles,
            hours,
            open_forever,
            max_open,
            light: OnceLock::new(),
        })
    }

    /// The light accumulators per cell and local hour, built on the first call by one pass over
    /// the rows (`rows` must be the ones the cells were built from); `None` when there are no
    /// cells or the value axis' column is missing.
    pub fn hour_cells(&self, rows: &Rows<'_>) -> Option<&HourCells> {
        self.light.get_or_init(|| self.build_hours(rows)).as_ref()
    }

    fn build_hours(&self, rows: &Rows<'_>) -> Option<HourCells> {
        let c = rows.contacts;
        let codes = match self.dim {
            Some(d) => Some(&c.dims.get(d)?.codes),
            None => None,
        };
        if self.cells.is_empty() || self.days == 0 {
            return None;
        }
        let mut start = Vec::with_capacity(self.hours.len());
        let mut mask = Vec::with_capacity(self.hours.len());
        let mut total = 0u32;
        for counts in &self.hours {
            let m = counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .fold(0u32, |m, (h, _)| m | 1 << h);
            start.push(total);
            mask.push(m);
            total += m.count_ones();
        }
        // Every count of a cell hour is at most its contacts.
        let most = self.hours.iter().flatten().copied().max().unwrap_or(0) as u64;
        let accs = if most <= u16::MAX as u64 {
            HourAccs::Narrow(self.fill(rows, codes, &start, &mask, total as usize))
        } else {
            HourAccs::Wide(self.fill(rows, codes, &start, &mask, total as usize))
        };
        Some(HourCells { start, mask, accs })
    }

    /// The hour accumulators of [`DayCells::build_hours`]: one pass over the rows.
    fn fill<N: Count>(
        &self,
        rows: &Rows<'_>,
        codes: Option<&crate::model::Codes>,
        start: &[u32],
        mask: &[u32],
        total: usize,
    ) -> Vec<LightAcc<N>> {
        let c = rows.contacts;
        let prep = rows.prep;
        let mut accs = vec![LightAcc::<N>::default(); total];
        let mut tz = TzCache::new(prep.tz);
        let rows = Rows { now: None, ..*rows };
        for i in 0..c.len() {
            let k = slot_of(c, codes, &mut tz, i, self.first_day, self.days, self.values);
            let Some(&s) = self.slot.get(k) else { continue };
            let (Some(&m), Some(&st)) = (mask.get(s as usize), start.get(s as usize)) else {
                continue;
            };
            let h = prep.how.get(i).map_or(0, |h| *h as usize % 24);
            // The hour's position among the cell's hours with contacts.
            let j = st as usize + (m & ((1u32 << h) - 1)).count_ones() as usize;
            if let Some(a) = accs.get_mut(j) {
                a.add(&rows, i);
            }
        }
        accs
    }

    /// Approximate heap bytes of the cells (accumulators, their arrays, hour counts, slots, and
    /// the light hour accumulators once built).
    pub fn heap_bytes(&self) -> usize {
        self.light
            .get()
            .and_then(Option::as_ref)
            .map_or(0, HourCells::heap_bytes)
            + self.slot.len() * 4
            + self.hours.len() * std::mem::size_of::<[u32; 24]>()
            + self.open_forever.len() * 4
            + self.percentiles.len() * std::mem::size_of::<Percentiles>()
            + self
                .cells
                .iter()
                .map(|a| std::mem::size_of::<KpiAcc>() + a.heap_bytes())
                .sum::<usize>()
    }

    /// True when `q` can be answered from these cells given its grouping: no business or peak
    /// hour filter, grouped by nothing, channel, day/week/month/quarter or (for cells with a
    /// value axis) the value axis' dimension. Filters are the caller's business (see
    /// [`crate::Engine`]): only date range, channel and the value axis' dimension.
    pub fn serves_grouping(&self, q: &Query, c: &Contacts) -> bool {
        !self.cells.is_empty()
            && q.business_hours.is_none()
            && q.peak.is_none()
            && q.by.iter().all(|d| match d {
                Dim::Channel => true,
                Dim::Time(b) => *b != Bucket::Hour,
                Dim::Column(n) => self.dim.is_some() && c.dim_index(n) == self.dim,
                _ => false,
            })
            && q.by
                .iter()
                .map(|d| self.radix(d))
                .try_fold(1u64, |a, r| a.checked_mul(r))
                .is_some_and(|s| s <= 1 << 22)
    }

    /// True when `q` can be answered from the day × channel cells: only date range and channel
    /// filters, grouped by nothing, channel, or day/week/month/quarter.
    pub fn serves(&self, q: &Query) -> bool {
        self.dim.is_none()
            && !self.cells.is_empty()
            && q.business_hours.is_none()
            && q.peak.is_none()
            && q.filters.iter().all(|(d, _)| {
                d == "channel" || crate::group::OTHER_TABLE_DIMS.contains(&d.as_str())
            })
            && q.by.iter().all(|d| {
                matches!(d, Dim::Channel) || matches!(d, Dim::Time(b) if *b != Bucket::Hour)
            })
            && q.by
                .iter()
                .map(|d| self.radix(d))
                .try_fold(1u64, |a, r| a.checked_mul(r))
                .is_some_and(|s| s <= 1 << 22)
    }

    fn radix(&self, d: &Dim) -> u64 {
        match d {
            Dim::Channel => Channel::COUNT as u64,
            Dim::Column(_) => self.values as u64,
            _ => self.days as u64 + 1,
        }
    }

    fn day_range(&self, q: &Query) -> (usize, usize) {
        let lo = q.from.map_or(0, |f| (f - self.first_day).max(0)) as usize;
        let hi =
            q.to.map_or(self.days as i64, |t| {
                (t - self.first_day + 1).min(self.days as i64)
            })
            .max(0) as usize;
        (lo, hi.max(lo))
    }

    /// The cells of `q`'s date range, of the `allowed` channels and (with a value axis) of the
    /// allowed `values` (`None`: all).
    fn select<'a>(
        &self,
        q: &Query,
        allowed: &'a [bool; Channel::COUNT],
        values: Option<&'a [bool]>,
    ) -> Selection<'a> {
        let (lo, hi) = self.day_range(q);
        Selection {
            lo,
            hi,
            channels: allowed,
            values,
        }
    }

    /// Calls `f(day offset, channel, value, cell index)` for every non-empty selected cell, in
    /// day, channel, value order.
    #[inline]
    fn for_each_cell(&self, s: &Selection<'_>, mut f: impl FnMut(usize, Channel, usize, usize)) {
        let v = self.values;
        for d in s.lo..s.hi.min(self.days) {
            for ch in Channel::ALL {
                if !s.channels[ch as usize] {
                    continue;
                }
                let base = (d * Channel::COUNT + ch as usize) * v;
                for (value, &k) in self.slot[base..base + v].iter().enumerate() {
                    if k == EMPTY
                        || s.values
                            .is_some_and(|a| !a.get(value).copied().unwrap_or(false))
                    {
                        continue;
                    }
                    f(d, ch, value, k as usize);
                }
            }
        }
    }

    /// Merged accumulators per group label of the cells `q` selects, in time order; `allowed`
    /// is the channel filter, `values` the allowed codes of the value axis (`None`: all). The
    /// live queue is not included (see [`DayCells::queue_rows`]).
    pub fn groups(
        &self,
        q: &Query,
        allowed: &[bool; Channel::COUNT],
        values: Option<&[bool]>,
        c: &Contacts,
    ) -> Vec<(Vec<(String, String)>, KpiAcc)> {
        self.group_parts(q, allowed, values, c, false)
            .0
            .into_iter()
            .map(|(k, a)| (k, a.into_owned()))
            .collect()
    }

    /// [`DayCells::groups`] without copying: a group of one cell borrows it (a report by
    /// channel × day is one cell per group), a group of several holds their merge. True with
    /// them when the groups are in report order already (no dimension column in the grouping).
    /// `light`: each group holds only what the light KPIs read ([`KpiAcc::merge_light`] from
    /// the default, in the same cell order), which skips copying and adding histogram buckets
    /// and customer sets.
    pub(crate) fn group_parts<'a>(
        &'a self,
        q: &Query,
        allowed: &[bool; Channel::COUNT],
        values: Option<&[bool]>,
        c: &Contacts,
        light: bool,
    ) -> (Vec<(Labels, AccRef<'a>)>, bool) {
        // A numeric key per cell (mixed radix over the grouping), labels only per group.
        let radix: Vec<u64> = q.by.iter().map(|d| self.radix(d)).collect();
        let space: u64 = radix.iter().product();
        let mut slot = vec![u32::MAX; space.min(1 << 22) as usize];
        let mut keys: Vec<(i64, Channel, usize)> = Vec::new();
        let mut accs: Vec<AccRef<'a>> = Vec::new();
        let first_bucket: Vec<i64> =
            q.by.iter()
                .map(|d| match d {
                    Dim::Time(b) => b.index(self.first_day * DAY),
                    _ => 0,
                })
                .collect();
        let sel = self.select(q, allowed, values);
        self.for_each_cell(&sel, |d, ch, value, k| {
            let cell = &self.cells[k];
            if cell.contacts == 0 {
                return;
            }
            let day = self.first_day + d as i64;
            let mut key = 0u64;
            for ((dim, r), first) in q.by.iter().zip(&radix).zip(&first_bucket) {
                let v = match dim {
                    Dim::Channel => ch as u64,
                    Dim::Time(b) => (b.index(day * DAY) - first) as u64,
                    Dim::Column(_) => value as u64,
                    _ => 0,
                };
                key = key * r + v.min(r - 1);
            }
            let last = slot.len() - 1;
            let s = &mut slot[(key as usize).min(last)];
            if *s == u32::MAX {
                *s = accs.len() as u32;
                keys.push((day, ch, value));
                accs.push(match self.percentiles.get(k) {
                    _ if light => {
                        let mut a = KpiAcc::default();
                        a.merge_light(cell);
                        AccRef::Owned(Box::new(a))
                    }
                    Some(p) => AccRef::Borrowed(cell, p),
                    None => AccRef::Owned(Box::new(cell.clone())),
                });
            } else if let Some(a) = accs.get_mut(*s as usize) {
                if light {
                    a.to_mut().merge_light(cell);
                } else {
                    a.to_mut().merge(cell);
                }
            }
        });
        // Channels and time buckets number in report order (catalog order, chronological), so
        // without a dimension column (whose codes are not alphabetical) the slot table, read in
        // key order, lists the groups in report order.
        let ordered = !q.by.iter().any(|d| matches!(d, Dim::Column(_)));
        let order: Vec<u32> = if ordered {
            slot.into_iter().filter(|&s| s != u32::MAX).collect()
        } else {
            (0..accs.len() as u32).collect()
        };
        let dict = self.dim.and_then(|d| c.dims.get(d)).map(|d| &d.dict);
        let mut accs: Vec<Option<AccRef<'a>>> = accs.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(order.len());
        for i in order {
            let (Some(&(day, ch, value)), Some(a)) = (
                keys.get(i as usize),
                accs.get_mut(i as usize).and_then(Option::take),
            ) else {
                continue;
            };
            let mut key = Vec::with_capacity(q.by.len());
            for dim in &q.by {
                let v = match dim {
                    Dim::Channel => ch.as_str().to_string(),
                    Dim::Time(b) => b.label(b.index(day * DAY)),
                    Dim::Column(_) => dict
                        .and_then(|d| d.get(value as u32))
                        .unwrap_or("")
                        .to_string(),
                    _ => String::new(),
                };
                key.push((dim.name().to_string(), v));
            }
            out.push((key, a));
        }
        (out, ordered)
    }

    /// Contacts per weekday × local hour (`[weekday·24 + hour]`) of the cells `q` selects;
    /// `allowed` and `values` as in [`DayCells::groups`].
    pub fn volume_by_hour_of_week(
        &self,
        q: &Query,
        allowed: &[bool; Channel::COUNT],
        values: Option<&[bool]>,
    ) -> [u64; 168] {
        let mut out = [0u64; 168];
        let sel = self.select(q, allowed, values);
        self.for_each_cell(&sel, |d, _, _, k| {
            let wd = crate::time::weekday(self.first_day + d as i64) as usize;
            for (h, n) in self.hours[k].iter().enumerate() {
                out[wd * 24 + h] += *n as u64;
            }
        });
        out
    }

    /// Accumulators per weekday × local hour (`[weekday·24 + hour]`, 168 of them) of the cells
    /// `q` selects, holding only what their [`LightAcc`]s hold: read only the light KPIs
    /// ([`crate::kpi::LIGHT_KPIS`]) from them. `rows`, `allowed` and `values` as in
    /// [`DayCells::hour_cells`] and [`DayCells::groups`]; `None` without hour cells.
    pub fn light_by_hour_of_week(
        &self,
        rows: &Rows<'_>,
        q: &Query,
        allowed: &[bool; Channel::COUNT],
        values: Option<&[bool]>,
    ) -> Option<Vec<KpiAcc>> {
        let hc = self.hour_cells(rows)?;
        let mut out = vec![LightAcc::<u64>::default(); 168];
        let sel = self.select(q, allowed, values);
        self.for_each_cell(&sel, |d, _, _, k| {
            let wd = crate::time::weekday(self.first_day + d as i64) as usize;
            hc.merge_cell(k, &mut out[wd * 24..wd * 24 + 24]);
        });
        Some(out.iter().map(to_acc).collect())
    }

    /// Like [`DayCells::light_by_hour_of_week`], per local day × local hour: `(day, 24
    /// accumulators)` for every day of the selection that has contacts, in day order; `None`
    /// without hour cells.
    pub fn light_by_date_hour(
        &self,
        rows: &Rows<'_>,
        q: &Query,
        allowed: &[bool; Channel::COUNT],
        values: Option<&[bool]>,
    ) -> Option<Vec<(i64, Vec<KpiAcc>)>> {
        let hc = self.hour_cells(rows)?;
        let mut out: Vec<(i64, Vec<LightAcc<u64>>)> = Vec::new();
        let sel = self.select(q, allowed, values);
        self.for_each_cell(&sel, |d, _, _, k| {
            let day = self.first_day + d as i64;
            // Cells come in day order: a new day starts a new row.
            if out.last().is_none_or(|(x, _)| *x != day) {
                out.push((day, vec![LightAcc::default(); 24]));
            }
            if let Some((_, hours)) = out.last_mut() {
                hc.merge_cell(k, hours);
            }
        });
        out.retain(|(_, hours)| hours.iter().any(|a| a.contacts > 0));
        Some(
            out.into_iter()
                .map(|(day, hours)| (day, hours.iter().map(to_acc).collect()))
                .collect(),
        )
    }

    /// Rows that may be in the live queue at `now`: the never-closed ones and those that arrived
    /// within `max_open` seconds before `now`.
    pub fn queue_rows(&self, c: &Contacts, now: i64) -> Vec<usize> {
        let lo = c.arrived.partition_point(|&a| a < now - self.max_open);
        let hi = c.arrived.partition_point(|&a| a <= now);
        let mut v: Vec<usize> = self
            .open_forever
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| i < lo)
            .collect();
        v.extend(lo..hi);
        v
    }
}

/// The [`KpiAcc`] of merged light counts and sums (only its light KPIs are right).
fn to_acc(l: &LightAcc<u64>) -> KpiAcc {
    let mut a = KpiAcc::default();
    l.merge_into(&mut a);
    a
}

/// Index into the slot table of row `i`'s cell: its local day (clamped to the table), channel
/// and value of the dimension `codes` (0 without one).
#[inline]
fn slot_of(
    c: &Contacts,
    codes: Option<&crate::model::Codes>,
    tz: &mut TzCache,
    i: usize,
    first_day: i64,
    days: usize,
    values: usize,
) -> usize {
    let day = tz.local(c.arrived[i]).div_euclid(DAY) - first_day;
    let v = codes.map_or(0, |cs| (cs.get(i) as usize).min(values.max(1) - 1));
    ((day.clamp(0, days as i64 - 1) as usize) * Channel::COUNT + c.channel[i] as usize) * values + v
}
