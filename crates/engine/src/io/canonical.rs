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

/// Field numbers of [`CONTACT_FIELDS`].
pub(crate) mod f {
    pub const ID: usize = 0;
    pub const CASE_ID: usize = 1;
    pub const CUSTOMER_ID: usize = 2;
    pub const CHANNEL: usize = 3;
    pub const ARRIVED_AT: usize = 4;
    pub const FIRST_RESPONSE_S: usize = 5;
    pub const ABANDONED: usize = 6;
    pub const HANDLE_S: usize = 7;
    pub const CLOSED_AT: usize = 8;
    pub const RESOLVED: usize = 9;
    pub const AGENT_ID: usize = 10;
    pub const TEAM: usize = 11;
    pub const TOPIC: usize = 12;
    pub const SEGMENT: usize = 13;
    pub const REGION: usize = 14;
    pub const PRIORITY: usize = 15;
    pub const BOT: usize = 16;
    pub const HANDED_OFF: usize = 17;
    pub const HANDOFF_S: usize = 18;
    pub const TRANSFERS: usize = 19;
    pub const COST: usize = 20;
    pub const REVENUE: usize = 21;
    pub const CSAT: usize = 22;
    pub const NPS: usize = 23;
    pub const CES: usize = 24;
    pub const SENTIMENT: usize = 25;
    pub const QA_ACCURACY: usize = 26;
    pub const QA_PROFESSIONALISM: usize = 27;
    pub const QA_PROBLEM_SOLVING: usize = 28;
    pub const QA_COMPLIANCE: usize = 29;
}

/// [`err`] of field number `k`.
fn err_at(k: usize, value: &str, reason: Reason) -> RowError {
    err(CONTACT_FIELDS.get(k).copied().unwrap_or(""), value, reason)
}

/// The `abandoned` cell of a contact whose source did not say whether it was abandoned
/// (any case). Such a contact is outside the abandonment rate, as when the source has no
/// `abandoned` field at all; a blank cell is "not abandoned".
pub const ABANDON_UNKNOWN_CELL: &str = "unknown";

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
    contact_from_cells(
        |k| get(CONTACT_FIELDS.get(k)?),
        extras,
        tz,
        bad_close,
        order,
    )
}

/// [`contact_from_fields_with`] with the fields given by their number in [`CONTACT_FIELDS`]:
/// `get(k)` is the raw text of field `k`. The readers' path, which then looks no name up per
/// cell.
pub(crate) fn contact_from_cells<'a>(
    get: impl Fn(usize) -> Option<&'a str>,
    extras: Vec<(String, String)>,
    tz: &crate::zone::Zone,
    bad_close: BadClose,
    order: DateOrder,
) -> Result<(ContactRecord, Vec<RowError>), RowError> {
    let parse_timestamp = |s: &str, tz: &crate::zone::Zone| parse_timestamp_in(s, order, tz);
    let text = |f: usize| get(f).map(crate::text::trim).filter(|s| !s.is_empty());
    let mut warnings = Vec::new();
    let id = text(f::ID)
        .ok_or_else(|| err_at(f::ID, "", Reason::Missing))?
        .to_string();
    let arrived_raw =
        text(f::ARRIVED_AT).ok_or_else(|| err_at(f::ARRIVED_AT, "", Reason::Missing))?;
    let arrived_at = parse_timestamp(arrived_raw, tz)
        .ok_or_else(|| err_at(f::ARRIVED_AT, arrived_raw, Reason::BadTimestamp))?;
    let channel = match text(f::CHANNEL) {
        None => return Err(err_at(f::CHANNEL, "", Reason::Missing)),
        Some(c) => match Channel::parse(c) {
            Some(ch) => ch,
            None => {
                warnings.push(err_at(f::CHANNEL, c, Reason::UnknownChannel));
                Channel::Other
            }
        },
    };
    let duration = |f: usize| -> Result<Option<f64>, RowError> {
        match text(f) {
            None => Ok(None),
            Some(v) => {
                let d = parse_duration(v).ok_or_else(|| err_at(f, v, Reason::Unparseable))?;
                if !(0.0..MAX_DURATION_S).contains(&d) {
                    return Err(err_at(f, v, Reason::OutOfRange));
                }
                Ok(Some(d))
            }
        }
    };
    let boolean = |f: usize| -> Result<bool, RowError> {
        match text(f) {
            None => Ok(false),
            Some(v) => parse_bool(v).ok_or_else(|| err_at(f, v, Reason::Unparseable)),
        }
    };
    let number = |f: usize| -> Result<Option<f64>, RowError> {
        match text(f) {
            None => Ok(None),
            Some(v) => parse_number(v)
                .map(Some)
                .ok_or_else(|| err_at(f, v, Reason::Unparseable)),
        }
    };
    let score = |f: usize, lo: f64, hi: f64| -> Result<Option<u8>, RowError> {
        match text(f) {
            None => Ok(None),
            Some(v) => {
                let x = parse_number(v).ok_or_else(|| err_at(f, v, Reason::Unparseable))?;
                if x.fract() != 0.0 || x < lo || x > hi {
                    return Err(err_at(f, v, Reason::OutOfRange));
                }
                Ok(Some(x as u8))
            }
        }
    };
    let ranged = |f: usize, lo: f64, hi: f64| -> Result<Option<f64>, RowError> {
        let x = number(f)?;
        match x {
            Some(v) if v < lo || v > hi => {
                Err(err_at(f, text(f).unwrap_or(""), Reason::OutOfRange))
            }
            _ => Ok(x),
        }
    };
    let first_response_s = duration(f::FIRST_RESPONSE_S)?;
    let handle_s = duration(f::HANDLE_S)?;
    let closed_at = match text(f::CLOSED_AT) {
        None => None,
        Some(v) => Some(
            parse_timestamp(v, tz).ok_or_else(|| err_at(f::CLOSED_AT, v, Reason::BadTimestamp))?,
        ),
    };
    let mut closed_at = closed_at;
    if let Some(c) = closed_at {
        let raw = text(f::CLOSED_AT).unwrap_or("");
        let bad = if c < arrived_at {
            Some(err_at(f::CLOSED_AT, raw, Reason::ClosedBeforeArrival))
        } else if (c - arrived_at) as f64 >= MAX_DURATION_S {
            return Err(err_at(f::CLOSED_AT, raw, Reason::OutOfRange));
        } else {
            first_response_s
                .filter(|fr| *fr > (c - arrived_at) as f64)
                .map(|_| {
                    err_at(
                        f::FIRST_RESPONSE_S,
                        text(f::FIRST_RESPONSE_S).unwrap_or(""),
                        Reason::ResponseAfterClose,
                    )
                })
        };
        if let Some(e) = bad {
            match bad_close {
                BadClose::Reject => return Err(e),
                BadClose::DropField => {
                    warnings.push(err_at(f::CLOSED_AT, raw, e.reason));
                    closed_at = None;
                }
            }
        }
    }
    let transfers = match number(f::TRANSFERS)? {
        None => 0,
        Some(t) if t >= 0.0 && t.fract() == 0.0 && t < 1e6 => t as u32,
        Some(_) => {
            return Err(err_at(
                f::TRANSFERS,
                text(f::TRANSFERS).unwrap_or(""),
                Reason::OutOfRange,
            ))
        }
    };
    let opt = |f: usize| text(f).map(str::to_string);
    let abandon_unknown =
        text(f::ABANDONED).is_some_and(|v| v.eq_ignore_ascii_case(ABANDON_UNKNOWN_CELL));
    let rec = ContactRecord {
        id,
        case_id: opt(f::CASE_ID),
        customer_id: opt(f::CUSTOMER_ID),
        channel: Some(channel),
        arrived_at,
        first_response_s,
        abandoned: match abandon_unknown {
            true => false,
            false => boolean(f::ABANDONED)?,
        },
        // A blank cell reads as not abandoned. `unknown` is what our writers put for a
        // contact whose source did not say, so a written file reads back the same; a source
        // without the field at all is unknown too, which the caller knows, not the row.
        abandoned_unknown: abandon_unknown,
        handle_s,
        closed_at,
        resolved: boolean(f::RESOLVED)?,
        agent_id: opt(f::AGENT_ID),
        team: opt(f::TEAM),
        topic: opt(f::TOPIC),
        segment: opt(f::SEGMENT),
        region: opt(f::REGION),
        priority: opt(f::PRIORITY),
        bot: boolean(f::BOT)?,
        handed_off: boolean(f::HANDED_OFF)?,
        handoff_s: duration(f::HANDOFF_S)?,
        transfers,
        cost: ranged(f::COST, 0.0, f64::MAX)?,
        revenue: number(f::REVENUE)?,
        csat: score(f::CSAT, 1.0, 5.0)?,
        nps: score(f::NPS, 0.0, 10.0)?,
        ces: score(f::CES, 1.0, 7.0)?,
        sentiment: ranged(f::SENTIMENT, -1.0, 1.0)?,
        qa_accuracy: ranged(f::QA_ACCURACY, 0.0, 100.0)?,
        qa_professionalism: ranged(f::QA_PROFESSIONALISM, 0.0, 100.0)?,
        qa_problem_solving: ranged(f::QA_PROBLEM_SOLVING, 0.0, 100.0)?,
        qa_compliance: ranged(f::QA_COMPLIANCE, 0.0, 100.0)?,
        extra: extras,
    };
    Ok((rec, warnings))
}

#[cfg(test)]
mod field_number_tests {
    use super::{f, CONTACT_FIELDS};

    /// The field numbers name the fields of [`CONTACT_FIELDS`] they stand for: the reader takes
    /// cells by number, so a list edited without the other would read one field as another.
    #[test]
    fn field_numbers_match_the_field_list() {
        let numbered = [
            (f::ID, "id"),
            (f::CASE_ID, "case_id"),
            (f::CUSTOMER_ID, "customer_id"),
            (f::CHANNEL, "channel"),
            (f::ARRIVED_AT, "arrived_at"),
            (f::FIRST_RESPONSE_S, "first_response_s"),
            (f::ABANDONED, "abandoned"),
            (f::HANDLE_S, "handle_s"),
            (f::CLOSED_AT, "closed_at"),
            (f::RESOLVED, "resolved"),
            (f::AGENT_ID, "agent_id"),
            (f::TEAM, "team"),
            (f::TOPIC, "topic"),
            (f::SEGMENT, "segment"),
            (f::REGION, "region"),
            (f::PRIORITY, "priority"),
            (f::BOT, "bot"),
            (f::HANDED_OFF, "handed_off"),
            (f::HANDOFF_S, "handoff_s"),
            (f::TRANSFERS, "transfers"),
            (f::COST, "cost"),
            (f::REVENUE, "revenue"),
            (f::CSAT, "csat"),
            (f::NPS, "nps"),
            (f::CES, "ces"),
            (f::SENTIMENT, "sentiment"),
            (f::QA_ACCURACY, "qa_accuracy"),
            (f::QA_PROFESSIONALISM, "qa_professionalism"),
            (f::QA_PROBLEM_SOLVING, "qa_problem_solving"),
            (f::QA_COMPLIANCE, "qa_compliance"),
        ];
        assert_eq!(numbered.len(), CONTACT_FIELDS.len());
        for (k, name) in numbered {
            assert_eq!(CONTACT_FIELDS[k], name);
        }
    }
}
