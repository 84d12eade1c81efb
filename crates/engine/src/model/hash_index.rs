//! A string → number index that keeps only a 64-bit hash per entry: the caller's own storage
//! (ids, case names) confirms a hit, so 10 million keys cost about 170 MB less than a map of
//! strings. Distinct keys whose hashes collide go to a small exact map.
//!
//! [`IdIndex`] puts one over an [`IdColumn`] lazily: while the column's ids are one numbered
//! sequence (`C00000001`, `C00000002`, ...: what exports usually hold) a lookup is a range
//! check and nothing is hashed or stored. The first id that breaks the sequence indexes the
//! column once: by number ([`Dense`], four bytes per number in their span) while every id is
//! the same prefix and width of number and the numbers are not too sparse (an export sorted by
//! arrival whose ids were numbered in another order: ids of cases, of tickets), else by hash,
//! and from then on every id is looked up that way.

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
    /// When not lazy: the index by number, while the column's ids allow it; `None`: `index`.
    dense: Option<Dense>,
}

impl Default for IdIndex {
    fn default() -> Self {
        IdIndex {
            index: HashIndex::default(),
            lazy: true,
            dense: None,
        }
    }
}

/// No row for this number in [`Dense`].
const NO_ROW: u32 = u32::MAX;

/// Rows of numbered ids by number: `rows[n - base]` is the row of the id with number `n`
/// ([`NO_ROW`]: none). Kept only while the numbers seen span at most [`Dense::MAX_SPAN`] of
/// their count, so that it costs a few bytes per id, like a hash index, and a lookup is one
/// array access instead of a hash and a probe (each a likely cache miss at a million ids).
#[derive(Debug, Clone, Default)]
struct Dense {
    base: u32,
    rows: Vec<u32>,
    /// Numbers indexed, and the least and greatest of them.
    count: usize,
    lo: u32,
    hi: u32,
}

impl Dense {
    /// The span of numbers allowed for `count` of them: four per number, and a start.
    fn max_span(count: usize) -> usize {
        count.saturating_mul(4).saturating_add(1 << 16)
    }

    /// The index of every number of `col` (row by row; a repeated number keeps its first
    /// row, as [`HashIndex`] does); `None` when `col` is not numbered or too sparse.
    fn of(col: &IdColumn) -> Option<Dense> {
        let mut d = Dense::default();
        match col {
            IdColumn::Sequential { first, len, .. } if *len > 0 => {
                for r in 0..*len as u32 {
                    d.insert(first.checked_add(r)?, r).then_some(())?;
                }
            }
            IdColumn::Numbered { nums, .. } if !nums.is_empty() => {
                for (r, &n) in nums.iter().enumerate() {
                    d.insert(n, r as u32).then_some(())?;
                }
            }
            _ => return None,
        }
        Some(d)
    }

    /// The row of number `n`.
    #[inline]
    fn get(&self, n: u32) -> Option<u32> {
        let k = n.checked_sub(self.base)? as usize;
        self.rows.get(k).copied().filter(|&r| r != NO_ROW)
    }

    /// Notes `row` for number `n` unless it has one; false (nothing changed) when the numbers
    /// would then be too sparse for this index.
    fn insert(&mut self, n: u32, row: u32) -> bool {
        if self.count == 0 {
            *self = Dense {
                base: n,
                rows: vec![NO_ROW],
                count: 0,
                lo: n,
                hi: n,
            };
        }
        let (lo, hi) = (self.lo.min(n), self.hi.max(n));
        if (hi - lo) as usize >= Dense::max_span(self.count + 1) {
            return false;
        }
        if n < self.base {
            // Downwards by at least the current length, so that numbers that keep coming in
            // descending order (a file sorted the other way) cost amortised constant time.
            let by = ((self.base - n) as usize).max(self.rows.len());
            let base = self
                .base
                .saturating_sub(u32::try_from(by).unwrap_or(u32::MAX));
            let mut rows = vec![NO_ROW; (self.base - base) as usize];
            rows.extend_from_slice(&self.rows);
            self.rows = rows;
            self.base = base;
        }
        let k = (n - self.base) as usize;
        if k >= self.rows.len() {
            self.rows.resize(k + 1, NO_ROW);
        }
        if let Some(r) = self.rows.get_mut(k) {
            if *r == NO_ROW {
                *r = row;
                self.count += 1;
            }
        }
        self.lo = lo;
        self.hi = hi;
        true
    }
}

impl IdIndex {
    /// An index that has forgotten every key and stays a plain hash index (what a finished
    /// table keeps: later keys are indexed, earlier ones are not found).
    pub fn forgotten() -> IdIndex {
        IdIndex {
            index: HashIndex::default(),
            lazy: false,
            dense: None,
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
            self.leave_sequence(col);
        }
        let new = col.len() as u32;
        if let Some(found) = self.dense_lookup(col, key, new) {
            return found;
        }
        self.index
            .get_or_insert(key, new, |r| col.eq_at(r as usize, key))
    }

    /// Stops being lazy: indexes the column by number when it can be, else by hash.
    fn leave_sequence(&mut self, col: &IdColumn) {
        self.lazy = false;
        self.dense = Dense::of(col);
        if self.dense.is_none() {
            self.build(col);
        }
    }

    /// [`IdIndex::get_or_insert`] by number: `Some(row)` when `key` is at `row`, `Some(None)`
    /// after noting it as row `new`; `None` when the index is by hash, or `key` is not of the
    /// column's form or too far from its numbers (then the column is indexed by hash, once).
    #[inline]
    fn dense_lookup(&mut self, col: &IdColumn, key: &str, new: u32) -> Option<Option<u32>> {
        let dense = self.dense.as_mut()?;
        if let Some(n) = col.number_of(key) {
            if let Some(r) = dense.get(n) {
                return Some(Some(r));
            }
            if dense.insert(n, new) {
                return Some(None);
            }
        }
        self.dense = None;
        self.build(col);
        None
    }

    /// The row of `key` in `col`, or `None` after appending `key` to `col` (and indexing it):
    /// [`IdIndex::get_or_insert`] and the push in one, looking at `key` once while lazy.
    pub fn get_or_push(&mut self, col: &mut IdColumn, key: &str) -> Option<u32> {
        if self.lazy {
            match col.sequential_find_or_push(key) {
                SeqLookup::Found(r) => return Some(r as u32),
                SeqLookup::Pushed => return None,
                SeqLookup::Outside => self.leave_sequence(col),
            }
        }
        let new = col.len() as u32;
        if let Some(found) = self.dense_lookup(col, key, new) {
            if found.is_none() {
                col.push(key);
            }
            return found;
        }
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

    /// Indexes every non-empty id of `col` by hash (empty ones never are) and stops being lazy.
    fn build(&mut self, col: &IdColumn) {
        self.lazy = false;
        self.dense = None;
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
        self.dense.as_ref().map_or(0, |d| d.count) + self.index.len()
    }

    /// True when no key is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    /// Keys through `get_or_push` and `get_or_insert` (with the caller's push) against a plain
    /// list; returns the two indexes.
    fn check_against_plain(keys: &[String]) -> (IdIndex, IdIndex) {
        let (mut col, mut ix) = (IdColumn::default(), IdIndex::default());
        let (mut col2, mut ix2) = (IdColumn::default(), IdIndex::default());
        let mut plain: std::collections::HashMap<&str, usize> = Default::default();
        for (i, k) in keys.iter().enumerate() {
            let want = plain.get(k.as_str()).copied();
            assert_eq!(
                ix2.get_or_push(&mut col2, k).map(|r| r as usize),
                want,
                "{i} {k}"
            );
            let got = ix.get_or_insert(&col, k);
            assert_eq!(got.map(|r| r as usize), want, "{i} {k}");
            if got.is_none() {
                col.push(k);
                plain.insert(k, plain.len());
            }
            assert_eq!((col.len(), col2.len()), (plain.len(), plain.len()));
        }
        for (k, &r) in &plain {
            assert!(col.eq_at(r, k) && col2.eq_at(r, k), "{k} {r}");
        }
        (ix, ix2)
    }

    /// Numbered ids out of order (ascending with jitter, descending, shuffled, with repeats):
    /// the index by number answers as a plain index, and is the one used.
    #[test]
    fn numbered_ids_out_of_order_are_indexed_by_number() {
        let mut next = crate::test_rng::xorshift(0x517c_c1b7_2722_0a95);
        let n = 20_000u64;
        let jitter: Vec<u64> = (0..n).map(|i| i + next() % 500).collect();
        let descending: Vec<u64> = (0..n).rev().collect();
        let shuffled: Vec<u64> = (0..n).map(|_| next() % n).collect();
        for (name, nums) in [
            ("jitter", jitter),
            ("descending", descending),
            ("shuffled", shuffled),
        ] {
            let mut keys: Vec<String> = nums.iter().map(|k| format!("C{:08}", k + 7)).collect();
            // Repeats of earlier keys, far and near.
            for i in (0..keys.len()).step_by(97) {
                let k = keys[i / 3].clone();
                keys.insert(i, k);
            }
            let (ix, ix2) = check_against_plain(&keys);
            for x in [&ix, &ix2] {
                assert!(x.dense.is_some() && x.index.is_empty(), "{name}: by number");
            }
        }
    }

    /// Ids that leave the index by number half-way (another width, another prefix, a blank, a
    /// number far from the others) are indexed by hash from there on, still exactly.
    #[test]
    fn index_by_number_falls_back_to_hash() {
        let base: Vec<String> = (0..3000).rev().map(|k| format!("K{k:05}")).collect();
        for odd in ["K123456", "Q00007", "K99999999", "7"] {
            let mut keys = base.clone();
            keys.insert(1500, odd.to_string());
            keys.extend(base[..100].iter().cloned());
            keys.push(odd.to_string());
            let (ix, ix2) = check_against_plain(&keys);
            for x in [&ix, &ix2] {
                assert!(x.dense.is_none() && x.len() == 3001, "{odd}: by hash");
            }
        }
        // Sparse numbers: by hash from the start.
        let sparse: Vec<String> = (0..200)
            .rev()
            .map(|k| format!("N{}", k * 100_000 + 1))
            .collect();
        let (ix, _) = check_against_plain(&sparse);
        assert!(ix.dense.is_none());
        // A blank (unindexed) row makes the column arbitrary: by hash from the next key.
        let (mut col, mut ix) = (IdColumn::default(), IdIndex::default());
        for k in ["K3", "K1", "K2"] {
            assert_eq!(ix.get_or_push(&mut col, k), None);
        }
        ix.before_unindexed(&col, "");
        col.push("");
        assert_eq!(ix.get_or_push(&mut col, "K1"), Some(1));
        assert_eq!(ix.get_or_push(&mut col, "K4"), None);
        assert_eq!(ix.get_or_push(&mut col, "K4"), Some(4));
        assert!(ix.dense.is_none());
    }
}
