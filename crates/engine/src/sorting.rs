//! One sort for the whole program. Every `sort_by` of the standard library is compiled again for
//! each element type and comparator (≈ 4.5 KB of wasm each, and a `BTreeMap` built by `collect`
//! sorts its pairs the same way); the browser app had 19 of them. These functions sort
//! indices with one non-generic unstable sort whose ties are broken by index, which is the order
//! a stable sort gives, and then move the elements into that order. For small and medium
//! vectors off the hot paths (reports, settings, tables); the load's large sorts keep the
//! standard library's.

use std::cmp::Ordering;

/// The indices `0..n` in the stable order of `cmp`: sorted by `cmp`, equal ones by index.
pub fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    idx
}

/// Moves the elements of `v` into `order` (a permutation of its indices).
fn permute<T>(v: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// What `v.sort_by(cmp)` does (stable), with the one shared sort.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    permute(v, &order);
}

/// What `v.sort_by_key(key)` does (stable), with the one shared sort.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// What `v.sort()` does (stable), with the one shared sort.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency).
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn sorts_as_the_standard_stable_sort_does() {
        let mut seed = 7;
        for n in [0usize, 1, 2, 3, 10, 21, 100, 1000] {
            for span in [1u64, 3, 50, 1 << 20] {
                // (key, original position): ties on key must keep their order.
                let v: Vec<(u64, usize)> = (0..n).map(|i| (lcg(&mut seed) % span, i)).collect();
                let mut want = v.clone();
                want.sort_by_key(|a| a.0);
                let mut got = v.clone();
                sort_by(&mut got, |a, b| a.0.cmp(&b.0));
                assert_eq!(got, want, "sort_by n={n} span={span}");
                let mut got = v.clone();
                sort_by_key(&mut got, |a| a.0);
                assert_eq!(got, want, "sort_by_key n={n} span={span}");
                let mut want = v.clone();
                want.sort_by_key(|a| std::cmp::Reverse(a.0));
                let mut got = v.clone();
                sort_by(&mut got, |a, b| b.0.cmp(&a.0));
                assert_eq!(got, want, "descending n={n} span={span}");
                let mut want = v.clone();
                want.sort();
                let mut got = v;
                sort(&mut got);
                assert_eq!(got, want, "sort n={n} span={span}");
            }
        }
        let mut s: Vec<String> = ["b", "a", "c", "a", ""].map(String::from).to_vec();
        sort(&mut s);
        assert_eq!(s, ["", "a", "a", "b", "c"]);
    }
}
