//! Mappings of foreign exports onto the canonical model: for each canonical field a source
//! column (or two: a date and a time) or a constant, and value transforms. A mapping is a JSON
//! file (saved by the browser, shipped as a preset, passed to `kpi report --mapping FILE`).

use super::dates::DateOrder;
use crate::vec_map::VecMap;
use serde::{Deserialize, Serialize};

/// The three tables of the canonical model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// One row per interaction.
    #[default]
    Contacts,
    /// One row per agent per day.
    Agents,
    /// One row per day.
    Daily,
}

impl Table {
    /// The canonical field names of this table.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Table::Contacts => &super::canonical::CONTACT_FIELDS,
            Table::Agents => &super::tables::AGENT_FIELDS,
            Table::Daily => &super::tables::DAILY_TABLE_FIELDS,
        }
    }

    /// `contacts`, `agents` or `daily`.
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Contacts => "contacts",
            Table::Agents => "agents",
            Table::Daily => "daily",
        }
    }
}

/// How a source value is turned into the canonical one, after the value map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// Taken as it is (numbers, ISO timestamps, `true`/`false` are understood anyway).
    #[default]
    None,
    /// `Y/N`, `yes/no`, `true/false`, `1/0` to a boolean.
    Bool,
    /// The negation of [`Transform::Bool`]: an "Answered" column gives `abandoned`.
    Not,
    /// `hh:mm:ss`, `mm:ss` or plain seconds to seconds.
    Duration,
    /// A number of minutes to seconds.
    Minutes,
    /// A number of hours to seconds.
    Hours,
}

/// Where one canonical field comes from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FieldMap {
    /// Source column (a date column when `time_column` is set).
    pub column: Option<String>,
    /// Source column holding the time of day, joined with `column` into one timestamp.
    pub time_column: Option<String>,
    /// A constant value for every row (used when `column` is absent, or the cell is empty).
    pub constant: Option<String>,
    /// Value map applied first, e.g. `{"Phone": "voice"}`; keys match case-insensitively.
    pub values: VecMap<String, String>,
    /// Source values meaning "no value" (e.g. `"0"` for an unanswered survey, `"N/A"`).
    pub null_values: Vec<String>,
    /// The transform applied after the value map.
    pub transform: Transform,
}

/// A field's source: a bare column name, or a full [`FieldMap`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldSpec {
    /// Shorthand for `{"column": "..."}`.
    Column(String),
    /// Everything else.
    Map(FieldMap),
}

/// Read by hand rather than as `#[serde(untagged)]`: serde buffers an untagged value before
/// trying each variant, so a bad key inside a full spec was reported as "did not match any
/// variant" at the enclosing `fields` object; here the map is read directly and the error names
/// its key (`fields.abandoned.transform`).
impl<'de> Deserialize<'de> for FieldSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Spec;
        impl<'de> serde::de::Visitor<'de> for Spec {
            type Value = FieldSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a column name or an object with \"column\" or \"constant\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FieldSpec, E> {
                Ok(FieldSpec::Column(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<FieldSpec, A::Error> {
                FieldMap::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(FieldSpec::Map)
            }
        }
        d.deserialize_any(Spec)
    }
}

impl FieldSpec {
    /// The spec as a [`FieldMap`].
    pub fn to_map(&self) -> FieldMap {
        match self {
            FieldSpec::Column(c) => FieldMap {
                column: Some(c.clone()),
                ..Default::default()
            },
            FieldSpec::Map(m) => m.clone(),
        }
    }
}

/// What to do with a contact whose `closed_at` precedes its arrival or its first response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadClose {
    /// Reject the row (the default, and always the rule for canonical files).
    #[default]
    Reject,
    /// Load the row without `closed_at`, with a warning naming the reason.
    DropField,
}

/// A mapping of one foreign export onto one canonical table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mapping {
    /// Display name.
    pub name: String,
    /// Free text shown to the user (what the export is, what was assumed).
    pub description: String,
    /// The table the export holds.
    pub table: Table,
    /// Canonical field → source.
    pub fields: VecMap<String, FieldSpec>,
    /// Source columns kept as extra dimensions (named as the column).
    pub dimensions: Vec<String>,
    /// Keep every column that no field uses as a dimension (as canonical files do).
    pub keep_unmapped: bool,
    /// Order of dates that are not ISO.
    pub date_order: DateOrder,
    /// IANA time zone of naive timestamps; absent: the configured one.
    pub timezone: Option<String>,
    /// Closed before arrival or before the first response: reject, or drop `closed_at`.
    pub on_bad_close: BadClose,
    /// XLSX: the sheet to read; absent: the first.
    pub sheet: Option<String>,
}

/// A mapping file that could not be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MappingError {
    /// Not JSON, or a key with a wrong type, or an unknown key (the path is named).
    #[error("mapping: {0}")]
    Invalid(String),
    /// A field that the table does not have.
    #[error("mapping: \"{field}\" is not a field of the {table} table")]
    UnknownField {
        /// The field name.
        field: String,
        /// The table.
        table: &'static str,
    },
    /// A field with neither a column nor a constant.
    #[error("mapping: field \"{0}\" has neither a column nor a constant")]
    Empty(String),
    /// Unknown time zone.
    #[error("mapping: unknown time zone \"{0}\"")]
    TimeZone(String),
}

impl Mapping {
    /// Parses and checks a mapping file; errors name the offending key.
    pub fn from_json(text: &str) -> Result<Mapping, MappingError> {
        let m: Mapping = crate::json_path::from_json(text.as_bytes())
            .map_err(|(path, e)| MappingError::Invalid(format!("key \"{path}\": {e}")))?;
        m.check()?;
        Ok(m)
    }

    /// The mapping as pretty JSON, for download.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks field names, sources and the time zone.
    pub fn check(&self) -> Result<(), MappingError> {
        for (name, spec) in &self.fields {
            if !self.table.fields().contains(&name.as_str()) {
                return Err(MappingError::UnknownField {
                    field: name.clone(),
                    table: self.table.as_str(),
                });
            }
            let m = spec.to_map();
            if m.column.is_none() && m.constant.is_none() {
                return Err(MappingError::Empty(name.clone()));
            }
        }
        self.tz(crate::zone::Zone::UTC)?;
        Ok(())
    }

    /// The time zone of naive timestamps: the mapping's own, else `default`.
    pub fn tz(&self, default: crate::zone::Zone) -> Result<crate::zone::Zone, MappingError> {
        match &self.timezone {
            None => Ok(default),
            Some(z) => z.parse().map_err(|_| MappingError::TimeZone(z.clone())),
        }
    }

    /// The mapping a canonical file needs: every field from its same-named column, every
    /// other column a dimension.
    pub fn identity(table: Table) -> Mapping {
        Mapping {
            name: format!("canonical {}", table.as_str()),
            table,
            fields: table
                .fields()
                .iter()
                .map(|f| (f.to_string(), FieldSpec::Column(f.to_string())))
                .collect(),
            keep_unmapped: true,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shorthand_and_full_fields_and_names_bad_keys() {
        let m = Mapping::from_json(
            r#"{"fields": {"id": "Call Id", "abandoned": {"column": "Answered", "transform": "not"}}}"#,
        )
        .unwrap();
        assert_eq!(m.fields["id"].to_map().column.as_deref(), Some("Call Id"));
        assert_eq!(m.fields["abandoned"].to_map().transform, Transform::Not);
        let e = Mapping::from_json(r#"{"fields": {"idd": "x"}}"#).unwrap_err();
        assert!(e.to_string().contains("idd"), "{e}");
        let e = Mapping::from_json(r#"{"date_ordr": "iso"}"#).unwrap_err();
        assert!(e.to_string().contains("date_ordr"), "{e}");
        let e = Mapping::from_json(r#"{"timezone": "Nowhere/City"}"#).unwrap_err();
        assert!(e.to_string().contains("Nowhere/City"), "{e}");
        let back = Mapping::from_json(&m.to_json()).unwrap();
        assert_eq!(back, m);
    }
}
