//! Channel journeys: the transition matrix between consecutive contacts of a case, and
//! channel usage (contacts and resolutions per channel).

use crate::engine::Engine;
use crate::model::{flag, Channel};
use crate::query::{Query, QueryError};
use serde::Serialize;

/// Transitions between consecutive contacts of the selected cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transitions {
    /// Channel ids, the matrix's row and column order.
    pub channels: Vec<&'static str>,
    /// `counts[from][to]`: consecutive contact pairs of a case (the diagonal: staying on a channel).
    pub counts: Vec<Vec<u64>>,
}

/// One channel's share of contacts and resolutions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelUsage {
    /// Channel.
    pub channel: Channel,
    /// Contacts on it.
    pub contacts: u64,
    /// Share of all selected contacts.
    pub share: f64,
    /// Contacts on it flagged `resolved`.
    pub resolutions: u64,
    /// Share of all selected resolutions (`None` without resolutions).
    pub resolution_share: Option<f64>,
}

impl Engine {
    /// The channel transition matrix of the cases whose first contact `q` selects (every later
    /// contact of those cases counts, as for the other case KPIs).
    pub fn transitions(&self, q: &Query) -> Result<Transitions, QueryError> {
        let f = self.filter(q)?;
        let c = &self.dataset().contacts;
        let prep = self.prepared();
        // Per case: 0 not selected, else 1 + the channel of its latest contact so far.
        let mut state = vec![0u8; c.n_cases()];
        let mut counts = vec![vec![0u64; Channel::COUNT]; Channel::COUNT];
        for i in f.lo..c.len() {
            let k = c.case[i] as usize;
            let ch = c.channel[i] as u8;
            if c.has(i, flag::CASE_FIRST) {
                if i < f.hi && f.pass(c, prep, i) {
                    state[k] = 1 + ch;
                }
            } else if state[k] > 0 {
                counts[(state[k] - 1) as usize][ch as usize] += 1;
                state[k] = 1 + ch;
            }
        }
        Ok(Transitions {
            channels: Channel::ALL.iter().map(|c| c.as_str()).collect(),
            counts,
        })
    }

    /// Contacts and resolutions per channel among the contacts `q` selects.
    pub fn channel_usage(&self, q: &Query) -> Result<Vec<ChannelUsage>, QueryError> {
        let f = self.filter(q)?;
        let c = &self.dataset().contacts;
        let mut n = [0u64; Channel::COUNT];
        let mut r = [0u64; Channel::COUNT];
        f.for_each(c, self.prepared(), |i| {
            n[c.channel[i] as usize] += 1;
            r[c.channel[i] as usize] += c.has(i, flag::RESOLVED) as u64;
        });
        let (tn, tr): (u64, u64) = (n.iter().sum(), r.iter().sum());
        Ok(Channel::ALL
            .iter()
            .filter(|ch| n[**ch as usize] > 0)
            .map(|&ch| ChannelUsage {
                channel: ch,
                contacts: n[ch as usize],
                share: n[ch as usize] as f64 / tn as f64,
                resolutions: r[ch as usize],
                resolution_share: (tr > 0).then(|| r[ch as usize] as f64 / tr as f64),
            })
            .collect())
    }
}
