//! Time zone, currency and the occupancy cap of the staffing model, and the number input the
//! other settings tables share.

use crate::settings::Settings;
use leptos::prelude::*;

/// A number input bound to the draft: shows `get`, calls `set` with a parsed number on change.
/// Type-erased (one copy of the view code for every input of the settings page).
pub fn num_input(
    testid: String,
    label: String,
    step: &'static str,
    get: impl Fn() -> Option<f64> + Send + Sync + 'static,
    set: impl Fn(Option<f64>) + 'static,
) -> AnyView {
    num_input_dyn(testid, label, step, Signal::derive(get), Box::new(set))
}

#[allow(clippy::type_complexity)]
fn num_input_dyn(
    testid: String,
    label: String,
    step: &'static str,
    get: Signal<Option<f64>>,
    set: Box<dyn Fn(Option<f64>)>,
) -> AnyView {
    view! {
        <input type="number" step=step data-testid=testid aria-label=label class="num-input"
            prop:value=move || get.get().map(|v| format!("{}", (v * 1e6).round() / 1e6)).unwrap_or_default()
            on:change=move |ev| {
                let v = event_target_value(&ev);
                let t = v.trim();
                if t.is_empty() { set(None) } else if let Ok(x) = t.parse::<f64>() { if x.is_finite() { set(Some(x)) } }
            } />
    }
    .into_any()
}

/// Time zone, currency, occupancy cap.
#[component]
pub fn General(draft: RwSignal<Settings>) -> impl IntoView {
    let tz_ok = move || draft.with(|s| s.config.tz().is_ok());
    view! {
        <section class="panel" aria-labelledby="general-h">
            <h2 id="general-h">"Time zone and money"</h2>
            <div class="form-row">
                <label>"Time zone (IANA) "
                    <input type="text" data-testid="set-timezone" list="tz-list" aria-invalid=move || (!tz_ok()).to_string()
                        prop:value=move || draft.with(|s| s.config.timezone.clone())
                        on:change=move |ev| { let v = event_target_value(&ev).trim().to_string(); draft.update(|s| s.config.timezone = v); } />
                </label>
                <datalist id="tz-list">
                    {["UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"]
                        .into_iter().map(|z| view! { <option value=z></option> }).collect::<Vec<_>>()}
                </datalist>
                {move || (!tz_ok()).then(|| view! { <span class="band-bad">"unknown time zone"</span> })}
                <label>"Currency "
                    <input type="text" size="5" maxlength="8" data-testid="set-currency"
                        prop:value=move || draft.with(|s| s.config.currency.clone())
                        on:change=move |ev| { let v = crate::format::to_upper(event_target_value(&ev).trim()); draft.update(|s| s.config.currency = v); } />
                </label>
                <label>"Occupancy cap for staffing (0–1) "
                    {num_input("set-occupancy-cap".into(), "occupancy cap".into(), "0.01",
                        move || Some(draft.with(|s| s.config.occupancy_cap)),
                        move |v| if let Some(v) = v { draft.update(|s| s.config.occupancy_cap = v.clamp(0.0, 1.0)) })}
                </label>
                <label>"Days until a case is settled (1–90) "
                    {num_input("set-case-window".into(), "case window".into(), "1",
                        move || Some(f64::from(draft.with(|s| s.config.case_window_days))),
                        move |v| if let Some(v) = v { draft.update(|s| s.config.case_window_days = v.round().clamp(1.0, 90.0) as u32) })}
                </label>
            </div>
        </section>
    }
}
