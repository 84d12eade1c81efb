//! Canonical writers: contacts, agents and daily rows as CSV or JSON objects, exactly as the
//! readers read them back (the demo generator, exports and round-trip tests use them).

use super::canonical::CONTACT_FIELDS;
use super::tables::AGENT_FIELDS;
use crate::model::{AgentRecord, ContactRecord, DailyRecord, DAILY_FIELDS};
use chrono::TimeZone;
use serde_json::{Map, Value};
use std::io::Write;

/// A Unix time as RFC 3339 with the offset of `tz` (`2024-01-31T09:12:58+01:00`).
pub fn format_timestamp(t: i64, tz: &crate::zone::Zone) -> String {
    match tz.timestamp_opt(t, 0).single() {
        Some(d) => d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => String::new(),
    }
}

/// Days since the epoch as `YYYY-MM-DD`.
pub fn format_day(d: i32) -> String {
    chrono::DateTime::from_timestamp(d as i64 * 86_400, 0)
        .map(|t| crate::text::ymd(t.date_naive()))
        .unwrap_or_default()
}

/// A number without a needless `.0` and with at most 3 decimals.
pub fn format_number(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(format_number).unwrap_or_default()
}

fn flag(b: bool) -> String {
    if b { "true" } else { "false" }.into()
}

/// The cells of a contact in [`CONTACT_FIELDS`] order.
pub fn contact_cells(r: &ContactRecord, tz: &crate::zone::Zone) -> Vec<String> {
    let s = |x: &Option<String>| x.clone().unwrap_or_default();
    let u = |x: Option<u8>| x.map(|v| v.to_string()).unwrap_or_default();
    vec![
        r.id.clone(),
        s(&r.case_id),
        s(&r.customer_id),
        r.channel
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        format_timestamp(r.arrived_at, tz),
        opt(r.first_response_s),
        // A contact whose source did not say is written as such, not "false" (nor blank,
        // which reads back as "false").
        match r.abandoned_unknown {
            true => super::canonical::ABANDON_UNKNOWN_CELL.to_string(),
            false => flag(r.abandoned),
        },
        opt(r.handle_s),
        r.closed_at
            .map(|t| format_timestamp(t, tz))
            .unwrap_or_default(),
        flag(r.resolved),
        s(&r.agent_id),
        s(&r.team),
        s(&r.topic),
        s(&r.segment),
        s(&r.region),
        s(&r.priority),
        flag(r.bot),
        flag(r.handed_off),
        opt(r.handoff_s),
        r.transfers.to_string(),
        opt(r.cost),
        opt(r.revenue),
        u(r.csat),
        u(r.nps),
        u(r.ces),
        opt(r.sentiment),
        opt(r.qa_accuracy),
        opt(r.qa_professionalism),
        opt(r.qa_problem_solving),
        opt(r.qa_compliance),
    ]
}

/// Writes contacts as canonical CSV: the catalog fields, then the `extras` columns.
pub fn write_contacts_csv<'a, W: Write>(
    w: W,
    rows: impl IntoIterator<Item = &'a ContactRecord>,
    extras: &[&str],
    tz: &crate::zone::Zone,
) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(CONTACT_FIELDS.iter().chain(extras))?;
    for r in rows {
        let mut cells = contact_cells(r, tz);
        for e in extras {
            let v = r.extra.iter().find(|(k, _)| k == e).map(|(_, v)| v.clone());
            cells.push(v.unwrap_or_default());
        }
        out.write_record(&cells)?;
    }
    out.flush()?;
    Ok(())
}

/// A contact as a canonical JSON object (absent values left out, extras as plain keys).
pub fn contact_json(r: &ContactRecord, tz: &crate::zone::Zone) -> Value {
    let mut m = Map::new();
    for (k, v) in CONTACT_FIELDS.iter().zip(contact_cells(r, tz)) {
        if !v.is_empty() {
            m.insert(k.to_string(), Value::String(v));
        }
    }
    for (k, v) in &r.extra {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(m)
}

/// The cells of an agent-day in [`AGENT_FIELDS`] order.
pub fn agent_cells(a: &AgentRecord, tz: &crate::zone::Zone) -> Vec<String> {
    vec![
        a.agent_id.clone(),
        a.team.clone().unwrap_or_default(),
        format_day(a.date),
        a.interval_start
            .map(|t| format_timestamp(t, tz))
            .unwrap_or_default(),
        format_number(a.scheduled_s),
        format_number(a.staffed_s),
        format_number(a.handling_s),
        format_number(a.adherent_s),
        a.hired_on.map(format_day).unwrap_or_default(),
        a.left_on.map(format_day).unwrap_or_default(),
    ]
}

/// The cells of a day in `date, traffic_source, system, DAILY_FIELDS…` order.
pub fn daily_cells(d: &DailyRecord) -> Vec<String> {
    let mut v = vec![
        format_day(d.date),
        d.traffic_source.clone().unwrap_or_default(),
        d.system.clone().unwrap_or_default(),
    ];
    v.extend((0..DAILY_FIELDS.len()).map(|k| opt(d.values.get(k).copied().flatten())));
    v
}

/// Writes agent-days as canonical CSV.
pub fn write_agents_csv<'a, W: Write>(
    w: W,
    rows: impl IntoIterator<Item = &'a AgentRecord>,
    tz: &crate::zone::Zone,
) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(AGENT_FIELDS)?;
    for a in rows {
        out.write_record(agent_cells(a, tz))?;
    }
    out.flush()?;
    Ok(())
}

/// Writes days as canonical CSV.
pub fn write_daily_csv<'a, W: Write>(
    w: W,
    rows: impl IntoIterator<Item = &'a DailyRecord>,
) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(super::tables::DAILY_TABLE_FIELDS)?;
    for d in rows {
        out.write_record(daily_cells(d))?;
    }
    out.flush()?;
    Ok(())
}

/// A whole dataset as one JSON object `{"contacts": [...], "agents": [...], "daily": [...]}`.
pub fn dataset_json(
    contacts: &[ContactRecord],
    agents: &[AgentRecord],
    daily: &[DailyRecord],
    tz: &crate::zone::Zone,
) -> Value {
    let obj = |names: &[&str], cells: Vec<String>| -> Value {
        let m: Map<String, Value> = names
            .iter()
            .zip(cells)
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), Value::String(v)))
            .collect();
        Value::Object(m)
    };
    serde_json::json!({
        "contacts": contacts.iter().map(|r| contact_json(r, tz)).collect::<Vec<_>>(),
        "agents": agents.iter().map(|a| obj(&AGENT_FIELDS, agent_cells(a, tz))).collect::<Vec<_>>(),
        "daily": daily
            .iter()
            .map(|d| obj(&super::tables::DAILY_TABLE_FIELDS, daily_cells(d)))
            .collect::<Vec<_>>(),
    })
}
