//! Automatic matching of a foreign header onto the canonical contact fields, as the starting
//! point of the mapping screen.

use super::dates::{detect_date_order, DateOrder, DateOrderGuess};
use super::mapping::{FieldMap, FieldSpec, Mapping, Table, Transform};
use super::synonyms::{channel_synonym, field_synonyms, normalize};
use crate::model::Channel;
use serde::Serialize;

/// A suggested mapping and what the user still has to decide.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The mapping, with every field that could be matched by name.
    pub mapping: Mapping,
    /// Required fields (`id`, `arrived_at`, `channel`) that no column matched.
    pub unmatched_required: Vec<String>,
    /// Date columns whose order (day-first or month-first) cannot be told from the sample:
    /// ask the user, then set [`Mapping::date_order`].
    pub ambiguous_dates: Vec<String>,
}

/// The distinct trimmed values, sorted (what a `BTreeSet` of them would hold).
fn distinct<'a>(vals: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = vals.iter().map(|v| v.trim()).collect();
    crate::sorting::sort(&mut v);
    v.dedup();
    v
}

/// Suggests a contacts mapping from a header and a few sample rows (`sample[r][i]` is the cell
/// of header `i`). Columns are matched by normalized name against known synonyms; durations
/// written `h:mm:ss`, an "Answered" column (negated into `abandoned`), a separate time column,
/// foreign channel names and the date order are recognised from the sample.
pub fn suggest_mapping(headers: &[String], sample: &[Vec<String>]) -> Suggestion {
    let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let column = |i: usize| -> Vec<&str> {
        sample
            .iter()
            .filter_map(|r| r.get(i).map(String::as_str))
            .collect()
    };
    let mut used = vec![false; headers.len()];
    let mut m = Mapping {
        name: "suggested".into(),
        table: Table::Contacts,
        ..Default::default()
    };
    // Whether column `i`'s sample holds only yes/no values (or blanks): a flag is suggested
    // only from such a column.
    let yes_no = |i: usize| {
        column(i).iter().all(|v| {
            let v = crate::text::trim(v);
            v.is_empty() || super::values::parse_bool(v).is_some()
        })
    };
    // An "Answered" column of yes/no values gives `abandoned`, negated ("Answered At" with
    // timestamps does not).
    if let Some(i) = norm
        .iter()
        .enumerate()
        .position(|(i, n)| n.starts_with("answered") && yes_no(i))
    {
        used[i] = true;
        m.fields.insert(
            "abandoned".into(),
            FieldSpec::Map(FieldMap {
                column: Some(headers[i].clone()),
                transform: Transform::Not,
                ..Default::default()
            }),
        );
    }
    for field in Table::Contacts.fields() {
        if m.fields.contains_key(*field) {
            continue;
        }
        let own = normalize(field);
        let hit = std::iter::once(own.as_str())
            .chain(field_synonyms(field).iter().copied())
            .find_map(|syn| (0..headers.len()).find(|&i| !used[i] && norm[i] == syn));
        let Some(i) = hit else { continue };
        // A flag from a column whose values are not yes/no (the tickets' free-text
        // "Resolution" for `resolved`) would reject every row: leave it to the user.
        let flag = matches!(*field, "abandoned" | "resolved" | "bot" | "handed_off");
        if flag && !yes_no(i) {
            continue;
        }
        let vals = column(i);
        used[i] = true;
        let mut fm = FieldMap {
            column: Some(headers[i].clone()),
            ..Default::default()
        };
        if field.ends_with("_s") && vals.iter().any(|v| v.contains(':')) {
            fm.transform = Transform::Duration;
        }
        if *field == "channel" {
            let distinct = distinct(&vals);
            for v in distinct {
                if Channel::parse(v).is_none() {
                    if let Some(c) = channel_synonym(v) {
                        fm.values.insert(v.to_string(), c.as_str().into());
                    }
                }
            }
        }
        if *field == "arrived_at" {
            if let Some(t) = (0..headers.len()).find(|&j| !used[j] && norm[j] == "time") {
                used[t] = true;
                fm.time_column = Some(headers[t].clone());
            }
        }
        m.fields.insert(field.to_string(), FieldSpec::Map(fm));
    }
    let mut ambiguous_dates = Vec::new();
    for f in ["arrived_at", "closed_at"] {
        let Some(c) = m.fields.get(f).and_then(|s| s.to_map().column) else {
            continue;
        };
        let Some(i) = headers.iter().position(|h| *h == c) else {
            continue;
        };
        match detect_date_order(column(i)) {
            DateOrderGuess::Sure(o) if o != DateOrder::Iso => m.date_order = o,
            DateOrderGuess::Ambiguous => ambiguous_dates.push(c.clone()),
            _ => {}
        }
    }
    // Low-cardinality leftovers become dimensions.
    for i in 0..headers.len() {
        if used[i] || headers[i].trim().is_empty() {
            continue;
        }
        let vals = column(i);
        let distinct = distinct(&vals);
        if !vals.is_empty() && distinct.len() <= 50 && distinct.len() * 2 <= vals.len().max(2) {
            m.dimensions.push(headers[i].clone());
        }
    }
    let unmatched_required = ["id", "arrived_at", "channel"]
        .into_iter()
        .filter(|f| !m.fields.contains_key(*f))
        .map(String::from)
        .collect();
    Suggestion {
        mapping: m,
        unmatched_required,
        ambiguous_dates,
    }
}
