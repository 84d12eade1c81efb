//! Reading data in: value parsers, canonical validation, the loader and the format readers.

pub mod canonical;
mod csv;
mod loader;
pub mod values;

pub use self::csv::{detect_delimiter, read_contacts_csv};
pub use canonical::{contact_from_fields, RowError, CONTACT_FIELDS};
pub use loader::Loader;

/// A source that could not be read as a table at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    /// Empty input.
    #[error("the file is empty")]
    Empty,
    /// An HTML page (an error page, a login page) where data was expected.
    #[error("this is an HTML page, not data (is the URL right?)")]
    Html,
    /// Binary content.
    #[error("this is a binary file, not a table")]
    Binary,
    /// Not parseable as a table.
    #[error("not a table: {0}")]
    NotATable(String),
    /// Columns are not the canonical ones; a mapping is needed.
    #[error(
        "the columns are not omnikpi's canonical ones (found: {found}); map them on the Data page"
    )]
    NotCanonical {
        /// The header that was found.
        found: String,
    },
}

/// Rejects inputs that are no table at all, with one clear message.
pub fn check_is_table(text: &str) -> Result<(), ReadError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return Err(ReadError::Empty);
    }
    let head: String = t.chars().take(64).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
    {
        return Err(ReadError::Html);
    }
    if t.bytes().take(4096).any(|b| b == 0) {
        return Err(ReadError::Binary);
    }
    Ok(())
}
