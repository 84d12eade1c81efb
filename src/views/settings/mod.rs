//! `/settings`: bands and benchmarks per KPI, KPI tiers, SLA targets per channel, business hours
//! per weekday, time zone, cost rates and currency. Kept in the browser, exported and imported
//! as JSON, reset to the site's defaults; applying rebuilds the engine's configuration.

mod bands;
mod channels;
mod general;
mod hours;

use crate::import;
use crate::settings::{self, Settings, SettingsStore};
use crate::store::Store;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

pub use bands::BandsTable;
pub use channels::ChannelTable;
pub use general::General;
pub use hours::HoursTable;

/// What the last action did.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// Nothing yet.
    None,
    /// Success.
    Ok(String),
    /// Failure, the settings unchanged.
    Err(String),
}

/// The Settings page.
#[component]
pub fn SettingsView() -> impl IntoView {
    let store = expect_context::<Store>();
    let ss = expect_context::<SettingsStore>();
    // The saved settings, else the site's defaults (`config.json`), fetched once.
    let saved = ss.saved.get_untracked();
    // Edits left unapplied when the page was last left come back as they were.
    let pending = ss.pending.get_untracked();
    let ready = RwSignal::new(saved.is_some());
    // What is in use, to tell edits that are not applied yet.
    let in_use = RwSignal::new(saved.unwrap_or_default());
    let draft = RwSignal::new(pending.clone().unwrap_or_else(|| in_use.get_untracked()));
    let dirty = move || draft.with(|d| in_use.with(|u| d != u));
    let notice = RwSignal::new(Notice::None);
    if !ready.get_untracked() {
        leptos::task::spawn_local(async move {
            let (cfg, _) = crate::data::load_config().await;
            let s = Settings::from_config(cfg);
            in_use.set(s.clone());
            if pending.is_none() {
                draft.set(s);
            }
            ready.set(true);
        });
    }
    Effect::new(move |_| {
        if ready.get() {
            let p = dirty().then(|| draft.get());
            ss.pending.set(p);
        }
    });
    let apply = move |s: Settings, what: &str| {
        if let Err(e) = settings::check(&s.config) {
            notice.set(Notice::Err(e));
            return;
        }
        if let Err(e) = settings::apply_config(&store, &s.config) {
            notice.set(Notice::Err(e));
            return;
        }
        let saved = settings::save(&s);
        in_use.set(s.clone());
        ss.saved.set(Some(s));
        ss.saved_error.set(None);
        notice.set(Notice::Ok(if saved {
            format!("{what} Every view now uses them; they are kept in this browser.")
        } else {
            format!("{what} This browser does not allow keeping them.")
        }));
    };
    let on_apply = move |_| apply(draft.get_untracked(), "Settings applied.");
    let on_export = move |_| {
        import::download(
            "omnikpi-settings.json",
            "application/json",
            &draft.get_untracked().to_json(),
        );
    };
    let on_import = move |ev: web_sys::Event| {
        let Some(file) = import::input_file(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match import::read_text(&file)
                .await
                .and_then(|t| Settings::from_json(&t))
            {
                Ok(s) => {
                    draft.set(s.clone());
                    apply(s, &format!("Settings imported from {}.", file.name()));
                }
                Err(e) => notice.set(Notice::Err(format!(
                    "{} was not imported, the current settings are kept: {e}",
                    file.name()
                ))),
            }
        });
    };
    let on_reset = move |_| {
        leptos::task::spawn_local(async move {
            let (cfg, _) = crate::data::load_config().await;
            settings::forget();
            let s = Settings::from_config(cfg.clone());
            let _ = settings::apply_config(&store, &s.config);
            ss.saved.set(None);
            ss.saved_error.set(None);
            in_use.set(s.clone());
            draft.set(s);
            notice.set(Notice::Ok("Settings reset to the defaults.".into()));
        });
    };
    view! {
        <section class="view settings-view" data-testid="settings-view">
            <h1>"Settings"</h1>
            <div class="settings-actions no-print">
                <button type="button" class="primary" data-testid="settings-apply" on:click=on_apply>"Apply and keep"</button>
                <button type="button" data-testid="settings-export" on:click=on_export>"Export (JSON)"</button>
                <label class="button">"Import…"
                    <input type="file" class="visually-hidden" accept=".json,application/json" data-testid="settings-import" on:change=on_import />
                </label>
                <button type="button" data-testid="settings-reset" on:click=on_reset>"Reset to defaults"</button>
                <span class="muted" data-testid="settings-state">
                    {move || if ss.saved.get().is_some() { "Your settings are in use." } else { "The site's defaults are in use." }}
                </span>
                {move || dirty().then(|| view! { <span class="band-watch" role="status" data-testid="settings-dirty">"Changes not applied yet."</span> })}
            </div>
            {move || ss.saved_error.get().map(|e| view! {
                <div class="warning" role="alert" data-testid="settings-saved-error">
                    {format!("The settings kept in this browser could not be used, so the site's defaults are in use: {e} Apply or reset to replace them.")}
                </div>
            })}
            {move || match notice.get() {
                Notice::None => EitherOf3::A(()),
                Notice::Ok(m) => EitherOf3::B(view! { <p class="ok" role="status" data-testid="settings-message">{m}</p> }),
                Notice::Err(m) => EitherOf3::C(view! { <div class="error" role="alert" data-testid="settings-error">{m}</div> }),
            }}
            {move || if ready.get() {
                Either::Left(view! {
                    <General draft=draft />
                    <ChannelTable draft=draft />
                    <HoursTable draft=draft />
                    <BandsTable draft=draft />
                })
            } else {
                Either::Right(view! { <p class="loading" data-testid="settings-loading">"Loading the settings…"</p> })
            }}
        </section>
    }
}
