//! Data access: fetches the runtime config and datasets with gloo-net and feeds the bytes to the
//! engine's incremental reader in slices, yielding to the browser between slices so the page
//! stays responsive and the progress bar moves. A response body is read from its stream as it
//! arrives ([`Incoming`]); an Arrow IPC or CSV source is read batch by batch or record by
//! record during its download, so that little is left to do after its last byte. Nothing here
//! computes a KPI.

use crate::store::Store;
use leptos::prelude::Set;
use omnikpi_engine::config::{Source, Zone};
use omnikpi_engine::io::{self, LoadJob, LoadOptions, Loader, Mapping};
use omnikpi_engine::{Config, Engine};
use std::sync::Arc;

mod incoming;
pub use incoming::Incoming;

/// The bundled demo dataset, relative to the page's `<base href>`.
pub const DEFAULT_SOURCE: &str = "data/demo.csv";

/// Rows read between two yields to the browser.
const ROWS_PER_SLICE: usize = 20_000;

/// A loaded dataset, ready for queries.
#[derive(Clone)]
pub struct Loaded {
    /// The dataset with its configuration.
    pub engine: Arc<Engine>,
    /// Where the data came from.
    pub source: String,
}

/// Why a load failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DataError {
    /// The fetch failed or was refused (status, timeout, size); the message names the URL.
    #[error("{0}")]
    Refused(String),
    /// The body is not a readable table.
    #[error("{url}: {message}")]
    Read {
        /// URL requested.
        url: String,
        /// The reader's message.
        message: String,
    },
}

/// Largest static source read, in bytes (a 10M-contact CSV is about 1.7 GB; wasm memory ends
/// at 4 GB and the columns need room too). A bigger one is refused before it is read.
pub const MAX_STATIC_BYTES: u64 = 2 << 30;
/// Longest a static fetch may take, headers and body.
pub const STATIC_TIMEOUT_MS: i32 = 300_000;

/// Fetches `url` as bytes, with the static size limit and timeout.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, DataError> {
    let bytes = async {
        let body = Incoming::get(url, STATIC_TIMEOUT_MS, MAX_STATIC_BYTES).await?;
        body.bytes(|_| {}).await
    };
    bytes.await.map_err(DataError::Refused)
}

/// A fetched body, or "not modified".
pub enum Fetched {
    /// `304 Not Modified`.
    NotModified,
    /// A body with its `ETag`.
    Body {
        /// The body.
        bytes: Vec<u8>,
        /// The response's `ETag`.
        etag: Option<String>,
    },
}

/// GETs `url` with a timeout, an optional `If-None-Match`, and a size limit (`max_bytes`, checked on `Content-Length` before reading and on the body as it arrives).
pub async fn fetch_limited(
    url: &str,
    etag: Option<&str>,
    timeout_ms: i32,
    max_bytes: u64,
) -> Result<Fetched, String> {
    match Incoming::open(url, etag, timeout_ms, max_bytes).await? {
        None => Ok(Fetched::NotModified),
        Some(body) => {
            let etag = body.etag.clone();
            let bytes = body.bytes(|_| {}).await?;
            Ok(Fetched::Body { bytes, etag })
        }
    }
}

/// Loads `config.json`; a missing file gives the defaults and the reason. An invalid key
/// (unknown, of the wrong type) falls back to its default and is named; the file's other keys,
/// its sources among them, are used.
pub async fn load_config() -> (Config, Option<String>) {
    match fetch_bytes("config.json").await {
        Ok(bytes) => match Config::from_json_lenient(&String::from_utf8_lossy(&bytes)) {
            (cfg, None) => (cfg, None),
            (cfg, Some(e)) => (
                cfg,
                Some(format!("config.json{}", e.trim_start_matches("config"))),
            ),
        },
        Err(e) => (
            Config::default(),
            Some(format!(
                "config.json could not be read, defaults are used: {e}"
            )),
        ),
    }
}

/// Lets the browser paint and handle input before the next slice of work.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Reads `bytes` named `name` into `loader` in slices, reporting progress to `store`.
/// Workbooks go to the workbook worker first. On error `loader` keeps what it had.
pub async fn read_into(
    store: Store,
    loader: &mut Loader,
    name: &str,
    bytes: Vec<u8>,
    opts: &LoadOptions<'_>,
) -> Result<(), DataError> {
    let read_err = |message: String| DataError::Read {
        url: name.into(),
        message,
    };
    let format = opts
        .format
        .unwrap_or_else(|| io::Format::detect(name, &bytes));
    let mut job = if format == io::Format::Xlsx {
        let sheet = opts
            .sheet
            .as_deref()
            .or(opts.mapping.and_then(|m| m.sheet.as_deref()));
        let cells = crate::workbook::read_workbook(&bytes, sheet)
            .await
            .map_err(read_err)?;
        LoadJob::with_sheet(loader, name, cells, bytes.len() as u64, opts)
    } else {
        LoadJob::with_loader(loader, name, bytes, opts)
    }
    .map_err(|e| read_err(e.to_string()))?;
    loop {
        let p = job.step(ROWS_PER_SLICE);
        store.progress(name, p);
        if p.done {
            break;
        }
        yield_to_browser().await;
    }
    *loader = job.into_loader();
    Ok(())
}

/// Sorts and indexes what `loader` read and prepares the engine under `cfg`.
pub fn finish(loader: Loader, cfg: Config, source: &str) -> Result<Loaded, DataError> {
    let engine = Engine::new(loader.finish(), cfg).map_err(|e| DataError::Read {
        url: source.into(),
        message: e.to_string(),
    })?;
    Ok(Loaded {
        engine: Arc::new(engine),
        source: source.to_string(),
    })
}

/// Parses one source `bytes` named `name` in slices, reporting progress to `store`, and
/// prepares an engine.
pub async fn parse(
    store: Store,
    name: &str,
    bytes: Vec<u8>,
    opts: &LoadOptions<'_>,
    cfg: Config,
) -> Result<Loaded, DataError> {
    let mut loader = Loader::new();
    read_into(store, &mut loader, name, bytes, opts).await?;
    finish(loader, cfg, name)
}

/// Fetches one configured source (and its mapping) and reads it into `loader`.
async fn read_source(
    store: Store,
    loader: &mut Loader,
    src: &Source,
    tz: Zone,
) -> Result<(), DataError> {
    store.progress(&src.url, Default::default());
    let mapping = match &src.mapping {
        Some(url) => {
            let text = String::from_utf8_lossy(&fetch_bytes(url).await?).into_owned();
            Some(Mapping::from_json(&text).map_err(|e| DataError::Read {
                url: url.clone(),
                message: e.to_string(),
            })?)
        }
        None => None,
    };
    let opts = LoadOptions {
        format: src.format.as_deref().and_then(io::Format::parse),
        mapping: mapping.as_ref(),
        ..io::options(None, tz)
    };
    let url = src.url.as_str();
    let refused = DataError::Refused;
    let mut body = Incoming::get(url, STATIC_TIMEOUT_MS, MAX_STATIC_BYTES)
        .await
        .map_err(refused)?;
    let first = body.peek().await.map_err(refused)?;
    // An Arrow or CSV source is read while it downloads, batch by batch or record by record.
    // Only into an empty loader: a source that fails half-way leaves part of itself loaded,
    // and an empty loader is what is put back then. Any other source is read once it has all
    // arrived.
    if let Some(format) = streamed_format(opts.format, url, first).filter(|_| loader.is_empty()) {
        let opts = LoadOptions {
            format: Some(format),
            ..opts
        };
        return match read_arriving(store, loader, &mut body, &opts).await {
            Ok(()) => Ok(()),
            Err(e) => {
                *loader = Loader::new();
                Err(e)
            }
        };
    }
    let bytes = body
        .bytes(|p| store.progress(url, p))
        .await
        .map_err(refused)?;
    read_into(store, loader, url, bytes, &opts).await
}

/// The format of a source named `name` that starts with `first` (`given` by the config), when
/// it is one read while it arrives: Arrow IPC, told by its first bytes alone, or CSV, but only
/// when the config or the name says so (CSV is what a file is when nothing else fits, which a
/// first chunk may not be enough to rule out).
pub fn streamed_format(given: Option<io::Format>, name: &str, first: &[u8]) -> Option<io::Format> {
    use io::Format::{Arrow, Csv};
    match given {
        Some(f @ (Arrow | Csv)) => Some(f),
        Some(_) => None,
        None if omnikpi_engine::arrow_ipc::is_arrow(first) => Some(Arrow),
        None => io::Format::from_name(name).filter(|f| matches!(f, Arrow | Csv)),
    }
}

/// Reads the source `body` (Arrow IPC or CSV, `opts.format`) into `loader` while it
/// arrives: each chunk is given to the load job, which reads the batches or records it
/// completes, in slices with a yield to the browser between them. On error `loader` holds
/// part of the source.
pub async fn read_arriving(
    store: Store,
    loader: &mut Loader,
    body: &mut Incoming,
    opts: &LoadOptions<'_>,
) -> Result<(), DataError> {
    let url = body.name().to_string();
    let read_err = |e: io::ReadError| DataError::Read {
        url: url.clone(),
        message: e.to_string(),
    };
    let mut job = LoadJob::arriving(loader, &url, opts, body.size);
    let mut since_yield = now_ms();
    let mut since_progress = f64::NEG_INFINITY;
    loop {
        // After the end the job is never waiting: the loop below reads to `done`.
        match body.next().await.map_err(DataError::Refused)? {
            Some(chunk) => job.feed(chunk).map_err(read_err)?,
            None => job.end().map_err(read_err)?,
        }
        // Bytes that arrive with no row to read yet (a header, a source read whole at its end)
        // still move the bar, now and then.
        if job.waiting() && now_ms() - since_progress > 100.0 {
            store.progress(&url, job.step(0));
            since_progress = now_ms();
        }
        while !job.waiting() {
            let p = job.step(ROWS_PER_SLICE);
            store.progress(&url, p);
            if p.done {
                *loader = job.into_loader();
                return Ok(());
            }
            // Paint now and then; the download goes on meanwhile.
            if now_ms() - since_yield > 50.0 {
                yield_to_browser().await;
                since_yield = now_ms();
            }
        }
    }
}

/// The page's clock, in milliseconds.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Loads the config, then every configured source (or the bundled demo) into one dataset in
/// `store`. A source that fails is named in place; the others still load.
pub async fn load_default(store: Store) {
    let (cfg, config_error) = load_config().await;
    store.config_error.set(config_error);
    let sources = if cfg.sources.is_empty() {
        vec![Source {
            name: "demo".into(),
            url: DEFAULT_SOURCE.into(),
            format: None,
            mapping: None,
            mode: None,
            interval_s: None,
        }]
    } else {
        cfg.sources.clone()
    };
    let tz = cfg.tz().unwrap_or(Zone::UTC);
    let mut loader = Loader::new();
    let mut errors = Vec::new();
    for src in &sources {
        if let Err(e) = read_source(store, &mut loader, src, tz).await {
            errors.push(e.to_string());
        }
    }
    let names = sources
        .iter()
        .map(|s| s.url.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if errors.len() == sources.len() {
        store.fail(errors.join("; "));
        return;
    }
    match finish(loader, cfg, &names) {
        Ok(l) => {
            store.replace(l);
            if !errors.is_empty() {
                store.fail(errors.join("; "));
            }
        }
        Err(e) => store.fail(e.to_string()),
    }
}
