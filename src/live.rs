//! Live mode: a data source in `config.json` with `"mode": "poll"` (re-fetched every
//! `interval_s`, asking only for what is new with `since=<cursor>` and `If-None-Match`) or
//! `"mode": "sse"` (an `EventSource` of new and updated contacts, resumed with `since=<last id>`).
//!
//! Every contact goes through the engine's [`LiveSet`]: merged by id (a redelivery after a
//! reconnect is never counted twice), rows from the future refused, and a rolling window
//! (`?window_days=`, `?window_rows=`; 7 days and 100 000 contacts by default) bounding memory.
//! The engine is rebuilt from the set at most every [`FLUSH_MS`], and only when it changed, and
//! handed to the [`Store`] like any other load, so the last good data survives every failure.
//! Failures back off exponentially (up to [`MAX_BACKOFF_S`]); the status line says when the data
//! was last updated and warns when three intervals passed without an update.
//!
//! [`boot`] is the app's data entry point: `?data=URL` (allow-listed), a live source, or the
//! data module's static load.

use crate::data::{self, fetch_limited, Fetched, Incoming, Loaded};
use crate::store::Store;
use leptos::prelude::*;
use omnikpi_engine::config::Source;
use omnikpi_engine::io::{self, LoadJob};
use omnikpi_engine::live::{contact_from_json, Batch, Clock, LiveSet, LiveStats, Window};
use omnikpi_engine::query::{Dim, Query};
use omnikpi_engine::{Channel, Config};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Largest live response read, in bytes; a bigger one is refused before it is read.
pub const MAX_BYTES: u64 = 64 << 20;
/// Interval of engine rebuilds while updates stream in.
pub const FLUSH_MS: i32 = 500;
/// Longest wait between two attempts after failures.
pub const MAX_BACKOFF_S: f64 = 60.0;
/// Intervals without an update after which the data is called stale.
pub const STALE_INTERVALS: f64 = 3.0;
/// Default interval of a source without `interval_s` (poll period; for a stream, the longest
/// silence that is still normal).
pub const DEFAULT_INTERVAL_S: f64 = 5.0;

/// How a source is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Re-fetched every interval.
    Poll,
    /// Server-sent events.
    Sse,
}

impl Mode {
    /// The mode of a configured source; `None` for a static one.
    pub fn of(src: &Source) -> Option<Mode> {
        match src.mode.as_deref().map(str::trim) {
            Some("poll") => Some(Mode::Poll),
            Some("sse") => Some(Mode::Sse),
            _ => None,
        }
    }

    /// `poll` or `sse`.
    pub fn id(self) -> &'static str {
        match self {
            Mode::Poll => "poll",
            Mode::Sse => "sse",
        }
    }
}

/// What the live status line shows; lives in [`Store::live`].
#[derive(Clone, Debug, PartialEq)]
pub struct LiveInfo {
    /// How the source is read.
    pub mode: Mode,
    /// The source URL.
    pub url: String,
    /// Expected seconds between updates.
    pub interval_s: f64,
    /// `Date.now()` of the last successful poll or stream message.
    pub last_update_ms: Option<f64>,
    /// The feed's clock (Unix seconds), when it sends one.
    pub feed_now: Option<i64>,
    /// Cursor reached (poll cursor or last event id).
    pub cursor: u64,
    /// Contacts in the window.
    pub rows: usize,
    /// Merge counters.
    pub stats: LiveStats,
    /// The newest failure, while it lasts.
    pub error: Option<String>,
    /// Failures in a row.
    pub failures: u32,
    /// The window.
    pub window: Window,
}

/// `Date.now()`.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The wait before attempt `failures + 1`: the interval doubled per failure, capped.
pub fn backoff_s(interval_s: f64, failures: u32) -> f64 {
    (interval_s.max(1.0) * 2f64.powi(failures.min(16) as i32)).min(MAX_BACKOFF_S)
}

fn window_from_url() -> Window {
    let mut w = Window {
        max_age_s: Some(7 * 86_400),
        max_rows: Some(100_000),
    };
    if let Some(d) = crate::embed::url_param("window_days").and_then(|s| s.parse::<f64>().ok()) {
        w.max_age_s = (d > 0.0).then_some((d * 86_400.0) as i64);
    }
    if let Some(r) = crate::embed::url_param("window_rows").and_then(|s| s.parse::<usize>().ok()) {
        w.max_rows = (r > 0).then_some(r);
    }
    w
}

/// `url` with its `since` query parameter set to `cursor` (resolved against the page).
fn with_since(url: &str, cursor: Option<u64>) -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    match (web_sys::Url::new_with_base(url, &base), cursor) {
        (Ok(u), Some(c)) => {
            u.search_params().set("since", &c.to_string());
            u.href()
        }
        (Ok(u), None) => u.href(),
        (Err(_), _) => url.to_string(),
    }
}

/// The app's data entry point (replaces a plain `data::load_default`): `?data=URL` when its
/// origin is allowed, else the first configured source — live when its mode says so, else the
/// data module's static load.
pub async fn boot(store: Store) {
    match crate::embed::url_param("debug").as_deref() {
        // Test hooks for the banner: a panic in a task after the first paint, or memory taken
        // until an allocation fails (as a file too large for the tab would).
        Some("panic") => leptos::task::spawn_local(async {
            sleep_ms(300).await;
            panic!("debug=panic: a deliberate panic to show the banner");
        }),
        Some("out-of-memory") => leptos::task::spawn_local(async {
            sleep_ms(300).await;
            let mut held: Vec<Vec<u8>> = Vec::new();
            loop {
                held.push(std::hint::black_box(Vec::with_capacity(1 << 28)));
            }
        }),
        _ => {}
    }
    if let Some(url) = crate::embed::url_param("data") {
        let (cfg, config_error) = data::load_config().await;
        store.config_error.set(config_error);
        if !crate::embed::url_allowed(&url, &cfg.allowed_origins) {
            store.fail(format!(
                "?data= refused: {url} is not on this page's origin nor in config.json allowed_origins"
            ));
            return;
        }
        load_url(store, cfg, url).await;
        return;
    }
    let (cfg, config_error) = data::load_config().await;
    let live = cfg
        .sources
        .first()
        .and_then(|s| Mode::of(s).map(|m| (s.clone(), m)));
    match live {
        Some((src, mode)) => {
            store.config_error.set(config_error);
            if !crate::embed::url_allowed(&src.url, &cfg.allowed_origins) {
                store.fail(format!(
                    "live source refused: {} is not on this page's origin nor in config.json allowed_origins",
                    src.url
                ));
                return;
            }
            start(store, cfg, src, mode);
        }
        None => data::load_default(store).await,
    }
}

/// Loads one dataset from `url` (a `?data=` URL) with the size limit and a timeout.
async fn load_url(store: Store, cfg: Config, url: String) {
    store.progress(&url, Default::default());
    let result = async {
        let bytes = Incoming::get(&url, 60_000, MAX_BYTES)
            .await?
            .bytes(|_| {})
            .await?;
        let tz = cfg.tz().unwrap_or(omnikpi_engine::config::Zone::UTC);
        let opts = io::options(None, tz);
        data::parse(store, &url, bytes, &opts, cfg.clone())
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    match result {
        Ok(l) => store.replace(l),
        Err(e) => store.fail(e),
    }
}

/// The running live session.
struct Session {
    store: Store,
    cfg: Config,
    tz: omnikpi_engine::config::Zone,
    set: LiveSet,
    flushed: Option<u64>,
    info: LiveInfo,
    source_name: String,
    /// The open stream's event handlers; replaced (and the old ones freed) on a reconnect.
    handlers: Option<StreamHandlers>,
}

/// The handlers of one stream object.
type StreamHandlers = (
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

type Shared = Rc<RefCell<Session>>;

impl Session {
    /// Takes one canonical JSON contact.
    fn take(&mut self, v: &serde_json::Value) {
        match contact_from_json(v, &self.tz) {
            Ok(r) => {
                self.set.upsert(r, self.info.feed_now);
            }
            Err(_) => self.set.count_rejected(),
        }
    }

    fn succeeded(&mut self) {
        let was_failing = self.info.error.is_some();
        self.info.last_update_ms = Some(now_ms());
        self.info.failures = 0;
        self.info.error = None;
        if was_failing {
            self.store.recovered();
        }
    }

    fn failed(&mut self, message: String) {
        self.info.failures += 1;
        let wait = backoff_s(self.info.interval_s, self.info.failures);
        let msg = format!(
            "Live feed: {message}. Showing the last good data; retrying in {wait:.0} s (attempt {}).",
            self.info.failures
        );
        self.info.error = Some(msg.clone());
        self.store.fail(msg);
    }

    /// Rolls the window and, when the contacts changed, rebuilds the engine for the store.
    fn flush(&mut self) {
        let now = self.info.feed_now.or(self.set.newest());
        self.set.prune(now);
        if self.flushed != Some(self.set.version()) {
            self.flushed = Some(self.set.version());
            match self.set.engine(self.cfg.clone()) {
                Ok(e) => {
                    let loaded = Loaded {
                        engine: Arc::new(e),
                        source: self.source_name.clone(),
                    };
                    if self.info.error.is_some() {
                        // Keep the failure in view; the data still updates underneath.
                        self.store.data.set(Some(loaded));
                    } else {
                        self.store.replace(loaded);
                    }
                }
                Err(e) => self.store.fail(format!("Live feed: {e}")),
            }
        }
        self.info.rows = self.set.len();
        self.info.stats = self.set.stats();
        if self.store.live.get_untracked().as_ref() != Some(&self.info) {
            self.store.live.set(Some(self.info.clone()));
        }
    }
}

/// Starts a live session on `src`.
pub fn start(store: Store, cfg: Config, src: Source, mode: Mode) {
    let window = window_from_url();
    let interval_s = src
        .interval_s
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(DEFAULT_INTERVAL_S);
    let info = LiveInfo {
        mode,
        url: src.url.clone(),
        interval_s,
        last_update_ms: None,
        feed_now: None,
        cursor: 0,
        rows: 0,
        stats: LiveStats::default(),
        error: None,
        failures: 0,
        window,
    };
    store.live.set(Some(info.clone()));
    store.progress(&src.url, Default::default());
    let tz = cfg.tz().unwrap_or(omnikpi_engine::config::Zone::UTC);
    let name = if src.name.is_empty() {
        src.url.clone()
    } else {
        format!("{} (live)", src.name)
    };
    let sh: Shared = Rc::new(RefCell::new(Session {
        store,
        cfg,
        tz,
        set: LiveSet::new(window),
        flushed: None,
        info,
        source_name: name,
        handlers: None,
    }));
    match mode {
        Mode::Poll => leptos::task::spawn_local(poll_loop(sh, src.url)),
        Mode::Sse => {
            let flusher = sh.clone();
            let _ = set_interval_with_handle(
                move || {
                    if let Ok(mut s) = flusher.try_borrow_mut() {
                        s.flush();
                    }
                },
                std::time::Duration::from_millis(FLUSH_MS as u64),
            );
            connect(sh, src.url, None);
        }
    }
}

/// Reads a poll answer: a [`Batch`] (only what is new), or any dataset file (merged by id).
fn take_body(sh: &Shared, url: &str, bytes: Vec<u8>) -> Result<(), String> {
    let head = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if head == Some(b'{') {
        let batch: Batch = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{url} sent invalid or truncated JSON ({e})"))?;
        let mut s = sh.borrow_mut();
        s.info.feed_now = Some(batch.now);
        for v in &batch.contacts {
            s.take(v);
        }
        s.info.cursor = batch.cursor;
        return Ok(());
    }
    let (tz, cfg_now) = {
        let s = sh.borrow();
        (s.tz, s.info.feed_now)
    };
    let opts = io::options(None, tz);
    let mut job = LoadJob::new(url, bytes, &opts).map_err(|e| format!("{url}: {e}"))?;
    job.run();
    let ds = job.finish();
    let mut s = sh.borrow_mut();
    let now = cfg_now.or(Some((now_ms() / 1000.0) as i64));
    for i in 0..ds.contacts.len() {
        if let Some(r) = ds.contacts.record(i) {
            s.set.upsert(r, now);
        }
    }
    Ok(())
}

async fn poll_loop(sh: Shared, url: String) {
    let mut etag: Option<String> = None;
    loop {
        let (interval_s, cursor) = {
            let s = sh.borrow();
            (
                s.info.interval_s,
                (s.info.cursor > 0).then_some(s.info.cursor),
            )
        };
        let timeout_ms = ((interval_s * 2.0).clamp(5.0, 30.0) * 1000.0) as i32;
        let target = with_since(&url, cursor);
        let outcome = match fetch_limited(&target, etag.as_deref(), timeout_ms, MAX_BYTES).await {
            Ok(Fetched::NotModified) => Ok(()),
            Ok(Fetched::Body { bytes, etag: e }) => {
                let r = take_body(&sh, &url, bytes);
                if r.is_ok() {
                    etag = e;
                }
                r
            }
            Err(e) => Err(e),
        };
        let wait = {
            let mut s = sh.borrow_mut();
            match outcome {
                Ok(()) => s.succeeded(),
                Err(e) => s.failed(e),
            }
            s.flush();
            if s.info.failures == 0 {
                interval_s
            } else {
                backoff_s(interval_s, s.info.failures)
            }
        };
        sleep_ms((wait * 1000.0) as i32).await;
    }
}

/// Opens the stream (after `since`, when given); on an error closes it and reconnects after a
/// back-off, resuming after the last event received.
fn connect(sh: Shared, url: String, since: Option<u64>) {
    let target = with_since(&url, since);
    let es = match web_sys::EventSource::new(&target) {
        Ok(es) => es,
        Err(_) => {
            sh.borrow_mut()
                .failed(format!("cannot open a stream to {url}"));
            return;
        }
    };
    let on_contact = {
        let sh = sh.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            let mut s = sh.borrow_mut();
            match serde_json::from_slice::<serde_json::Value>(text.as_bytes()) {
                Ok(v) => s.take(&v),
                Err(_) => s.set.count_rejected(),
            }
            if let Ok(id) = ev.last_event_id().parse::<u64>() {
                s.info.cursor = s.info.cursor.max(id);
            }
            s.succeeded();
        })
    };
    let on_clock = {
        let sh = sh.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            if let Ok(c) = serde_json::from_slice::<Clock>(text.as_bytes()) {
                let mut s = sh.borrow_mut();
                s.info.feed_now = Some(c.now);
                s.succeeded();
            }
        })
    };
    let on_error = {
        let sh = sh.clone();
        let es = es.clone();
        let url = url.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_ev: web_sys::Event| {
            es.close();
            let (wait, cursor) = {
                let mut s = sh.borrow_mut();
                s.failed(format!("the stream {url} failed or was closed"));
                (backoff_s(1.0, s.info.failures - 1), s.info.cursor)
            };
            let (sh, url) = (sh.clone(), url.clone());
            leptos::task::spawn_local(async move {
                sleep_ms((wait * 1000.0) as i32).await;
                connect(sh, url, Some(cursor));
            });
        })
    };
    let _ = es.add_event_listener_with_callback("contact", on_contact.as_ref().unchecked_ref());
    let _ = es.add_event_listener_with_callback("clock", on_clock.as_ref().unchecked_ref());
    es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The closures live as long as the stream object: the previous stream's (closed, never to
    // call them again) are dropped here. `connect` never runs inside one of them.
    sh.borrow_mut().handlers = Some((on_contact, on_clock, on_error));
}

/// Bytes of the wasm instance's linear memory (it grows, never shrinks: flat once the window
/// is full). For the soak test.
fn wasm_bytes() -> f64 {
    let mem = wasm_bindgen::memory();
    js_sys::Reflect::get(&mem, &"buffer".into())
        .ok()
        .and_then(|b| js_sys::Reflect::get(&b, &"byteLength".into()).ok())
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0)
}

/// Queue length per channel at `now` over the loaded data.
fn queues(store: &Store, now: i64) -> Vec<(String, u64)> {
    let Some(l) = store.data.get() else {
        return Vec::new();
    };
    let q = Query {
        now: Some(now),
        by: vec![Dim::parse("channel")],
        ..Default::default()
    };
    l.engine
        .report(&q)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|g| {
            let ch = g.key.first()?.1.clone();
            Some((ch, g.get("queue_length").unwrap_or(0.0) as u64))
        })
        .collect()
}

/// The live status line: mode, "updated N s ago", the stale warning, the failure in place, the
/// live queue per channel, and what the merge did. Renders nothing outside live mode.
#[component]
pub fn LiveStatus() -> impl IntoView {
    let store = expect_context::<Store>();
    let tick = RwSignal::new(now_ms());
    let _ = set_interval_with_handle(
        move || tick.set(now_ms()),
        std::time::Duration::from_millis(1000),
    );
    move || {
        let info = store.live.get()?;
        let t = tick.get();
        let ago = info.last_update_ms.map(|u| ((t - u) / 1000.0).max(0.0));
        let stale = match ago {
            Some(a) => a > STALE_INTERVALS * info.interval_s,
            None => info.failures > 0,
        };
        let updated = match ago {
            Some(a) => format!("updated {} s ago", a.round() as i64),
            None => "waiting for the first update…".to_string(),
        };
        let now = info.feed_now.or_else(|| {
            store.data.with_untracked(|d| {
                d.as_ref()
                    .and_then(|l| l.engine.dataset().contacts.arrived.last().copied())
            })
        });
        let qs = now.map(|n| queues(&store, n)).unwrap_or_default();
        let total: u64 = qs.iter().map(|(_, n)| n).sum();
        let st = info.stats;
        let stale_note = stale.then(|| {
            let msg = match ago {
                Some(a) => format!(
                    "Data may be stale: no update for {} s (expected every {} s).",
                    a.round() as i64,
                    info.interval_s
                ),
                None => "No update received yet.".to_string(),
            };
            view! { <div class="warning live-stale" role="alert" data-testid="live-stale">{msg}</div> }
        });
        let future_note = (st.future > 0).then(|| {
            view! {
                <span class="live-note" data-testid="live-future">
                    {format!("{} row(s) from the future ignored", st.future)}
                </span>
            }
        });
        let rejected_note = (st.rejected > 0).then(|| {
            view! {
                <span class="live-note" data-testid="live-rejected">
                    {format!("{} invalid message(s) skipped", st.rejected)}
                </span>
            }
        });
        let clock = now
            .and_then(|n| chrono::DateTime::from_timestamp(n, 0))
            .map(|d| {
                format!(
                    "feed clock {} UTC",
                    omnikpi_engine::text::ymd_hm(d.naive_utc())
                )
            })
            .unwrap_or_default();
        let items = qs
            .into_iter()
            .filter(|(ch, _)| Channel::parse(ch).is_some())
            .map(|(ch, n)| {
                let attr = ch.clone();
                view! {
                    <li data-channel=attr data-value=n.to_string()>
                        <span class="live-ch">{ch}</span>" "<b>{n.to_string()}</b>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="live" data-testid="live-status" aria-label="Live feed"
                data-mode=info.mode.id() data-rows=info.rows.to_string() data-cursor=info.cursor.to_string()
                data-stale=stale.to_string() data-failures=info.failures.to_string()
                data-inserted=st.inserted.to_string() data-updated=st.updated.to_string()
                data-unchanged=st.unchanged.to_string() data-future=st.future.to_string()
                data-evicted=st.evicted.to_string() data-wasm-bytes=wasm_bytes().to_string()>
                <div class="live-line">
                    <span class="live-dot" class:live-dot-bad=stale aria-hidden="true"></span>
                    <strong>{format!("Live ({})", info.mode.id())}</strong>
                    <span data-testid="live-updated">{updated}</span>
                    <span class="live-clock">{clock}</span>
                    <span class="live-rows">{format!("{} contacts in the window", info.rows)}</span>
                    {future_note}
                    {rejected_note}
                </div>
                {stale_note}
                <div class="live-queue-line">
                    <span>"In queue now: "</span>
                    <b data-testid="live-queue-total">{total.to_string()}</b>
                    <ul class="live-queues" data-testid="live-queue" data-value=total.to_string()>{items}</ul>
                </div>
            </section>
        })
    }
}
