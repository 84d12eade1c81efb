//! How settled a selection's cases are. Case KPIs attribute a case to its first contact, but
//! its outcome keeps changing after that: an open case may still resolve (journey completion,
//! ART), a repeat contact turns a first-contact resolution into none (FCR) and a second channel
//! into a migration. A period that ends near the data's last contact therefore holds cases whose
//! outcome is not final, and its case KPIs are provisional; comparing them with an older,
//! settled period shows a change the customers did not make.

use crate::engine::Engine;
use crate::model::flag;
use crate::query::{Query, QueryError};
use serde::Serialize;

/// Days after its first contact that a case's outcome is taken as settled by default
/// ([`crate::Config::case_window_days`]): the repeat-contact window first contact resolution
/// is commonly measured over (a contact within 7 days is a repeat).
pub const CASE_WINDOW_DAYS: i64 = 7;

/// The cases of a selection and how many of them are still within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CaseMaturity {
    /// Cases whose first contact the query selects (counted only when some are recent; else
    /// 0, since then nothing is provisional).
    pub cases: u64,
    /// Of those, the cases whose first contact arrived at or after `since`.
    pub recent: u64,
    /// The data's last arrival minus the window, Unix seconds.
    pub since: i64,
}

impl CaseMaturity {
    /// The recent cases' share of the cases; `None` without cases.
    pub fn share(&self) -> Option<f64> {
        (self.cases > 0).then(|| self.recent as f64 / self.cases as f64)
    }
}

impl Engine {
    /// The cases `q` selects (by their first contact, as the case KPIs count them) and how
    /// many began less than `window_days` days before the data's last arrival. `Ok(None)`
    /// without rows; [`QueryError::NeedsRows`] for a cube source.
    pub fn case_maturity(
        &self,
        q: &Query,
        window_days: i64,
    ) -> Result<Option<CaseMaturity>, QueryError> {
        let f = self.filter(q)?;
        let c = &self.dataset().contacts;
        let Some(&last) = c.arrived.last() else {
            return Ok(None);
        };
        let since = last.saturating_sub(window_days.saturating_mul(86_400));
        let prep = self.prepared();
        let first = |rows: std::ops::Range<usize>| {
            rows.filter(|&i| c.has(i, flag::CASE_FIRST) && f.pass(c, prep, i))
                .count() as u64
        };
        // Rows are in arrival order: the recent ones are the range's tail, and a period that
        // ended before the window needs no pass over its rows.
        let tail = c.arrived.partition_point(|&a| a < since).clamp(f.lo, f.hi);
        let recent = first(tail..f.hi);
        let cases = recent + if recent > 0 { first(f.lo..tail) } else { 0 };
        Ok(Some(CaseMaturity {
            cases,
            recent,
            since,
        }))
    }
}
