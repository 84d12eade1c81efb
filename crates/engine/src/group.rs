//! Grouping rows: a composite key per row (mixed radix over the grouping dimensions) and one
//! accumulator per key, kept in a dense slot table when the key space is small and a hash map
//! otherwise. Accumulators reference rows by index; nothing is copied.

use crate::measure::CodeHasher;
use crate::model::{Codes, Contacts, Dict};
use crate::prepared::{row_bit, Prepared};
use crate::query::{Dim, QueryError, RowFilter, WEEKDAYS};
use crate::time::{Bucket, TzCache};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

#[derive(Debug, Clone)]
enum Part<'a> {
    Channel,
    Column(&'a Codes, &'a Dict),
    Time(Bucket, i64),
    HourOfDay,
    Weekday,
    Business,
    Peak,
    Missing,
}

/// Dimensions of the `daily` and `agents` tables that contacts may lack: grouping by them puts
/// all contacts in one group with an empty label.
pub const OTHER_TABLE_DIMS: [&str; 2] = ["system", "traffic_source"];

/// Computes each row's composite group key and turns keys back into labels.
#[derive(Debug, Clone)]
pub struct Keyer<'a> {
    names: Vec<String>,
    parts: Vec<Part<'a>>,
    card: Vec<u64>,
    cache: TzCache,
    /// Number of distinct composite keys possible.
    pub space: u64,
}

impl<'a> Keyer<'a> {
    /// A keyer for grouping `by` over the rows `f` selects.
    pub fn new(
        by: &[Dim],
        c: &'a Contacts,
        prep: &'a Prepared,
        f: &RowFilter,
    ) -> Result<Keyer<'a>, QueryError> {
        let mut parts = Vec::new();
        let mut card = Vec::new();
        let mut cache = TzCache::new(prep.tz);
        for d in by {
            let (p, n) = match d {
                Dim::Channel => (Part::Channel, crate::model::Channel::COUNT as u64),
                Dim::Column(name) => match c.dim(name) {
                    Some(col) => (Part::Column(&col.codes, &col.dict), col.dict.len() as u64),
                    None if OTHER_TABLE_DIMS.contains(&name.as_str()) => (Part::Missing, 1),
                    None => return Err(QueryError::UnknownDimension(name.clone())),
                },
                Dim::Time(b) => {
                    let hi = f.hi.min(c.len());
                    if f.lo >= hi {
                        (Part::Time(*b, 0), 1)
                    } else {
                        let first = b.index(cache.local(c.arrived[f.lo]));
                        let last = b.index(cache.local(c.arrived[hi - 1]));
                        // Slack of two buckets each side: a DST fall-back repeats a local hour.
                        (Part::Time(*b, first - 2), (last - first + 5).max(1) as u64)
                    }
                }
                Dim::HourOfDay => (Part::HourOfDay, 24),
                Dim::Weekday => (Part::Weekday, 7),
                Dim::BusinessHours => (Part::Business, 2),
                Dim::Peak => (Part::Peak, 2),
            };
            parts.push(p);
            card.push(n);
        }
        let space = card
            .iter()
            .try_fold(1u64, |a, &n| a.checked_mul(n))
            .ok_or(QueryError::TooManyGroups)?;
        Ok(Keyer {
            names: by.iter().map(|d| d.name().to_string()).collect(),
            parts,
            card,
            cache,
            space,
        })
    }

    /// The composite key of row `i`.
    #[inline]
    pub fn key(&mut self, c: &Contacts, prep: &Prepared, i: usize) -> u64 {
        let mut k = 0u64;
        for (p, &n) in self.parts.iter().zip(&self.card) {
            let v = match p {
                Part::Channel => c.channel[i] as u64,
                Part::Column(codes, _) => codes.get(i) as u64,
                Part::Time(b, base) => {
                    let idx = b.index(self.cache.local(c.arrived[i])) - base;
                    idx.clamp(0, n as i64 - 1) as u64
                }
                Part::HourOfDay => (prep.how.get(i).copied().unwrap_or(0) % 24) as u64,
                Part::Weekday => (prep.how.get(i).copied().unwrap_or(0) / 24) as u64,
                Part::Business => {
                    prep.bits.get(i).is_some_and(|b| b & row_bit::BUSINESS != 0) as u64
                }
                Part::Peak => prep.bits.get(i).is_some_and(|b| b & row_bit::PEAK != 0) as u64,
                Part::Missing => 0,
            };
            k = k * n + v;
        }
        k
    }

    /// The per-dimension values of composite key `k`, outermost first.
    pub fn split(&self, mut k: u64) -> Vec<u64> {
        let mut v = vec![0; self.card.len()];
        for j in (0..self.card.len()).rev() {
            v[j] = k % self.card[j];
            k /= self.card[j];
        }
        v
    }

    /// `(dimension name, value label)` pairs of key `k`.
    pub fn labels(&self, k: u64) -> Vec<(String, String)> {
        self.split(k)
            .into_iter()
            .zip(&self.parts)
            .zip(&self.names)
            .map(|((v, p), name)| {
                let label = match p {
                    Part::Channel => crate::model::Channel::from_index(v as usize)
                        .map_or("", |c| c.as_str())
                        .to_string(),
                    Part::Column(_, dict) => dict.get(v as u32).unwrap_or("").to_string(),
                    Part::Time(b, base) => b.label(*base + v as i64),
                    Part::HourOfDay => format!("{v:02}"),
                    Part::Weekday => WEEKDAYS[v as usize % 7].to_string(),
                    Part::Business => if v == 1 { "business" } else { "off_hours" }.to_string(),
                    Part::Peak => if v == 1 { "peak" } else { "off_peak" }.to_string(),
                    Part::Missing => String::new(),
                };
                (name.clone(), label)
            })
            .collect()
    }

    /// The time bucket index of key `k` for the first time dimension, if any.
    pub fn bucket_of(&self, k: u64) -> Option<(Bucket, i64)> {
        let v = self.split(k);
        self.parts.iter().zip(v).find_map(|(p, x)| match p {
            Part::Time(b, base) => Some((*b, base + x as i64)),
            _ => None,
        })
    }
}

/// Accumulators by composite key, in first-seen order.
#[derive(Debug, Clone, Default)]
pub struct Grouped<A> {
    /// Composite key of each group.
    pub keys: Vec<u64>,
    /// Accumulator of each group.
    pub accs: Vec<A>,
}

/// Dense slot tables up to this many keys (4 bytes each); a hash map beyond.
const DENSE_LIMIT: u64 = 1 << 22;

/// Runs `add` for every row `f` passes, into the accumulator of its group.
pub fn group_rows<A: Default>(
    keyer: &mut Keyer<'_>,
    f: &RowFilter,
    c: &Contacts,
    prep: &Prepared,
    mut add: impl FnMut(&mut A, usize),
) -> Grouped<A> {
    let mut g = Grouped {
        keys: Vec::new(),
        accs: Vec::new(),
    };
    if keyer.space == 1 {
        let mut acc = A::default();
        let mut any = false;
        f.for_each(c, prep, |i| {
            any = true;
            add(&mut acc, i)
        });
        if any {
            g.keys.push(0);
            g.accs.push(acc);
        }
        return g;
    }
    if keyer.space <= DENSE_LIMIT {
        let mut slot = vec![u32::MAX; keyer.space as usize];
        f.for_each(c, prep, |i| {
            let k = keyer.key(c, prep, i);
            let s = &mut slot[k as usize];
            if *s == u32::MAX {
                *s = g.accs.len() as u32;
                g.keys.push(k);
                g.accs.push(A::default());
            }
            add(&mut g.accs[*s as usize], i);
        });
    } else {
        let mut slot: HashMap<u64, u32, BuildHasherDefault<CodeHasher>> = HashMap::default();
        f.for_each(c, prep, |i| {
            let k = keyer.key(c, prep, i);
            let s = *slot.entry(k).or_insert_with(|| {
                g.keys.push(k);
                g.accs.push(A::default());
                (g.accs.len() - 1) as u32
            });
            add(&mut g.accs[s as usize], i);
        });
    }
    g
}
