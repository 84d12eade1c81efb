//! A response body, or a picked file's, read chunk by chunk from its stream as it arrives,
//! under its request's timeout and size limit: each chunk is copied once, straight into the
//! wasm memory.

use omnikpi_engine::io;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A response's body (or a picked file's, [`Incoming::from_stream`]) read chunk by chunk as it
/// arrives, under the timeout and size limit of its request (see [`super::fetch_limited`]).
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
    /// The body's length, from `Content-Length` (a picked file's size).
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
