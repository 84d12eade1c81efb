//! Top topics: contacts per topic in the period, with the previous period of the same length.

use super::DayRange;
use crate::engine::Engine;
use crate::query::{Query, QueryError};
use serde::Serialize;

/// One topic's volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicRow {
    /// Topic (`""` for contacts without one).
    pub topic: String,
    /// Contacts in the period.
    pub contacts: u64,
    /// Share of the period's contacts.
    pub share: f64,
    /// Contacts in the previous period; `None` when the data does not cover every day of it
    /// (days before the data began hold no contacts, which is not zero of them).
    pub previous: Option<u64>,
    /// `contacts / previous − 1`; `None` when the topic is new (previous 0) or the previous
    /// period is not covered.
    pub growth: Option<f64>,
}

impl Engine {
    /// Contacts per code of the topic dictionary ([`Engine::topic_dict`]).
    fn topic_counts(&self, q: &Query) -> Result<Vec<u64>, QueryError> {
        if self.is_cube() {
            let Some(dict) = self.topic_dict() else {
                return Ok(Vec::new());
            };
            let mut counts = vec![0u64; dict.len()];
            let q = Query {
                by: vec![crate::query::Dim::Column("topic".into())],
                ..q.clone()
            };
            for (k, a) in self.contact_groups(&q)? {
                if let Some(code) = dict.find(&k[0].1) {
                    counts[code as usize] += a.contacts;
                }
            }
            return Ok(counts);
        }
        let c = &self.dataset().contacts;
        let Some(col) = c.dim("topic") else {
            return Ok(Vec::new());
        };
        let f = self.filter(q)?;
        let mut counts = vec![0u64; col.dict.len()];
        f.for_each(c, self.prepared(), |i| {
            counts[col.codes.get(i) as usize] += 1;
        });
        Ok(counts)
    }

    /// The `n` topics with most contacts in `q`'s range (the data's range when open), ranked,
    /// with growth versus the previous period of equal length (no data when the data does not
    /// cover it).
    pub fn top_topics(&self, q: &Query, n: usize) -> Result<Vec<TopicRow>, QueryError> {
        let Some((from, to)) = self.range_of(q) else {
            return Ok(Vec::new());
        };
        let len = to - from + 1;
        let cur = self.topic_counts(&Query {
            from: Some(from),
            to: Some(to),
            ..q.clone()
        })?;
        let prev = self.topic_counts(&Query {
            from: Some(from - len),
            to: Some(from - 1),
            ..q.clone()
        })?;
        let covered = self
            .data_days()
            .is_some_and(|(first, last)| from - len >= first && from - 1 <= last);
        let total: u64 = cur.iter().sum();
        let Some(dict) = self.topic_dict() else {
            return Ok(Vec::new());
        };
        let mut rows: Vec<TopicRow> = cur
            .iter()
            .enumerate()
            .filter(|(_, &k)| k > 0)
            .map(|(code, &k)| {
                let p = covered.then(|| prev.get(code).copied().unwrap_or(0));
                TopicRow {
                    topic: dict.get(code as u32).unwrap_or("").to_string(),
                    contacts: k,
                    share: k as f64 / total as f64,
                    previous: p,
                    growth: p.filter(|&p| p > 0).map(|p| k as f64 / p as f64 - 1.0),
                }
            })
            .collect();
        crate::sorting::sort_by(&mut rows, |a, b| {
            b.contacts.cmp(&a.contacts).then(a.topic.cmp(&b.topic))
        });
        rows.truncate(n);
        Ok(rows)
    }

    /// The values of the topic dimension, from the cube or the contacts.
    fn topic_dict(&self) -> Option<&crate::model::Dict> {
        match self.cube() {
            Some(cube) => cube.dims.get(cube.dim_index("topic")?).map(|d| &d.dict),
            None => self.dataset().contacts.dim("topic").map(|d| &d.dict),
        }
    }

    /// The query's inclusive day range, completed from the data's first and last local day.
    pub fn range_of(&self, q: &Query) -> Option<DayRange> {
        let (first, last) = self.data_days()?;
        Some((q.from.unwrap_or(first), q.to.unwrap_or(last)))
    }
}
