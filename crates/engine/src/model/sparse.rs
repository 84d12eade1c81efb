//! A column of optional values stored sparsely: one presence bit per row, a running count
//! every 64 rows, and the present values packed. A row costs about 0.19 bytes plus the value
//! when present; a column no row has costs nothing. Reads are O(1) (a popcount).

/// Optional `T` per row, packed.
#[derive(Debug, Clone)]
pub struct Sparse<T> {
    bits: Vec<u64>,
    ranks: Vec<u32>,
    vals: Vec<T>,
    len: usize,
}

impl<T> Default for Sparse<T> {
    fn default() -> Self {
        Sparse {
            bits: Vec::new(),
            ranks: Vec::new(),
            vals: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Copy> Sparse<T> {
    fn cover(&mut self, i: usize) {
        while self.bits.len() <= i >> 6 {
            self.ranks.push(self.vals.len() as u32);
            self.bits.push(0);
        }
    }

    #[inline(always)]
    fn rank(&self, i: usize) -> Option<usize> {
        let w = i >> 6;
        let word = *self.bits.get(w)?;
        let m = 1u64 << (i & 63);
        if word & m == 0 {
            return None;
        }
        Some(self.ranks[w] as usize + (word & (m - 1)).count_ones() as usize)
    }

    /// Appends one row.
    #[inline(always)]
    pub fn push(&mut self, x: Option<T>) {
        let i = self.len;
        if let Some(x) = x {
            self.cover(i);
            self.bits[i >> 6] |= 1 << (i & 63);
            self.vals.push(x);
        }
        self.len += 1;
    }

    /// The value at row `i`.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<T> {
        if i >= self.len {
            return None;
        }
        self.rank(i).map(|r| self.vals[r])
    }

    /// Sets row `i` (ignored when out of range). Inserting or removing a value is O(n).
    pub fn set(&mut self, i: usize, x: Option<T>) {
        if i >= self.len {
            return;
        }
        let w = i >> 6;
        match (self.rank(i), x) {
            (Some(r), Some(x)) => self.vals[r] = x,
            (Some(r), None) => {
                self.vals.remove(r);
                self.bits[w] &= !(1 << (i & 63));
                self.ranks[w + 1..].iter_mut().for_each(|k| *k -= 1);
            }
            (None, Some(x)) => {
                self.cover(i);
                let m = 1u64 << (i & 63);
                let r = self.ranks[w] as usize + (self.bits[w] & (m - 1)).count_ones() as usize;
                self.vals.insert(r, x);
                self.bits[w] |= m;
                self.ranks[w + 1..].iter_mut().for_each(|k| *k += 1);
            }
            (None, None) => {}
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of rows with a value.
    pub fn count(&self) -> usize {
        self.vals.len()
    }

    /// True when no row has a value.
    pub fn is_absent(&self) -> bool {
        self.vals.is_empty()
    }

    /// The present values with their rows, in row order.
    pub fn present(&self) -> impl Iterator<Item = (usize, T)> + '_ {
        let mut r = 0usize;
        self.bits
            .iter()
            .enumerate()
            .flat_map(move |(w, &word)| {
                let mut word = word;
                std::iter::from_fn(move || {
                    if word == 0 {
                        return None;
                    }
                    let b = word.trailing_zeros() as usize;
                    word &= word - 1;
                    Some(w * 64 + b)
                })
            })
            .map(move |i| {
                let v = self.vals[r];
                r += 1;
                (i, v)
            })
    }

    /// Reorders rows: row `i` of the result is row `order[i]` of `self`.
    pub fn permute(&mut self, order: &[u32]) {
        if self.is_absent() {
            self.len = order.len();
            return;
        }
        // A word of presence bits at a time; what pushing `get(o)` row by row builds.
        let mut bits = Vec::with_capacity(order.len().div_ceil(64));
        let mut ranks = Vec::with_capacity(bits.capacity());
        let mut vals = Vec::with_capacity(self.vals.len());
        for chunk in order.chunks(64) {
            ranks.push(vals.len() as u32);
            let mut word = 0u64;
            for (k, &o) in chunk.iter().enumerate() {
                if let Some(v) = self.get(o as usize) {
                    word |= 1 << k;
                    vals.push(v);
                }
            }
            bits.push(word);
        }
        // Pushes cover words up to the last present value only.
        while bits.last() == Some(&0) {
            bits.pop();
            ranks.pop();
        }
        *self = Sparse {
            bits,
            ranks,
            vals,
            len: order.len(),
        };
    }

    /// [`Sparse::permute`] given also the inverse of `order` (`inverse[order[i]] == i`), which
    /// a table shares among its columns: a column with few values then moves only those (two
    /// passes over its present rows) instead of looking at every row. The result is the same.
    pub fn permute_inverse(&mut self, order: &[u32], inverse: &[u32]) {
        // Past a quarter of the rows present, a pass over every row costs no more.
        if self.is_absent() || self.vals.len() * 4 > order.len() || inverse.len() != order.len() {
            return self.permute(order);
        }
        let n = order.len();
        let mut bits = vec![0u64; n.div_ceil(64)];
        let mut dest = Vec::with_capacity(self.vals.len());
        for (o, _) in self.present() {
            let i = inverse.get(o).copied().unwrap_or(0) as usize;
            dest.push(i as u32);
            if let Some(w) = bits.get_mut(i >> 6) {
                *w |= 1 << (i & 63);
            }
        }
        // As pushes build them: words up to the last present value only.
        let used = bits.iter().rposition(|&w| w != 0).map_or(0, |w| w + 1);
        bits.truncate(used);
        let mut ranks = Vec::with_capacity(used);
        let mut count = 0u32;
        for w in &bits {
            ranks.push(count);
            count += w.count_ones();
        }
        let mut vals = self.vals.clone();
        for (&i, &v) in dest.iter().zip(&self.vals) {
            let i = i as usize;
            let w = i >> 6;
            let r = ranks[w] as usize + (bits[w] & ((1u64 << (i & 63)) - 1)).count_ones() as usize;
            vals[r] = v;
        }
        *self = Sparse {
            bits,
            ranks,
            vals,
            len: n,
        };
    }

    /// Releases spare capacity.
    pub fn shrink(&mut self) {
        self.bits.shrink_to_fit();
        self.ranks.shrink_to_fit();
        self.vals.shrink_to_fit();
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.bits.capacity() * 8
            + self.ranks.capacity() * 4
            + self.vals.capacity() * std::mem::size_of::<T>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_matches_a_plain_vector() {
        let mut want: Vec<Option<u16>> = Vec::new();
        let mut s = Sparse::default();
        for i in 0..300u16 {
            let x = (i % 7 == 0 || (130..140).contains(&i)).then_some(i);
            want.push(x);
            s.push(x);
        }
        for (i, w) in want.iter().enumerate() {
            assert_eq!(s.get(i), *w);
        }
        for (i, x) in [
            (5usize, Some(1u16)),
            (7, None),
            (299, Some(9)),
            (0, Some(3)),
            (135, None),
        ] {
            s.set(i, x);
            want[i] = x;
        }
        for (i, w) in want.iter().enumerate() {
            assert_eq!(s.get(i), *w, "{i}");
        }
        let p: Vec<(usize, u16)> = s.present().collect();
        let q: Vec<(usize, u16)> = want
            .iter()
            .enumerate()
            .filter_map(|(i, x)| x.map(|v| (i, v)))
            .collect();
        assert_eq!(p, q);
        assert_eq!((s.get(300), s.count(), s.len()), (None, q.len(), 300));
    }

    #[test]
    fn permute_inverse_builds_what_permute_builds() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        // Densities on both sides of the switch, empty columns, values only at the start or
        // only at the end (the trailing words), lengths not a multiple of 64.
        for (n, pct) in [
            (1000, 3),
            (1000, 20),
            (1000, 25),
            (1000, 60),
            (130, 0),
            (777, 1),
            (64, 50),
        ] {
            for shape in 0..3 {
                let mut s = Sparse::default();
                for i in 0..n {
                    let inside = match shape {
                        0 => true,
                        1 => i < n / 5,
                        _ => i > n - n / 5,
                    };
                    let x = (inside && next() % 100 < pct).then_some(i as u32);
                    s.push(x);
                }
                let mut order: Vec<u32> = (0..n as u32).collect();
                for i in (1..n).rev() {
                    order.swap(i, (next() % (i as u64 + 1)) as usize);
                }
                let mut inverse = vec![0u32; n];
                for (i, &o) in order.iter().enumerate() {
                    inverse[o as usize] = i as u32;
                }
                let (mut a, mut b) = (s.clone(), s.clone());
                a.permute(&order);
                b.permute_inverse(&order, &inverse);
                let what = format!("n {n}, {pct} %, shape {shape}");
                assert_eq!(
                    (&b.bits, &b.ranks, &b.vals, b.len),
                    (&a.bits, &a.ranks, &a.vals, a.len),
                    "{what}"
                );
                for (i, &o) in order.iter().enumerate() {
                    assert_eq!(b.get(i), s.get(o as usize), "{what}: row {i}");
                }
            }
        }
    }
}
