//! The mapping screen of a foreign export: columns matched by name (or the mapping saved in the
//! browser), presets, upload and download of the mapping JSON, date order (asked when the
//! sample cannot tell), time zone of naive timestamps, and the load itself.

use super::field_row::FieldRow;
use super::import_panel::{Pending, Stage};
use crate::import::{self, missing_columns, saved_mapping, MAPPING_KEY};
use crate::store::Store;
use leptos::prelude::*;
use omnikpi_engine::io::{self, DateOrder, DateOrderGuess, Mapping, CONTACT_FIELDS};
use std::sync::Arc;

/// Presets shipped in `public/presets/`.
pub const PRESETS: [(&str, &str); 2] = [
    ("pwc-call-center", "PwC call center (Power BI case study)"),
    ("support-tickets", "Customer support tickets"),
];

const REQUIRED: [&str; 3] = ["id", "arrived_at", "channel"];

const ORDERS: [(DateOrder, &str, &str); 3] = [
    (DateOrder::Iso, "iso", "ISO (2024-01-31)"),
    (DateOrder::DayFirst, "day_first", "day first (31/01/2024)"),
    (
        DateOrder::MonthFirst,
        "month_first",
        "month first (01/31/2024)",
    ),
];

/// Date columns of `m` whose order the sample cannot tell.
fn ambiguous(m: &Mapping, headers: &[String], sample: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    for f in ["arrived_at", "closed_at"] {
        let Some(c) = m.fields.get(f).and_then(|s| s.to_map().column) else {
            continue;
        };
        let Some(i) = headers.iter().position(|h| *h == c) else {
            continue;
        };
        let vals = sample.iter().filter_map(|r| r.get(i).map(String::as_str));
        if io::detect_date_order(vals) == DateOrderGuess::Ambiguous {
            out.push(c);
        }
    }
    out
}

pub(super) async fn fetch_preset(id: &str) -> Result<Mapping, String> {
    let bytes = crate::data::fetch_bytes(&format!("presets/{id}.json"))
        .await
        .map_err(|e| e.to_string())?;
    Mapping::from_json(&String::from_utf8_lossy(&bytes)).map_err(|e| e.to_string())
}

/// The mapping screen.
#[component]
pub fn MappingScreen(
    /// The file waiting for its mapping.
    pending: Arc<Pending>,
    /// Why the last load with a mapping failed.
    error: Option<String>,
    /// The import stage, to move on.
    stage: RwSignal<Stage>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let headers = Arc::new(pending.peek.headers.clone());
    let sample = Arc::new(pending.peek.sample.clone());
    let suggestion = io::suggest_mapping(&headers, &sample);
    let (initial, origin) = match saved_mapping() {
        Some(m) if !m.fields.is_empty() && missing_columns(&m, &headers).is_empty() => {
            let o = format!("your saved mapping \"{}\"", m.name);
            (m, o)
        }
        _ => (
            suggestion.mapping.clone(),
            "columns matched by name".to_string(),
        ),
    };
    let draft = RwSignal::new(initial);
    let origin = RwSignal::new(origin);
    let message = RwSignal::new(error);
    let date_ok = RwSignal::new(false);
    let amb = {
        let (h, s) = (headers.clone(), sample.clone());
        Memo::new(move |_| draft.with(|m| ambiguous(m, &h, &s)))
    };
    let asking = move || !amb.get().is_empty() && !date_ok.get();
    let missing = {
        let h = headers.clone();
        Memo::new(move |_| draft.with(|m| missing_columns(m, &h)))
    };
    let set_order = move |o: DateOrder| {
        draft.update(|m| m.date_order = o);
        date_ok.set(true);
    };
    let on_preset = move |ev: web_sys::Event| {
        let id = event_target_value(&ev);
        if id.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            match fetch_preset(&id).await {
                Ok(m) => {
                    origin.set(format!("preset \"{}\"", m.name));
                    draft.set(m);
                    message.set(None);
                }
                Err(e) => message.set(Some(format!("The preset could not be read: {e}"))),
            }
        });
    };
    let on_upload = move |ev: web_sys::Event| {
        let Some(file) = import::input_file(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = import::read_text(&file).await;
            match text.and_then(|t| Mapping::from_json(&t).map_err(|e| e.to_string())) {
                Ok(m) => {
                    origin.set(format!("uploaded file {}", file.name()));
                    draft.set(m);
                    message.set(None);
                }
                Err(e) => message.set(Some(format!("{}: {e}", file.name()))),
            }
        });
    };
    let on_download = move |_| {
        let m = draft.get_untracked();
        import::download("mapping.json", "application/json", &m.to_json());
    };
    let on_save = move |_| {
        let saved = import::storage_set(MAPPING_KEY, &draft.get_untracked().to_json());
        message.set(Some(if saved {
            "Mapping saved in this browser.".into()
        } else {
            "This browser does not allow saving.".into()
        }));
    };
    let pending2 = pending.clone();
    let on_apply = move |_| {
        let m = draft.get_untracked();
        if let Err(e) = m.check() {
            message.set(Some(e.to_string()));
            return;
        }
        // Without a source for a required field every row would be rejected and the data
        // loaded now replaced by none: say so instead of loading.
        let unmapped: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|f| {
                let fm = m.fields.get(*f).map(|s| s.to_map());
                // A constant left blank is no value: the loader reads it as the field missing.
                !fm.is_some_and(|fm| {
                    fm.column.is_some()
                        || fm.constant.as_deref().is_some_and(|c| !c.trim().is_empty())
                })
            })
            .collect();
        if !unmapped.is_empty() {
            message.set(Some(format!(
                "Pick a source column or a constant for {} (required): without it every row would be rejected.",
                unmapped.join(", ")
            )));
            return;
        }
        if !missing.get_untracked().is_empty() {
            message.set(Some(format!(
                "The file has no column {}.",
                missing.get_untracked().join(", ")
            )));
            return;
        }
        import::storage_set(MAPPING_KEY, &m.to_json());
        let p = pending2.clone();
        let name = p.picked.name.clone();
        stage.set(Stage::Loading(name.clone()));
        leptos::task::spawn_local(async move {
            let cfg = import::current_config(&store);
            let ok = import::load(store, p.picked.clone(), Some(m), cfg).await;
            if ok {
                stage.set(Stage::Done(name));
            } else {
                let why = match store.status.get_untracked() {
                    crate::store::Status::Failed(e) => e,
                    _ => "The file could not be loaded with this mapping.".into(),
                };
                stage.set(Stage::Mapping(p, Some(why)));
            }
        });
    };
    let rows: Vec<_> = CONTACT_FIELDS
        .iter()
        .map(|f| {
            view! { <FieldRow field=*f required=REQUIRED.contains(f) draft=draft headers=headers.clone() sample=sample.clone() /> }
        })
        .collect();
    let dims: Vec<_> = headers
        .iter()
        .map(|h| {
            let (h1, h2) = (h.clone(), h.clone());
            view! {
                <label class="chip">
                    <input type="checkbox" prop:checked=move || draft.with(|m| m.dimensions.contains(&h1))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let h = h2.clone();
                            draft.update(|m| {
                                m.dimensions.retain(|d| *d != h);
                                if on { m.dimensions.push(h); }
                            });
                        } />
                    {h.clone()}
                </label>
            }
        })
        .collect();
    let name = pending.picked.name.clone();
    let n_cols = headers.len();
    view! {
        <div class="mapping" data-testid="mapping">
            <h3>{format!("Map the columns of {name}")}</h3>
            <p class="muted">{format!("{n_cols} columns found; they are not omnikpi's own. Pick a source for each field (* required), or choose a preset.")}</p>
            <div class="mapping-tools">
                <label>"Preset "
                    <select data-testid="preset-select" on:change=on_preset>
                        <option value="">"—"</option>
                        {PRESETS.iter().map(|(id, label)| view! { <option value=*id>{*label}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label class="button">"Upload a mapping"
                    <input type="file" class="visually-hidden" accept=".json,application/json" data-testid="mapping-upload" on:change=on_upload />
                </label>
                <button type="button" data-testid="mapping-download" on:click=on_download>"Download mapping (JSON)"</button>
                <button type="button" data-testid="mapping-save" on:click=on_save>"Save in this browser"</button>
            </div>
            <p class="muted" data-testid="mapping-origin">"Starting point: " {move || origin.get()}</p>
            <super::preset_fit::PresetFit headers=headers.clone() draft=draft origin=origin />
            {move || message.get().map(|m| view! { <div class="warning" role="alert" data-testid="mapping-error">{m}</div> })}
            {move || asking().then(|| view! {
                <div class="ask" role="alert" data-testid="date-order-ask">
                    <p>{format!("The dates in {} read both day-first and month-first (every day is 12 or less). Which is it?", amb.get().join(", "))}</p>
                    <button type="button" data-testid="date-day-first" on:click=move |_| set_order(DateOrder::DayFirst)>"Day first (31/01)"</button>
                    <button type="button" data-testid="date-month-first" on:click=move |_| set_order(DateOrder::MonthFirst)>"Month first (01/31)"</button>
                </div>
            })}
            <div class="mapping-options">
                <label>"Name "
                    <input type="text" data-testid="mapping-name" prop:value=move || draft.with(|m| m.name.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); draft.update(|m| m.name = v); } />
                </label>
                <label>"Date order "
                    <select data-testid="map-date-order" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(o) = ORDERS.iter().find(|o| o.1 == v) { set_order(o.0); }
                    }>
                        {ORDERS.iter().map(|(o, id, label)| {
                            let o = *o;
                            view! { <option value=*id prop:selected=move || draft.with(|m| m.date_order == o)>{*label}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label>"Time zone of naive timestamps "
                    <input type="text" data-testid="map-timezone" placeholder="as configured"
                        prop:value=move || draft.with(|m| m.timezone.clone().unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev).trim().to_string(); draft.update(|m| m.timezone = (!v.is_empty()).then_some(v)); } />
                </label>
                {(pending.peek.format == io::Format::Xlsx).then(|| view! {
                    <label>"Sheet "
                        <input type="text" size="10" data-testid="map-sheet" placeholder="the first"
                            prop:value=move || draft.with(|m| m.sheet.clone().unwrap_or_default())
                            on:change=move |ev| { let v = event_target_value(&ev).trim().to_string(); draft.update(|m| m.sheet = (!v.is_empty()).then_some(v)); } />
                    </label>
                })}
                <label>"Closed before arrival "
                    <select data-testid="map-bad-close" on:change=move |ev| {
                        let drop = event_target_value(&ev) == "drop_field";
                        draft.update(|m| m.on_bad_close = if drop { io::BadClose::DropField } else { io::BadClose::Reject });
                    }>
                        <option value="reject" prop:selected=move || draft.with(|m| m.on_bad_close == io::BadClose::Reject)>"reject the row"</option>
                        <option value="drop_field" prop:selected=move || draft.with(|m| m.on_bad_close == io::BadClose::DropField)>"load it without closed_at, with a warning"</option>
                    </select>
                </label>
            </div>
            <div class="table-scroll">
                <table class="table mapping-table">
                    <thead><tr><th>"Field"</th><th>"Source column"</th><th>"Constant"</th><th>"Transform"</th><th>"Value map"</th><th>"Means none"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <fieldset class="dims">
                <legend>"Other columns kept as dimensions"</legend>
                <label class="chip"><input type="checkbox" prop:checked=move || draft.with(|m| m.keep_unmapped)
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|m| m.keep_unmapped = on); } />"every unmapped column"</label>
                {dims}
            </fieldset>
            {move || (!missing.get().is_empty()).then(|| view! {
                <div class="warning" role="alert" data-testid="mapping-missing">{format!("The file has no column {}.", missing.get().join(", "))}</div>
            })}
            <p class="actions">
                <button type="button" class="primary" data-testid="mapping-apply" on:click=on_apply disabled=asking>"Load with this mapping"</button>
                " "
                <button type="button" data-testid="mapping-cancel" on:click=move |_| stage.set(Stage::Idle)>"Cancel"</button>
            </p>
        </div>
    }
}
