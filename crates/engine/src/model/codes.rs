//! A column of dictionary codes that is as narrow as its dictionary allows.

/// Codes of one dimension column: one byte per row while the dictionary has at most 256 values,
/// two up to 65,536, four beyond. It widens itself as values arrive.
#[derive(Debug, Clone)]
pub enum Codes {
    /// Up to 256 distinct values.
    U8(Vec<u8>),
    /// Up to 65,536 distinct values.
    U16(Vec<u16>),
    /// More.
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

impl Codes {
    /// Appends `code`, widening the column first when it does not fit.
    #[inline(always)]
    pub fn push(&mut self, code: u32) {
        match self {
            Codes::U8(v) if code <= u8::MAX as u32 => v.push(code as u8),
            Codes::U8(v) => {
                let mut w: Vec<u16> = v.iter().map(|&c| c as u16).collect();
                *self = if code <= u16::MAX as u32 {
                    w.push(code as u16);
                    Codes::U16(w)
                } else {
                    let mut w: Vec<u32> = w.into_iter().map(u32::from).collect();
                    w.push(code);
                    Codes::U32(w)
                };
            }
            Codes::U16(v) if code <= u16::MAX as u32 => v.push(code as u16),
            Codes::U16(v) => {
                let mut w: Vec<u32> = v.iter().map(|&c| c as u32).collect();
                w.push(code);
                *self = Codes::U32(w);
            }
            Codes::U32(v) => v.push(code),
        }
    }

    /// The code at row `i` (0 when out of range, i.e. absent).
    #[inline(always)]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            Codes::U8(v) => v.get(i).map_or(0, |&c| c as u32),
            Codes::U16(v) => v.get(i).map_or(0, |&c| c as u32),
            Codes::U32(v) => v.get(i).copied().unwrap_or(0),
        }
    }

    /// Overwrites the code at row `i`, widening when needed. Out-of-range rows are ignored.
    pub fn set(&mut self, i: usize, code: u32) {
        if i >= self.len() {
            return;
        }
        let fits = match self {
            Codes::U8(_) => code <= u8::MAX as u32,
            Codes::U16(_) => code <= u16::MAX as u32,
            Codes::U32(_) => true,
        };
        if !fits {
            // Widen by pushing a wide code, then drop it again.
            self.push(code);
            self.truncate(self.len() - 1);
        }
        match self {
            Codes::U8(v) => v[i] = code as u8,
            Codes::U16(v) => v[i] = code as u16,
            Codes::U32(v) => v[i] = code,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the first `n` rows.
    pub fn truncate(&mut self, n: usize) {
        match self {
            Codes::U8(v) => v.truncate(n),
            Codes::U16(v) => v.truncate(n),
            Codes::U32(v) => v.truncate(n),
        }
    }

    /// Reorders rows: row `i` of the result is row `order[i]` of `self`.
    pub fn permute(&mut self, order: &[u32]) {
        match self {
            Codes::U8(v) => *v = super::contacts::gather(v, order),
            Codes::U16(v) => *v = super::contacts::gather(v, order),
            Codes::U32(v) => *v = super::contacts::gather(v, order),
        }
    }

    /// Bytes per row.
    pub fn width(&self) -> usize {
        match self {
            Codes::U8(_) => 1,
            Codes::U16(_) => 2,
            Codes::U32(_) => 4,
        }
    }

    /// Releases spare capacity.
    pub fn shrink(&mut self) {
        match self {
            Codes::U8(v) => v.shrink_to_fit(),
            Codes::U16(v) => v.shrink_to_fit(),
            Codes::U32(v) => v.shrink_to_fit(),
        }
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity() * 2,
            Codes::U32(v) => v.capacity() * 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widens_without_losing_codes() {
        let mut c = Codes::default();
        c.push(3);
        c.push(255);
        assert_eq!(c.width(), 1);
        c.push(300);
        assert_eq!(c.width(), 2);
        c.push(70_000);
        assert_eq!(c.width(), 4);
        assert_eq!(
            (0..4).map(|i| c.get(i)).collect::<Vec<_>>(),
            vec![3, 255, 300, 70_000]
        );
        assert_eq!(c.get(9), 0);
        let mut d = Codes::default();
        d.push(1);
        d.push(2);
        d.set(0, 1000);
        assert_eq!((d.get(0), d.get(1), d.len()), (1000, 2, 2));
    }
}
