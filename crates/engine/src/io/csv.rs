//! CSV input: header row, `,` `;` or tab detected, quoted fields with embedded newlines,
//! UTF-8 with or without BOM.

use super::canonical::{contact_from_fields, CONTACT_FIELDS};
use super::loader::Loader;
use super::ReadError;

/// Picks the delimiter that splits the header line into the most fields.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| header.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',')
}

/// Reads a canonical contacts CSV into `loader`.
pub fn read_contacts_csv(
    file: &str,
    text: &str,
    tz: &chrono_tz::Tz,
    loader: &mut Loader,
) -> Result<(), ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    super::check_is_table(text)?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| ReadError::NotATable(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if !headers.iter().any(|h| h == "id") || !headers.iter().any(|h| h == "arrived_at") {
        return Err(ReadError::NotCanonical {
            found: headers.join(", "),
        });
    }
    let index = |name: &str| headers.iter().position(|h| h == name);
    let cols: Vec<Option<usize>> = CONTACT_FIELDS.iter().map(|f| index(f)).collect();
    let extra_cols: Vec<usize> = (0..headers.len())
        .filter(|&i| !CONTACT_FIELDS.contains(&headers[i].as_str()) && !headers[i].is_empty())
        .collect();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                if rec.len() != headers.len() {
                    let raw = rec.iter().collect::<Vec<_>>().join(",");
                    loader.row(
                        file,
                        line,
                        || raw,
                        Err(super::canonical::RowError {
                            field: String::new(),
                            value: format!("{} fields, header has {}", rec.len(), headers.len()),
                            reason: crate::report::Reason::WrongFieldCount,
                        }),
                    );
                    continue;
                }
                let get = |name: &str| -> Option<&str> {
                    let k = CONTACT_FIELDS.iter().position(|f| *f == name)?;
                    cols[k].and_then(|c| rec.get(c))
                };
                let extras = extra_cols
                    .iter()
                    .filter_map(|&c| {
                        rec.get(c)
                            .filter(|v| !v.trim().is_empty())
                            .map(|v| (headers[c].clone(), v.trim().to_string()))
                    })
                    .collect();
                let parsed = contact_from_fields(get, extras, tz);
                loader.row(
                    file,
                    line,
                    || rec.iter().collect::<Vec<_>>().join(","),
                    parsed,
                );
            }
            Err(e) => {
                // A broken quote or invalid UTF-8: the csv reader cannot resynchronise reliably.
                let line = e.position().map_or(0, |p| p.line());
                loader.row(
                    file,
                    line,
                    String::new,
                    Err(super::canonical::RowError {
                        field: String::new(),
                        value: e.to_string(),
                        reason: crate::report::Reason::Malformed,
                    }),
                );
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    Ok(())
}
