//! Distinct keys with a saturating occurrence count: "customers with a case" and "customers with
//! more than one case" in one mergeable measure.
//!
//! Small sets live in a hash map; once a set holds more than 1/64 of the key universe (the
//! dictionary size the caller passes) it switches to two bitsets ("seen", "seen twice"), which
//! make `add` a couple of bit operations and `merge` a word-wise OR.

use super::Merge;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// A multiplicative hasher for `u32` dictionary codes: they are already well spread, so SipHash's
/// strength would only cost time.
#[derive(Default, Clone, Copy)]
pub struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (i ^ (i >> 29) ^ 0x9e37_79b9).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (i as u64 ^ 0x9e37_79b9).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// The "seen more than once" bit of a frozen code (codes stay below 2^31).
const TWICE: u32 = 1 << 31;

/// A hash map keyed by dictionary codes.
pub type CodeMap<V> = HashMap<u32, V, BuildHasherDefault<CodeHasher>>;

#[derive(Debug, Clone)]
enum Repr {
    /// Read-only: codes sorted by code, the top bit set when seen more than once. Compact and fast to
    /// merge from; written by [`Distinct::freeze`] for stored partials (the engine's day cells).
    /// Shared by clones. With the number of keys seen more than once (counted when frozen: a
    /// report reads it for every group).
    Frozen(Arc<[u32]>, u64),
    Sparse(CodeMap<u8>),
    Dense {
        once: Vec<u64>,
        twice: Vec<u64>,
        distinct: u64,
        repeated: u64,
    },
}

/// Occurrences per key, saturating at 2 (all that "more than once" needs).
#[derive(Debug, Clone)]
pub struct Distinct {
    repr: Repr,
    /// The largest key universe seen, so that merges switch to bitsets like adds do.
    universe: usize,
}

impl Default for Distinct {
    fn default() -> Self {
        Distinct {
            repr: Repr::Sparse(CodeMap::default()),
            universe: 0,
        }
    }
}

/// Two sets are equal when they have the same distinct and repeated counts (enough for the
/// KPIs, and independent of the representation).
impl PartialEq for Distinct {
    fn eq(&self, o: &Self) -> bool {
        self.distinct() == o.distinct() && self.repeated() == o.repeated()
    }
}

fn dense_add(once: &mut Vec<u64>, twice: &mut Vec<u64>, d: &mut u64, r: &mut u64, key: u32, c: u8) {
    let (w, b) = (key as usize / 64, 1u64 << (key % 64));
    if w >= once.len() {
        once.resize(w + 1, 0);
        twice.resize(w + 1, 0);
    }
    let mut c = c;
    if once[w] & b == 0 {
        once[w] |= b;
        *d += 1;
        c -= 1;
    }
    if c > 0 && twice[w] & b == 0 {
        twice[w] |= b;
        *r += 1;
    }
}

/// ORs a frozen list into bitsets, counting new distinct and repeated keys without branches.
fn dense_merge_frozen(
    once: &mut Vec<u64>,
    twice: &mut Vec<u64>,
    d: &mut u64,
    r: &mut u64,
    v: &[u32],
) {
    if let Some(&last) = v.last() {
        let w = (last & !TWICE) as usize / 64 + 1;
        if w > once.len() {
            once.resize(w, 0);
            twice.resize(w, 0);
        }
    }
    let (mut dd, mut rr) = (0u64, 0u64);
    for &k in v {
        let key = k & !TWICE;
        let (w, b) = (key as usize / 64, 1u64 << (key % 64));
        // `once` sorted codes: a frozen list's largest code is its last, so `w` is in range.
        let (o, t) = (once[w], twice[w]);
        let seen = o & b != 0;
        let again = seen | (k & TWICE != 0);
        dd += !seen as u64;
        let t2 = t | if again { b } else { 0 };
        rr += (t2 != t) as u64;
        once[w] = o | b;
        twice[w] = t2;
    }
    *d += dd;
    *r += rr;
}

/// Keys of a frozen list seen more than once.
fn count_twice(v: &[u32]) -> u64 {
    let mut n = 0;
    for &k in v {
        n += (k >> 31) as u64;
    }
    n
}

/// Merges two sorted frozen lists (keys with their "twice" bit) into one.
fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i] & !TWICE, b[j] & !TWICE);
        if x < y {
            out.push(a[i]);
            i += 1;
        } else if y < x {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(x | TWICE);
            i += 1;
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl Distinct {
    /// Counts one occurrence of `key`, a code below `universe` (the dictionary size).
    #[inline]
    pub fn add(&mut self, key: u32, universe: usize) {
        self.add_n(key, 1, universe);
    }

    /// Makes the set compact and read-only (it thaws on the next `add` or `merge` into it).
    pub fn freeze(&mut self) {
        let v = match &self.repr {
            Repr::Frozen(..) => return,
            Repr::Sparse(m) => {
                let mut v: Vec<u32> = m
                    .iter()
                    .map(|(&k, &c)| k | if c > 1 { TWICE } else { 0 })
                    .collect();
                // Sorted by key (not by the flagged value): merges rely on it.
                v.sort_unstable_by_key(|&k| k & !TWICE);
                v
            }
            Repr::Dense { once, twice, .. } => {
                let mut v = Vec::new();
                for (w, (&o, &t)) in once.iter().zip(twice).enumerate() {
                    let mut bits = o;
                    while bits != 0 {
                        let b = bits.trailing_zeros();
                        bits &= bits - 1;
                        let k = (w * 64) as u32 + b;
                        v.push(k | if t >> b & 1 == 1 { TWICE } else { 0 });
                    }
                }
                v
            }
        };
        let r = count_twice(&v);
        self.repr = Repr::Frozen(v.into(), r);
    }

    fn thaw(&mut self) {
        if let Repr::Frozen(v, _) = &self.repr {
            let v = v.clone();
            if v.len() > 64 && v.len() * 64 > self.universe {
                self.densify(self.universe);
                return;
            }
            self.repr = Repr::Sparse(CodeMap::default());
            let u = self.universe;
            for &k in v.iter() {
                self.add_n(k & !TWICE, if k & TWICE != 0 { 2 } else { 1 }, u);
            }
        }
    }

    fn add_n(&mut self, key: u32, n: u8, universe: usize) {
        self.universe = self.universe.max(universe);
        let universe = self.universe;
        if let Repr::Frozen(..) = self.repr {
            self.thaw();
        }
        match &mut self.repr {
            Repr::Frozen(..) => {}
            Repr::Sparse(m) => {
                let c = m.entry(key).or_insert(0);
                *c = (*c + n).min(2);
                if m.len() > 64 && m.len() * 64 > universe {
                    self.densify(universe);
                }
            }
            Repr::Dense {
                once,
                twice,
                distinct,
                repeated,
            } => dense_add(once, twice, distinct, repeated, key, n.min(2)),
        }
    }

    fn densify(&mut self, universe: usize) {
        if let Repr::Frozen(v, _) = &self.repr {
            let words = universe.max(self.universe).div_ceil(64);
            let (mut once, mut twice) = (vec![0u64; words], vec![0u64; words]);
            let (mut d, mut r) = (0, 0);
            dense_merge_frozen(&mut once, &mut twice, &mut d, &mut r, v);
            self.repr = Repr::Dense {
                once,
                twice,
                distinct: d,
                repeated: r,
            };
            return;
        }
        if let Repr::Sparse(m) = &self.repr {
            let words = universe.div_ceil(64);
            let (mut once, mut twice) = (vec![0u64; words], vec![0u64; words]);
            let (mut d, mut r) = (0, 0);
            for (&k, &c) in m {
                dense_add(&mut once, &mut twice, &mut d, &mut r, k, c);
            }
            self.repr = Repr::Dense {
                once,
                twice,
                distinct: d,
                repeated: r,
            };
        }
    }

    /// Approximate heap bytes.
    pub fn heap_bytes(&self) -> usize {
        match &self.repr {
            Repr::Frozen(v, _) => v.len() * 4,
            Repr::Sparse(m) => m.capacity() * 6,
            Repr::Dense { once, twice, .. } => (once.len() + twice.len()) * 8,
        }
    }

    /// Distinct keys seen.
    pub fn distinct(&self) -> u64 {
        match &self.repr {
            Repr::Frozen(v, _) => v.len() as u64,
            Repr::Sparse(m) => m.len() as u64,
            Repr::Dense { distinct, .. } => *distinct,
        }
    }

    /// Keys seen more than once.
    pub fn repeated(&self) -> u64 {
        match &self.repr {
            Repr::Frozen(_, r) => *r,
            Repr::Sparse(m) => m.values().filter(|&&c| c > 1).count() as u64,
            Repr::Dense { repeated, .. } => *repeated,
        }
    }
}

impl Merge for Distinct {
    fn merge(&mut self, o: &Self) {
        match &o.repr {
            Repr::Frozen(v, _) => {
                let u = self.universe.max(o.universe);
                self.universe = u;
                match &self.repr {
                    // Two small sorted lists: one linear merge into a new list.
                    Repr::Frozen(a, _)
                        if (a.len() + v.len()) * 64 <= u || a.len() + v.len() <= 64 =>
                    {
                        let m = merge_sorted(a, v);
                        let r = count_twice(&m);
                        self.repr = Repr::Frozen(m.into(), r);
                        return;
                    }
                    Repr::Frozen(..) => self.densify(u),
                    // Going dense first when the result will be large saves the hash map's growth.
                    Repr::Sparse(m) if (m.len() + v.len()) * 64 > u && m.len() + v.len() > 64 => {
                        self.densify(u)
                    }
                    _ => {}
                }
                match &mut self.repr {
                    Repr::Dense {
                        once,
                        twice,
                        distinct,
                        repeated,
                    } => dense_merge_frozen(once, twice, distinct, repeated, v),
                    _ => {
                        for &k in v.iter() {
                            self.add_n(k & !TWICE, if k & TWICE != 0 { 2 } else { 1 }, u);
                        }
                    }
                }
            }
            Repr::Sparse(m) => {
                let u = self.universe.max(o.universe);
                for (&k, &c) in m {
                    self.add_n(k, c, u);
                }
            }
            Repr::Dense {
                once: oo,
                twice: ot,
                ..
            } => {
                self.universe = self.universe.max(o.universe);
                if !matches!(self.repr, Repr::Dense { .. }) {
                    self.densify(oo.len() * 64);
                }
                if let Repr::Dense {
                    once,
                    twice,
                    distinct,
                    repeated,
                } = &mut self.repr
                {
                    if oo.len() > once.len() {
                        once.resize(oo.len(), 0);
                        twice.resize(oo.len(), 0);
                    }
                    for w in 0..oo.len() {
                        twice[w] |= ot[w] | (once[w] & oo[w]);
                        once[w] |= oo[w];
                    }
                    *distinct = once.iter().map(|w| w.count_ones() as u64).sum();
                    *repeated = twice.iter().map(|w| w.count_ones() as u64).sum();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_across_parts() {
        let (mut a, mut b) = (Distinct::default(), Distinct::default());
        a.add(1, 10);
        a.add(2, 10);
        b.add(2, 10);
        b.add(3, 10);
        b.add(3, 10);
        a.merge(&b);
        // keys 1 (once), 2 (once in each part), 3 (twice): 3 distinct, 2 repeated.
        assert_eq!((a.distinct(), a.repeated()), (3, 2));
    }

    #[test]
    fn dense_and_sparse_agree() {
        // Keys 0..200 once, even keys a second time, in a universe of 1000: 200 distinct,
        // 100 repeated. Part `a` goes dense (200 > 1000/64), part `b` stays sparse.
        let (mut a, mut b, mut whole) = (
            Distinct::default(),
            Distinct::default(),
            Distinct::default(),
        );
        for k in 0..200u32 {
            a.add(k, 1000);
            whole.add(k, 1000);
        }
        for k in (0..200u32).step_by(2) {
            b.add(k, 100_000);
            whole.add(k, 1000);
        }
        assert!(matches!(a.repr, Repr::Dense { .. }));
        assert!(matches!(b.repr, Repr::Sparse(_)));
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        for d in [&ab, &ba, &whole] {
            assert_eq!((d.distinct(), d.repeated()), (200, 100));
        }
        // Frozen copies merge the same way, either side, and thaw on add.
        let (mut fa, mut fb) = (a.clone(), b.clone());
        fa.freeze();
        fb.freeze();
        assert_eq!((fa.distinct(), fa.repeated()), (200, 0));
        assert_eq!((fb.distinct(), fb.repeated()), (100, 0));
        for (x, y) in [(&fa, &fb), (&fb, &fa), (&a, &fb), (&b, &fa)] {
            let mut m = x.clone();
            m.merge(y);
            assert_eq!((m.distinct(), m.repeated()), (200, 100));
        }
        let mut f = fa.clone();
        f.add(0, 1000);
        f.add(999, 1000);
        assert_eq!((f.distinct(), f.repeated()), (201, 1));
    }
}

#[cfg(test)]
mod frozen_merge_tests {
    use super::*;

    /// Random small sets: merging frozen, sparse and dense parts in any order gives the counts
    /// of adding every key to one set.
    #[test]
    fn frozen_merges_match_adds() {
        let mut next = crate::test_rng::xorshift(7u64);
        for round in 0..400 {
            let universe = [4usize, 70, 1000, 5000][round % 4];
            let parts = 1 + next() as usize % 8;
            let mut whole = Distinct::default();
            let mut sets = Vec::new();
            for _ in 0..parts {
                let mut d = Distinct::default();
                for _ in 0..(next() % 300) {
                    let k = (next() % universe as u64) as u32;
                    d.add(k, universe);
                    whole.add(k, universe);
                }
                if !next().is_multiple_of(3) {
                    d.freeze();
                }
                sets.push(d);
            }
            let mut m = if next().is_multiple_of(2) {
                Distinct::default()
            } else {
                sets[0].clone()
            };
            let skip = usize::from(!matches!(m.repr, Repr::Sparse(ref x) if x.is_empty()));
            for d in &sets[skip..] {
                m.merge(d);
            }
            assert_eq!(
                (m.distinct(), m.repeated()),
                (whole.distinct(), whole.repeated()),
                "round {round}"
            );
            // A frozen set's stored count of repeated keys is that of its list.
            for d in sets.iter().chain([&m]) {
                if let Repr::Frozen(v, r) = &d.repr {
                    let flagged = v.iter().filter(|&&k| k & TWICE != 0).count() as u64;
                    assert_eq!(*r, flagged, "round {round}");
                }
            }
        }
    }
}
