//! Local files into the app: reading a picked or dropped file, a first look at its columns (to
//! tell canonical files from foreign exports that need the mapping screen), loading through
//! [`crate::data::parse`], the mapping kept in the browser, and downloads of generated text.

use crate::data::{self, Loaded};
use crate::store::Store;
use omnikpi_engine::io::{self, Format, LoadOptions, Mapping};
use omnikpi_engine::Config;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Where the mapping of the last foreign export is kept in the browser.
pub const MAPPING_KEY: &str = "omnikpi.mapping";

/// Sample rows read for the mapping screen.
const SAMPLE_ROWS: usize = 200;

/// A file read into memory, waiting to be loaded.
#[derive(Clone, Debug)]
pub struct Picked {
    /// File name.
    pub name: String,
    /// Content.
    pub bytes: Arc<Vec<u8>>,
}

/// A first look at a file: its format, header and a few rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Peek {
    /// The format.
    pub format: Format,
    /// Column names.
    pub headers: Vec<String>,
    /// First rows, `sample[r][i]` the cell of header `i`.
    pub sample: Vec<Vec<String>>,
    /// True when the columns are omnikpi's own (no mapping needed).
    pub canonical: bool,
}

/// A browser `File`'s content as a stream read chunk by chunk straight into the wasm memory.
pub fn open_file(file: &web_sys::File) -> Result<data::Incoming, String> {
    let size = file.size().max(0.0) as u64;
    data::Incoming::from_stream(&file.name(), &file.stream(), size)
}

/// Reads a browser `File` into bytes from its stream ([`open_file`]): the file is not held
/// whole in JS as well (for a 1.7 GB file, 1.7 GB less).
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    open_file(file)?.bytes(|_| {}).await
}

/// Looks at `bytes` named `name`: one clear message when it is no table at all.
pub fn peek(name: &str, bytes: &[u8]) -> Result<Peek, String> {
    let format = Format::detect(name, bytes);
    if bytes.is_empty() {
        return Err(io::ReadError::Empty.to_string());
    }
    if !matches!(format, Format::Xlsx | Format::Arrow) {
        io::check_head(bytes).map_err(|e| e.to_string())?;
    }
    if format != Format::Csv {
        // JSON, workbooks and Arrow are read once, by the loader: see [`load_or_header`].
        return Ok(Peek {
            format,
            headers: Vec::new(),
            sample: Vec::new(),
            canonical: false,
        });
    }
    // The first MiB is plenty for a header and the sample rows.
    let head = &bytes[..bytes.len().min(1 << 20)];
    let (headers, sample) = io::peek_csv(head, SAMPLE_ROWS, head.len() == bytes.len());
    let table_json = false;
    if headers.iter().all(|h| h.trim().is_empty()) && !table_json {
        return Err(io::ReadError::NotATable("no columns found".into()).to_string());
    }
    // A cube (docs/cube.md) loads as it is, like a canonical table.
    let canonical = table_json
        || io::detect_table(&headers).is_some()
        || omnikpi_engine::cube::is_cube_csv(bytes);
    Ok(Peek {
        format,
        headers,
        sample,
        canonical,
    })
}

/// Header and first objects of a JSON or NDJSON text, for the mapping screen.
fn peek_objects(format: Format, bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    if format == Format::Json {
        return peek_json(bytes).map(|(h, s, _)| (h, s));
    }
    let text = String::from_utf8_lossy(bytes);
    let objs: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLE_ROWS)
        .filter_map(|l| serde_json::from_slice(l.as_bytes()).ok())
        .collect();
    Ok(objects_table(&objs))
}

/// JSON: an array of objects, or an object of canonical tables (then `true`).
#[allow(clippy::type_complexity)]
fn peek_json(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>, bool), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| io::ReadError::NotATable(format!("not valid JSON: {e}")).to_string())?;
    match v {
        serde_json::Value::Array(items) => {
            let items: Vec<_> = items.into_iter().take(SAMPLE_ROWS).collect();
            let (h, s) = objects_table(&items);
            Ok((h, s, false))
        }
        serde_json::Value::Object(o)
            if ["contacts", "agents", "daily"]
                .iter()
                .any(|k| o.get(*k).is_some_and(|v| v.is_array())) =>
        {
            Ok((Vec::new(), Vec::new(), true))
        }
        serde_json::Value::Object(o) => {
            let (h, s) = objects_table(&[serde_json::Value::Object(o)]);
            Ok((h, s, false))
        }
        _ => Err(io::ReadError::NotATable("no JSON objects".into()).to_string()),
    }
}

fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The union of the objects' keys as a header, and their cells.
fn objects_table(items: &[serde_json::Value]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers: Vec<String> = Vec::new();
    for o in items.iter().filter_map(|v| v.as_object()) {
        for k in o.keys() {
            if !headers.contains(k) {
                headers.push(k.clone());
            }
        }
    }
    let rows = items
        .iter()
        .filter_map(|v| v.as_object())
        .map(|o| {
            headers
                .iter()
                .map(|h| o.get(h).map(cell_text).unwrap_or_default())
                .collect()
        })
        .collect();
    (headers, rows)
}

/// The source columns a mapping reads.
pub fn mapping_columns(m: &Mapping) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for spec in m.fields.values() {
        let fm = spec.to_map();
        cols.extend(fm.column);
        cols.extend(fm.time_column);
    }
    cols.extend(m.dimensions.iter().cloned());
    cols
}

/// The columns `m` needs that `headers` lacks.
pub fn missing_columns(m: &Mapping, headers: &[String]) -> Vec<String> {
    let mut miss: Vec<String> = mapping_columns(m)
        .into_iter()
        // As the loader finds them: trimmed, case-insensitive.
        .filter(|c| {
            !headers
                .iter()
                .any(|h| h.trim().eq_ignore_ascii_case(c.trim()))
        })
        .collect();
    miss.dedup();
    miss
}

/// Loads `picked` (with `mapping` for a foreign export) into `store` through [`data::parse`],
/// under `cfg`. Progress goes to the store; the result replaces the data or records the failure.
pub async fn load(store: Store, picked: Picked, mapping: Option<Mapping>, cfg: Config) -> bool {
    let tz = cfg.tz().unwrap_or(omnikpi_engine::config::Zone::UTC);
    let opts = LoadOptions {
        mapping: mapping.as_ref(),
        ..io::options(None, tz)
    };
    store.progress(&picked.name, Default::default());
    data::yield_to_browser().await;
    let bytes = Arc::try_unwrap(picked.bytes).unwrap_or_else(|b| (*b).clone());
    match data::parse(store, &picked.name, bytes, &opts, cfg).await {
        Ok(l) => {
            store.replace(l);
            true
        }
        Err(e) => {
            store.fail(e.to_string());
            false
        }
    }
}

/// Loads a workbook or JSON file as a canonical table (read once); when its columns are not canonical, returns its
/// header and first rows for the mapping screen, and the load status is restored.
pub async fn load_or_header(
    store: Store,
    picked: Picked,
    cfg: Config,
) -> Result<Option<(Vec<String>, Vec<Vec<String>>)>, String> {
    let tz = cfg.tz().unwrap_or(omnikpi_engine::config::Zone::UTC);
    let opts = io::options(None, tz);
    store.progress(&picked.name, Default::default());
    data::yield_to_browser().await;
    match data::parse(store, &picked.name, (*picked.bytes).clone(), &opts, cfg).await {
        Ok(l) => {
            store.replace(l);
            Ok(None)
        }
        Err(e) => {
            store.abandoned();
            let msg = e.to_string();
            let Some(found) = needs_mapping(&msg) else {
                return Err(msg);
            };
            // The header and first rows, for the mapping screen.
            let format = Format::detect(&picked.name, &picked.bytes);
            let peeked = if format == Format::Xlsx {
                crate::workbook::read_workbook(&picked.bytes, None)
                    .await
                    .map(|(h, rows)| {
                        let s = rows.into_iter().take(SAMPLE_ROWS).map(|(_, r)| r);
                        (h, s.collect())
                    })
            } else if format == Format::Arrow {
                omnikpi_engine::arrow_ipc::peek(&picked.bytes, SAMPLE_ROWS)
                    .map_err(|e| e.to_string())
            } else {
                peek_objects(format, &picked.bytes)
            };
            Ok(Some(peeked.unwrap_or((found, Vec::new()))))
        }
    }
}

/// The columns found, when the load error `msg` says a file's columns are not canonical and
/// must be mapped; `None` for any other error.
pub fn needs_mapping(msg: &str) -> Option<Vec<String>> {
    msg.split_once("(found: ")
        .and_then(|(_, rest)| rest.rsplit_once("); map them"))
        .map(|(f, _)| f.split(", ").map(|h| h.trim().to_string()).collect())
}

/// Loads the Arrow IPC or CSV file `body` (a picked file's stream, in `format`) as it is
/// read, as a configured source is read while it downloads. An Arrow file is never held
/// whole, so a file larger than the tab's memory could hold twice still loads; a CSV file's
/// rows load as its bytes come. On error the data shown before stays and the load status is
/// restored; the message is [`needs_mapping`]'s when the columns are not canonical.
pub async fn load_arriving(
    store: Store,
    mut body: data::Incoming,
    format: Format,
    cfg: Config,
) -> Result<(), String> {
    let name = body.name().to_string();
    let tz = cfg.tz().unwrap_or(omnikpi_engine::config::Zone::UTC);
    let opts = LoadOptions {
        format: Some(format),
        ..io::options(None, tz)
    };
    store.progress(&name, Default::default());
    let mut loader = io::Loader::new();
    let read = data::read_arriving(store, &mut loader, &mut body, &opts).await;
    drop(body);
    match read.and_then(|()| data::finish(loader, cfg, &name)) {
        Ok(l) => {
            store.replace(l);
            Ok(())
        }
        Err(e) => {
            store.abandoned();
            Err(e.to_string())
        }
    }
}

/// The configuration of the data in `store`, else the defaults.
pub fn current_config(store: &Store) -> Config {
    use leptos::prelude::WithUntracked;
    store.data.with_untracked(|d: &Option<Loaded>| {
        d.as_ref()
            .map(|l| l.engine.config().clone())
            .unwrap_or_default()
    })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Reads a key of the browser's local storage.
pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Writes a key of the browser's local storage (false when storage is unavailable or full).
pub fn storage_set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes a key of the browser's local storage.
pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The mapping saved in the browser, if any (and still valid).
pub fn saved_mapping() -> Option<Mapping> {
    Mapping::from_json(&storage_get(MAPPING_KEY)?).ok()
}

/// Offers `text` as a download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = web_sys::window().and_then(|w| w.document());
    if let Some(a) = doc
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    // Revoke later: the download starts asynchronously.
    leptos::task::spawn_local(async move {
        sleep_ms(30_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The first file of an `<input type=file>` change event.
pub fn input_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let f = input.files()?.get(0);
    // Let the same file be picked again.
    input.set_value("");
    f
}

/// Reads the text of a picked file.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let bytes = read_file(file).await?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
