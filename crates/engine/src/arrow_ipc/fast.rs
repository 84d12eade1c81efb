//! The typed path, row by row: a canonical contacts file's typed cells converted to a
//! [`ContactRecord`] without formatting them as text and parsing them back. A row it cannot
//! take with certainty (a null where a value is required, a value out of range, a cell of an
//! unexpected type) goes to the text path, which loads, warns or rejects it like CSV.

use super::Column;
use crate::io::canonical::MAX_DURATION_S;
use crate::io::CONTACT_FIELDS;
use crate::model::{Channel, ContactRecord};

/// Where each canonical contact field is, for the typed path: canonical files whose typed
/// cells convert without text (instead of formatting every cell and parsing it back).
pub(super) struct Fast {
    pub(super) col: [Option<usize>; 30],
    pub(super) extras: Vec<usize>,
}

impl Fast {
    /// For a canonical contacts header whose names match exactly (else the text path).
    pub(super) fn new(headers: &[String]) -> Option<Fast> {
        let mut col = [None; 30];
        let mut extras = Vec::new();
        for (j, h) in headers.iter().enumerate() {
            match CONTACT_FIELDS.iter().position(|f| f == h) {
                Some(k) if col[k].is_none() => col[k] = Some(j),
                Some(_) => return None,
                None if CONTACT_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(h)) => return None,
                None => extras.push(j),
            }
        }
        Some(Fast { col, extras })
    }

    /// Row `i` as a contact when every cell is typed as expected and valid without warnings;
    /// `None` sends the row through the text path (which then loads, warns or rejects it).
    pub(super) fn row(
        &self,
        cols: &[Column],
        i: usize,
        tz: &crate::zone::Zone,
        dicts: &[Vec<String>],
        scratch: &mut String,
        headers: &[String],
    ) -> Option<ContactRecord> {
        let c = |k: usize| self.col[k].map(|j| &cols[j]);
        let text = |k: usize| -> Option<Option<String>> {
            match c(k) {
                None => Some(None),
                Some(col) => Some(
                    col.str(i, dicts)?
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                ),
            }
        };
        let num = |k: usize| -> Option<Option<f64>> {
            match c(k) {
                None => Some(None),
                Some(col) => col.num(i).filter(|x| x.is_none_or(f64::is_finite)),
            }
        };
        let dur = |k: usize| -> Option<Option<f64>> {
            let d = num(k)?;
            match d {
                Some(x) if !(0.0..MAX_DURATION_S).contains(&x) => None,
                _ => Some(d),
            }
        };
        let ranged = |k: usize, lo: f64, hi: f64| -> Option<Option<f64>> {
            let x = num(k)?;
            match x {
                Some(v) if v < lo || v > hi => None,
                _ => Some(x),
            }
        };
        let score = |k: usize, lo: f64, hi: f64| -> Option<Option<u8>> {
            match ranged(k, lo, hi)? {
                Some(v) if v.fract() != 0.0 => None,
                x => Some(x.map(|v| v as u8)),
            }
        };
        let flag = |k: usize| -> Option<bool> {
            match c(k) {
                None => Some(false),
                Some(col) => col.flag(i),
            }
        };
        let ts = |k: usize| -> Option<Option<i64>> {
            match c(k) {
                None => Some(None),
                Some(col) => col.ts(i, tz, dicts),
            }
        };
        let id = text(0)?.filter(|s| !s.is_empty())?;
        let arrived_at = ts(4)??;
        let channel = Channel::parse(&text(3)??)?;
        let first_response_s = dur(5)?;
        let closed_at = ts(8)?;
        if let Some(cl) = closed_at {
            let after = cl - arrived_at;
            if after < 0
                || after as f64 >= MAX_DURATION_S
                || first_response_s.is_some_and(|f| f > after as f64)
            {
                return None;
            }
        }
        let transfers = match num(19)? {
            None => 0,
            Some(t) if t >= 0.0 && t.fract() == 0.0 && t < 1e6 => t as u32,
            Some(_) => return None,
        };
        let mut extra = Vec::new();
        for &j in &self.extras {
            if cols[j].text(i, dicts, scratch) {
                let v = scratch.trim();
                if !v.is_empty() {
                    extra.push((headers[j].clone(), v.to_string()));
                }
            }
        }
        Some(ContactRecord {
            id,
            case_id: text(1)?,
            customer_id: text(2)?,
            channel: Some(channel),
            arrived_at,
            first_response_s,
            abandoned: flag(6)?,
            // No column, or a null in it (a warehouse's NULL): the source did not say.
            abandoned_unknown: c(6).is_none_or(|col| !col.is_valid(i)),
            handle_s: dur(7)?,
            closed_at,
            resolved: flag(9)?,
            agent_id: text(10)?,
            team: text(11)?,
            topic: text(12)?,
            segment: text(13)?,
            region: text(14)?,
            priority: text(15)?,
            bot: flag(16)?,
            handed_off: flag(17)?,
            handoff_s: dur(18)?,
            transfers,
            cost: ranged(20, 0.0, f64::MAX)?,
            revenue: num(21)?,
            csat: score(22, 1.0, 5.0)?,
            nps: score(23, 0.0, 10.0)?,
            ces: score(24, 1.0, 7.0)?,
            sentiment: ranged(25, -1.0, 1.0)?,
            qa_accuracy: ranged(26, 0.0, 100.0)?,
            qa_professionalism: ranged(27, 0.0, 100.0)?,
            qa_problem_solving: ranged(28, 0.0, 100.0)?,
            qa_compliance: ranged(29, 0.0, 100.0)?,
            extra,
        })
    }
}
