//! Day cells: one [`KpiAcc`] per local day × channel, built once per dataset and configuration
//! inside the [`crate::Engine`] (unlike [`crate::cube`], which is an exchange format). The dashboard's common queries (a date range, a set of channels, grouped by
//! channel and/or day, week, month or quarter) merge a few thousand cells instead of scanning
//! millions of rows; anything else scans rows. Both paths give the same numbers (tested),
//! because a cell is just the accumulator of the rows it covers.

use crate::kpi::{KpiAcc, Rows};
use crate::measure::Merge;
use crate::model::{flag, Channel, Contacts};
use crate::prepared::Prepared;
use crate::query::{Dim, Query};
use crate::time::{Bucket, TzCache, DAY};

/// Accumulators per local day × channel, plus what the live queue needs.
#[derive(Debug, Clone, Default)]
pub struct DayCells {
    /// Local day of cell row 0.
    pub first_day: i64,
    /// Number of days.
    pub days: usize,
    /// `cells[(day − first_day) · 8 + channel]`.
    pub cells: Vec<KpiAcc>,
    /// Contacts per local hour of each cell, same index (volume heatmaps without a scan).
    pub hours: Vec<[u32; 24]>,
    /// Rows never answered, abandoned or closed: in the queue at any later "now".
    pub open_forever: Vec<u32>,
    /// Longest time any other row stayed in the queue (seconds): rows that arrived earlier than
    /// `now − max_open` cannot be in it.
    pub max_open: i64,
}

impl DayCells {
    /// Builds the cube in one pass over the rows.
    pub fn build(c: &Contacts, prep: &Prepared, rows: &Rows<'_>) -> DayCells {
        let n = c.len();
        if n == 0 {
            return DayCells::default();
        }
        let mut tz = TzCache::new(prep.tz);
        let first_day = tz.local(c.arrived[0]).div_euclid(DAY);
        let last_day = tz.local(c.arrived[n - 1]).div_euclid(DAY);
        let days = (last_day - first_day + 1).max(1) as usize;
        let mut cells = vec![KpiAcc::default(); days * Channel::COUNT];
        let mut hours = vec![[0u32; 24]; days * Channel::COUNT];
        let mut open_forever = Vec::new();
        let mut max_open = 0i64;
        let rows = Rows { now: None, ..*rows };
        for i in 0..n {
            let day = tz.local(c.arrived[i]).div_euclid(DAY) - first_day;
            let k =
                (day.clamp(0, days as i64 - 1) as usize) * Channel::COUNT + c.channel[i] as usize;
            cells[k].add(&rows, i);
            hours[k][prep.how.get(i).map_or(0, |h| *h as usize % 24)] += 1;
            if !c.has(i, flag::ABANDONED) {
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
        DayCells {
            first_day,
            days,
            cells,
            hours,
            open_forever,
            max_open,
        }
    }

    /// True when `q` can be answered from cells: only date range and channel filters, grouped
    /// by nothing, channel, or day/week/month/quarter.
    pub fn serves(&self, q: &Query) -> bool {
        !self.cells.is_empty()
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
                .map(|d| match d {
                    Dim::Channel => Channel::COUNT as u64,
                    _ => self.days as u64 + 1,
                })
                .try_fold(1u64, |a, r| a.checked_mul(r))
                .is_some_and(|s| s <= 1 << 22)
    }

    /// Merged accumulators per group label of the cells `q` selects, in time order; `allowed`
    /// is the channel filter. The live queue is not included (see [`DayCells::queue_rows`]).
    pub fn groups(
        &self,
        q: &Query,
        allowed: &[bool; Channel::COUNT],
    ) -> Vec<(Vec<(String, String)>, KpiAcc)> {
        let lo = q.from.map_or(0, |f| (f - self.first_day).max(0)) as usize;
        let hi =
            q.to.map_or(self.days as i64, |t| {
                (t - self.first_day + 1).min(self.days as i64)
            })
            .max(0) as usize;
        // A numeric key per cell (mixed radix over the grouping), labels only per group.
        let radix: Vec<u64> =
            q.by.iter()
                .map(|d| match d {
                    Dim::Channel => Channel::COUNT as u64,
                    _ => self.days as u64 + 1,
                })
                .collect();
        let space: u64 = radix.iter().product();
        let mut slot = vec![u32::MAX; space.min(1 << 22) as usize];
        let mut keys: Vec<(i64, Channel)> = Vec::new();
        let mut accs: Vec<KpiAcc> = Vec::new();
        for d in lo..hi.max(lo) {
            let day = self.first_day + d as i64;
            for ch in Channel::ALL {
                if !allowed[ch as usize] {
                    continue;
                }
                let cell = &self.cells[d * Channel::COUNT + ch as usize];
                if cell.contacts == 0 {
                    continue;
                }
                let mut k = 0u64;
                for (dim, r) in q.by.iter().zip(&radix) {
                    let v = match dim {
                        Dim::Channel => ch as u64,
                        Dim::Time(b) => (b.index(day * DAY) - b.index(self.first_day * DAY)) as u64,
                        _ => 0,
                    };
                    k = k * r + v.min(r - 1);
                }
                let last = slot.len() - 1;
                let s = &mut slot[(k as usize).min(last)];
                if *s == u32::MAX {
                    *s = accs.len() as u32;
                    keys.push((day, ch));
                    accs.push(cell.clone());
                } else {
                    accs[*s as usize].merge(cell);
                }
            }
        }
        keys.into_iter()
            .zip(accs)
            .map(|((day, ch), a)| {
                let key =
                    q.by.iter()
                        .map(|dim| {
                            let v = match dim {
                                Dim::Channel => ch.as_str().to_string(),
                                Dim::Time(b) => b.label(b.index(day * DAY)),
                                _ => String::new(),
                            };
                            (dim.name().to_string(), v)
                        })
                        .collect();
                (key, a)
            })
            .collect()
    }

    /// Contacts per weekday × local hour (`[weekday·24 + hour]`) of the cells `q` selects.
    pub fn volume_by_hour_of_week(
        &self,
        q: &Query,
        allowed: &[bool; Channel::COUNT],
    ) -> [u64; 168] {
        let mut out = [0u64; 168];
        let lo = q.from.map_or(0, |f| (f - self.first_day).max(0)) as usize;
        let hi =
            q.to.map_or(self.days as i64, |t| {
                (t - self.first_day + 1).min(self.days as i64)
            })
            .max(0) as usize;
        for d in lo..hi.max(lo) {
            let wd = crate::time::weekday(self.first_day + d as i64) as usize;
            for ch in Channel::ALL {
                if allowed[ch as usize] {
                    for (h, n) in self.hours[d * Channel::COUNT + ch as usize]
                        .iter()
                        .enumerate()
                    {
                        out[wd * 24 + h] += *n as u64;
                    }
                }
            }
        }
        out
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
