//! Contact ids, stored compactly: ids of the common form `PREFIX` + zero-padded number cost four
//! bytes a row; anything else falls back to one string arena.

/// The ids of all contacts, in row order.
#[derive(Debug, Clone)]
pub enum IdColumn {
    /// Consecutive numbered ids `prefix` + `first`, `first + 1`, ... (zero-padded to `width`,
    /// or not padded when `width` is 0): nothing is stored per row.
    Sequential {
        /// Shared text before the number.
        prefix: String,
        /// Digit count when zero-padded; 0 for plain numbers.
        width: usize,
        /// The first number.
        first: u32,
        /// Number of ids.
        len: usize,
    },
    /// Every id so far is `prefix` followed by a decimal number of exactly `width` digits
    /// (or any width when `width` is 0, meaning "not zero-padded").
    Numbered {
        /// Shared text before the number.
        prefix: String,
        /// Digit count when zero-padded; 0 for plain numbers.
        width: usize,
        /// The numbers.
        nums: Vec<u32>,
    },
    /// Arbitrary ids: all bytes in one string, row `i` ends at `ends[i]`.
    Arena {
        /// Concatenated ids.
        bytes: String,
        /// End offset of each id in `bytes`.
        ends: Vec<u32>,
    },
}

impl Default for IdColumn {
    fn default() -> Self {
        IdColumn::Sequential {
            prefix: String::new(),
            width: 0,
            first: 0,
            len: 0,
        }
    }
}

fn same_width(width: usize, digits: &str) -> bool {
    let padded = digits.len() > 1 && digits.starts_with('0');
    if width == 0 {
        !padded
    } else {
        digits.len() == width
    }
}

fn split_numbered(id: &str) -> Option<(&str, &str, u32)> {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let (p, d) = id.split_at(id.len() - digits);
    Some((p, d, d.parse().ok()?))
}

impl IdColumn {
    /// Appends an id.
    pub fn push(&mut self, id: &str) {
        if let IdColumn::Sequential {
            prefix,
            width,
            first,
            len,
        } = self
        {
            if let Some((p, d, n)) = split_numbered(id) {
                if *len == 0 {
                    let padded = d.len() > 1 && d.starts_with('0');
                    *prefix = p.to_string();
                    *width = if padded { d.len() } else { 0 };
                    *first = n;
                    *len = 1;
                    return;
                }
                let next = u32::try_from(*len).ok().and_then(|l| first.checked_add(l));
                if p == prefix && same_width(*width, d) && next == Some(n) {
                    *len += 1;
                    return;
                }
            }
            self.make_numbered();
        }
        if let IdColumn::Numbered {
            prefix,
            width,
            nums,
        } = self
        {
            if let Some((p, d, n)) = split_numbered(id) {
                let padded = d.len() > 1 && d.starts_with('0');
                if nums.is_empty() {
                    *prefix = p.to_string();
                    *width = if padded { d.len() } else { 0 };
                    nums.push(n);
                    return;
                }
                let same_width = if *width == 0 {
                    !padded
                } else {
                    d.len() == *width
                };
                if p == prefix && same_width {
                    nums.push(n);
                    return;
                }
            }
            self.make_arena();
        }
        if let IdColumn::Arena { bytes, ends } = self {
            bytes.push_str(id);
            ends.push(bytes.len() as u32);
        }
    }

    fn make_numbered(&mut self) {
        if let IdColumn::Sequential {
            prefix,
            width,
            first,
            len,
        } = self
        {
            let nums = (0..*len as u32).map(|k| first.wrapping_add(k)).collect();
            *self = IdColumn::Numbered {
                prefix: std::mem::take(prefix),
                width: *width,
                nums,
            };
        }
    }

    fn make_arena(&mut self) {
        let n = self.len();
        let mut bytes = String::new();
        let mut ends = Vec::with_capacity(n);
        for i in 0..n {
            bytes.push_str(&self.get(i));
            ends.push(bytes.len() as u32);
        }
        *self = IdColumn::Arena { bytes, ends };
    }

    /// The id at row `i` (empty when out of range).
    pub fn get(&self, i: usize) -> String {
        match self {
            IdColumn::Sequential {
                prefix,
                width,
                first,
                len,
            } => {
                if i >= *len {
                    return String::new();
                }
                let n = first.wrapping_add(i as u32);
                format!("{prefix}{n:0width$}", width = *width)
            }
            IdColumn::Numbered {
                prefix,
                width,
                nums,
            } => match nums.get(i) {
                Some(n) => format!("{prefix}{n:0width$}", width = *width),
                None => String::new(),
            },
            IdColumn::Arena { bytes, ends } => {
                if i >= ends.len() {
                    return String::new();
                }
                let start = if i == 0 { 0 } else { ends[i - 1] as usize };
                bytes[start..ends[i] as usize].to_string()
            }
        }
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        match self {
            IdColumn::Sequential { len, .. } => *len,
            IdColumn::Numbered { nums, .. } => nums.len(),
            IdColumn::Arena { ends, .. } => ends.len(),
        }
    }

    /// True when there are no ids.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reorders rows: row `i` of the result is row `order[i]` of `self`.
    pub fn permute(&mut self, order: &[u32]) {
        if order.iter().enumerate().all(|(i, &o)| i == o as usize) {
            return;
        }
        self.make_numbered();
        match self {
            IdColumn::Sequential { .. } => {}
            IdColumn::Numbered { nums, .. } => {
                *nums = order.iter().map(|&o| nums[o as usize]).collect()
            }
            IdColumn::Arena { .. } => {
                let mut bytes = String::new();
                let mut ends = Vec::with_capacity(order.len());
                for &o in order {
                    bytes.push_str(&self.get(o as usize));
                    ends.push(bytes.len() as u32);
                }
                *self = IdColumn::Arena { bytes, ends };
            }
        }
    }

    /// Releases spare capacity.
    pub fn shrink(&mut self) {
        match self {
            IdColumn::Sequential { prefix, .. } => prefix.shrink_to_fit(),
            IdColumn::Numbered { prefix, nums, .. } => {
                prefix.shrink_to_fit();
                nums.shrink_to_fit();
            }
            IdColumn::Arena { bytes, ends } => {
                bytes.shrink_to_fit();
                ends.shrink_to_fit();
            }
        }
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        match self {
            IdColumn::Sequential { prefix, .. } => prefix.capacity(),
            IdColumn::Numbered { prefix, nums, .. } => prefix.capacity() + nums.capacity() * 4,
            IdColumn::Arena { bytes, ends } => bytes.capacity() + ends.capacity() * 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_ids_round_trip_and_fall_back_to_arena() {
        let mut c = IdColumn::default();
        for id in ["ID0001", "ID0002", "ID0105"] {
            c.push(id);
        }
        assert!(matches!(c, IdColumn::Numbered { .. }));
        let mut q = IdColumn::default();
        for id in ["K0098", "K0099", "K0100"] {
            q.push(id);
        }
        assert!(matches!(q, IdColumn::Sequential { len: 3, .. }));
        assert_eq!((q.get(2), q.get(3)), ("K0100".into(), String::new()));
        q.push("K0100");
        assert!(matches!(q, IdColumn::Numbered { .. }));
        assert_eq!((q.get(1), q.get(3)), ("K0099".into(), "K0100".into()));
        q.permute(&[3, 2, 1, 0]);
        assert_eq!(q.get(3), "K0098");
        assert_eq!(c.get(2), "ID0105");
        c.push("ID12345"); // other width
        assert!(matches!(c, IdColumn::Arena { .. }));
        assert_eq!(
            (c.get(0), c.get(3), c.len()),
            ("ID0001".into(), "ID12345".into(), 4)
        );
        let mut p = IdColumn::default();
        p.push("7");
        p.push("10");
        assert_eq!(p.get(1), "10");
        p.push("abc");
        assert_eq!((p.get(0), p.get(2)), ("7".into(), "abc".into()));
    }
}
