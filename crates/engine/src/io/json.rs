//! JSON and NDJSON input: objects become rows whose columns are the union of their keys.

use super::mapping::Table;
use super::ReadError;
use serde_json::Value;
use std::collections::HashSet;

/// One record of a JSON source: its line (NDJSON) or 1-based index (JSON array), and the
/// parsed value or why it could not be parsed.
pub type JsonItem = (u64, Result<Value, String>);

/// The records of one array, with the table it is known to hold (`None`: tell by its keys).
pub type JsonArray = (Option<Table>, Vec<JsonItem>);

/// The arrays of a JSON document: one untyped array, or the `contacts`, `agents` and `daily`
/// arrays of an object.
pub fn parse_json(bytes: &[u8]) -> Result<Vec<JsonArray>, ReadError> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| ReadError::NotATable(format!("invalid JSON: {e}")))?;
    let items = |a: Vec<Value>| -> Vec<JsonItem> {
        a.into_iter()
            .enumerate()
            .map(|(i, v)| (i as u64 + 1, Ok(v)))
            .collect()
    };
    match v {
        Value::Array(a) => Ok(vec![(None, items(a))]),
        Value::Object(mut o) => {
            let mut out = Vec::new();
            for t in [Table::Contacts, Table::Agents, Table::Daily] {
                match o.remove(t.as_str()) {
                    Some(Value::Array(a)) => out.push((Some(t), items(a))),
                    Some(_) => {
                        return Err(ReadError::NotATable(format!(
                            "\"{}\" is not an array",
                            t.as_str()
                        )))
                    }
                    None => {}
                }
            }
            if out.is_empty() {
                return Err(ReadError::NotATable(
                    "a JSON object without \"contacts\", \"agents\" or \"daily\" arrays".into(),
                ));
            }
            Ok(out)
        }
        _ => Err(ReadError::NotATable(
            "JSON that is neither an array nor an object".into(),
        )),
    }
}

/// The records of an NDJSON document, one per non-blank line; a line that is not JSON is kept
/// as an error so that it is reported, not skipped.
pub fn parse_ndjson(bytes: &[u8]) -> Vec<JsonItem> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .map(|(i, l)| {
            let v = serde_json::from_slice::<Value>(l.trim_ascii()).map_err(|e| e.to_string());
            (i as u64 + 1, v)
        })
        .collect()
}

/// The keys of all objects, in order of first appearance.
pub fn keys_union(items: &[JsonItem]) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut keys = Vec::new();
    for (_, v) in items {
        if let Ok(Value::Object(o)) = v {
            for k in o.keys() {
                if seen.insert(k.as_str()) {
                    keys.push(k.clone());
                }
            }
        }
    }
    keys
}

/// The text of a JSON value as a cell: strings as they are, numbers and booleans printed,
/// `null` empty, arrays and objects as JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The cells of object `o` in `headers` order.
pub fn object_cells(o: &serde_json::Map<String, Value>, headers: &[String]) -> Vec<String> {
    headers
        .iter()
        .map(|h| o.get(h).map(value_text).unwrap_or_default())
        .collect()
}
