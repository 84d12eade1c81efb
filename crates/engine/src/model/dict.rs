//! Dictionary encoding of string dimensions: each distinct value stored once, rows hold small codes.

use super::fxhash::FxHashMap;
use std::sync::OnceLock;

/// Distinct string values of one dimension. Code 0 is always the empty value ("absent").
///
/// Values live in one string arena (a value costs its bytes plus four). While a table is being
/// loaded a hash index maps values to codes; [`Dict::freeze`] (called when the table is
/// finished) drops it, after which [`Dict::find`] scans the values and the next
/// [`Dict::intern`] rebuilds the index. [`Dict::values`] materialises a `Vec<String>` on first
/// use and keeps it.
#[derive(Debug, Clone)]
pub struct Dict {
    arena: String,
    ends: Vec<u32>,
    lookup: FxHashMap<String, u32>,
    frozen: bool,
    strings: OnceLock<Vec<String>>,
}

impl Default for Dict {
    fn default() -> Self {
        let mut lookup = FxHashMap::default();
        lookup.insert(String::new(), 0);
        Dict {
            arena: String::new(),
            ends: vec![0],
            lookup,
            frozen: false,
            strings: OnceLock::new(),
        }
    }
}

impl Dict {
    /// The code for `value`, adding it when new. Blank values map to code 0.
    pub fn intern(&mut self, value: &str) -> u32 {
        if self.frozen {
            self.lookup = (0..self.len())
                .map(|i| (self.get(i as u32).unwrap_or("").to_string(), i as u32))
                .collect();
            self.frozen = false;
        }
        let v = value.trim();
        if let Some(&c) = self.lookup.get(v) {
            return c;
        }
        let c = self.ends.len() as u32;
        self.arena.push_str(v);
        self.ends.push(self.arena.len() as u32);
        self.lookup.insert(v.to_string(), c);
        self.strings = OnceLock::new();
        c
    }

    /// The code of `value` if it was seen.
    pub fn find(&self, value: &str) -> Option<u32> {
        let v = value.trim();
        if self.frozen {
            return (0..self.len() as u32).find(|&c| self.get(c) == Some(v));
        }
        self.lookup.get(v).copied()
    }

    /// Drops the hash index (values and codes stay); see the type's documentation.
    pub fn freeze(&mut self) {
        self.lookup = FxHashMap::default();
        self.arena.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.frozen = true;
    }

    /// The value behind `code`; `""` for code 0.
    pub fn get(&self, code: u32) -> Option<&str> {
        let c = code as usize;
        let end = *self.ends.get(c)? as usize;
        let start = if c == 0 { 0 } else { self.ends[c - 1] as usize };
        self.arena.get(start..end)
    }

    /// Number of codes, including the empty value.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when only the empty value is present.
    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// All values in code order (index 0 is `""`), materialised on first call.
    pub fn values(&self) -> &[String] {
        self.strings.get_or_init(|| {
            (0..self.len() as u32)
                .map(|c| self.get(c).unwrap_or("").to_string())
                .collect()
        })
    }

    /// Heap bytes held, for the memory report.
    pub fn heap_bytes(&self) -> usize {
        let index = if self.frozen {
            0
        } else {
            // Keys are a second copy of each value, plus about 40 bytes of map entry.
            self.arena.len() + self.lookup.capacity() * (std::mem::size_of::<String>() + 16)
        };
        let materialised = self.strings.get().map_or(0, |v| {
            v.capacity() * std::mem::size_of::<String>()
                + v.iter().map(String::capacity).sum::<usize>()
        });
        self.arena.capacity() + self.ends.capacity() * 4 + index + materialised
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_dict_still_finds_and_interns() {
        let mut d = Dict::default();
        assert_eq!(
            (d.intern("a"), d.intern(" b "), d.intern("a"), d.intern("")),
            (1, 2, 1, 0)
        );
        d.freeze();
        assert_eq!(
            (d.find("b"), d.find("zz"), d.get(2)),
            (Some(2), None, Some("b"))
        );
        assert_eq!((d.intern("b"), d.intern("c")), (2, 3));
        assert_eq!(d.find("c"), Some(3));
        assert_eq!(d.values(), &["", "a", "b", "c"]);
        d.intern("d");
        assert_eq!(d.values().len(), 5);
    }
}
