//! The one-call entry points used by the browser and the `kpi` binary.

use super::job::{LoadJob, LoadOptions};
use super::loader::Loader;
use super::{Format, ReadError};
use crate::model::Dataset;

/// Reads one source into a new [`Dataset`]: the format detected from `name` and the content
/// when `opts.format` is `None`, a canonical table unless `opts.mapping` is given.
pub fn load_bytes(name: &str, bytes: &[u8], opts: &LoadOptions) -> Result<Dataset, ReadError> {
    let mut job = LoadJob::new(name, bytes.to_vec(), opts)?;
    job.run();
    Ok(job.finish())
}

/// Reads one more source into `loader`; on error `loader` is left as it was.
pub fn load_into(
    loader: &mut Loader,
    name: &str,
    bytes: &[u8],
    opts: &LoadOptions,
) -> Result<(), ReadError> {
    let mut job = LoadJob::with_loader(loader, name, bytes.to_vec(), opts)?;
    job.run();
    *loader = job.into_loader();
    Ok(())
}

/// One source of a multi-source load.
#[derive(Debug, Clone)]
pub struct SourceBytes<'a> {
    /// File name or URL (for format detection and the problem report).
    pub name: &'a str,
    /// Content.
    pub bytes: &'a [u8],
    /// Options.
    pub opts: LoadOptions<'a>,
}

/// A source of a multi-source load that could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{name}: {error}")]
pub struct SourceError {
    /// The source.
    pub name: String,
    /// Why.
    pub error: ReadError,
}

/// Reads several sources (e.g. contacts, agents and daily files) into one [`Dataset`]. Ids
/// are unique across sources. Stops at the first source that is no table.
pub fn load_many(sources: &[SourceBytes]) -> Result<Dataset, SourceError> {
    let mut loader = Loader::new();
    for s in sources {
        load_into(&mut loader, s.name, s.bytes, &s.opts).map_err(|error| SourceError {
            name: s.name.to_string(),
            error,
        })?;
    }
    Ok(loader.finish())
}

/// Options for a source read with `format` and `tz` and no mapping.
pub fn options(format: Option<Format>, tz: crate::zone::Zone) -> LoadOptions<'static> {
    LoadOptions {
        format,
        tz,
        ..Default::default()
    }
}
