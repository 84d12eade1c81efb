//! Dictionary encoding of string dimensions: each distinct value stored once, rows hold small codes.

use std::collections::HashMap;

/// Distinct string values of one dimension. Code 0 is always the empty value ("absent").
#[derive(Debug, Clone)]
pub struct Dict {
    values: Vec<String>,
    lookup: HashMap<String, u32>,
}

impl Default for Dict {
    fn default() -> Self {
        let mut lookup = HashMap::new();
        lookup.insert(String::new(), 0);
        Dict {
            values: vec![String::new()],
            lookup,
        }
    }
}

impl Dict {
    /// The code for `value`, adding it when new. Blank values map to code 0.
    pub fn intern(&mut self, value: &str) -> u32 {
        let v = value.trim();
        if let Some(&c) = self.lookup.get(v) {
            return c;
        }
        let c = self.values.len() as u32;
        self.values.push(v.to_string());
        self.lookup.insert(v.to_string(), c);
        c
    }

    /// The code of `value` if it was seen.
    pub fn find(&self, value: &str) -> Option<u32> {
        self.lookup.get(value.trim()).copied()
    }

    /// The value behind `code`; `""` for code 0.
    pub fn get(&self, code: u32) -> Option<&str> {
        self.values.get(code as usize).map(String::as_str)
    }

    /// Number of codes, including the empty value.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when only the empty value is present.
    pub fn is_empty(&self) -> bool {
        self.values.len() <= 1
    }

    /// All values in code order (index 0 is `""`).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Heap bytes held, for the memory report.
    pub fn heap_bytes(&self) -> usize {
        // Each value is stored twice (vector and map key) plus map overhead per entry.
        self.values
            .iter()
            .map(|s| 2 * s.capacity() + 3 * std::mem::size_of::<String>() + 8)
            .sum()
    }
}
