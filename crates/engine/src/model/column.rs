//! Optional numeric columns that cost nothing while a file has no value for them.

/// An optional `f32` per row; `NaN` marks "absent". The vector stays empty until the first
/// present value arrives, so a field no row carries takes no memory.
#[derive(Debug, Clone, Default)]
pub struct OptF32 {
    v: Vec<f32>,
    len: usize,
}

impl OptF32 {
    /// Appends one row's value.
    pub fn push(&mut self, x: Option<f32>) {
        match x {
            Some(x) if !x.is_nan() => {
                if self.v.len() < self.len {
                    self.v.resize(self.len, f32::NAN);
                }
                self.v.push(x);
            }
            _ if !self.v.is_empty() => self.v.push(f32::NAN),
            _ => {}
        }
        self.len += 1;
    }

    /// The value at row `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<f32> {
        match self.v.get(i) {
            Some(x) if !x.is_nan() => Some(*x),
            _ => None,
        }
    }

    /// Sets the value at row `i` (which must exist).
    pub fn set(&mut self, i: usize, x: Option<f32>) {
        if i >= self.len {
            return;
        }
        if self.v.is_empty() {
            if x.is_none() {
                return;
            }
            self.v.resize(self.len, f32::NAN);
        }
        self.v[i] = x.unwrap_or(f32::NAN);
    }

    /// True when no row has a value (the column is absent from the data).
    pub fn is_absent(&self) -> bool {
        self.v.is_empty()
    }

    /// Raw values (`NaN` = absent); empty when the column is absent. For tight loops.
    #[inline]
    pub fn raw(&self) -> &[f32] {
        &self.v
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reorders rows: row `i` of the result is row `order[i]` of `self`.
    pub fn permute(&mut self, order: &[u32]) {
        if !self.v.is_empty() {
            if self.v.len() < self.len {
                self.v.resize(self.len, f32::NAN);
            }
            self.v = order.iter().map(|&o| self.v[o as usize]).collect();
        }
        self.len = order.len();
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.v.capacity() * 4
    }
}

/// An optional small integer per row (scores 0..=254); 255 marks "absent". Lazily allocated like [`OptF32`].
#[derive(Debug, Clone, Default)]
pub struct OptU8 {
    v: Vec<u8>,
    len: usize,
}

impl OptU8 {
    /// The marker for "absent".
    pub const NONE: u8 = u8::MAX;

    /// Appends one row's value (values of 255 and above are treated as absent).
    pub fn push(&mut self, x: Option<u8>) {
        match x {
            Some(x) if x != Self::NONE => {
                if self.v.len() < self.len {
                    self.v.resize(self.len, Self::NONE);
                }
                self.v.push(x);
            }
            _ if !self.v.is_empty() => self.v.push(Self::NONE),
            _ => {}
        }
        self.len += 1;
    }

    /// The value at row `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<u8> {
        match self.v.get(i) {
            Some(&x) if x != Self::NONE => Some(x),
            _ => None,
        }
    }

    /// Sets the value at row `i` (which must exist).
    pub fn set(&mut self, i: usize, x: Option<u8>) {
        if i >= self.len {
            return;
        }
        if self.v.is_empty() {
            if x.is_none() {
                return;
            }
            self.v.resize(self.len, Self::NONE);
        }
        self.v[i] = x.unwrap_or(Self::NONE);
    }

    /// True when no row has a value.
    pub fn is_absent(&self) -> bool {
        self.v.is_empty()
    }

    /// Raw values (255 = absent); empty when the column is absent.
    #[inline]
    pub fn raw(&self) -> &[u8] {
        &self.v
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reorders rows: row `i` of the result is row `order[i]` of `self`.
    pub fn permute(&mut self, order: &[u32]) {
        if !self.v.is_empty() {
            if self.v.len() < self.len {
                self.v.resize(self.len, Self::NONE);
            }
            self.v = order.iter().map(|&o| self.v[o as usize]).collect();
        }
        self.len = order.len();
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.v.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_until_first_value_then_padded() {
        let mut c = OptF32::default();
        c.push(None);
        c.push(None);
        assert!(c.is_absent());
        c.push(Some(2.5));
        c.push(None);
        assert_eq!(
            (c.get(0), c.get(2), c.get(3), c.len()),
            (None, Some(2.5), None, 4)
        );
        c.permute(&[2, 0, 1, 3]);
        assert_eq!((c.get(0), c.get(1)), (Some(2.5), None));

        let mut u = OptU8::default();
        u.push(None);
        u.push(Some(5));
        assert_eq!((u.get(0), u.get(1), u.get(7)), (None, Some(5), None));
    }
}
