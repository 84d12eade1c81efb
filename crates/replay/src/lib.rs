//! omnikpi's replay server, for demos and tests: a small HTTP/1.1 server on `std::net` (one
//! thread per connection, no async runtime) that serves
//!
//! * `dist/` with an SPA fallback, under an optional sub-path, every answer with the strict
//!   Content-Security-Policy the dashboard is built for ([`CSP`]);
//! * `config.json`: dist's own, with `sources` pointing at the live feed (unless disabled);
//! * `api/dataset`: the dataset file as it is;
//! * `api/stream`: server-sent events replaying the dataset's contacts in accelerated real time
//!   (`event: contact` with `id:` = change number, and `event: clock` with the feed's "now"),
//!   resuming after `Last-Event-ID` or `?since=`;
//! * `api/contacts?since=N`: the changes after cursor `N` as one JSON [`Batch`], with an ETag
//!   (`If-None-Match` answers 304 when nothing changed).
//!
//! [`Batch`]: omnikpi_engine::live::Batch

pub mod http;
pub mod timeline;

use http::{Request, Response};
use omnikpi_engine::live::{Batch, Clock};
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use timeline::Timeline;

/// The Content-Security-Policy of every answer: no inline script, WebAssembly allowed, nothing
/// loaded from elsewhere. Same policy as `e2e/serve.mjs` and `docs/deploy/nginx.conf`.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'";

/// At most this many changes in one poll answer (the cursor says where to go on).
pub const MAX_BATCH: u64 = 50_000;

/// Server options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to bind (loopback by default).
    pub addr: SocketAddr,
    /// The built app.
    pub dist: PathBuf,
    /// The dataset to replay and serve.
    pub data: PathBuf,
    /// Sub-path the app is served under, like `/omnikpi/` (`/` by default).
    pub base: String,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Interval between two stream flushes.
    pub tick: Duration,
    /// Repeat the dataset without end (ids suffixed `~lap`).
    pub looping: bool,
    /// Changes sent to a client that connects without a cursor (the recent past).
    pub backlog: u64,
    /// Live mode written into the served `config.json`: `sse`, `poll`, or `None` to serve
    /// dist's `config.json` unchanged.
    pub config_mode: Option<String>,
    /// Poll interval written into the served `config.json`.
    pub poll_interval_s: f64,
    /// Data time the replay starts at (default: the first change).
    pub start: Option<i64>,
    /// Serve the fault endpoints for tests (`api/fault/big?mb=N`: an endless-looking body of
    /// `N` MB announced by `content-length`).
    pub faults: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            dist: PathBuf::from("dist"),
            data: PathBuf::from("public/data/demo.csv"),
            base: "/".into(),
            speed: 60.0,
            tick: Duration::from_millis(250),
            looping: false,
            backlog: 2_000,
            config_mode: Some("sse".into()),
            poll_interval_s: 5.0,
            start: None,
            faults: false,
        }
    }
}

/// Shared state of a running server.
pub struct State {
    opts: Options,
    timeline: Timeline,
    data: Vec<u8>,
    started: Instant,
    start: i64,
    stop: AtomicBool,
}

impl State {
    /// The feed's clock: data time now.
    pub fn now(&self) -> i64 {
        self.start + (self.started.elapsed().as_secs_f64() * self.opts.speed) as i64
    }

    /// The cursor now.
    pub fn cursor(&self) -> u64 {
        self.timeline.cursor_at(self.now())
    }

    /// The replay timeline.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }
}

/// A running server.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state.
    pub state: Arc<State>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Loads the dataset, binds and serves in a background thread.
    pub fn start(mut opts: Options) -> std::io::Result<Server> {
        if !opts.base.starts_with('/') {
            opts.base.insert(0, '/');
        }
        if !opts.base.ends_with('/') {
            opts.base.push('/');
        }
        let data = std::fs::read(&opts.data)?;
        let name = opts.data.to_string_lossy().to_string();
        let lo = omnikpi_engine::io::options(None, omnikpi_engine::config::Zone::UTC);
        let ds = omnikpi_engine::io::load_bytes(&name, &data, &lo)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
        let timeline = Timeline::new(&ds, opts.looping);
        let start = opts.start.unwrap_or_else(|| timeline.start());
        let listener = TcpListener::bind(opts.addr)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            opts,
            timeline,
            data,
            started: Instant::now(),
            start,
            stop: AtomicBool::new(false),
        });
        let st = state.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let st = st.clone();
                std::thread::spawn(move || {
                    let _ = handle(&st, stream);
                });
            }
        });
        Ok(Server {
            addr,
            state,
            thread: Some(thread),
        })
    }

    /// The URL of the app.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.state.opts.base)
    }

    /// Stops accepting connections and ends open streams.
    pub fn stop(mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(st: &State, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let req = match Request::read(&mut stream) {
        Ok(r) => r,
        Err(_) => {
            return Response::text(400, "bad request").write(&mut stream, false);
        }
    };
    let head = req.method == "HEAD";
    if req.method != "GET" && !head {
        return Response::text(405, "method not allowed").write(&mut stream, false);
    }
    let base = &st.opts.base;
    let Some(rest) = req.path.strip_prefix(base.as_str()).or_else(|| {
        (req.path.len() + 1 == base.len() && base.starts_with(&req.path)).then_some("")
    }) else {
        return Response::text(404, "not found").write(&mut stream, head);
    };
    match rest {
        "api/stream" => stream_changes(st, &req, stream),
        "api/contacts" => poll(st, &req).write(&mut stream, head),
        "api/dataset" => {
            let ty = http::content_type(&st.opts.data);
            Response::new(200, ty, st.data.clone()).write(&mut stream, head)
        }
        "config.json" if st.opts.config_mode.is_some() => config(st).write(&mut stream, head),
        "api/fault/big" if st.opts.faults => big(&req, stream),
        _ => static_file(st, rest).write(&mut stream, head),
    }
}

/// dist's `config.json` with `sources` set to the live feed.
fn config(st: &State) -> Response {
    let file = st.opts.dist.join("config.json");
    let mut v: serde_json::Value = std::fs::read(&file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(serde_json::Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    let mode = st.opts.config_mode.clone().unwrap_or_default();
    let url = if mode == "poll" {
        "api/contacts"
    } else {
        "api/stream"
    };
    v["sources"] = serde_json::json!([{
        "name": "replay",
        "url": url,
        "mode": mode,
        "interval_s": st.opts.poll_interval_s,
    }]);
    Response::new(200, "application/json", v.to_string().into_bytes())
}

fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = root.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(s) => p.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(p)
}

fn static_file(st: &State, rel: &str) -> Response {
    let root = &st.opts.dist;
    let Some(mut file) = safe_join(root, rel) else {
        return Response::text(403, "forbidden");
    };
    if file.is_dir() {
        file = file.join("index.html");
    }
    if !file.is_file() && Path::new(rel).extension().is_none() {
        file = root.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => Response::new(200, http::content_type(&file), body),
        Err(_) => Response::text(404, "not found"),
    }
}

fn since(st: &State, req: &Request) -> u64 {
    req.header("last-event-id")
        .map(str::to_string)
        .or_else(|| req.query("since"))
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| st.cursor().saturating_sub(st.opts.backlog))
}

fn poll(st: &State, req: &Request) -> Response {
    let now = st.now();
    let cur = st.timeline.cursor_at(now);
    let mut from = since(st, req);
    if from > cur {
        // A cursor from an earlier run of the server: start over (the client dedupes by id).
        from = cur.saturating_sub(st.opts.backlog);
    }
    let to = cur.min(from.saturating_add(MAX_BATCH));
    let etag = format!("\"c{to}\"");
    if to <= from && req.header("if-none-match") == Some(etag.as_str()) {
        let mut r = Response::new(304, "application/json", Vec::new());
        r.headers.push(("etag".into(), etag));
        return r;
    }
    let contacts = (from + 1..=to)
        .filter_map(|s| st.timeline.json(s))
        .collect();
    let batch = Batch {
        cursor: to.max(from),
        now,
        contacts,
    };
    let body = serde_json::to_vec(&batch).unwrap_or_default();
    let mut r = Response::new(200, "application/json", body);
    r.headers.push(("etag".into(), etag));
    r
}

/// A body of `mb` megabytes (default 200) of CSV-looking bytes, with its `content-length`.
fn big(req: &Request, mut stream: TcpStream) -> std::io::Result<()> {
    let mb: u64 = req.query("mb").and_then(|s| s.parse().ok()).unwrap_or(200);
    let len = mb << 20;
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {len}\r\ncontent-security-policy: {CSP}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    let chunk = "x,1\n".repeat(16 << 10);
    let mut left = len as usize;
    while left > 0 {
        let n = left.min(chunk.len());
        stream.write_all(&chunk.as_bytes()[..n])?;
        left -= n;
    }
    Ok(())
}

fn stream_changes(st: &State, req: &Request, mut stream: TcpStream) -> std::io::Result<()> {
    let drop_after: Option<u64> = req.query("drop_after").and_then(|s| s.parse().ok());
    let mut sent = since(st, req);
    let cur = st.cursor();
    if sent > cur {
        // A cursor from an earlier run of the server: start over (the client dedupes by id).
        sent = cur.saturating_sub(st.opts.backlog);
    }
    let mut count = 0u64;
    stream.set_nodelay(true)?;
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\ncontent-security-policy: {CSP}\r\nx-content-type-options: nosniff\r\n\r\nretry: 1000\n\n"
    );
    stream.write_all(head.as_bytes())?;
    let mut buf = String::new();
    loop {
        if st.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        // The clock first, read at the same instant as the cursor: every contact that follows
        // arrived at or before it, so a client checking for rows from the future never refuses
        // one because its clock lagged (after a reconnect, say).
        let now = st.now();
        let cur = st.timeline.cursor_at(now);
        buf.clear();
        let clock = Clock { now, cursor: cur };
        buf.push_str("event: clock\ndata: ");
        buf.push_str(&serde_json::to_string(&clock).unwrap_or_default());
        buf.push_str("\n\n");
        while sent < cur {
            sent += 1;
            if let Some(v) = st.timeline.json(sent) {
                buf.push_str("event: contact\nid: ");
                buf.push_str(&sent.to_string());
                buf.push_str("\ndata: ");
                buf.push_str(&v.to_string());
                buf.push_str("\n\n");
            }
            count += 1;
            if drop_after.is_some_and(|d| count >= d) {
                stream.write_all(buf.as_bytes())?;
                stream.flush()?;
                return Ok(());
            }
            if buf.len() > 1 << 20 {
                stream.write_all(buf.as_bytes())?;
                buf.clear();
            }
        }
        stream.write_all(buf.as_bytes())?;
        stream.flush()?;
        std::thread::sleep(st.opts.tick);
    }
}
