//! A [`Mapping`] compiled against one file's header: for every row, the canonical text of each
//! field of the table, then the table's validation. Every format reader ends here.

use super::canonical::{contact_from_cells, RowError};
use super::dates::{join_date_time, parse_date, parse_timestamp_in};
use super::mapping::{BadClose, Mapping, Table, Transform};
use super::synonyms::channel_synonym;
use super::tables::{agent_from_fields, daily_from_fields};
use super::values::{parse_bool, parse_duration, parse_number, parse_timestamp};
use super::ReadError;
use crate::model::{AgentRecord, Channel, ContactRecord, DailyRecord};
use std::borrow::Cow;

/// One validated row of any table (transient: it goes straight into the columnar tables).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A contact, with its warnings.
    Contact(ContactRecord, Vec<RowError>),
    /// An agent-day.
    Agent(AgentRecord),
    /// A day of business and technical series.
    Daily(DailyRecord),
}

#[derive(Debug, Clone)]
struct Compiled {
    col: Option<usize>,
    time_col: Option<usize>,
    constant: Option<String>,
    values: Vec<(String, String)>,
    nulls: Vec<String>,
    transform: Transform,
    kind: Kind,
}

/// What special handling a field's text gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Channel,
    Timestamp,
    Date,
}

/// A mapping compiled against a header.
#[derive(Debug, Clone)]
pub struct RowBuilder {
    table: Table,
    fields: Vec<Option<Compiled>>,
    extras: Vec<(usize, String)>,
    order: super::dates::DateOrder,
    tz: crate::zone::Zone,
    bad_close: BadClose,
}

fn find(headers: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    headers
        .iter()
        .position(|h| h == name)
        .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
}

const TIMESTAMP_FIELDS: [&str; 3] = ["arrived_at", "closed_at", "interval_start"];
const DATE_FIELDS: [&str; 3] = ["date", "hired_on", "left_on"];

impl RowBuilder {
    /// Compiles `mapping` against `headers`. A column the mapping names that the header lacks
    /// is an error, except for the identity mapping of canonical files (`keep_unmapped`).
    pub fn new(
        mapping: &Mapping,
        headers: &[String],
        tz: crate::zone::Zone,
    ) -> Result<RowBuilder, ReadError> {
        let tz = mapping
            .tz(tz)
            .map_err(|e| ReadError::Mapping(e.to_string()))?;
        let mut missing = Vec::new();
        let mut used = vec![false; headers.len()];
        let mut col = |name: &Option<String>, missing: &mut Vec<String>| -> Option<usize> {
            let n = name.as_deref()?;
            let i = find(headers, n);
            match i {
                Some(i) => used[i] = true,
                None => missing.push(n.to_string()),
            }
            i
        };
        let mut fields = Vec::new();
        for f in mapping.table.fields() {
            let Some(spec) = mapping.fields.get(*f) else {
                fields.push(None);
                continue;
            };
            let m = spec.to_map();
            let c = Compiled {
                col: col(&m.column, &mut missing),
                time_col: col(&m.time_column, &mut missing),
                constant: m.constant.clone(),
                values: m
                    .values
                    .iter()
                    .map(|(k, v)| (crate::text::lower(k.trim()), v.clone()))
                    .collect(),
                nulls: m
                    .null_values
                    .iter()
                    .map(|v| crate::text::lower(v.trim()))
                    .collect(),
                transform: m.transform,
                kind: match *f {
                    "channel" => Kind::Channel,
                    _ if TIMESTAMP_FIELDS.contains(f) => Kind::Timestamp,
                    _ if DATE_FIELDS.contains(f) => Kind::Date,
                    _ => Kind::Plain,
                },
            };
            let usable = c.col.is_some() || c.constant.is_some();
            fields.push(usable.then_some(c));
        }
        if !mapping.keep_unmapped && !missing.is_empty() {
            return Err(ReadError::MissingColumns {
                columns: missing.join(", "),
                found: headers.join(", "),
            });
        }
        let mut extras = Vec::new();
        for d in &mapping.dimensions {
            match find(headers, d) {
                Some(i) => extras.push((i, headers[i].clone())),
                None => {
                    return Err(ReadError::MissingColumns {
                        columns: d.clone(),
                        found: headers.join(", "),
                    })
                }
            }
        }
        if mapping.keep_unmapped {
            for (i, h) in headers.iter().enumerate() {
                if !used[i] && !h.is_empty() && !extras.iter().any(|(j, _)| *j == i) {
                    extras.push((i, h.clone()));
                }
            }
        }
        Ok(RowBuilder {
            table: mapping.table,
            fields,
            extras,
            order: mapping.date_order,
            tz,
            bad_close: mapping.on_bad_close,
        })
    }

    /// The table this builder fills.
    pub fn table(&self) -> Table {
        self.table
    }

    /// The canonical text of field `k` of the table for `row`.
    fn text<'a>(&self, k: usize, row: &[&'a str]) -> Option<Cow<'a, str>> {
        let c = self.fields.get(k)?.as_ref()?;
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|s| crate::text::trim(s));
        let mut v: Cow<'a, str> = match cell(c.col) {
            Some(s) if !s.is_empty() => Cow::Borrowed(s),
            _ => Cow::Owned(c.constant.clone()?),
        };
        if !c.nulls.is_empty() && c.nulls.contains(&crate::text::lower(&v)) {
            return None;
        }
        if let Some(t) = cell(c.time_col) {
            if let Some(ts) = join_date_time(&v, t, self.order, &self.tz) {
                return Some(Cow::Owned(rfc3339(ts)));
            }
            v = Cow::Owned(format!("{v} {t}"));
        }
        if !c.values.is_empty() {
            let key = crate::text::lower(&v);
            if let Some((_, to)) = c.values.iter().find(|(k, _)| *k == key) {
                v = Cow::Owned(to.clone());
            }
        }
        let out = match c.transform {
            Transform::None => None,
            Transform::Bool => parse_bool(&v).map(|b| b.to_string()),
            Transform::Not => parse_bool(&v).map(|b| (!b).to_string()),
            Transform::Duration => parse_duration(&v).map(|x| x.to_string()),
            Transform::Minutes => parse_number(&v).map(|x| (x * 60.0).to_string()),
            Transform::Hours => parse_number(&v).map(|x| (x * 3600.0).to_string()),
        };
        if let Some(o) = out {
            return Some(Cow::Owned(o));
        }
        if c.kind == Kind::Channel && Channel::parse(&v).is_none() {
            if let Some(ch) = channel_synonym(&v) {
                return Some(Cow::Borrowed(ch.as_str()));
            }
        }
        if self.table != Table::Contacts
            && c.kind == Kind::Timestamp
            && parse_timestamp(&v, &self.tz).is_none()
        {
            if let Some(ts) = parse_timestamp_in(&v, self.order, &self.tz) {
                return Some(Cow::Owned(rfc3339(ts)));
            }
        }
        if c.kind == Kind::Date {
            let head = v.split([' ', 'T']).next().unwrap_or("");
            if let Some(d) = parse_date(head, self.order) {
                return Some(Cow::Owned(crate::text::ymd(d)));
            }
        }
        Some(v)
    }

    /// Maps and validates one row (`row[i]` is the cell of header `i`).
    pub fn build(&self, row: &[&str]) -> Result<Record, RowError> {
        let texts: Vec<Option<Cow<str>>> =
            (0..self.fields.len()).map(|k| self.text(k, row)).collect();
        let names = self.table.fields();
        let get = |f: &str| -> Option<&str> {
            let k = names.iter().position(|n| *n == f)?;
            texts.get(k)?.as_deref()
        };
        match self.table {
            Table::Contacts => {
                let extras = self
                    .extras
                    .iter()
                    .filter_map(|(i, name)| {
                        let v = row.get(*i)?.trim();
                        (!v.is_empty()).then(|| (name.clone(), v.to_string()))
                    })
                    .collect();
                // By field number: a name looked up per cell was a tenth of a CSV load.
                let cell = |k: usize| texts.get(k)?.as_deref();
                // A source that maps nothing to `abandoned` does not say: its contacts are
                // outside the abandonment rate, not "not abandoned".
                let unknown = self
                    .fields
                    .get(super::canonical::f::ABANDONED)
                    .is_none_or(|c| c.is_none());
                contact_from_cells(cell, extras, &self.tz, self.bad_close, self.order).map(
                    |(mut r, w)| {
                        r.abandoned_unknown |= unknown;
                        Record::Contact(r, w)
                    },
                )
            }
            Table::Agents => agent_from_fields(get, &self.tz).map(Record::Agent),
            Table::Daily => daily_from_fields(get, &self.tz).map(Record::Daily),
        }
    }
}

fn rfc3339(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.to_rfc3339())
        .unwrap_or_default()
}
