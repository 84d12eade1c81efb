//! Validation of `agents` and `daily` rows, the counterpart of [`super::canonical`] for the two
//! smaller tables.

use super::canonical::{RowError, MAX_DURATION_S};
use super::dates::{parse_date, DateOrder};
use super::values::{parse_number, parse_timestamp};
use crate::model::{AgentRecord, DailyRecord, DAILY_FIELDS};
use crate::report::Reason;

/// Fields of the `agents` table.
pub const AGENT_FIELDS: [&str; 10] = [
    "agent_id",
    "team",
    "date",
    "interval_start",
    "scheduled_s",
    "staffed_s",
    "handling_s",
    "adherent_s",
    "hired_on",
    "left_on",
];

/// Fields of the `daily` table: `date`, its two dimensions, then [`DAILY_FIELDS`].
pub const DAILY_TABLE_FIELDS: [&str; 3 + DAILY_FIELDS.len()] = {
    let mut out = [""; 3 + DAILY_FIELDS.len()];
    out[0] = "date";
    out[1] = "traffic_source";
    out[2] = "system";
    let mut i = 0;
    while i < DAILY_FIELDS.len() {
        out[3 + i] = DAILY_FIELDS[i];
        i += 1;
    }
    out
};

fn err(field: &str, value: &str, reason: Reason) -> RowError {
    let mut v = value.to_string();
    let mut cut = v.len().min(200);
    while !v.is_char_boundary(cut) {
        cut -= 1;
    }
    v.truncate(cut);
    RowError {
        field: field.into(),
        value: v,
        reason,
    }
}

/// Days since 1970-01-01 of an ISO date (or of a timestamp's UTC date).
pub fn parse_day(s: &str, tz: &crate::zone::Zone) -> Option<i32> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    if let Some(d) = parse_date(s, DateOrder::Iso) {
        return i32::try_from((d - epoch).num_days()).ok();
    }
    let t = parse_timestamp(s, tz)?;
    i32::try_from(t.div_euclid(86_400)).ok()
}

/// Reads one `agents` row from its fields (see [`super::canonical::contact_from_fields`]).
pub fn agent_from_fields<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
    tz: &crate::zone::Zone,
) -> Result<AgentRecord, RowError> {
    let text = |f: &str| get(f).map(str::trim).filter(|s| !s.is_empty());
    let agent_id = text("agent_id").ok_or_else(|| err("agent_id", "", Reason::Missing))?;
    let day = |f: &str| -> Result<Option<i32>, RowError> {
        match text(f) {
            None => Ok(None),
            Some(v) => parse_day(v, tz)
                .map(Some)
                .ok_or_else(|| err(f, v, Reason::BadTimestamp)),
        }
    };
    let interval_start = match text("interval_start") {
        None => None,
        Some(v) => Some(
            parse_timestamp(v, tz).ok_or_else(|| err("interval_start", v, Reason::BadTimestamp))?,
        ),
    };
    let date = match (day("date")?, interval_start) {
        (Some(d), _) => d,
        (None, Some(t)) => t.div_euclid(86_400) as i32,
        (None, None) => return Err(err("date", "", Reason::Missing)),
    };
    let secs = |f: &str| -> Result<f64, RowError> {
        match text(f) {
            None => Ok(0.0),
            Some(v) => {
                let x = super::values::parse_duration(v)
                    .ok_or_else(|| err(f, v, Reason::Unparseable))?;
                if !(0.0..MAX_DURATION_S).contains(&x) {
                    return Err(err(f, v, Reason::OutOfRange));
                }
                Ok(x)
            }
        }
    };
    Ok(AgentRecord {
        agent_id: agent_id.to_string(),
        team: text("team").map(str::to_string),
        date,
        interval_start,
        scheduled_s: secs("scheduled_s")?,
        staffed_s: secs("staffed_s")?,
        handling_s: secs("handling_s")?,
        adherent_s: secs("adherent_s")?,
        hired_on: day("hired_on")?,
        left_on: day("left_on")?,
    })
}

/// Reads one `daily` row. Counts and seconds must be numbers ≥ 0.
pub fn daily_from_fields<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
    tz: &crate::zone::Zone,
) -> Result<DailyRecord, RowError> {
    let text = |f: &str| get(f).map(str::trim).filter(|s| !s.is_empty());
    let raw = text("date").ok_or_else(|| err("date", "", Reason::Missing))?;
    let date = parse_day(raw, tz).ok_or_else(|| err("date", raw, Reason::BadTimestamp))?;
    let mut values = Vec::with_capacity(DAILY_FIELDS.len());
    for f in DAILY_FIELDS {
        values.push(match text(f) {
            None => None,
            Some(v) => {
                let x = parse_number(v).ok_or_else(|| err(f, v, Reason::Unparseable))?;
                if x < 0.0 {
                    return Err(err(f, v, Reason::OutOfRange));
                }
                Some(x)
            }
        });
    }
    Ok(DailyRecord {
        date,
        traffic_source: text("traffic_source").map(str::to_string),
        system: text("system").map(str::to_string),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_and_daily_rows() {
        let utc = crate::zone::Zone::UTC;
        let a = agent_from_fields(
            |f| match f {
                "agent_id" => Some("A1"),
                "date" => Some("1970-01-03"),
                "scheduled_s" => Some("8:00:00"),
                _ => None,
            },
            &utc,
        )
        .unwrap();
        assert_eq!((a.date, a.scheduled_s), (2, 28_800.0));
        let e = agent_from_fields(|f| (f == "agent_id").then_some("A1"), &utc).unwrap_err();
        assert_eq!((e.field.as_str(), e.reason), ("date", Reason::Missing));
        let d = daily_from_fields(
            |f| match f {
                "date" => Some("1970-01-02"),
                "web_visits" => Some("12"),
                _ => None,
            },
            &utc,
        )
        .unwrap();
        assert_eq!((d.date, d.get("web_visits")), (1, Some(12.0)));
        let e = daily_from_fields(
            |f| match f {
                "date" => Some("1970-01-02"),
                "leavers" => Some("-1"),
                _ => None,
            },
            &utc,
        )
        .unwrap_err();
        assert_eq!(e.reason, Reason::OutOfRange);
    }
}
