//! A memo of the last few answers to one kind of query. The engine never changes after it is
//! built, so an equal query has an equal answer; views ask the same one several times per
//! render (a tile row's report and its accumulator, a channel grid's report and its
//! accumulators), and each answer at 1M rows is a merge of thousands of cells.

use std::collections::VecDeque;
use std::sync::Mutex;

/// Up to `cap` most recent `(key, answer)` pairs; a hit moves to the front.
#[derive(Debug)]
pub(crate) struct Recent<K, V> {
    slots: Mutex<VecDeque<(K, V)>>,
    cap: usize,
}

impl<K: PartialEq, V: Clone> Recent<K, V> {
    /// An empty memo of `cap` answers.
    pub(crate) fn new(cap: usize) -> Self {
        Recent {
            slots: Mutex::new(VecDeque::with_capacity(cap)),
            cap,
        }
    }

    /// The answer remembered for `key`.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let mut s = self.slots.lock().ok()?;
        let i = s.iter().position(|(k, _)| k == key)?;
        let hit = s.remove(i)?;
        let v = hit.1.clone();
        s.push_front(hit);
        Some(v)
    }

    /// Remembers `value` for `key`, forgetting the oldest answer when full.
    pub(crate) fn put(&self, key: K, value: V) {
        if let Ok(mut s) = self.slots.lock() {
            s.retain(|(k, _)| *k != key);
            s.push_front((key, value));
            s.truncate(self.cap);
        }
    }
}

/// A copy starts empty: a memo is a cache, not state.
impl<K: PartialEq, V: Clone> Clone for Recent<K, V> {
    fn clone(&self) -> Self {
        Recent::new(self.cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recent_answers_and_forgets_the_oldest() {
        let r: Recent<u32, String> = Recent::new(2);
        assert_eq!(r.get(&1), None);
        r.put(1, "one".into());
        r.put(2, "two".into());
        assert_eq!(r.get(&1).as_deref(), Some("one")); // 1 is now the most recent
        r.put(3, "three".into()); // forgets 2, the oldest
        assert_eq!(r.get(&2), None);
        assert_eq!(r.get(&1).as_deref(), Some("one"));
        assert_eq!(r.get(&3).as_deref(), Some("three"));
        r.put(3, "drei".into()); // a new answer replaces the old one
        assert_eq!(r.get(&3).as_deref(), Some("drei"));
        assert!(r.clone().get(&3).is_none(), "a copy starts empty");
    }
}
