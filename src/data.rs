//! Data access: fetches the runtime config and datasets with gloo-net and feeds the bytes to the
//! engine's incremental reader in slices, yielding to the browser between slices so the page
//! stays responsive and the progress bar moves. Nothing here computes a KPI.

use crate::store::Store;
use leptos::prelude::Set;
use omnikpi_engine::io::{self, LoadJob, LoadOptions};
use omnikpi_engine::{Config, Engine};
use std::sync::Arc;

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
    /// The request failed (network, CORS, ...).
    #[error("could not fetch {url}: {message}")]
    Fetch {
        /// URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The server answered with an error status.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// URL requested.
        url: String,
        /// HTTP status.
        status: u16,
    },
    /// The body is not a readable table.
    #[error("{url}: {message}")]
    Read {
        /// URL requested.
        url: String,
        /// The reader's message.
        message: String,
    },
}

/// Fetches `url` as bytes.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, DataError> {
    let resp = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| DataError::Fetch {
            url: url.into(),
            message: e.to_string(),
        })?;
    if !resp.ok() {
        return Err(DataError::Status {
            url: url.into(),
            status: resp.status(),
        });
    }
    resp.binary().await.map_err(|e| DataError::Fetch {
        url: url.into(),
        message: e.to_string(),
    })
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

/// Parses `bytes` named `name` in slices, reporting progress to `store`, and prepares an engine.
pub async fn parse(
    store: Store,
    name: &str,
    bytes: Vec<u8>,
    opts: &LoadOptions<'_>,
    cfg: Config,
) -> Result<Loaded, DataError> {
    let read_err = |message: String| DataError::Read { url: name.into(), message };
    let format = opts.format.unwrap_or_else(|| io::Format::detect(name, &bytes));
    let mut job = if format == io::Format::Xlsx {
        let sheet = opts.sheet.as_deref().or(opts.mapping.and_then(|m| m.sheet.as_deref()));
        let cells = crate::workbook::read_workbook(&bytes, sheet).await.map_err(read_err)?;
        LoadJob::from_sheet(name, cells, bytes.len() as u64, opts)
    } else {
        LoadJob::new(name, bytes, opts)
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
    let ds = job.finish();
    let engine = Engine::new(ds, cfg).map_err(|e| DataError::Read {
        url: name.into(),
        message: e.to_string(),
    })?;
    Ok(Loaded {
        engine: Arc::new(engine),
        source: name.to_string(),
    })
}

/// Loads the config, then the first configured source (or the bundled demo), into `store`.
pub async fn load_default(store: Store) {
    let (cfg, config_error) = load_config().await;
    store.config_error.set(config_error);
    let url = cfg
        .sources
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_else(|| DEFAULT_SOURCE.to_string());
    store.progress(&url, Default::default());
    let result = async {
        let bytes = fetch_bytes(&url).await?;
        let tz = cfg.tz().unwrap_or(omnikpi_engine::config::Tz::UTC);
        let opts = io::options(None, tz);
        parse(store, &url, bytes, &opts, cfg.clone()).await
    }
    .await;
    match result {
        Ok(l) => store.replace(l),
        Err(e) => store.fail(e.to_string()),
    }
}
