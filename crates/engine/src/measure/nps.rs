//! Net Promoter Score: promoters (9–10) minus detractors (0–6), in points −100..100.

use super::{Estimate, Merge};
use serde::{Deserialize, Serialize};

/// The class of an NPS answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsClass {
    /// 9 or 10.
    Promoter,
    /// 7 or 8.
    Passive,
    /// 0 to 6.
    Detractor,
}

impl NpsClass {
    /// The class of a 0..=10 answer; `None` above 10 (readers reject those first).
    #[inline]
    pub fn of(score: u8) -> Option<NpsClass> {
        match score {
            9 | 10 => Some(NpsClass::Promoter),
            7 | 8 => Some(NpsClass::Passive),
            0..=6 => Some(NpsClass::Detractor),
            _ => None,
        }
    }
}

/// Answer counts by NPS class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nps {
    /// Answers 9 or 10.
    pub promoters: u64,
    /// Answers 7 or 8.
    pub passives: u64,
    /// Answers 0 to 6.
    pub detractors: u64,
}

impl Nps {
    /// Adds one 0..=10 answer (larger values are ignored: readers reject them first).
    #[inline]
    pub fn add(&mut self, score: u8) {
        match NpsClass::of(score) {
            Some(NpsClass::Promoter) => self.promoters += 1,
            Some(NpsClass::Passive) => self.passives += 1,
            Some(NpsClass::Detractor) => self.detractors += 1,
            None => {}
        }
    }

    /// Number of answers.
    pub fn n(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    /// NPS in points, `None` without answers.
    pub fn score(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| 100.0 * (self.promoters as f64 - self.detractors as f64) / n as f64)
    }
}

impl Merge for Nps {
    fn merge(&mut self, o: &Self) {
        self.promoters += o.promoters;
        self.passives += o.passives;
        self.detractors += o.detractors;
    }
}

impl Estimate for Nps {
    fn estimate(&self) -> Option<f64> {
        self.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_by_hand() {
        let mut n = Nps::default();
        assert_eq!(n.score(), None);
        // 3 promoters, 2 passives, 5 detractors: (3 − 5) / 10 = −20.
        for s in [10, 9, 9, 8, 7, 6, 5, 0, 3, 6] {
            n.add(s);
        }
        assert_eq!(n.score(), Some(-20.0));
    }
}
