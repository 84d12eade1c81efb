//! CSV specifics: delimiter detection, and the original canonical-CSV entry point (now a thin
//! wrapper over [`super::LoadJob`]).

use super::job::{LoadJob, LoadOptions};
use super::loader::Loader;
use super::{Format, ReadError};

/// Picks the delimiter (`,` `;` or tab) that splits the header line into the most fields.
/// Quoted header names are taken into account only roughly (a delimiter inside quotes counts).
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| header.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',')
}

/// Reads a canonical CSV (contacts, agents or daily, told from the header) into `loader`.
pub fn read_contacts_csv(
    file: &str,
    text: &str,
    tz: &crate::zone::Zone,
    loader: &mut Loader,
) -> Result<(), ReadError> {
    let opts = LoadOptions {
        format: Some(Format::Csv),
        tz: *tz,
        ..Default::default()
    };
    let mut job = LoadJob::with_loader(loader, file, text.as_bytes().to_vec(), &opts)?;
    job.run();
    *loader = job.into_loader();
    Ok(())
}
