//! Theme and TV mode, both in the URL: `?theme=light|dark` overrides the system preference (the
//! toggle writes it), `?tv=1` sets large type and pages through the main views a screen at a
//! time, since nobody scrolls a wall display.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Views the TV mode rotates through.
const TV_ROUTES: [&str; 2] = ["/ops", "/exec"];
/// Seconds each screen of a view stays up in TV mode.
const TV_SECONDS: u32 = 15;
/// The part of a screen that a page-down moves, so that a row cut at the bottom edge is seen
/// whole on the next screen.
const TV_STEP: f64 = 0.85;

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

/// Where the page is: (scrolled, viewport height, page height) in CSS pixels.
fn scroll_state() -> Option<(f64, f64, f64)> {
    let w = web_sys::window()?;
    let h = w.inner_height().ok()?.as_f64()?;
    let total = w.document()?.document_element()?.scroll_height() as f64;
    Some((w.scroll_y().ok()?, h, total))
}

/// The screen `(k, of)` (1-based) that the viewport shows of the page.
fn screen_of(y: f64, h: f64, total: f64) -> (u32, u32) {
    let step = (h * TV_STEP).max(1.0);
    let of = 1 + ((total - h - 2.0).max(0.0) / step).ceil() as u32;
    // The last screen is the page's bottom, which a page-down may reach in less than a step.
    let k = match y + h >= total - 2.0 {
        true => of,
        false => (1 + (y / step).round() as u32).min(of),
    };
    (k, of)
}

/// "k / n" for screen `k` of `n`; none for a view that fits one screen.
fn screen_label((k, of): (u32, u32)) -> Option<String> {
    (of > 1).then(|| format!("{k} / {of}"))
}

/// Seconds a screen stays up: `?tv_s=` (3 to 600), else [`TV_SECONDS`].
fn seconds_per_screen(v: Option<String>) -> u32 {
    v.and_then(|s| s.parse::<u32>().ok())
        .map_or(TV_SECONDS, |n| n.clamp(3, 600))
}

/// TV mode: `?tv=1` enlarges type and shows the main views in turn, each a screen at a time
/// (`?tv_s=` seconds a screen, 15 by default, then the next view), with the screen's number in
/// a corner.
#[component]
pub fn TvMode() -> impl IntoView {
    let q = use_query_map();
    let loc = use_location();
    let navigate = use_navigate();
    let tv = Memo::new(move |_| q.with(|m| m.get("tv").as_deref() == Some("1")));
    let handle: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    // "k / n", the screen shown of the view's n (only while there is more than one).
    let screen = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let on = tv.get();
        let per_screen = q.with(|m| seconds_per_screen(m.get("tv_s")));
        if let Some(r) = root() {
            let _ = r.class_list().toggle_with_force("tv", on);
        }
        if let Some(h) = handle.get_value() {
            h.clear();
            handle.set_value(None);
        }
        if !on {
            return;
        }
        let navigate = navigate.clone();
        let ticks = std::cell::Cell::new(0);
        // A tick a second keeps the screen's number right as the view's data arrive; every
        // `per_screen` ticks the next screen, or the next view after the last.
        let tick = move || {
            let state = scroll_state();
            let now = state.and_then(|(y, h, t)| screen_label(screen_of(y, h, t)));
            ticks.set(ticks.get() + 1);
            if ticks.get() < per_screen {
                if screen.get_untracked() != now {
                    screen.set(now);
                }
                return;
            }
            ticks.set(0);
            if let Some((y, h, total)) = state.filter(|(y, h, t)| y + h < t - 2.0) {
                if let Some(w) = web_sys::window() {
                    w.scroll_to_with_x_and_y(0.0, y + h * TV_STEP);
                }
                screen.set(screen_label(screen_of(y + h * TV_STEP, h, total)));
                return;
            }
            let path = route_path(&loc.pathname.get_untracked());
            let i = TV_ROUTES
                .iter()
                .position(|r| *r == path)
                .map_or(0, |i| i + 1);
            let next = TV_ROUTES[i % TV_ROUTES.len()];
            let qs = q.get_untracked().to_query_string();
            navigate(&format!("{next}{qs}"), NavigateOptions::default());
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
            screen.set(None);
        };
        handle.set_value(set_interval_with_handle(tick, Duration::from_secs(1)).ok());
    });
    move || {
        let text = screen.get().filter(|_| tv.get())?;
        Some(view! { <div class="tv-screen" data-testid="tv-screen">{text}</div> })
    }
}

#[cfg(test)]
mod tests {
    use super::screen_of;

    /// A 1080 px screen moves 918 px a step: a page of 3,016 px is four screens, the last one
    /// its bottom (scrolled 1,936 px, less than three steps).
    #[test]
    fn screens_of_a_page() {
        let (h, total) = (1080.0, 3016.0);
        let at: Vec<(u32, u32)> = [0.0, 918.0, 1836.0, 1936.0]
            .iter()
            .map(|&y| screen_of(y, h, total))
            .collect();
        assert_eq!(at, [(1, 4), (2, 4), (3, 4), (4, 4)]);
        // A page that fits is one screen; one a few pixels taller is not two.
        assert_eq!(screen_of(0.0, h, 1080.0), (1, 1));
        assert_eq!(screen_of(0.0, h, 1081.5), (1, 1));
        assert_eq!(screen_of(0.0, h, 1100.0), (1, 2));
    }
}
