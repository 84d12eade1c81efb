//! Per-dataset derived columns, computed once after loading (and again when the configuration
//! changes): each contact's local weekday × hour, whether it arrived in business hours or peak
//! hours, whether it met its channel's SLA threshold, and every case's outcome. A recompute for
//! a new filter then reads these instead of calling chrono-tz per row.

use crate::business::Week;
use crate::config::{Config, ConfigError};
use crate::kpi::Cases;
use crate::model::{flag, Channel, Contacts};
use crate::time::{TzCache, DAY};

/// Bits of [`Prepared::bits`].
pub mod row_bit {
    /// Arrived inside business hours.
    pub const BUSINESS: u8 = 1;
    /// Arrived inside peak hours.
    pub const PEAK: u8 = 2;
    /// Answered within the channel's SLA threshold.
    pub const SLA_MET: u8 = 4;
}

/// Derived columns of the contacts table and case outcomes.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// Local hour of the week per row: `weekday · 24 + hour`, Monday 00:00 = 0.
    pub how: Vec<u8>,
    /// [`row_bit`] flags per row.
    pub bits: Vec<u8>,
    /// Case outcomes.
    pub cases: Cases,
    /// The configured zone.
    pub tz: crate::zone::Zone,
    /// Cost rate per channel index (a table: the per-row loop must not search a map).
    pub cost_rates: [f64; Channel::COUNT],
}

impl Prepared {
    /// Derives the columns of `c` under `cfg`. Fails only on an unknown time zone.
    pub fn new(c: &Contacts, cfg: &Config) -> Result<Prepared, ConfigError> {
        let tz = cfg.tz()?;
        let mut cache = TzCache::new(tz);
        let business = Week::business(cfg);
        let peak = Week::peak(cfg);
        let mut thresholds = [(f64::INFINITY, false); Channel::COUNT];
        for ch in Channel::ALL {
            if let Some(t) = cfg.sla.get(&ch) {
                thresholds[ch as usize] = (t.threshold_s, t.business_hours);
            }
        }
        let n = c.len();
        let mut how = Vec::with_capacity(n);
        let mut bits = Vec::with_capacity(n);
        let mut end_cache = TzCache::new(tz);
        // The local day of the row before (rows are sorted by arrival: most rows share it).
        let (mut day_start, mut day_end, mut wd) = (0i64, 0i64, 0u32);
        for i in 0..n {
            let t = c.arrived[i];
            let local = cache.local(t);
            if local < day_start || local >= day_end {
                let day = local.div_euclid(DAY);
                day_start = day * DAY;
                day_end = day_start.saturating_add(DAY);
                wd = crate::time::weekday(day);
            }
            let s = local - day_start;
            how.push((wd as i64 * 24 + s / 3600) as u8);
            let mut b = 0u8;
            if business.contains_on(wd, s) {
                b |= row_bit::BUSINESS;
            }
            if peak.contains_on(wd, s) {
                b |= row_bit::PEAK;
            }
            if c.has(i, flag::ANSWERED) {
                if let Some(w) = c.first_response.get(i) {
                    let (limit, bh) = thresholds[c.channel[i] as usize];
                    let waited = if bh {
                        let end = t + w.max(0.0).round() as i64;
                        business.open_seconds(local, end_cache.local(end)) as f64
                    } else {
                        w as f64
                    };
                    if waited <= limit {
                        b |= row_bit::SLA_MET;
                    }
                }
            }
            bits.push(b);
        }
        Ok(Prepared {
            how,
            bits,
            cases: Cases::build(c, cfg),
            tz,
            cost_rates: Channel::ALL.map(|ch| cfg.cost_rate(ch)),
        })
    }
}
