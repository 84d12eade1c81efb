//! Distinct keys with a saturating occurrence count: "customers with a case" and "customers with
//! more than one case" in one mergeable measure.

use super::Merge;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// A hash map keyed by dictionary codes.
pub type CodeMap<V> = HashMap<u32, V, BuildHasherDefault<CodeHasher>>;

/// Occurrences per key, saturating at 2 (all that "more than once" needs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Distinct {
    seen: CodeMap<u8>,
}

impl Distinct {
    /// Counts one occurrence of `key`.
    #[inline]
    pub fn add(&mut self, key: u32) {
        let c = self.seen.entry(key).or_insert(0);
        *c = (*c + 1).min(2);
    }

    /// Distinct keys seen.
    pub fn distinct(&self) -> u64 {
        self.seen.len() as u64
    }

    /// Keys seen more than once.
    pub fn repeated(&self) -> u64 {
        self.seen.values().filter(|&&c| c > 1).count() as u64
    }
}

impl Merge for Distinct {
    fn merge(&mut self, o: &Self) {
        for (&k, &c) in &o.seen {
            let e = self.seen.entry(k).or_insert(0);
            *e = (*e + c).min(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_across_parts() {
        let (mut a, mut b) = (Distinct::default(), Distinct::default());
        a.add(1);
        a.add(2);
        b.add(2);
        b.add(3);
        b.add(3);
        a.merge(&b);
        // keys 1 (once), 2 (once in each part), 3 (twice): 3 distinct, 2 repeated.
        assert_eq!((a.distinct(), a.repeated()), (3, 2));
    }
}
