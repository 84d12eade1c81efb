//! Theme and TV mode, both in the URL: `?theme=light|dark` overrides the system preference (the
//! toggle writes it), `?tv=1` sets large type and rotates between the main views.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Views the TV mode rotates through.
const TV_ROUTES: [&str; 2] = ["/ops", "/exec"];
/// Seconds each view stays on screen in TV mode.
const TV_SECONDS: u64 = 30;

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The path of the current route without the router base.
fn route_path(pathname: &str) -> String {
    let base = crate::router_base();
    pathname
        .strip_prefix(base.as_str())
        .unwrap_or(pathname)
        .to_string()
}

/// The theme toggle; applies `?theme=` to the page.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let q = use_query_map();
    let loc = use_location();
    let navigate = use_navigate();
    let theme = Memo::new(move |_| q.with(|m| m.get("theme")));
    Effect::new(move |_| {
        if let Some(r) = root() {
            match theme.get().as_deref() {
                Some(t @ ("light" | "dark")) => {
                    let _ = r.set_attribute("data-theme", t);
                }
                _ => {
                    let _ = r.remove_attribute("data-theme");
                }
            }
        }
    });
    let toggle = move |_| {
        let dark = match theme.get_untracked().as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => system_dark(),
        };
        let mut m = q.get_untracked();
        m.replace("theme", if dark { "light" } else { "dark" }.to_string());
        let path = route_path(&loc.pathname.get_untracked());
        navigate(
            &format!("{path}{}", m.to_query_string()),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let label = move || match theme.get().as_deref() {
        Some("dark") => "Light theme",
        Some("light") => "Dark theme",
        _ if system_dark() => "Light theme",
        _ => "Dark theme",
    };
    view! {
        <button type="button" class="theme-toggle" data-testid="theme-toggle" on:click=toggle>{label}</button>
    }
}

/// TV mode: `?tv=1` enlarges type and rotates the main views every 30 seconds.
#[component]
pub fn TvMode() -> impl IntoView {
    let q = use_query_map();
    let loc = use_location();
    let navigate = use_navigate();
    let tv = Memo::new(move |_| q.with(|m| m.get("tv").as_deref() == Some("1")));
    let handle: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let on = tv.get();
        if let Some(r) = root() {
            let _ = r.class_list().toggle_with_force("tv", on);
        }
        if let Some(h) = handle.get_value() {
            h.clear();
            handle.set_value(None);
        }
        if on {
            let navigate = navigate.clone();
            let h = set_interval_with_handle(
                move || {
                    let path = route_path(&loc.pathname.get_untracked());
                    let i = TV_ROUTES
                        .iter()
                        .position(|r| *r == path)
                        .map_or(0, |i| i + 1);
                    let next = TV_ROUTES[i % TV_ROUTES.len()];
                    let qs = q.get_untracked().to_query_string();
                    navigate(&format!("{next}{qs}"), NavigateOptions::default());
                },
                Duration::from_secs(TV_SECONDS),
            )
            .ok();
            handle.set_value(h);
        }
    });
}
