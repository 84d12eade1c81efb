//! omnikpi's dashboard: the Leptos app. `main.rs` only mounts [`App`]; data access lives in
//! [`data`], chart drawing in [`chart`], reusable parts in [`components`], routes in [`views`].

pub mod banner;
pub mod chart;
pub mod components;
pub mod data;
pub mod embed;
pub mod escape;
pub mod filters;
pub mod format;
pub mod import;
pub mod live;
pub mod settings;
pub mod store;
pub mod views;
pub mod workbook;
pub mod zones;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, Lazy};

/// The router base: the path of the page's `<base href>` without its trailing slash, so that
/// Trunk's `--public-url`, `<base href>` and the router always agree.
pub fn router_base() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|b| web_sys::Url::new(&b).ok())
        .map(|u| u.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_string()
}

/// An app path (`/ops`) as a link under the router base (`/omnikpi/ops` when deployed there).
/// `<A href>` and `use_navigate` take absolute paths as they are, so every internal link that
/// starts with `/` goes through this.
pub fn href(path: &str) -> String {
    thread_local!(static BASE: String = router_base());
    BASE.with(|b| format!("{b}{path}"))
}

/// The links between the views. Each carries what the current URL names of the filter (period,
/// comparison, dimensions, hours) and the theme, so a manager who narrowed Operations to chat
/// this week and turned the theme dark finds Executive the same way; a view's own keys (its
/// heatmap KPI, an open list) stay behind. A view's default period is not in its URL and is not
/// carried: each view opens on its own default (Operations today, the others 30 days) until a
/// period is chosen.
#[component]
fn ViewLinks() -> impl IntoView {
    let q = leptos_router::hooks::use_query_map();
    let ss = use_context::<settings::SettingsStore>();
    let pending = move || ss.is_some_and(|ss| ss.pending.with(|p| p.is_some()));
    let link = move |path: &'static str| {
        move || {
            let carried: Vec<(String, String)> = q.with(|m| {
                filters::filter_keys()
                    .chain(["theme"])
                    .filter_map(|k| Some((k.to_string(), m.get(k)?)))
                    .collect()
            });
            let query: Vec<String> = carried
                .iter()
                .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
                .collect();
            match query.is_empty() {
                true => href(path),
                false => format!("{}?{}", href(path), query.join("&")),
            }
        }
    };
    view! {
        <nav aria-label="Views">
            <A href=link("/ops")>"Operations"</A>
            <A href=link("/exec")>"Executive"</A>
            <A href=link("/journeys")>"Journeys"</A>
            <A href=link("/agents")>"Agents"</A>
            <A href=link("/data")>"Data"</A>
            <A href=link("/settings")>"Settings"{move || pending().then(|| view! {
                <span class="pending-mark" data-testid="settings-pending" title="Settings changed but not applied">
                    <span aria-hidden="true">" •"</span><span class="visually-hidden">" (changes not applied)"</span>
                </span>
            })}</A>
        </nav>
    }
}

/// The whole dashboard.
#[component]
pub fn App() -> impl IntoView {
    let store = store::Store::new();
    provide_context(store);
    settings::install(store);
    let embed = embed::Params::from_location();
    embed.install();
    leptos::task::spawn_local(live::boot(store));
    // True while the router resolves a navigation, which for a route opened the first time
    // includes fetching its part of the module (src/views/lazy.rs).
    let (routing, set_routing) = signal(false);
    view! {
        <Router base=router_base() set_is_routing=set_routing>
            <div class="route-loading" role="progressbar" aria-label="Opening the page" data-testid="route-loading" hidden=move || !routing.get()></div>
            <header class="topbar">
                <span class="brand">"omnikpi"</span>
                <ViewLinks />
                <components::ThemeToggle />
                <components::TvMode />
            </header>
            <main>
                <components::StatusBar />
                <live::LiveStatus />
                <embed::EmbedBridge />
                <Show when=move || !embed.widget fallback=move || view! { <embed::TilesWidget params=embed.clone() /> }>
                <Routes fallback=|| view! { <p data-testid="not-found">"This page does not exist."</p> }>
                    <Route path=path!("/") view=views::ToOps />
                    <Route path=path!("/ops") view=views::Ops />
                    <Route path=path!("/exec") view={Lazy::<views::lazy::ExecRoute>::new()} />
                    <Route path=path!("/journeys") view={Lazy::<views::lazy::JourneysRoute>::new()} />
                    <Route path=path!("/agents") view={Lazy::<views::lazy::AgentsRoute>::new()} />
                    <Route path=path!("/data") view={Lazy::<views::lazy::DataRoute>::new()} />
                    <Route path=path!("/settings") view={Lazy::<views::lazy::SettingsRoute>::new()} />
                </Routes>
                </Show>
            </main>
        </Router>
    }
}
