//! Which key a JSON parse error is about: config and mapping files are read by plain
//! `serde_json`, and when one fails, the text before the error's position is scanned once for
//! the keys and array indexes that lead there.
//!
//! This replaces wrapping every `Deserialize` call in a path-tracking deserializer (the
//! `serde_path_to_error` crate), which compiled each config and mapping type's deserializer a
//! second time into the app (about 5 KB gzip). The cost moves to the error path only, and the
//! path is written the same way: `sources[0].url`, `.` for the top level.

use serde::de::DeserializeOwned;

/// A value read from JSON, or serde's error with the key path it happened at.
///
/// ```
/// use omnikpi_engine::json_path;
/// #[derive(serde::Deserialize, Debug)]
/// struct Sla { threshold_s: f64 }
/// let (path, e) = json_path::from_json::<std::collections::HashMap<String, Sla>>(
///     br#"{"voice": {"threshold_s": "fast"}}"#,
/// ).unwrap_err();
/// assert_eq!(path, "voice.threshold_s");
/// assert!(e.to_string().contains("invalid type"));
/// ```
pub fn from_json<T: DeserializeOwned>(text: &[u8]) -> Result<T, (String, serde_json::Error)> {
    serde_json::from_slice(text).map_err(|e| (path_at(text, offset_of(text, &e)), e))
}

/// The byte offset serde_json's `line` and `column` point at (serde_json counts a column in
/// bytes from the start of the line); the end of `text` when they point past it.
fn offset_of(text: &[u8], e: &serde_json::Error) -> usize {
    let mut line_start = 0;
    for _ in 1..e.line() {
        match text[line_start..].iter().position(|&b| b == b'\n') {
            Some(n) => line_start += n + 1,
            None => return text.len(),
        }
    }
    (line_start + e.column()).min(text.len())
}

/// One level of nesting open at the scanned position.
enum Frame {
    /// An object, with the key read last (the one whose value is being read).
    Object { key: Option<String>, want_key: bool },
    /// An array, with the index of the element being read.
    Array(usize),
}

/// The path of object keys and array indexes open at byte `offset` of the JSON `text`:
/// `a.b[2].c`, or `.` when nothing is open. Text that is not JSON gives the best path its
/// brackets and strings allow; it never fails.
pub fn path_at(text: &[u8], offset: usize) -> String {
    let text = &text[..offset.min(text.len())];
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'{' => frames.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => frames.push(Frame::Array(0)),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object { key, want_key }) => {
                    *key = None;
                    *want_key = true;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = frames.last_mut() {
                    *want_key = false;
                }
            }
            b'"' => {
                let end = string_end(text, i + 1);
                if let Some(Frame::Object {
                    key,
                    want_key: true,
                }) = frames.last_mut()
                {
                    *key = Some(unquote(&text[i..end]));
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::new();
    for f in &frames {
        match f {
            Frame::Object { key: Some(k), .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// The entries of the top-level object of the JSON `text`: each key (as written between its
/// quotes, escapes kept) with the text of its whole entry (`"key": value`), in file order;
/// `None` when `text` is not one object. Values are not checked, only walked: a parse of the
/// entries joined back tells.
pub fn top_level_entries(text: &str) -> Option<Vec<(&str, &str)>> {
    let b = text.as_bytes();
    let ws = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut i = ws(0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    i = ws(i + 1);
    if b.get(i) == Some(&b'}') {
        return (ws(i + 1) == b.len()).then_some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let start = i;
        let key_end = string_end(b, i + 1);
        let key = text.get(i + 1..key_end.saturating_sub(1))?;
        i = ws(key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        // The value ends at the first `,` or `}` outside strings and nested brackets.
        let mut depth = 0usize;
        i += 1;
        let end = loop {
            match b.get(i)? {
                b'"' => {
                    i = string_end(b, i + 1);
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b'}' if depth == 0 => break i,
                _ => {}
            }
            i += 1;
        };
        out.push((key, text.get(start..end)?.trim_end()));
        i = ws(end + 1);
        if b[end] == b'}' {
            return (i == b.len()).then_some(out);
        }
    }
}

/// The index just past the closing quote of the string whose contents start at `from` (the
/// end of `text` if it is not closed).
fn string_end(text: &[u8], from: usize) -> usize {
    let mut j = from;
    while let Some(&c) = text.get(j) {
        match c {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    text.len()
}

/// A key's text: its escapes resolved when it is a whole JSON string, else as written.
fn unquote(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| {
        let inner = quoted.strip_prefix(b"\"").unwrap_or(quoted);
        String::from_utf8_lossy(inner.strip_suffix(b"\"").unwrap_or(inner)).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_entries_split_an_object_and_refuse_the_rest() {
        let t = r#" { "a": 1, "b" : {"x": [1, {"y": "},]"}]}, "c\"q": "s,}" ,"d":[] } "#;
        let e = top_level_entries(t).unwrap();
        assert_eq!(
            e,
            vec![
                ("a", r#""a": 1"#),
                ("b", r#""b" : {"x": [1, {"y": "},]"}]}"#),
                (r#"c\"q"#, r#""c\"q": "s,}""#),
                ("d", r#""d":[]"#),
            ]
        );
        // Joined back, the entries are the same object.
        let back = format!(
            "{{{}}}",
            e.iter().map(|(_, x)| *x).collect::<Vec<_>>().join(",")
        );
        let v: serde_json::Value = serde_json::from_str(&back).unwrap();
        assert_eq!(v, serde_json::from_str::<serde_json::Value>(t).unwrap());
        assert_eq!(top_level_entries(" {} "), Some(vec![]));
        for bad in [
            "",
            "[1]",
            "<html>",
            "{\"a\": 1",
            "{\"a\" 1}",
            "{1: 2}",
            "{\"a\": 1} x",
            "{\"a\": {",
        ] {
            assert_eq!(top_level_entries(bad), None, "{bad}");
        }
    }
    use crate::io::Mapping;
    use crate::Config;

    /// The path `serde_path_to_error` (a dev-dependency, the independent answer) gives for the
    /// same failure.
    fn oracle<T: DeserializeOwned>(text: &str) -> String {
        let de = &mut serde_json::Deserializer::from_slice(text.as_bytes());
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(_) => panic!("{text} parsed"),
            Err(e) => e.path().to_string(),
        }
    }

    /// Whether `ours` is `oracle`'s path, where `oracle` writes `?` for a map key that is not a
    /// string (config's channel keys) and ours names the key.
    fn same(ours: &str, oracle: &str) -> bool {
        let (a, b): (Vec<_>, Vec<_>) = (ours.split('.').collect(), oracle.split('.').collect());
        a.len() == b.len()
            && a.iter().zip(&b).all(|(a, b)| {
                a == b
                    || b.strip_prefix('?')
                        .is_some_and(|rest| a.len() > rest.len() && a.ends_with(rest))
            })
    }

    fn ours<T: DeserializeOwned>(text: &str) -> String {
        match from_json::<T>(text.as_bytes()) {
            Ok(_) => panic!("{text} parsed"),
            Err((p, _)) => p,
        }
    }

    #[test]
    fn config_errors_name_the_same_key_as_serde_path_to_error() {
        let cases = [
            r#"{"occupancy_cap":"high"}"#,
            r#"{"timezon":"UTC"}"#,
            "{\n  \"currency\": \"EUR\",\n  \"sla\": {\n    \"voice\": {\"threshold_s\": \"x\", \"target\": 0.8}\n  }\n}",
            r#"{"sla": {"voice": {"threshold_s": 20}}}"#,
            r#"{"sla": {"pigeon": {"threshold_s": 20, "target": 0.8}}}"#,
            r#"{"cost_rates": {"voice": 4.5, "email": "cheap"}}"#,
            r#"{"business_hours": [null, {"open": 8, "close": "late"}]}"#,
            r#"{"sources": [{"name": "a", "url": "x"}, {"name": "b"}]}"#,
            r#"{"sources": [{"name": "a", "url": "x"}, {"name": "b", "url": 7}]}"#,
            r#"{"bands": {"csat": {"good": "x"}}}"#,
            r#"{"peak_hours": {"open": 9}}"#,
            r#"{"allowed_origins": ["https://a", 3]}"#,
            r#"{"sources": [{"name": "a\"b", "url": "x", "interval_s": "often"}]}"#,
            r#"[1, 2]"#,
            r#"{"timezone": "UTC""#,
        ];
        for c in cases {
            let (a, b) = (ours::<Config>(c), oracle::<Config>(c));
            assert!(same(&a, &b), "{c}: {a} against {b}");
        }
    }

    #[test]
    fn mapping_errors_name_the_same_key_as_serde_path_to_error() {
        let cases = [
            r#"{"date_ordr": "iso"}"#,
            r#"{"fields": {"id": "Call Id", "abandoned": {"column": "Answered", "transform": "maybe"}}}"#,
            r#"{"fields": {"id": 5}}"#,
            r#"{"table": "nonsense"}"#,
            r#"{"fields": {"id": {"colum": "x"}}}"#,
        ];
        for c in cases {
            let (a, b) = (ours::<Mapping>(c), oracle::<Mapping>(c));
            assert!(same(&a, &b), "{c}: {a} against {b}");
        }
    }

    #[test]
    fn channel_keys_are_named() {
        let c = r#"{"sla": {"voice": {"threshold_s": "x", "target": 0.8}}}"#;
        assert_eq!(ours::<Config>(c), "sla.voice.threshold_s");
        assert!(!same("sla.voice.target", "sla.?.threshold_s"));
        assert!(!same("sla.threshold_s", "sla.?.threshold_s"));
        // serde_path_to_error names the array here; we name its extra element.
        let c = r#"{"business_hours": [null, null, null, null, null, null, null, null]}"#;
        assert_eq!(ours::<Config>(c), "business_hours[7]");
        // It names the top level for a repeated key; we name the key.
        assert_eq!(
            ours::<Config>(r#"{"currency": "EUR", "currency": "USD"}"#),
            "currency"
        );
        // A full field spec is read directly (not as an untagged enum): the key inside it.
        let m = r#"{"fields": {"abandoned": {"column": "Answered", "transform": "maybe"}}}"#;
        assert_eq!(ours::<Mapping>(m), "fields.abandoned.transform");
    }

    #[test]
    fn paths_of_nested_arrays_escapes_and_the_top_level() {
        let t = br#"{"a": [{"b": 1}, {"c\"d": [0, 0, {"e": x"#;
        assert_eq!(path_at(t, t.len()), "a[1].c\"d[2].e");
        assert_eq!(path_at(b"", 0), ".");
        assert_eq!(path_at(br#"{"a": {"b": 1}, "#, 99), ".");
        assert_eq!(path_at(br#"{"a": {"b": 1}"#, 99), "a");
        // An unclosed key is named as far as it goes.
        assert_eq!(path_at(br#"{"ab"#, 4), "ab");
    }
}
