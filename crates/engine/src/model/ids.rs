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

/// What [`IdColumn::sequential_find_or_push`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqLookup {
    /// The column holds the id, at this row.
    Found(usize),
    /// The id was the sequence's next one and is appended.
    Pushed,
    /// Neither: the column is not sequential or the id would end its sequence.
    Outside,
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

/// True when `p` + `d` (number `n`) is the next id of the sequence `prefix`, `width`, `first`,
/// `len` (with `len` > 0).
fn continues_sequence(
    prefix: &str,
    width: usize,
    first: u32,
    len: usize,
    p: &str,
    d: &str,
    n: u32,
) -> bool {
    let next = u32::try_from(len).ok().and_then(|l| first.checked_add(l));
    p == prefix && same_width(width, d) && next == Some(n)
}

fn split_numbered(id: &str) -> Option<(&str, &str, u32)> {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let (p, d) = id.split_at(id.len() - digits);
    // At most nine ASCII digits: no overflow (what `d.parse()` gives).
    let n = d.bytes().fold(0u32, |n, b| n * 10 + (b - b'0') as u32);
    Some((p, d, n))
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
                if continues_sequence(prefix, *width, *first, *len, p, d, n) {
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

    /// The number of `id` when it has the form of the column's ids (their prefix and width of
    /// number), so that pushing it keeps the column numbered; `None` otherwise, and for an
    /// empty column or one of arbitrary ids.
    pub fn number_of(&self, id: &str) -> Option<u32> {
        let (prefix, width) = match self {
            IdColumn::Sequential {
                prefix, width, len, ..
            } if *len > 0 => (prefix, *width),
            IdColumn::Numbered {
                prefix,
                width,
                nums,
            } if !nums.is_empty() => (prefix, *width),
            _ => return None,
        };
        let (p, d, n) = split_numbered(id)?;
        (p == prefix && same_width(width, d)).then_some(n)
    }

    /// True when the column is [`IdColumn::Sequential`].
    pub fn is_sequential(&self) -> bool {
        matches!(self, IdColumn::Sequential { .. })
    }

    /// True when the column is sequential and stays so when `id` is pushed (it is the next
    /// number of the sequence, or the first id of an empty column and numbered).
    pub fn continues(&self, id: &str) -> bool {
        let IdColumn::Sequential {
            prefix,
            width,
            first,
            len,
        } = self
        else {
            return false;
        };
        match split_numbered(id) {
            Some(_) if *len == 0 => true,
            Some((p, d, n)) => continues_sequence(prefix, *width, *first, *len, p, d, n),
            None => false,
        }
    }

    /// The row of `id` when the column is sequential and holds it (a range check, nothing is
    /// searched); `None` otherwise.
    pub fn sequential_position(&self, id: &str) -> Option<usize> {
        let IdColumn::Sequential {
            prefix,
            width,
            first,
            len,
        } = self
        else {
            return None;
        };
        let (p, d, n) = split_numbered(id)?;
        if p != prefix || !same_width(*width, d) {
            return None;
        }
        let k = n.checked_sub(*first)? as usize;
        (k < *len).then_some(k)
    }

    /// For a sequential column, in one look at `id`: [`SeqLookup::Found`] with its row when the
    /// column holds it, [`SeqLookup::Pushed`] after appending it when it is the sequence's next
    /// id (as [`IdColumn::push`] would), else [`SeqLookup::Outside`] (nothing changed; also for
    /// a column that is not sequential).
    pub fn sequential_find_or_push(&mut self, id: &str) -> SeqLookup {
        let IdColumn::Sequential {
            prefix,
            width,
            first,
            len,
        } = self
        else {
            return SeqLookup::Outside;
        };
        let Some((p, d, n)) = split_numbered(id) else {
            return SeqLookup::Outside;
        };
        if *len == 0 {
            self.push(id);
            return SeqLookup::Pushed;
        }
        if p != prefix || !same_width(*width, d) {
            return SeqLookup::Outside;
        }
        match n.checked_sub(*first).map(|k| k as usize) {
            Some(k) if k < *len => SeqLookup::Found(k),
            Some(k) if k == *len => {
                *len += 1;
                SeqLookup::Pushed
            }
            _ => SeqLookup::Outside,
        }
    }

    /// True when the id at row `i` is `id` (without building the id's text).
    pub fn eq_at(&self, i: usize, id: &str) -> bool {
        match self {
            IdColumn::Sequential { .. } => self.sequential_position(id) == Some(i),
            IdColumn::Numbered {
                prefix,
                width,
                nums,
            } => match (nums.get(i), split_numbered(id)) {
                (Some(&m), Some((p, d, n))) => p == prefix && same_width(*width, d) && n == m,
                _ => false,
            },
            IdColumn::Arena { bytes, ends } => {
                let Some(&end) = ends.get(i) else {
                    return false;
                };
                let start = if i == 0 { 0 } else { ends[i - 1] as usize };
                bytes.get(start..end as usize) == Some(id)
            }
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
        if let IdColumn::Sequential {
            prefix,
            width,
            first,
            ..
        } = self
        {
            // What `make_numbered` and the gather below give, without the numbers in between.
            let first = *first;
            *self = IdColumn::Numbered {
                prefix: std::mem::take(prefix),
                width: *width,
                nums: order.iter().map(|&o| first.wrapping_add(o)).collect(),
            };
            return;
        }
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
