//! Embedding in portals.
//!
//! * `?embed=1` drops the navigation and page chrome (the `omnikpi-embed` class on `<html>`,
//!   see style/live.css), so a view fits an iframe.
//! * `?view=tiles&kpis=csat,nps` shows just those KPI tiles as a widget ([`TilesWidget`]); the
//!   filter keys of the URL (`period`, `channel`, `team`, …) apply as everywhere.
//! * `?theme=` and `?tv=1` are handled by `components::theme` (not duplicated here).
//! * Inside an iframe, [`EmbedBridge`] posts `{type: "omnikpi:height", height}` to the parent
//!   whenever the page's height changes, and applies `{type: "omnikpi:filter", filters: {…},
//!   period?}` messages — only from the page's own origin or an origin listed in
//!   `config.json` `allowed_origins`.
//!
//! Also the origin checks: [`url_allowed`] for `?data=` URLs and [`origin_allowed`] for
//! messages, both resolving URLs with the browser's own parser.

use crate::components::view_ctx::query_pairs;
use crate::components::{Ctx, KpiTile};
use crate::escape;
use crate::filters::{self, Period};
use crate::store::Store;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Tiles a widget shows when `kpis` is absent.
pub const DEFAULT_KPIS: [&str; 3] = ["csat", "nps", "contacts"];

/// The embedding switches of the page's URL.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// `embed=1`: no navigation or chrome.
    pub embed: bool,
    /// `view=tiles`: the tiles widget instead of the routes.
    pub widget: bool,
    /// `kpis=a,b`: the widget's tiles, as given.
    pub kpis: Vec<String>,
}

/// The value of query parameter `key` of the page's URL.
pub fn url_param(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(key)
}

impl Params {
    /// Reads the switches from the page's URL.
    pub fn from_location() -> Params {
        let on = |k: &str| url_param(k).is_some_and(|v| v == "1" || v == "true");
        let widget = url_param("view").as_deref() == Some("tiles");
        Params {
            embed: on("embed") || widget,
            widget,
            kpis: url_param("kpis")
                .map(|s| {
                    s.split(',')
                        .map(|k| k.trim().to_string())
                        .filter(|k| !k.is_empty())
                        .take(24)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Marks `<html>` so that the stylesheet drops the chrome.
    pub fn install(&self) {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(r) = root {
            let cl = r.class_list();
            let _ = cl.toggle_with_force("omnikpi-embed", self.embed);
            let _ = cl.toggle_with_force("omnikpi-widget", self.widget);
        }
    }
}

/// The page's origin, like `http://127.0.0.1:8080`.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn base_uri() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default()
}

/// True when `origin` (of a message) is the page's own or listed in `allowed`.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let norm = |o: &str| {
        escape::origin_of(o).unwrap_or_else(|| o.trim_end_matches('/').to_ascii_lowercase())
    };
    let o = norm(origin);
    o != "null" && (o == norm(&page_origin()) || allowed.iter().any(|a| norm(a) == o))
}

/// True when a dataset may be read from `url`: resolved against the page, it is `http(s)` and
/// its origin is the page's own or listed in `allowed`.
pub fn url_allowed(url: &str, allowed: &[String]) -> bool {
    let Ok(u) = web_sys::Url::new_with_base(url, &base_uri()) else {
        return false;
    };
    matches!(u.protocol().as_str(), "http:" | "https:")
        && u.username().is_empty()
        && origin_allowed(&u.origin(), allowed)
}

/// The catalog id matching `id`.
fn catalog_id(id: &str) -> Option<&'static str> {
    omnikpi_engine::CATALOG
        .iter()
        .find(|k| k.id == id)
        .map(|k| k.id)
}

/// The tiles widget: the KPIs of `?kpis=` (default [`DEFAULT_KPIS`]) over the URL's filter.
#[component]
pub fn TilesWidget(
    /// The switches.
    params: Params,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let pairs = query_pairs();
    let wanted = if params.kpis.is_empty() {
        DEFAULT_KPIS.iter().map(|s| s.to_string()).collect()
    } else {
        params.kpis.clone()
    };
    let ids: Vec<&'static str> = wanted.iter().filter_map(|k| catalog_id(k)).collect();
    let unknown: Vec<String> = wanted
        .iter()
        .filter(|k| catalog_id(k).is_none())
        .cloned()
        .collect();
    let unknown_note = (!unknown.is_empty()).then(|| {
        view! {
            <p class="warning" role="status" data-testid="widget-unknown">
                {format!("Unknown KPI id(s): {}", unknown.join(", "))}
            </p>
        }
    });
    let tiles = move || {
        let loaded = store.data.get()?;
        // The live queue is measured at the feed's clock in live mode, else at the context's now.
        let live_now = store.live.with(|l| l.as_ref().and_then(|l| l.feed_now));
        let mut ctx = Ctx::new(&loaded, pairs.get(), Period::Days30, live_now)?;
        // A period that ended before today has no "now" in it: its queue is no data, not 0.
        ctx.resolved.query.now = (ctx.resolved.range.1 >= ctx.today).then_some(ctx.now);
        Some(
            ctx.tiles(&ids)
                .into_iter()
                .map(|t| view! { <KpiTile t=t /> })
                .collect_view(),
        )
    };
    view! {
        <section class="widget" data-testid="tiles-widget" aria-label="KPI tiles">
            {unknown_note}
            <div class="tiles">{tiles}</div>
        </section>
    }
}

/// The parent's origin when framed (Chrome's `location.ancestorOrigins`, else the referrer's).
fn parent_origin() -> Option<String> {
    let w = web_sys::window()?;
    let loc = js_sys::Reflect::get(&w, &"location".into()).ok()?;
    let list = js_sys::Reflect::get(&loc, &"ancestorOrigins".into()).ok();
    let first = list
        .and_then(|l| js_sys::Reflect::get(&l, &"0".into()).ok())
        .and_then(|v| v.as_string());
    first.or_else(|| {
        let r = w.document()?.referrer();
        escape::origin_of(&r)
    })
}

fn framed() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    match (w.parent(), w.self_()) {
        (Ok(Some(p)), s) => !js_sys::Object::is(&p, &s),
        _ => false,
    }
}

fn allowed_origins(store: &Store) -> Vec<String> {
    store
        .data
        .get_untracked()
        .map(|l| l.engine.config().allowed_origins.clone())
        .unwrap_or_default()
}

/// Posts the page height to the parent frame (when framed by an allowed origin) and applies
/// filter messages from allowed origins. Renders nothing; place it inside the router.
#[component]
pub fn EmbedBridge() -> impl IntoView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    let loc = use_location();
    let pairs = query_pairs();
    // Filter messages.
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let ty = js_sys::Reflect::get(&data, &"type".into())
                .ok()
                .and_then(|v| v.as_string());
            if ty.as_deref() != Some("omnikpi:filter") {
                return;
            }
            if !origin_allowed(&ev.origin(), &allowed_origins(&store)) {
                web_sys::console::warn_1(
                    &format!(
                        "omnikpi: filter message from {} ignored (not in allowed_origins)",
                        ev.origin()
                    )
                    .into(),
                );
                return;
            }
            let changes = filter_changes(&data);
            if changes.is_empty() {
                return;
            }
            let borrowed: Vec<(&str, Option<String>)> =
                changes.iter().map(|(k, v)| (*k, v.clone())).collect();
            let next = filters::with_changes(&pairs.get_untracked(), &borrowed);
            let qs: leptos_router::params::ParamsMap = next.into_iter().collect();
            let base = crate::router_base();
            let path = loc.pathname.get_untracked();
            let path = path
                .strip_prefix(base.as_str())
                .unwrap_or(&path)
                .to_string();
            navigate(
                &format!("{path}{}", qs.to_query_string()),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    }
    on_message.forget();
    // Height.
    if framed() {
        let last = std::rc::Rc::new(std::cell::Cell::new(-1.0f64));
        let post = move || {
            let Some(w) = web_sys::window() else { return };
            let Some(target) = parent_origin() else {
                return;
            };
            if !origin_allowed(&target, &allowed_origins(&store)) {
                return;
            }
            let h = w
                .document()
                .and_then(|d| d.document_element())
                .map(|e| e.get_bounding_client_rect().height().ceil())
                .unwrap_or(0.0);
            if (h - last.get()).abs() < 1.0 {
                return;
            }
            last.set(h);
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"type".into(), &"omnikpi:height".into());
            let _ = js_sys::Reflect::set(&msg, &"height".into(), &h.into());
            if let Ok(Some(p)) = w.parent() {
                let _ = p.post_message(&msg, &target);
            }
        };
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new({
            let post = post.clone();
            move |_entries: js_sys::Array| post()
        });
        if let Ok(ro) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                ro.observe(&root);
            }
            std::mem::forget(ro);
        }
        cb.forget();
        // Data arriving changes the height too, and the allow-list is known only then.
        Effect::new(move |_| {
            store.data.track();
            post();
        });
    }
}

/// The URL changes a filter message asks for: `filters: {dim: [values] | "value" | null}` for
/// the filter bar's dimensions, and `period`, `from`, `to`, `compare`, `bh`.
fn filter_changes(data: &wasm_bindgen::JsValue) -> Vec<(&'static str, Option<String>)> {
    let text = |v: &wasm_bindgen::JsValue| -> Option<String> {
        if v.is_null() || v.is_undefined() {
            return None;
        }
        if js_sys::Array::is_array(v) {
            let a: js_sys::Array = v.clone().unchecked_into();
            let parts: Vec<String> = a.iter().filter_map(|x| x.as_string()).collect();
            return (!parts.is_empty()).then(|| parts.join(","));
        }
        v.as_string().filter(|s| !s.is_empty())
    };
    let mut out = Vec::new();
    let f = js_sys::Reflect::get(data, &"filters".into()).unwrap_or_default();
    for key in filters::filter_keys() {
        let v = if filters::DIMS.contains(&key) {
            if !f.is_object() {
                continue;
            }
            js_sys::Reflect::get(&f, &key.into()).unwrap_or_default()
        } else {
            js_sys::Reflect::get(data, &key.into()).unwrap_or_default()
        };
        let present = js_sys::Reflect::has(
            if filters::DIMS.contains(&key) {
                &f
            } else {
                data
            },
            &key.into(),
        )
        .unwrap_or(false);
        if present {
            out.push((key, text(&v).map(|s| s.chars().take(500).collect())));
        }
    }
    out
}
