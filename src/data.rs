//! Data access: fetches the runtime config and datasets with gloo-net and feeds the bytes to the
//! engine's incremental reader in slices, yielding to the browser between slices so the page
//! stays responsive and the progress bar moves. A response body is read from its stream as it
//! arrives ([`Incoming`]); an Arrow IPC source is read batch by batch during its download, so
//! that little is left to do after its last byte. Nothing here computes a KPI.

use crate::store::Store;
use leptos::prelude::Set;
use omnikpi_engine::config::{Source, Zone};
use omnikpi_engine::io::{self, LoadJob, LoadOptions, Loader, Mapping};
use omnikpi_engine::{Config, Engine};
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

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

/// A response whose body is read chunk by chunk as it arrives, under the timeout and size
/// limit of its request (see [`fetch_limited`]).
pub struct Incoming {
    url: String,
    /// `None` for a response without a body (read as empty).
    reader: Option<web_sys::ReadableStreamDefaultReader>,
    ctrl: web_sys::AbortController,
    timer: Option<i32>,
    timeout_ms: i32,
    max_bytes: u64,
    /// The last chunk read, in a buffer kept from chunk to chunk: the browser's chunk is
    /// copied once, straight into the wasm memory.
    chunk: Vec<u8>,
    /// `chunk` was read by [`Incoming::peek`] and is what [`Incoming::next`] gives next.
    peeked: bool,
    /// The body's end was read.
    ended: bool,
    /// The body's length, from `Content-Length`.
    pub size: Option<u64>,
    /// Bytes received so far.
    pub received: u64,
    /// The response's `ETag`.
    pub etag: Option<String>,
}

impl Incoming {
    /// Sends the GET; `None` for `304 Not Modified`. An error status, a body announced larger
    /// than `max_bytes`, or no answer within `timeout_ms` is an error naming `url`.
    pub async fn open(
        url: &str,
        etag: Option<&str>,
        timeout_ms: i32,
        max_bytes: u64,
    ) -> Result<Option<Incoming>, String> {
        let ctrl = web_sys::AbortController::new().map_err(|_| "no AbortController".to_string())?;
        let signal = ctrl.signal();
        let timer = {
            let ctrl = ctrl.clone();
            let cb = Closure::once_into_js(move || ctrl.abort());
            web_sys::window().and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    cb.unchecked_ref(),
                    timeout_ms,
                )
                .ok()
            })
        };
        let clear = || clear_timer(timer);
        let mut req = gloo_net::http::Request::get(url).abort_signal(Some(&signal));
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                clear();
                return Err(if signal.aborted() {
                    format!("{url} did not answer within {} s", timeout_ms / 1000)
                } else {
                    format!("could not fetch {url}: {e}")
                });
            }
        };
        if resp.status() == 304 {
            clear();
            return Ok(None);
        }
        if !resp.ok() {
            clear();
            return Err(format!(
                "{url} answered HTTP {} {}",
                resp.status(),
                resp.status_text()
            ));
        }
        let size = resp
            .headers()
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(n) = size.filter(|n| *n > max_bytes) {
            ctrl.abort();
            clear();
            return Err(too_large(url, n, max_bytes));
        }
        let reader: Option<web_sys::ReadableStreamDefaultReader> =
            resp.body().map(|b| b.get_reader().unchecked_into());
        if reader.is_none() {
            clear();
        }
        let timer = reader.as_ref().and(timer);
        Ok(Some(Incoming {
            url: url.to_string(),
            reader,
            ctrl,
            timer,
            timeout_ms,
            max_bytes,
            chunk: Vec::new(),
            peeked: false,
            ended: false,
            size,
            received: 0,
            etag: resp.headers().get("etag"),
        }))
    }

    /// The body of `stream` (a picked file's, say) named `name`, of `size` bytes: no request,
    /// no timeout, no size limit beyond the memory's.
    pub fn from_stream(
        name: &str,
        stream: &web_sys::ReadableStream,
        size: u64,
    ) -> Result<Incoming, String> {
        let ctrl = web_sys::AbortController::new().map_err(|_| "no AbortController".to_string())?;
        Ok(Incoming {
            url: name.to_string(),
            reader: Some(stream.get_reader().unchecked_into()),
            ctrl,
            timer: None,
            timeout_ms: 0,
            max_bytes: u64::MAX,
            chunk: Vec::new(),
            peeked: false,
            ended: false,
            size: Some(size),
            received: 0,
            etag: None,
        })
    }

    /// [`Incoming::open`] without `If-None-Match`: a `304` then has no cached copy behind it
    /// and is an error.
    pub async fn get(url: &str, timeout_ms: i32, max_bytes: u64) -> Result<Incoming, String> {
        Incoming::open(url, None, timeout_ms, max_bytes)
            .await?
            .ok_or_else(|| format!("{url} answered 304 without a cached copy"))
    }

    /// The URL (or the file's name) the body comes from.
    pub fn name(&self) -> &str {
        &self.url
    }

    /// The next chunk of the body (empty at its end), still to be given by
    /// [`Incoming::next`]: called first, enough to tell the format.
    pub async fn peek(&mut self) -> Result<&[u8], String> {
        if !self.peeked && !self.ended {
            self.peeked = self.fill().await?;
        }
        Ok(if self.peeked { &self.chunk } else { &[] })
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn next(&mut self) -> Result<Option<&[u8]>, String> {
        if std::mem::take(&mut self.peeked) || self.fill().await? {
            return Ok(Some(&self.chunk));
        }
        Ok(None)
    }

    /// Reads the next chunk into `chunk`; false at the body's end.
    async fn fill(&mut self) -> Result<bool, String> {
        let Some(reader) = self.reader.as_ref().filter(|_| !self.ended) else {
            self.ended = true;
            return Ok(false);
        };
        let read = wasm_bindgen_futures::JsFuture::from(reader.read()).await;
        let url = &self.url;
        let result: web_sys::ReadableStreamReadResult = match read {
            Ok(r) => r.unchecked_into(),
            Err(e) => {
                return Err(if self.ctrl.signal().aborted() {
                    format!("{url} did not finish within {} s", self.timeout_ms / 1000)
                } else {
                    format!("could not read {url}: {}", js_message(&e))
                })
            }
        };
        if result.get_done().unwrap_or(false) {
            clear_timer(self.timer.take());
            self.ended = true;
            return Ok(false);
        }
        // The chunk is a `Uint8Array` already: `new Uint8Array(chunk)` would copy it in JS.
        let bytes: js_sys::Uint8Array = result
            .get_value()
            .dyn_into()
            .map_err(|_| format!("could not read {url}: its body gave no bytes"))?;
        // Every byte is overwritten: only a longer chunk than the last is zeroed first.
        self.chunk.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut self.chunk);
        self.received += self.chunk.len() as u64;
        if self.received > self.max_bytes {
            self.ctrl.abort();
            return Err(too_large(url, self.received, self.max_bytes));
        }
        Ok(true)
    }

    /// The rest of the body in one buffer (reserved for the announced length when the memory
    /// has it now, else grown as the bytes come), telling `progress` how far the download is
    /// after each chunk.
    pub async fn bytes(mut self, progress: impl Fn(io::Progress)) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let _ = out.try_reserve_exact(self.size.unwrap_or(0).min(isize::MAX as u64) as usize);
        let url = self.url.clone();
        while let Some(chunk) = self.next().await? {
            io::append_bytes(&mut out, chunk).map_err(|e| format!("{url}: {e}"))?;
            progress(self.progress());
        }
        Ok(out)
    }

    /// How far the download is, before its rows are read.
    fn progress(&self) -> io::Progress {
        io::Progress {
            bytes_done: self.received,
            bytes_total: self.size.unwrap_or(0).max(self.received),
            ..Default::default()
        }
    }
}

impl Drop for Incoming {
    /// A body given up before its end (an error while reading it) is cancelled.
    fn drop(&mut self) {
        if self.timer.is_some() {
            clear_timer(self.timer.take());
            self.ctrl.abort();
        }
    }
}

fn clear_timer(timer: Option<i32>) {
    if let (Some(w), Some(t)) = (web_sys::window(), timer) {
        w.clear_timeout_with_handle(t);
    }
}

fn too_large(url: &str, n: u64, max_bytes: u64) -> String {
    format!(
        "{url} is too large: {} MB (the limit is {} MB)",
        n >> 20,
        max_bytes >> 20
    )
}

/// The message of a JS error value.
fn js_message(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the connection failed".into())
}

/// Loads `config.json`; a missing or invalid file gives the defaults and the reason.
pub async fn load_config() -> (Config, Option<String>) {
    match fetch_bytes("config.json").await {
        Ok(bytes) => match Config::from_json(&String::from_utf8_lossy(&bytes)) {
            Ok(cfg) => (cfg, None),
            Err(e) => (
                Config::default(),
                Some(format!("config.json is invalid, defaults are used: {e}")),
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
    let format = opts
        .format
        .unwrap_or_else(|| io::Format::detect(url, first));
    // An Arrow source is read while it downloads, batch by batch. Only into an empty loader:
    // a source that fails half-way leaves part of itself loaded, and an empty loader is what
    // is put back then. Any other source is read once it has all arrived.
    if format == io::Format::Arrow && loader.is_empty() {
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

/// Reads the Arrow IPC source `body` into `loader` while it arrives: each chunk is given to
/// the load job, which reads the batches it completes, in slices with a yield to the browser
/// between them. On error `loader` holds part of the source.
pub async fn read_arriving(
    store: Store,
    loader: &mut Loader,
    body: &mut Incoming,
    opts: &LoadOptions<'_>,
) -> Result<(), DataError> {
    let url = body.url.clone();
    let read_err = |e: io::ReadError| DataError::Read {
        url: url.clone(),
        message: e.to_string(),
    };
    let mut job = LoadJob::arriving(loader, &url, opts, body.size);
    let mut since_yield = now_ms();
    loop {
        // After the end the job is never waiting: the loop below reads to `done`.
        match body.next().await.map_err(DataError::Refused)? {
            Some(chunk) => job.feed(chunk).map_err(read_err)?,
            None => job.end().map_err(read_err)?,
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
