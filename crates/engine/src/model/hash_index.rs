//! A string → number index that keeps only a 64-bit hash per entry: the caller's own storage
//! (ids, case names) confirms a hit, so 10 million keys cost about 170 MB less than a map of
//! strings. Distinct keys whose hashes collide go to a small exact map.
//!
//! [`IdIndex`] puts one over an [`IdColumn`] lazily: while the column's ids are one numbered
//! sequence (`C00000001`, `C00000002`, ...: what exports usually hold) a lookup is a range
//! check and nothing is hashed or stored; the first id that breaks the sequence indexes the
//! column once, and from then on every id is hashed.

use super::fxhash::{FxHashMap, FxHasher};
use super::ids::SeqLookup;
use super::IdColumn;
use std::collections::hash_map::Entry;
use std::hash::Hasher;

/// See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct HashIndex {
    map: FxHashMap<u64, u32>,
    overflow: FxHashMap<String, u32>,
}

fn hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

impl HashIndex {
    /// The number stored for `key`, or `None` after storing `new` for it. `is(n)` must tell
    /// whether the key stored under number `n` is `key`.
    pub fn get_or_insert(&mut self, key: &str, new: u32, is: impl Fn(u32) -> bool) -> Option<u32> {
        match self.map.entry(hash(key)) {
            Entry::Vacant(e) => {
                e.insert(new);
                None
            }
            Entry::Occupied(e) => {
                let n = *e.get();
                if is(n) {
                    return Some(n);
                }
                match self.overflow.get(key) {
                    Some(&n) => Some(n),
                    None => {
                        self.overflow.insert(key.to_string(), new);
                        None
                    }
                }
            }
        }
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.len() + self.overflow.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty() && self.overflow.is_empty()
    }
}

/// A [`HashIndex`] of the ids of an [`IdColumn`] (row numbers), built only once the column
/// stops being [`IdColumn::Sequential`]; see the module documentation. The column must only
/// grow through [`IdIndex::get_or_insert`] (which the caller follows by a push of the key) and
/// [`IdIndex::before_unindexed`] (a row without a key).
#[derive(Debug, Clone)]
pub struct IdIndex {
    index: HashIndex,
    /// True while nothing is indexed and the column's sequence answers lookups.
    lazy: bool,
}

impl Default for IdIndex {
    fn default() -> Self {
        IdIndex {
            index: HashIndex::default(),
            lazy: true,
        }
    }
}

impl IdIndex {
    /// An index that has forgotten every key and stays a plain hash index (what a finished
    /// table keeps: later keys are indexed, earlier ones are not found).
    pub fn forgotten() -> IdIndex {
        IdIndex {
            index: HashIndex::default(),
            lazy: false,
        }
    }

    /// The row of `key` in `col`, or `None` after noting `key` as row `col.len()`: the caller
    /// then pushes `key` onto `col`.
    pub fn get_or_insert(&mut self, col: &IdColumn, key: &str) -> Option<u32> {
        if self.lazy {
            if col.is_sequential() {
                if let Some(r) = col.sequential_position(key) {
                    return Some(r as u32);
                }
                if col.continues(key) {
                    return None;
                }
            }
            self.build(col);
        }
        let new = col.len() as u32;
        self.index
            .get_or_insert(key, new, |r| col.eq_at(r as usize, key))
    }

    /// The row of `key` in `col`, or `None` after appending `key` to `col` (and indexing it):
    /// [`IdIndex::get_or_insert`] and the push in one, looking at `key` once while lazy.
    pub fn get_or_push(&mut self, col: &mut IdColumn, key: &str) -> Option<u32> {
        if self.lazy {
            match col.sequential_find_or_push(key) {
                SeqLookup::Found(r) => return Some(r as u32),
                SeqLookup::Pushed => return None,
                SeqLookup::Outside => self.build(col),
            }
        }
        let new = col.len() as u32;
        let found = self
            .index
            .get_or_insert(key, new, |r| col.eq_at(r as usize, key));
        if found.is_none() {
            col.push(key);
        }
        found
    }

    /// Before the caller pushes `key` onto `col` without indexing it (a contact without a case
    /// id): indexes the column first when the push ends its sequence.
    pub fn before_unindexed(&mut self, col: &IdColumn, key: &str) {
        if self.lazy && !col.continues(key) {
            self.build(col);
        }
    }

    /// Indexes every non-empty id of `col` (empty ones never are) and stops being lazy.
    fn build(&mut self, col: &IdColumn) {
        self.lazy = false;
        for r in 0..col.len() {
            let key = col.get(r);
            if !key.is_empty() {
                self.index
                    .get_or_insert(&key, r as u32, |n| col.eq_at(n as usize, &key));
            }
        }
    }

    /// Number of keys indexed (0 while lazy).
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when no key is indexed.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_hits_and_survives_collisions() {
        let keys = ["a", "b", "a", "c", "b"];
        let mut stored: Vec<&str> = Vec::new();
        let mut ix = HashIndex::default();
        let mut got = Vec::new();
        for k in keys {
            let n = stored.len() as u32;
            match ix.get_or_insert(k, n, |i| stored[i as usize] == k) {
                Some(i) => got.push(i),
                None => {
                    stored.push(k);
                    got.push(n);
                }
            }
        }
        assert_eq!(got, vec![0, 1, 0, 2, 1]);
        // A verifier that always says "not this key" simulates collisions: still exact.
        let mut ix = HashIndex::default();
        assert_eq!(ix.get_or_insert("x", 0, |_| false), None);
        assert_eq!(ix.get_or_insert("x", 1, |_| false), None);
        assert_eq!(ix.get_or_insert("x", 2, |_| false), Some(1));
        assert_eq!(ix.len(), 2);
    }

    /// The lazy index answers exactly like a plain index of the same column, through sequences,
    /// their breaks, duplicates and unindexed rows.
    #[test]
    fn id_index_is_a_hash_index_of_the_column() {
        let streams: [&[&str]; 5] = [
            &[
                "C001", "C002", "C003", "C002", "C004", "C001", "C010", "C003", "x", "C010",
            ],
            &["7", "8", "9", "08", "8", "10", "10", "007"],
            &["", "K1", "K2", "", "K1", "K3"],
            &["K1", "K2", "", "K2", "K3", "K1"],
            &["a", "a", "b", "A1", "A2", "A1", "a"],
        ];
        for keys in streams {
            let mut col = IdColumn::default();
            let mut ix = IdIndex::default();
            // The same keys through `get_or_push`.
            let mut col2 = IdColumn::default();
            let mut ix2 = IdIndex::default();
            let mut plain: Vec<String> = Vec::new();
            for &k in keys {
                let want = plain.iter().position(|p| !k.is_empty() && p == k);
                if k.is_empty() {
                    ix.before_unindexed(&col, k);
                    col.push(k);
                    ix2.before_unindexed(&col2, k);
                    col2.push(k);
                    plain.push(k.to_string());
                    continue;
                }
                let got2 = ix2.get_or_push(&mut col2, k);
                assert_eq!(got2.map(|r| r as usize), want, "{keys:?} {k}");
                let got = ix.get_or_insert(&col, k);
                assert_eq!(got.map(|r| r as usize), want, "{keys:?} {k}");
                if got.is_none() {
                    col.push(k);
                    plain.push(k.to_string());
                }
                assert_eq!(col2.len(), plain.len());
                for (i, p) in plain.iter().enumerate() {
                    assert_eq!(col.get(i), *p);
                    assert_eq!(col2.get(i), *p);
                    assert!(col.eq_at(i, p) && !col.eq_at(i, "zz") && !col.eq_at(i, "C0010"));
                }
            }
        }
        // A column that is not sequential any more, under a lazy index (after a finish), is
        // indexed on first use.
        let mut col = IdColumn::default();
        for k in ["B7", "B9"] {
            col.push(k);
        }
        let mut ix = IdIndex::default();
        assert_eq!(ix.get_or_insert(&col, "B9"), Some(1));
        assert_eq!(ix.get_or_insert(&col, "B8"), None);
        assert_eq!(IdIndex::forgotten().get_or_insert(&col, "B9"), None);
    }
}
