//! Data access: fetches the runtime config and the dataset with gloo-net and hands the bytes to
//! the engine's readers. Nothing here computes a KPI.

use omnikpi_engine::{io, Config, Engine};
use std::sync::Arc;

/// The default dataset, relative to the page's `<base href>`.
pub const DEFAULT_SOURCE: &str = "data/demo.csv";

/// Everything the views need once loading is done.
#[derive(Clone)]
pub struct Loaded {
    /// The dataset with its configuration, ready for queries.
    pub engine: Arc<Engine>,
    /// Where the data came from.
    pub source: String,
    /// Why `config.json` was not used, if it was not.
    pub config_error: Option<String>,
}

/// Why loading failed.
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

async fn fetch_text(url: &str) -> Result<String, DataError> {
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
    resp.text().await.map_err(|e| DataError::Fetch {
        url: url.into(),
        message: e.to_string(),
    })
}

/// Loads `config.json`; a missing or invalid file gives the defaults and the reason.
pub async fn load_config() -> (Config, Option<String>) {
    match fetch_text("config.json").await {
        Ok(text) => match Config::from_json(&text) {
            Ok(cfg) => (cfg, None),
            Err(e) => (Config::default(), Some(e.to_string())),
        },
        Err(e) => (Config::default(), Some(e.to_string())),
    }
}

/// Loads the config, then the first configured source (or the bundled demo data).
pub async fn load_default() -> Result<Loaded, DataError> {
    let (cfg, config_error) = load_config().await;
    let url = cfg
        .sources
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_else(|| DEFAULT_SOURCE.to_string());
    let text = fetch_text(&url).await?;
    let tz = cfg.tz().unwrap_or(omnikpi_engine::config::Tz::UTC);
    let mut loader = io::Loader::new();
    io::read_contacts_csv(&url, &text, &tz, &mut loader).map_err(|e| DataError::Read {
        url: url.clone(),
        message: e.to_string(),
    })?;
    let ds = loader.finish();
    // The config's time zone was checked by `from_json`; defaults are always valid.
    let engine = Engine::new(ds, cfg).map_err(|e| DataError::Read {
        url: url.clone(),
        message: e.to_string(),
    })?;
    Ok(Loaded {
        engine: Arc::new(engine),
        source: url,
        config_error,
    })
}
