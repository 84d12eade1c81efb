//! Staffing with Erlang C: from volume and AHT per weekday × hour × channel, the agents needed
//! to meet the channel's SLA target under an occupancy cap, beside the agents actually staffed
//! when the `agents` table is interval-based.

use crate::engine::Engine;
use crate::model::Channel;
use crate::query::{Dim, Query, QueryError, WEEKDAYS};
use crate::time::{weekday, TzCache, DAY};
use serde::Serialize;

/// Probability that a contact waits (Erlang C) with `agents` agents and `traffic` Erlangs.
/// 1 when the agents cannot carry the traffic.
pub fn erlang_c(agents: u32, traffic: f64) -> f64 {
    let n = agents as f64;
    if traffic <= 0.0 {
        return 0.0;
    }
    if n <= traffic {
        return 1.0;
    }
    // Erlang B by its stable recurrence, then C from B.
    let mut b = 1.0;
    for k in 1..=agents {
        b = traffic * b / (k as f64 + traffic * b);
    }
    n * b / (n - traffic * (1.0 - b))
}

/// Share answered within `threshold_s` with `agents` agents, `traffic` Erlangs and `aht_s`.
pub fn service_level(agents: u32, traffic: f64, aht_s: f64, threshold_s: f64) -> f64 {
    if traffic <= 0.0 {
        return 1.0;
    }
    let n = agents as f64;
    if n <= traffic || aht_s <= 0.0 {
        return 0.0;
    }
    1.0 - erlang_c(agents, traffic) * (-(n - traffic) * threshold_s / aht_s).exp()
}

/// Fewest agents for `contacts` per `interval_s` with `aht_s` that answer `target` within
/// `threshold_s` and stay at or below `occupancy_cap`. `None` without volume or handle time.
pub fn agents_needed(
    contacts: f64,
    interval_s: f64,
    aht_s: f64,
    target: f64,
    threshold_s: f64,
    occupancy_cap: f64,
) -> Option<u32> {
    if !(contacts > 0.0 && interval_s > 0.0 && aht_s > 0.0) {
        return None;
    }
    let traffic = contacts * aht_s / interval_s;
    let cap = if occupancy_cap > 0.0 && occupancy_cap <= 1.0 {
        occupancy_cap
    } else {
        1.0
    };
    let mut n = (traffic / cap).ceil().max(1.0) as u32;
    if n as f64 <= traffic {
        n = traffic.floor() as u32 + 1;
    }
    while n < 100_000 {
        if service_level(n, traffic, aht_s, threshold_s) >= target {
            return Some(n);
        }
        n += 1;
    }
    None
}

/// One weekday × hour × channel cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingCell {
    /// `mon`..`sun`.
    pub weekday: &'static str,
    /// Local hour 0–23.
    pub hour: u32,
    /// Channel.
    pub channel: Channel,
    /// Mean contacts per occurrence of this weekday-hour in the days of the range the data
    /// covers.
    pub contacts_per_hour: f64,
    /// Mean handle time of the cell's contacts.
    pub aht_s: Option<f64>,
    /// Erlang C requirement for the channel's SLA target.
    pub agents_needed: Option<u32>,
    /// Mean agents logged in: Σ staffed_s / 3600 of the interval-based agent rows starting in
    /// this local weekday-hour, over the occurrences of the weekday between the first and the
    /// last local day with an interval row in the range (the weeks the intervals cover; daily
    /// rows never count). `None` without interval rows in the range.
    pub agents_staffed: Option<f64>,
}

impl Engine {
    /// Erlang C requirement per weekday × hour × channel over `q`'s range (data range when
    /// open). Volume is averaged over the occurrences of each weekday in the days of the range
    /// the data covers (from its first to its last contact's day): a year asked of a quarter's
    /// data is the quarter's Mondays, not 52 of them.
    pub fn staffing(&self, q: &Query) -> Result<Vec<StaffingCell>, QueryError> {
        let Some((from, to)) = self.range_of(q) else {
            return Ok(Vec::new());
        };
        let q = Query {
            from: Some(from),
            to: Some(to),
            by: Vec::new(),
            ..q.clone()
        };
        let mut occurrences = [0f64; 7];
        let (lo, hi) = self
            .data_days()
            .map_or((from, to), |(a, b)| (from.max(a), to.min(b)));
        for d in lo..=hi {
            occurrences[weekday(d) as usize] += 1.0;
        }
        let prep = self.prepared();
        // (count, Σ handle, n handle) per how × channel.
        let mut cells = vec![(0u64, 0f64, 0u64); 168 * Channel::COUNT];
        if self.is_cube() {
            let q = Query {
                by: vec![Dim::Weekday, Dim::HourOfDay, Dim::Channel],
                ..q.clone()
            };
            for (k, a) in self.contact_groups(&q)? {
                let w = WEEKDAYS.iter().position(|d| *d == k[0].1).unwrap_or(0);
                let h: usize = k[1].1.parse().unwrap_or(0);
                let ch = Channel::parse(&k[2].1).unwrap_or(Channel::Other);
                let e = &mut cells[(w * 24 + h.min(23)) * Channel::COUNT + ch as usize];
                e.0 += a.contacts;
                e.1 += a.handle.mean.sum;
                e.2 += a.handle.mean.n;
            }
        } else {
            let f = self.filter(&q)?;
            let c = &self.dataset().contacts;
            f.for_each(c, prep, |i| {
                let k = prep.how[i] as usize % 168 * Channel::COUNT + c.channel[i] as usize;
                let e = &mut cells[k];
                e.0 += 1;
                if let Some(h) = c.handle.get(i) {
                    e.1 += h as f64;
                    e.2 += 1;
                }
            });
        }
        // Staffed agents: Σ staffed_s / 3600 per local weekday-hour over the interval rows in
        // the range, averaged over the occurrences of the weekday in the days those rows span
        // (first to last local day with an interval row, within the range), not over the whole
        // range: intervals often cover only the recent weeks, daily rows the rest.
        let mut staffed = vec![0f64; 168];
        let mut span: Option<(i64, i64)> = None;
        let mut tz = TzCache::new(prep.tz);
        for r in &self.dataset().agents.rows {
            if let Some(t) = r.interval_start {
                let local = tz.local(t);
                let day = local.div_euclid(DAY);
                if day < from || day > to {
                    continue;
                }
                span = Some(span.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
                let h = (local - day * DAY) / 3600;
                staffed[weekday(day) as usize * 24 + h as usize] += r.staffed_s / 3600.0;
            }
        }
        let mut staffed_occurrences = [0f64; 7];
        if let Some((a, b)) = span {
            for d in a..=b {
                staffed_occurrences[weekday(d) as usize] += 1.0;
            }
        }
        let cfg = self.config();
        let mut out = Vec::new();
        for how in 0..168 {
            let wd = how / 24;
            for ch in Channel::ALL {
                let (n, hsum, hn) = cells[how * Channel::COUNT + ch as usize];
                if n == 0 {
                    continue;
                }
                let occ = occurrences[wd].max(1.0);
                let per_hour = n as f64 / occ;
                let aht = (hn > 0).then(|| hsum / hn as f64);
                let needed = match (aht, cfg.sla.get(&ch)) {
                    (Some(a), Some(t)) => agents_needed(
                        per_hour,
                        3600.0,
                        a,
                        t.target,
                        t.threshold_s,
                        cfg.occupancy_cap,
                    ),
                    _ => None,
                };
                out.push(StaffingCell {
                    weekday: WEEKDAYS[wd],
                    hour: (how % 24) as u32,
                    channel: ch,
                    contacts_per_hour: per_hour,
                    aht_s: aht,
                    agents_needed: needed,
                    agents_staffed: span
                        .is_some()
                        .then(|| staffed[how] / staffed_occurrences[wd].max(1.0)),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_erlang_c() {
        // 100 contacts per half hour × 180 s = 18000 s / 1800 s = 10 Erlangs.
        let a = 100.0 * 180.0 / 1800.0;
        assert_eq!(a, 10.0);
        // 13 agents: C(13, 10) = 0.28527; SL = 1 − 0.28527·e^(−(13−10)·20/180) = 1 − 0.28527·0.71653
        // = 0.7956 (the textbook's 79.6 %). 14 agents: C = 0.17413, SL = 1 − 0.17413·e^(−4/9) = 0.8884.
        let sl13 = service_level(13, a, 180.0, 20.0);
        let sl14 = service_level(14, a, 180.0, 20.0);
        assert!(sl13 < 0.80 && sl14 >= 0.80, "{sl13} {sl14}");
        assert!((sl13 - 0.796).abs() < 0.0005, "{sl13}");
        assert_eq!(
            agents_needed(100.0, 1800.0, 180.0, 0.80, 20.0, 0.85),
            Some(14)
        );
        assert_eq!(agents_needed(0.0, 1800.0, 180.0, 0.80, 20.0, 0.85), None);
        // The occupancy cap alone: 10 Erlangs at ≤ 50 % needs 20 agents.
        assert_eq!(
            agents_needed(100.0, 1800.0, 180.0, 0.10, 20.0, 0.5),
            Some(20)
        );
    }
}
