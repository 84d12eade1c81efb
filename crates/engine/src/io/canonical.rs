//! Turning one row of canonical fields into a validated [`ContactRecord`], or the reason it is
//! rejected. Every input format ends here, so every format validates alike.

use super::dates::{parse_timestamp_in, DateOrder};
use super::mapping::BadClose;
use super::values::{parse_bool, parse_duration, parse_number};
use crate::model::{Channel, ContactRecord};
use crate::report::Reason;

/// Canonical contact fields that are not dimensions.
pub const CONTACT_FIELDS: [&str; 30] = [
    "id",
    "case_id",
    "customer_id",
    "channel",
    "arrived_at",
    "first_response_s",
    "abandoned",
    "handle_s",
    "closed_at",
    "resolved",
    "agent_id",
    "team",
    "topic",
    "segment",
    "region",
    "priority",
    "bot",
    "handed_off",
    "handoff_s",
    "transfers",
    "cost",
    "revenue",
    "csat",
    "nps",
    "ces",
    "sentiment",
    "qa_accuracy",
    "qa_professionalism",
    "qa_problem_solving",
    "qa_compliance",
];

/// The index of a contact field in [`CONTACT_FIELDS`] (a `match`, faster than a search).
#[inline]
pub fn contact_field_index(name: &str) -> Option<usize> {
    match name {
        "id" => Some(0),
        "case_id" => Some(1),
        "customer_id" => Some(2),
        "channel" => Some(3),
        "arrived_at" => Some(4),
        "first_response_s" => Some(5),
        "abandoned" => Some(6),
        "handle_s" => Some(7),
        "closed_at" => Some(8),
        "resolved" => Some(9),
        "agent_id" => Some(10),
        "team" => Some(11),
        "topic" => Some(12),
        "segment" => Some(13),
        "region" => Some(14),
        "priority" => Some(15),
        "bot" => Some(16),
        "handed_off" => Some(17),
        "handoff_s" => Some(18),
        "transfers" => Some(19),
        "cost" => Some(20),
        "revenue" => Some(21),
        "csat" => Some(22),
        "nps" => Some(23),
        "ces" => Some(24),
        "sentiment" => Some(25),
        "qa_accuracy" => Some(26),
        "qa_professionalism" => Some(27),
        "qa_problem_solving" => Some(28),
        "qa_compliance" => Some(29),
        _ => None,
    }
}

/// Longest duration accepted: 30 days.
pub const MAX_DURATION_S: f64 = 30.0 * 86_400.0;

/// Why a row was refused: which field, its value and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Field name.
    pub field: String,
    /// Value as read.
    pub value: String,
    /// Reason.
    pub reason: Reason,
}

fn err(field: &str, value: &str, reason: Reason) -> RowError {
    let mut v = value.to_string();
    if v.len() > 200 {
        let mut cut = 200;
        while !v.is_char_boundary(cut) {
            cut -= 1;
        }
        v.truncate(cut);
    }
    RowError {
        field: field.into(),
        value: v,
        reason,
    }
}

/// Reads canonical fields of one row. `get(name)` returns the raw text of a field, or `None`
/// when the source has no such field. `extras` are the row's non-canonical columns.
/// On success also returns warnings (field, value, reason) for things loaded anyway.
/// A close before the arrival or before the first response rejects the row.
pub fn contact_from_fields<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
    extras: Vec<(String, String)>,
    tz: &crate::zone::Zone,
) -> Result<(ContactRecord, Vec<RowError>), RowError> {
    contact_from_fields_with(get, extras, tz, BadClose::Reject, DateOrder::Iso)
}

/// [`contact_from_fields`] with a choice of what a bad close does (reject the row, or drop
/// `closed_at` and warn: the row then loads without it, never with a negative duration) and
/// of the order of non-ISO dates.
pub fn contact_from_fields_with<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
    extras: Vec<(String, String)>,
    tz: &crate::zone::Zone,
    bad_close: BadClose,
    order: DateOrder,
) -> Result<(ContactRecord, Vec<RowError>), RowError> {
    let parse_timestamp = |s: &str, tz: &crate::zone::Zone| parse_timestamp_in(s, order, tz);
    let text = |f: &str| get(f).map(str::trim).filter(|s| !s.is_empty());
    let mut warnings = Vec::new();
    let id = text("id")
        .ok_or_else(|| err("id", "", Reason::Missing))?
        .to_string();
    let arrived_raw = text("arrived_at").ok_or_else(|| err("arrived_at", "", Reason::Missing))?;
    let arrived_at = parse_timestamp(arrived_raw, tz)
        .ok_or_else(|| err("arrived_at", arrived_raw, Reason::BadTimestamp))?;
    let channel = match text("channel") {
        None => return Err(err("channel", "", Reason::Missing)),
        Some(c) => match Channel::parse(c) {
            Some(ch) => ch,
            None => {
                warnings.push(err("channel", c, Reason::UnknownChannel));
                Channel::Other
            }
        },
    };
    let duration = |f: &str| -> Result<Option<f64>, RowError> {
        match text(f) {
            None => Ok(None),
            Some(v) => {
                let d = parse_duration(v).ok_or_else(|| err(f, v, Reason::Unparseable))?;
                if !(0.0..MAX_DURATION_S).contains(&d) {
                    return Err(err(f, v, Reason::OutOfRange));
                }
                Ok(Some(d))
            }
        }
    };
    let boolean = |f: &str| -> Result<bool, RowError> {
        match text(f) {
            None => Ok(false),
            Some(v) => parse_bool(v).ok_or_else(|| err(f, v, Reason::Unparseable)),
        }
    };
    let number = |f: &str| -> Result<Option<f64>, RowError> {
        match text(f) {
            None => Ok(None),
            Some(v) => parse_number(v)
                .map(Some)
                .ok_or_else(|| err(f, v, Reason::Unparseable)),
        }
    };
    let score = |f: &str, lo: f64, hi: f64| -> Result<Option<u8>, RowError> {
        match text(f) {
            None => Ok(None),
            Some(v) => {
                let x = parse_number(v).ok_or_else(|| err(f, v, Reason::Unparseable))?;
                if x.fract() != 0.0 || x < lo || x > hi {
                    return Err(err(f, v, Reason::OutOfRange));
                }
                Ok(Some(x as u8))
            }
        }
    };
    let ranged = |f: &str, lo: f64, hi: f64| -> Result<Option<f64>, RowError> {
        let x = number(f)?;
        match x {
            Some(v) if v < lo || v > hi => Err(err(f, text(f).unwrap_or(""), Reason::OutOfRange)),
            _ => Ok(x),
        }
    };
    let first_response_s = duration("first_response_s")?;
    let handle_s = duration("handle_s")?;
    let closed_at = match text("closed_at") {
        None => None,
        Some(v) => {
            Some(parse_timestamp(v, tz).ok_or_else(|| err("closed_at", v, Reason::BadTimestamp))?)
        }
    };
    let mut closed_at = closed_at;
    if let Some(c) = closed_at {
        let raw = text("closed_at").unwrap_or("");
        let bad = if c < arrived_at {
            Some(err("closed_at", raw, Reason::ClosedBeforeArrival))
        } else if (c - arrived_at) as f64 >= MAX_DURATION_S {
            return Err(err("closed_at", raw, Reason::OutOfRange));
        } else {
            first_response_s
                .filter(|fr| *fr > (c - arrived_at) as f64)
                .map(|_| {
                    err(
                        "first_response_s",
                        text("first_response_s").unwrap_or(""),
                        Reason::ResponseAfterClose,
                    )
                })
        };
        if let Some(e) = bad {
            match bad_close {
                BadClose::Reject => return Err(e),
                BadClose::DropField => {
                    warnings.push(err("closed_at", raw, e.reason));
                    closed_at = None;
                }
            }
        }
    }
    let transfers = match number("transfers")? {
        None => 0,
        Some(t) if t >= 0.0 && t.fract() == 0.0 && t < 1e6 => t as u32,
        Some(_) => {
            return Err(err(
                "transfers",
                text("transfers").unwrap_or(""),
                Reason::OutOfRange,
            ))
        }
    };
    let opt = |f: &str| text(f).map(str::to_string);
    let rec = ContactRecord {
        id,
        case_id: opt("case_id"),
        customer_id: opt("customer_id"),
        channel: Some(channel),
        arrived_at,
        first_response_s,
        abandoned: boolean("abandoned")?,
        handle_s,
        closed_at,
        resolved: boolean("resolved")?,
        agent_id: opt("agent_id"),
        team: opt("team"),
        topic: opt("topic"),
        segment: opt("segment"),
        region: opt("region"),
        priority: opt("priority"),
        bot: boolean("bot")?,
        handed_off: boolean("handed_off")?,
        handoff_s: duration("handoff_s")?,
        transfers,
        cost: ranged("cost", 0.0, f64::MAX)?,
        revenue: number("revenue")?,
        csat: score("csat", 1.0, 5.0)?,
        nps: score("nps", 0.0, 10.0)?,
        ces: score("ces", 1.0, 7.0)?,
        sentiment: ranged("sentiment", -1.0, 1.0)?,
        qa_accuracy: ranged("qa_accuracy", 0.0, 100.0)?,
        qa_professionalism: ranged("qa_professionalism", 0.0, 100.0)?,
        qa_problem_solving: ranged("qa_problem_solving", 0.0, 100.0)?,
        qa_compliance: ranged("qa_compliance", 0.0, 100.0)?,
        extra: extras,
    };
    Ok((rec, warnings))
}
