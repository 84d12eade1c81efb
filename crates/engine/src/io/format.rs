//! Input formats, told from the file name or, failing that, from the content.

use super::mapping::Table;
use serde::{Deserialize, Serialize};

/// A file format the readers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma, semicolon or tab separated, with a header row.
    Csv,
    /// An array of objects, or an object with `contacts`, `agents`, `daily` arrays.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// An Excel workbook (also `.xls`, `.ods`: whatever calamine reads).
    Xlsx,
    /// Arrow IPC: the file format (`.arrow`, Feather v2) or the stream format (`.arrows`).
    Arrow,
}

impl Format {
    /// Parses `csv`, `json`, `ndjson` (or `jsonl`), `xlsx` (or `xls`, `ods`), `arrow` (or
    /// `feather`, `arrows`).
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Some(Format::Xlsx),
            "arrow" | "feather" | "arrows" => Some(Format::Arrow),
            _ => None,
        }
    }

    /// The format of `name`'s extension (a URL's query and fragment are ignored).
    pub fn from_name(name: &str) -> Option<Format> {
        let path = name.split(['?', '#']).next().unwrap_or("");
        let ext = path.rsplit_once('.')?.1;
        Format::parse(ext)
    }

    /// Sniffs the content: the Arrow IPC file magic `ARROW1` or the start of an Arrow stream
    /// (see [`crate::arrow_ipc::is_arrow`]) is Arrow, a zip or OLE signature a workbook, `[` or
    /// `{` JSON (NDJSON when the second non-blank line starts another object), anything else
    /// CSV.
    pub fn sniff(bytes: &[u8]) -> Format {
        if crate::arrow_ipc::is_arrow(bytes) {
            return Format::Arrow;
        }
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Format::Xlsx;
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = text.iter().position(|b| !b.is_ascii_whitespace());
        match start.map(|i| text[i]) {
            Some(b'[') => Format::Json,
            Some(b'{') => {
                let mut lines = text
                    .split(|&b| b == b'\n')
                    .map(|l| l.trim_ascii())
                    .filter(|l| !l.is_empty());
                let first = lines.next().unwrap_or(b"");
                let second = lines.next();
                let one_object_per_line = first.ends_with(b"}")
                    && second.is_some_and(|l| l.starts_with(b"{") && l.ends_with(b"}"));
                if one_object_per_line {
                    Format::Ndjson
                } else {
                    Format::Json
                }
            }
            _ => Format::Csv,
        }
    }

    /// The format of a source: Arrow IPC when the content starts like it (its magic bytes are
    /// unambiguous, whatever the name says), else from the name, else from the content.
    pub fn detect(name: &str, bytes: &[u8]) -> Format {
        if crate::arrow_ipc::is_arrow(bytes) {
            return Format::Arrow;
        }
        Format::from_name(name).unwrap_or_else(|| Format::sniff(bytes))
    }
}

/// The canonical table a header belongs to, when it is canonical: `id` + `arrived_at` for
/// contacts, `agent_id` + `date` + a seconds column for agents, `date` + a series for daily.
pub fn detect_table(headers: &[String]) -> Option<Table> {
    let has = |f: &str| headers.iter().any(|h| h.trim() == f);
    if has("id") && has("arrived_at") {
        return Some(Table::Contacts);
    }
    let agent_cols = ["scheduled_s", "staffed_s", "handling_s", "adherent_s"];
    if has("agent_id")
        && (has("date") || has("interval_start"))
        && agent_cols.iter().any(|c| has(c))
    {
        return Some(Table::Agents);
    }
    if has("date") && crate::model::DAILY_FIELDS.iter().any(|c| has(c)) {
        return Some(Table::Daily);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_content() {
        assert_eq!(Format::from_name("a/b.CSV?x=1"), Some(Format::Csv));
        assert_eq!(Format::from_name("x.jsonl"), Some(Format::Ndjson));
        assert_eq!(Format::from_name("noext"), None);
        assert_eq!(Format::sniff(b" [{\"id\":1}]"), Format::Json);
        assert_eq!(Format::sniff(b"{\"a\":1}\n{\"a\":2}\n"), Format::Ndjson);
        assert_eq!(
            Format::sniff(b"{\"contacts\": [\n{\"a\":2}]}"),
            Format::Json
        );
        assert_eq!(Format::sniff(b"PK\x03\x04..."), Format::Xlsx);
        assert_eq!(Format::sniff(b"id,arrived_at\n"), Format::Csv);
    }
}
