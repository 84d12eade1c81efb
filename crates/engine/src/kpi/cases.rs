//! Case outcomes, computed once per dataset: each case's result over ALL its contacts, stored by
//! case index. KPIs attribute a case to its first contact (the row flagged
//! [`flag::CASE_FIRST`]), so filters and groupings apply to that contact and case KPIs become
//! plain counts and sums per group.

use crate::config::Config;
use crate::model::{flag, Contacts};

/// Outcome bits of a case.
pub mod case_flag {
    /// Some contact of the case is flagged `resolved`.
    pub const RESOLVED: u8 = 1;
    /// Resolved, and the case has exactly one contact.
    pub const FCR: u8 = 2;
    /// The case used more than one channel.
    pub const MIGRATED: u8 = 4;
    /// The channel changed between two consecutive contacts at least once.
    pub const SWITCHED: u8 = 8;
    /// A contact right after a channel switch resolved the case.
    pub const CROSS_RESOLVED: u8 = 16;
    /// At least one contact has `handle_s`.
    pub const HANDLED: u8 = 32;
}

/// One case's outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CaseOutcome {
    /// Σ `handle_s` over the case's contacts.
    pub handle_s: f32,
    /// Σ cost over the case's contacts (the data's cost, else the channel's rate).
    pub cost: f32,
    /// Resolution time in seconds (`NaN`: not resolved or no end time).
    pub resolution_s: f32,
    /// Channel changes between consecutive contacts (saturating).
    pub switches: u16,
    /// [`case_flag`] bits.
    pub flags: u8,
    /// Contacts in the case (saturating at 255).
    pub contacts: u8,
}

impl CaseOutcome {
    /// True when the case has flag `f`.
    #[inline]
    pub fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }

    /// Resolution time, when the case was resolved and has an end time.
    pub fn resolution(&self) -> Option<f64> {
        (!self.resolution_s.is_nan()).then_some(self.resolution_s as f64)
    }
}

/// The cost of contact row `i`: the data's `cost`, else the configured rate of its channel.
#[inline]
pub fn contact_cost(c: &Contacts, i: usize, cfg: &Config) -> f64 {
    match c.cost.get(i) {
        Some(x) => x as f64,
        None => cfg.cost_rate(c.channel[i]),
    }
}

/// Outcomes of every case, by case index.
#[derive(Debug, Clone, Default)]
pub struct Cases {
    /// Outcome per case index.
    pub outcomes: Vec<CaseOutcome>,
}

impl Cases {
    /// Computes every case's outcome in one pass over rows sorted by arrival.
    ///
    /// - resolved: any contact flagged `resolved`; the *resolving* contact is the last such one
    ///   (a reopened case is resolved when it is finally resolved);
    /// - resolution time: the resolving contact's `closed_at`, else its `arrived_at + handle_s`,
    ///   minus the case's first `arrived_at`;
    /// - switches: consecutive contacts (by arrival) on different channels.
    pub fn build(c: &Contacts, cfg: &Config) -> Cases {
        let n_cases = c.n_cases();
        let mut out = vec![CaseOutcome::default(); n_cases];
        let mut first_at = vec![0i64; n_cases];
        let mut last_ch = vec![u8::MAX; n_cases];
        let mut mask = vec![0u8; n_cases];
        // `contact_cost` with the rates in a table (no map lookup per row).
        let rates = crate::model::Channel::ALL.map(|ch| cfg.cost_rate(ch));
        for i in 0..c.len() {
            let k = c.case[i] as usize;
            let Some(o) = out.get_mut(k) else { continue };
            let ch = c.channel[i] as u8;
            let t = c.arrived[i];
            if last_ch[k] == u8::MAX {
                first_at[k] = t;
                o.resolution_s = f32::NAN;
            } else if last_ch[k] != ch {
                o.switches = o.switches.saturating_add(1);
                o.flags |= case_flag::SWITCHED;
                if c.has(i, flag::RESOLVED) {
                    o.flags |= case_flag::CROSS_RESOLVED;
                }
            }
            last_ch[k] = ch;
            mask[k] |= 1 << ch;
            o.contacts = o.contacts.saturating_add(1);
            if let Some(h) = c.handle.get(i) {
                o.handle_s += h;
                o.flags |= case_flag::HANDLED;
            }
            let cost = match c.cost.get(i) {
                Some(x) => x as f64,
                None => rates[c.channel[i] as usize],
            };
            o.cost += cost as f32;
            if c.has(i, flag::RESOLVED) {
                o.flags |= case_flag::RESOLVED;
                let end = match (c.close_after.get(i), c.handle.get(i)) {
                    (Some(a), _) => Some(t as f64 + a as f64),
                    (None, Some(h)) => Some(t as f64 + h as f64),
                    _ => None,
                };
                o.resolution_s = match end {
                    Some(e) => (e - first_at[k] as f64) as f32,
                    None => f32::NAN,
                };
            }
        }
        for (o, m) in out.iter_mut().zip(&mask) {
            if m.count_ones() > 1 {
                o.flags |= case_flag::MIGRATED;
            }
            if o.has(case_flag::RESOLVED) && o.contacts == 1 {
                o.flags |= case_flag::FCR;
            }
        }
        Cases { outcomes: out }
    }

    /// The outcome of case `k`.
    #[inline]
    pub fn get(&self, k: u32) -> CaseOutcome {
        self.outcomes.get(k as usize).copied().unwrap_or_default()
    }
}
