//! Duration histogram with fixed bucket edges, for percentiles that merge.
//!
//! Buckets are one second wide below [`Histogram::LINEAR_LIMIT`] seconds, so whole-second data
//! there gives exact percentiles; above it they grow by 2 % each, and a percentile is reported as
//! its bucket's geometric midpoint, within ±1 % of the true order statistic. Percentiles use the
//! nearest-rank definition: the p-quantile is the smallest observation with at least ⌈p·n⌉
//! observations at or below it.

use super::{Mean, Merge};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Counts per bucket index: owned and growable, or shared read-only (stored partials such as
/// the engine's cells, which are then cloned for the price of a reference count), densely or as
/// `(bucket, count)` pairs when few buckets are used. The first write to a shared array copies
/// it into an owned one.
#[derive(Debug, Clone)]
pub enum Counts {
    /// Growable counts.
    Owned(Vec<u32>),
    /// Read-only counts shared between clones.
    Shared(Arc<[u32]>),
    /// Read-only nonzero counts, `[bucket, count, bucket, count, ...]` by ascending bucket.
    Sparse(Arc<[u32]>),
}

impl Default for Counts {
    fn default() -> Self {
        Counts::Owned(Vec::new())
    }
}

impl PartialEq for Counts {
    /// Equal when every bucket has the same count (trailing zeros and representation aside).
    fn eq(&self, o: &Self) -> bool {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        self.for_each_nonzero(|k, c| a.push((k, c)));
        o.for_each_nonzero(|k, c| b.push((k, c)));
        a == b
    }
}

impl From<Vec<u32>> for Counts {
    fn from(v: Vec<u32>) -> Self {
        Counts::Owned(v)
    }
}

impl Counts {
    /// Number of buckets up to the last one stored.
    pub fn len(&self) -> usize {
        match self {
            Counts::Owned(v) => v.len(),
            Counts::Shared(a) => a.len(),
            Counts::Sparse(p) => p.len().checked_sub(2).map_or(0, |i| p[i] as usize + 1),
        }
    }

    /// True when no bucket is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Heap bytes.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Counts::Owned(v) => v.capacity() * 4,
            Counts::Shared(a) | Counts::Sparse(a) => a.len() * 4,
        }
    }

    /// The counts as a dense slice, when stored densely.
    #[inline]
    pub fn dense(&self) -> Option<&[u32]> {
        match self {
            Counts::Owned(v) => Some(v),
            Counts::Shared(a) => Some(a),
            Counts::Sparse(_) => None,
        }
    }

    /// Calls `f(bucket, count)` for every nonzero bucket, in ascending order.
    #[inline]
    pub fn for_each_nonzero(&self, mut f: impl FnMut(usize, u32)) {
        match self.dense() {
            Some(d) => {
                for (b, &c) in d.iter().enumerate() {
                    if c > 0 {
                        f(b, c);
                    }
                }
            }
            None => {
                if let Counts::Sparse(p) = self {
                    for e in p.chunks_exact(2) {
                        f(e[0] as usize, e[1]);
                    }
                }
            }
        }
    }

    /// The growable counts (copying shared ones first).
    #[inline]
    pub fn to_mut(&mut self) -> &mut Vec<u32> {
        match self {
            Counts::Owned(_) => {}
            Counts::Shared(a) => *self = Counts::Owned(a.to_vec()),
            Counts::Sparse(_) => {
                let mut v = vec![0u32; self.len()];
                self.for_each_nonzero(|b, c| v[b] = c);
                *self = Counts::Owned(v);
            }
        }
        match self {
            Counts::Owned(v) => v,
            _ => unreachable!(),
        }
    }

    /// Makes the counts read-only and shared by clones: pairs when fewer than a third of the
    /// buckets are used, else a dense array trimmed of trailing zeros.
    pub fn share(&mut self) {
        if let Counts::Owned(v) = self {
            let n = v.iter().rposition(|&c| c > 0).map_or(0, |p| p + 1);
            let used = v[..n].iter().filter(|&&c| c > 0).count();
            *self = if used * 3 < n {
                let mut p = Vec::with_capacity(used * 2);
                for (b, &c) in v[..n].iter().enumerate() {
                    if c > 0 {
                        p.push(b as u32);
                        p.push(c);
                    }
                }
                Counts::Sparse(p.into())
            } else {
                Counts::Shared(Arc::from(&v[..n]))
            };
        }
    }

    /// Adds `o`'s counts.
    #[inline]
    pub fn add(&mut self, o: &Counts) {
        if let (Counts::Sparse(a), Counts::Sparse(b)) = (&*self, o) {
            // Two short pair lists (cells of a few contacts): merged into a new pair list while
            // it stays short, instead of a dense array per group.
            if (a.len() + b.len()) / 2 * 3 < self.len().max(o.len()) {
                *self = Counts::Sparse(merge_pairs(a, b).into());
                return;
            }
        }
        let n = o.len();
        let v = self.to_mut();
        if n > v.len() {
            v.resize(n, 0);
        }
        match o.dense() {
            Some(d) => {
                for (a, b) in v.iter_mut().zip(d) {
                    *a += b;
                }
            }
            None => o.for_each_nonzero(|b, c| v[b] += c),
        }
    }
}

/// Merges two `[bucket, count, ...]` lists sorted by bucket.
fn merge_pairs(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            out.extend_from_slice(&a[i..i + 2]);
            i += 2;
        } else if b[j] < a[i] {
            out.extend_from_slice(&b[j..j + 2]);
            j += 2;
        } else {
            out.push(a[i]);
            out.push(a[i + 1] + b[j + 1]);
            i += 2;
            j += 2;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.dense() {
            Some(d) => d.serialize(s),
            None => {
                let mut v = vec![0u32; self.len()];
                self.for_each_nonzero(|b, c| v[b] = c);
                v.serialize(s)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<u32>::deserialize(d).map(Counts::Owned)
    }
}

/// Counts per bucket (grown on demand up to the largest bucket used), plus the exact mean.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Count per bucket index.
    pub counts: Counts,
    /// Exact count, sum and sum of squares.
    pub mean: Mean,
}

const GROWTH: f64 = 1.02;
/// 1 / log2(1.02).
const INV_LOG2_GROWTH: f64 = 35.002_788_781_146_76;
/// Log buckets kept: 120 s · 1.02^1200 ≈ 2.4e12 s, far beyond any duration.
const LOG_BUCKETS: usize = 1200;

/// Whole seconds below this use the lookup table.
const SMALL: usize = 8192;

struct Tables {
    /// `edges[k] = 120 · 1.02^k`.
    edges: Vec<f64>,
    /// Log bucket `k` of each whole second `120..SMALL` (0 below 120).
    small: Vec<u16>,
}

/// The log bucket `k` of `x ≥ 120`: the largest `k` with `edges[k] ≤ x`. A first guess from the
/// float's exponent (log2(r) ≈ exponent + mantissa − 1 underestimates by at most 0.087, i.e.
/// 4 buckets), then a walk.
fn log_bucket(e: &[f64], x: f64) -> usize {
    let bits = (x / Histogram::LINEAR_LIMIT).to_bits();
    let exp = ((bits >> 52) & 0x7ff) as f64 - 1023.0;
    let mant = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52)) - 1.0;
    let mut k = (((exp + mant) * INV_LOG2_GROWTH).max(0.0) as usize).min(e.len() - 1);
    while k > 0 && x < e[k] {
        k -= 1;
    }
    while k + 1 < e.len() && x >= e[k + 1] {
        k += 1;
    }
    k
}

/// The bucket tables, computed once.
fn tables() -> &'static Tables {
    static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let edges: Vec<f64> = (0..LOG_BUCKETS)
            .map(|k| Histogram::LINEAR_LIMIT * GROWTH.powi(k as i32))
            .collect();
        let small = (0..SMALL)
            .map(|s| {
                if (s as f64) < Histogram::LINEAR_LIMIT {
                    0
                } else {
                    log_bucket(&edges, s as f64) as u16
                }
            })
            .collect();
        Tables { edges, small }
    })
}

#[cfg(test)]
fn edges() -> &'static [f64] {
    &tables().edges
}

impl Histogram {
    /// Below this many seconds buckets are one second wide.
    pub const LINEAR_LIMIT: f64 = 120.0;

    /// The bucket of `x` seconds (negative values count as 0). Above the linear range bucket
    /// `LINEAR_LIMIT + k` holds `[120·1.02^k, 120·1.02^(k+1))`, found from a table of edges with
    /// a first guess from the float's exponent (no logarithm per observation).
    #[inline]
    pub fn bucket(x: f64) -> usize {
        if x.is_nan() || x <= 0.0 {
            0
        } else if x < Self::LINEAR_LIMIT {
            x as usize
        } else if x < SMALL as f64 {
            // Whole seconds map through a table; an edge between ⌊x⌋ and x (edges are ≥ 2.4 s
            // apart here) moves x one bucket up.
            let t = tables();
            let k = t.small[x as usize] as usize;
            if x >= t.edges[k + 1] {
                Self::LINEAR_LIMIT as usize + k + 1
            } else {
                Self::LINEAR_LIMIT as usize + k
            }
        } else {
            Self::LINEAR_LIMIT as usize + log_bucket(&tables().edges, x)
        }
    }

    /// The value reported for bucket `b`.
    pub fn representative(b: usize) -> f64 {
        let lin = Self::LINEAR_LIMIT as usize;
        if b < lin {
            b as f64
        } else {
            Self::LINEAR_LIMIT * GROWTH.powf((b - lin) as f64 + 0.5)
        }
    }

    /// Adds one observation.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let b = Self::bucket(x);
        let counts = self.counts.to_mut();
        if b >= counts.len() {
            counts.resize(b + 1, 0);
        }
        counts[b] += 1;
        self.mean.add(x);
    }

    /// Makes the bucket counts read-only and shared by clones (see [`Counts`]).
    pub fn share(&mut self) {
        self.counts.share();
    }

    /// Number of observations.
    pub fn n(&self) -> u64 {
        self.mean.n
    }

    /// Nearest-rank quantile for `p` in (0, 1]; `None` when empty.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.quantiles([p])[0]
    }

    /// [`Histogram::quantile`] of each of `ps`: in one pass over the buckets that stops at the
    /// last rank when `ps` ascend (a report reads p50 and p90 of every group, and a dense
    /// histogram has thousands of buckets), one pass per value otherwise.
    pub fn quantiles<const N: usize>(&self, ps: [f64; N]) -> [Option<f64>; N] {
        let mut out = [None; N];
        let n = self.mean.n;
        if n == 0 {
            return out;
        }
        let ranks = ps.map(|p| ((p.clamp(0.0, 1.0) * n as f64).ceil() as u64).max(1));
        if !ranks.windows(2).all(|w| w[0] <= w[1]) {
            return ps.map(|p| self.quantiles([p])[0]);
        }
        let mut next = 0;
        let mut seen = 0u64;
        // Counts bucket `b`; true when every rank is reached (the scan stops).
        let mut visit = |b: usize, c: u64, seen: &mut u64, next: &mut usize| {
            *seen += c;
            while *next < N && *seen >= ranks[*next] {
                out[*next] = Some(Self::representative(b));
                *next += 1;
            }
            *next == N
        };
        match self.counts.dense() {
            Some(d) => {
                // Blocks whose total stays below the next rank are summed, not visited bucket
                // by bucket (a vectorised sum; the buckets of long durations are mostly empty).
                let mut base = 0;
                'blocks: for block in d.chunks(64) {
                    let total: u64 = block.iter().map(|&c| c as u64).sum();
                    let pending = ranks.get(next).copied().unwrap_or(u64::MAX);
                    if seen + total < pending {
                        seen += total;
                    } else {
                        for (k, &c) in block.iter().enumerate() {
                            if c > 0 && visit(base + k, c as u64, &mut seen, &mut next) {
                                break 'blocks;
                            }
                        }
                    }
                    base += block.len();
                }
            }
            None => {
                if let Counts::Sparse(p) = &self.counts {
                    for e in p.chunks_exact(2) {
                        if visit(e[0] as usize, e[1] as u64, &mut seen, &mut next) {
                            break;
                        }
                    }
                }
            }
        }
        out
    }
}

impl Histogram {
    /// Adds `o`'s bucket counts only, not its exact mean: with `self.mean.merge(&o.mean)` it
    /// is [`Merge::merge`], split so that an accumulator can merge the means alone (see
    /// `KpiAcc::merge_light`).
    pub(crate) fn merge_buckets(&mut self, o: &Self) {
        if !o.counts.is_empty() {
            if self.counts.is_empty() {
                // Shares `o`'s counts when they are shared: no copy until the next write.
                self.counts = o.counts.clone();
            } else {
                self.counts.add(&o.counts);
            }
        }
    }
}

impl Merge for Histogram {
    fn merge(&mut self, o: &Self) {
        self.merge_buckets(o);
        self.mean.merge(&o.mean);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quantiles of one pass equal those of a full scan to each rank (the pass stops
    /// early), for dense and sparse counts and for probabilities in any order.
    #[test]
    fn quantiles_in_one_pass_equal_a_full_scan_per_value() {
        fn full_scan(h: &Histogram, p: f64) -> Option<f64> {
            let n = h.mean.n;
            if n == 0 {
                return None;
            }
            let rank = ((p * n as f64).ceil() as u64).max(1);
            let mut seen = 0u64;
            let mut found = None;
            h.counts.for_each_nonzero(|b, c| {
                seen += c as u64;
                if found.is_none() && seen >= rank {
                    found = Some(Histogram::representative(b));
                }
            });
            found
        }
        let mut dense = Histogram::default();
        let mut x = 7u64;
        for _ in 0..5000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            dense.add((x >> 40) as f64 % 20_000.0);
        }
        let mut sparse = Histogram::default();
        for v in [3.0, 3.0, 90.0, 400.0, 12_000.0] {
            sparse.add(v);
        }
        sparse.counts.share();
        assert!(matches!(sparse.counts, Counts::Sparse(_)));
        for h in [&dense, &sparse] {
            let ps = [0.0, 0.1, 0.5, 0.9, 0.99, 1.0];
            let want = ps.map(|p| full_scan(h, p));
            assert!(want.iter().all(|w| w.is_some()));
            assert_eq!(h.quantiles(ps), want);
            let rev = [0.9, 0.5, 0.1];
            assert_eq!(h.quantiles(rev), rev.map(|p| full_scan(h, p)), "descending");
        }
        // A rank reached exactly at the end of a block of buckets (the scan sums blocks of 64).
        let mut edge = Histogram::default();
        for v in [63.0; 10].into_iter().chain([5000.0; 10]) {
            edge.add(v);
        }
        assert_eq!(
            edge.quantiles([0.5, 0.55]),
            [Some(63.0), full_scan(&edge, 0.55)]
        );
        assert_eq!(Histogram::default().quantiles([0.5, 0.9]), [None, None]);
    }

    #[test]
    fn exact_below_two_minutes_nearest_rank() {
        let mut h = Histogram::default();
        assert_eq!(h.quantile(0.5), None);
        for x in [10.0, 20.0, 30.0, 40.0] {
            h.add(x);
        }
        // Nearest rank: ⌈0.5·4⌉ = 2nd value; ⌈0.9·4⌉ = 4th.
        assert_eq!(h.quantile(0.5), Some(20.0));
        assert_eq!(h.quantile(0.9), Some(40.0));
        assert_eq!(h.mean.mean(), Some(25.0));
    }

    #[test]
    fn buckets_match_their_edges() {
        let e = edges();
        for k in [0usize, 1, 5, 100, 700] {
            let lo = e[k];
            assert_eq!(Histogram::bucket(lo), 120 + k);
            assert_eq!(Histogram::bucket(e[k + 1] * (1.0 - 1e-12)), 120 + k);
            let rep = Histogram::representative(120 + k);
            assert!(rep >= lo && rep < e[k + 1]);
        }
        assert_eq!(Histogram::bucket(119.9), 119);
        // Table and walk agree everywhere, including fractional seconds near edges.
        for i in 0..20_000 {
            let x = 120.0 + i as f64 * 0.77;
            assert_eq!(Histogram::bucket(x), 120 + log_bucket(edges(), x), "{x}");
        }
        assert_eq!(Histogram::bucket(-3.0), 0);
    }

    #[test]
    fn shared_dense_and_sparse_counts_merge_like_adds() {
        let mut next = crate::test_rng::xorshift(11u64);
        for round in 0..300 {
            let mut whole = Histogram::default();
            let mut parts = Vec::new();
            for _ in 0..1 + next() % 5 {
                let mut h = Histogram::default();
                // Dense parts (many small values) and sparse ones (a few spread values).
                let (n, span) = if next().is_multiple_of(2) {
                    (200, 100)
                } else {
                    (3, 5000)
                };
                for _ in 0..next() % n {
                    let x = (next() % span) as f64;
                    h.add(x);
                    whole.add(x);
                }
                if !next().is_multiple_of(3) {
                    h.share();
                }
                parts.push(h);
            }
            let mut m = Histogram::default();
            for p in &parts {
                m.merge(p);
            }
            assert_eq!(m, whole, "round {round}");
            for q in [0.1, 0.5, 0.9, 1.0] {
                assert_eq!(m.quantile(q), whole.quantile(q));
            }
            // Adding to a merged (possibly still shared) histogram copies first.
            m.add(7.0);
            whole.add(7.0);
            assert_eq!(m, whole);
        }
    }

    #[test]
    fn within_one_percent_above_and_merges() {
        let mut a = Histogram::default();
        let mut b = Histogram::default();
        for x in [500.0, 1000.0, 86_400.0] {
            a.add(x);
        }
        b.add(3600.0);
        a.merge(&b);
        let med = a.quantile(0.5).unwrap(); // 2nd of 500, 1000, 3600, 86400
        assert!((med - 1000.0).abs() / 1000.0 <= 0.01, "{med}");
        let top = a.quantile(1.0).unwrap();
        assert!((top - 86_400.0).abs() / 86_400.0 <= 0.01, "{top}");
    }
}
