//! Bands (benchmarks) and tier per KPI. Rates are entered in percent, like the SLA targets on
//! the same page (the settings file keeps them as shares 0..1); durations in seconds. An empty
//! box keeps the catalog's threshold.

use super::general::num_input;
use crate::settings::{parse_tier, tier_id, Settings, TIERS};
use leptos::prelude::*;
use omnikpi_engine::kpi::{Bands, Better, KpiDef, Unit, CATALOG};

type Slot = fn(&mut Bands) -> &mut Option<f64>;

const SLOTS: [(&str, Slot); 5] = [
    ("good", |b| &mut b.good),
    ("bad", |b| &mut b.bad),
    ("low", |b| &mut b.low),
    ("high", |b| &mut b.high),
    ("bad_high", |b| &mut b.bad_high),
];

fn better_word(b: Better) -> &'static str {
    match b {
        Better::Higher => "higher",
        Better::Lower => "lower",
        Better::Range => "in range",
        Better::Context => "context",
    }
}

fn row(draft: RwSignal<Settings>, k: &'static KpiDef) -> impl IntoView {
    let id = k.id;
    let (scale, unit) = match k.unit {
        Unit::Rate => (100.0, " in percent"),
        Unit::Seconds => (1.0, " in seconds"),
        _ => (1.0, ""),
    };
    let cells: Vec<_> = SLOTS
        .iter()
        .map(|(name, slot)| {
            let slot = *slot;
            let get = move || {
                draft.with(|s| {
                    let mut b = s.config.bands.get(id).copied().unwrap_or(k.bands);
                    slot(&mut b).map(|v| v * scale)
                })
            };
            let set = move |v: Option<f64>| {
                draft.update(|s| {
                    let mut b = s.config.bands.get(id).copied().unwrap_or(k.bands);
                    *slot(&mut b) = v.map(|v| v / scale);
                    if b == k.bands {
                        s.config.bands.remove(id);
                    } else {
                        s.config.bands.insert(id.to_string(), b);
                    }
                })
            };
            view! { <td>{num_input(format!("band-{id}-{name}"), format!("{} {name} threshold{unit}", k.name), "any", get, set)}</td> }
        })
        .collect();
    let tier_opts: Vec<_> = TIERS
        .iter()
        .map(|(t, label)| {
            let t = *t;
            let sel = move || draft.with(|s| s.tier(id) == Some(t));
            view! { <option value=tier_id(t) prop:selected=sel>{*label}</option> }
        })
        .collect();
    view! {
        <tr data-testid=format!("kpi-row-{id}") class:overridden=move || draft.with(|s| s.config.bands.contains_key(id) || s.tiers.contains_key(id))>
            <th scope="row" title=k.formula>{k.name}<br /><code class="muted">{id}</code></th>
            <td>
                <select data-testid=format!("tier-{id}") aria-label=format!("tier of {}", k.name) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(t) = parse_tier(&v) {
                        draft.update(|s| { if t == k.tier { s.tiers.remove(id); } else { s.tiers.insert(id.to_string(), t); } });
                    }
                }>{tier_opts}</select>
            </td>
            <td>{better_word(k.better)}</td>
            {cells}
            <td>
                <button type="button" class="link" data-testid=format!("band-default-{id}")
                    on:click=move |_| draft.update(|s| { s.config.bands.remove(id); s.tiers.remove(id); })>"default"</button>
            </td>
        </tr>
    }
}

/// The bands and tiers table.
#[component]
pub fn BandsTable(draft: RwSignal<Settings>) -> impl IntoView {
    let rows: Vec<_> = CATALOG.iter().map(|k| row(draft, k)).collect();
    view! {
        <section class="panel" aria-labelledby="bands-h">
            <h2 id="bands-h">"Bands, benchmarks and tiers per KPI"</h2>
            <p class="muted">"Higher is better: good from “good”, act now below “bad”. Lower is better: good up to “good”, act now above “bad”. In range (occupancy): good between “low” and “high”, act now below “bad” or above “bad_high”. Rates in percent (80 = 80 %), durations in seconds."</p>
            <div class="table-scroll">
                <table class="table settings-table bands" data-testid="band-settings">
                    <thead><tr><th>"KPI"</th><th>"Tier"</th><th>"Better"</th><th>"good"</th><th>"bad"</th><th>"low"</th><th>"high"</th><th>"bad_high"</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
