//! Dictionary encoding of string dimensions: each distinct value stored once, rows hold small codes.

use super::fxhash::FxHasher;
use std::hash::Hasher;
use std::sync::OnceLock;

/// Distinct string values of one dimension. Code 0 is always the empty value ("absent").
///
/// Values live in one string arena (a value costs its bytes plus four). While a table is being
/// loaded a hash index ([`Index`]) maps values to codes; [`Dict::freeze`] (called when the table is
/// finished) drops it, after which [`Dict::find`] scans the values and the next
/// [`Dict::intern`] rebuilds the index. [`Dict::values`] materialises a `Vec<String>` on first
/// use and keeps it.
#[derive(Debug, Clone)]
pub struct Dict {
    arena: String,
    ends: Vec<u32>,
    lookup: Index,
    frozen: bool,
    strings: OnceLock<Vec<String>>,
}

impl Default for Dict {
    fn default() -> Self {
        let mut lookup = Index::default();
        lookup.insert("", 0);
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
            let mut lookup = Index::default();
            for c in 0..self.len() as u32 {
                lookup.insert(self.get(c).unwrap_or(""), c);
            }
            self.lookup = lookup;
            self.frozen = false;
        }
        let v = crate::text::trim(value);
        let (arena, ends) = (&self.arena, &self.ends);
        if let Some(c) = self.lookup.get(v, |c| value_of(arena, ends, c) == Some(v)) {
            return c;
        }
        let c = self.ends.len() as u32;
        self.arena.push_str(v);
        self.ends.push(self.arena.len() as u32);
        self.lookup.insert(v, c);
        self.strings = OnceLock::new();
        c
    }

    /// Interns `values` in order and appends their codes to `codes`: what `intern` and
    /// `codes.push` value by value do, in two passes (the values' keys first, then the
    /// lookups), so that the lookups of consecutive values, each a likely cache miss in a large
    /// dictionary, overlap.
    pub fn intern_into(&mut self, values: &[&str], codes: &mut super::Codes) {
        if self.frozen {
            for v in values {
                let c = self.intern(v);
                codes.push(c);
            }
            return;
        }
        let keys: Vec<(u64, u32)> = values.iter().map(|v| key_of(v.trim())).collect();
        for (v, &(key, meta)) in values.iter().zip(&keys) {
            let v = v.trim();
            let (arena, ends) = (&self.arena, &self.ends);
            let found = self
                .lookup
                .get_keyed(key, meta, |c| value_of(arena, ends, c) == Some(v));
            let c = match found {
                Some(c) => c,
                None => {
                    let c = self.ends.len() as u32;
                    self.arena.push_str(v);
                    self.ends.push(self.arena.len() as u32);
                    self.lookup.insert(v, c);
                    self.strings = OnceLock::new();
                    c
                }
            };
            codes.push(c);
        }
    }

    /// The code of `value` if it was seen.
    pub fn find(&self, value: &str) -> Option<u32> {
        let v = value.trim();
        if self.frozen {
            return (0..self.len() as u32).find(|&c| self.get(c) == Some(v));
        }
        self.lookup
            .get(v, |c| value_of(&self.arena, &self.ends, c) == Some(v))
    }

    /// Drops the hash index (values and codes stay); see the type's documentation.
    pub fn freeze(&mut self) {
        self.lookup = Index::default();
        self.arena.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.frozen = true;
    }

    /// The value behind `code`; `""` for code 0.
    pub fn get(&self, code: u32) -> Option<&str> {
        value_of(&self.arena, &self.ends, code)
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
            self.lookup.heap_bytes()
        };
        let materialised = self.strings.get().map_or(0, |v| {
            v.capacity() * std::mem::size_of::<String>()
                + v.iter().map(String::capacity).sum::<usize>()
        });
        self.arena.capacity() + self.ends.capacity() * 4 + index + materialised
    }
}

/// The value behind `code` in an arena and its end offsets.
#[inline]
fn value_of<'a>(arena: &'a str, ends: &[u32], code: u32) -> Option<&'a str> {
    let c = code as usize;
    let end = *ends.get(c)? as usize;
    let start = if c == 0 {
        0
    } else {
        *ends.get(c - 1)? as usize
    };
    arena.get(start..end)
}

/// A value → code hash index in one flat table (open addressing, linear probing, at most 3/4
/// full). A slot holds a value of up to 8 bytes itself, so finding one is a single memory
/// access and no comparison of strings elsewhere; a longer value's slot holds its hash, and a
/// hit is confirmed against the dictionary's arena. (Customer ids, agent ids and most
/// dimension values are short: the index of a few hundred thousand of them was the slowest
/// part of a load.)
#[derive(Debug, Clone, Default)]
struct Index {
    slots: Vec<Slot>,
    len: usize,
}

/// A slot of [`Index`]: `meta` is 0 when empty, else the value's length + 1.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u64,
    meta: u32,
    code: u32,
}

/// The slot key of `v` (its bytes when short, else its hash) and its meta.
#[inline(always)]
fn key_of(v: &str) -> (u64, u32) {
    let b = v.as_bytes();
    let meta = (b.len() as u32).saturating_add(1);
    if b.len() <= 8 {
        let mut k = [0u8; 8];
        k[..b.len()].copy_from_slice(b);
        (u64::from_le_bytes(k), meta)
    } else {
        let mut h = FxHasher::default();
        h.write(b);
        (h.finish(), meta)
    }
}

/// Where the probe for `key` starts, in a table of `mask + 1` slots. (Values with the same key,
/// such as `a` and `a\0`, start at the same slot: the length in the slot tells them apart.)
#[inline(always)]
fn home(key: u64, mask: usize) -> usize {
    let mut h = key;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h as usize) & mask
}

impl Index {
    /// The code of `v`; `is(code)` confirms a hit of a long value (it must tell whether the
    /// value of `code` is `v`).
    #[inline]
    fn get(&self, v: &str, is: impl Fn(u32) -> bool) -> Option<u32> {
        let (key, meta) = key_of(v);
        self.get_keyed(key, meta, is)
    }

    /// [`Index::get`] of the value with key and meta `key_of` gave.
    #[inline]
    fn get_keyed(&self, key: u64, meta: u32, is: impl Fn(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = home(key, mask);
        loop {
            let s = self.slots[i];
            if s.meta == 0 {
                return None;
            }
            if s.key == key && s.meta == meta && (meta <= 9 || is(s.code)) {
                return Some(s.code);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `v` (not present) with `code`.
    fn insert(&mut self, v: &str, code: u32) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let (key, meta) = key_of(v);
        self.put(Slot { key, meta, code });
        self.len += 1;
    }

    fn put(&mut self, s: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = home(s.key, mask);
        while self.slots[i].meta != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = s;
    }

    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); n]);
        for s in old.into_iter().filter(|s| s.meta != 0) {
            self.put(s);
        }
    }

    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
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

    /// Short and long values, values that differ only in length or trailing bytes, and
    /// enough of them to grow the index several times: codes in order of first appearance.
    #[test]
    fn index_finds_every_value_it_was_given() {
        let mut d = Dict::default();
        let mut vals: Vec<String> = vec![
            "a".into(),
            "a\0".into(),
            "abcdefgh".into(),
            "abcdefghi".into(),
            "abcdefghj".into(),
            "\0".into(),
        ];
        for i in 0..5000 {
            vals.push(format!("U{:06}", i * 7919 % 100_000));
            vals.push(format!("a long customer name {i}"));
        }
        let mut want: Vec<String> = vec![String::new()];
        for v in &vals {
            let code = d.intern(v);
            let k = match want.iter().position(|w| w == v) {
                Some(k) => k,
                None => {
                    want.push(v.clone());
                    want.len() - 1
                }
            };
            assert_eq!(code as usize, k, "{v:?}");
        }
        for (k, w) in want.iter().enumerate() {
            assert_eq!(d.find(w), Some(k as u32));
        }
        assert_eq!(
            (d.find("abcdefgk"), d.find("a long customer name")),
            (None, None)
        );
        assert_eq!(d.len(), want.len());
    }
}
