//! Business hours per weekday (local time in the configured zone), and the peak hours.

use super::general::num_input;
use crate::settings::Settings;
use leptos::prelude::*;
use omnikpi_engine::config::Hours;

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Opening hours of each weekday.
#[component]
pub fn HoursTable(draft: RwSignal<Settings>) -> impl IntoView {
    let rows: Vec<_> = DAYS
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let h = move || draft.with(|s| s.config.business_hours[i]);
            let set = move |f: fn(&mut Hours, f64), v: Option<f64>| {
                if let Some(v) = v {
                    draft.update(|s| {
                        if let Some(h) = s.config.business_hours[i].as_mut() {
                            f(h, v.clamp(0.0, 24.0));
                        }
                    });
                }
            };
            view! {
                <tr data-testid=format!("hours-row-{i}")>
                    <th scope="row">{*day}</th>
                    <td class="center">
                        <input type="checkbox" data-testid=format!("hours-open-{i}") aria-label=format!("open on {day}")
                            prop:checked=move || h().is_some()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|s| s.config.business_hours[i] = on.then_some(Hours { open: 8.0, close: 18.0 }));
                            } />
                    </td>
                    <td>{num_input(format!("hours-from-{i}"), format!("{day} opens at (hour)"), "0.25",
                        move || h().map(|h| h.open), move |v| set(|h, v| h.open = v, v))}</td>
                    <td>{num_input(format!("hours-to-{i}"), format!("{day} closes at (hour)"), "0.25",
                        move || h().map(|h| h.close), move |v| set(|h, v| h.close = v, v))}</td>
                </tr>
            }
        })
        .collect();
    view! {
        <section class="panel" aria-labelledby="hours-h">
            <h2 id="hours-h">"Business hours"</h2>
            <p class="muted">"Local hours (8.5 = 08:30) in the configured time zone. They count toward business-hours SLA thresholds such as email's 4 hours."</p>
            <table class="table settings-table" data-testid="hours-settings">
                <thead><tr><th>"Day"</th><th>"Open"</th><th>"From"</th><th>"To"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="form-row">
                <label>"Peak hours from "
                    {num_input("peak-from".into(), "peak hours from".into(), "0.25",
                        move || Some(draft.with(|s| s.config.peak_hours.open)),
                        move |v| if let Some(v) = v { draft.update(|s| s.config.peak_hours.open = v.clamp(0.0, 24.0)) })}
                </label>
                <label>" to "
                    {num_input("peak-to".into(), "peak hours to".into(), "0.25",
                        move || Some(draft.with(|s| s.config.peak_hours.close)),
                        move |v| if let Some(v) = v { draft.update(|s| s.config.peak_hours.close = v.clamp(0.0, 24.0)) })}
                </label>
            </p>
        </section>
    }
}
