//! The shipped presets that fit a file, offered on the mapping screen: a preset all of whose
//! columns the file has is a better start than columns matched by name one at a time (it knows
//! that the tickets' "First Response Time" is their arrival and that "Resolution" is free text).

use super::mapping::{fetch_preset, PRESETS};
use crate::import::missing_columns;
use leptos::prelude::*;
use omnikpi_engine::io::Mapping;
use std::sync::Arc;

/// "The preset … fits this file: Use it", one line per fitting preset; nothing when none does.
#[component]
pub fn PresetFit(
    /// The file's columns.
    headers: Arc<Vec<String>>,
    /// The mapping being edited.
    draft: RwSignal<Mapping>,
    /// Where the draft came from, as shown.
    origin: RwSignal<String>,
) -> impl IntoView {
    let fits = RwSignal::new(Vec::<Mapping>::new());
    leptos::task::spawn_local(async move {
        let mut out = Vec::new();
        for (id, _) in PRESETS {
            if let Ok(m) = fetch_preset(id).await {
                if missing_columns(&m, &headers).is_empty() {
                    out.push(m);
                }
            }
        }
        fits.set(out);
    });
    move || {
        fits.get()
            .into_iter()
            .map(|m| {
                let text = format!("The preset \"{}\" fits this file: every column it reads is here. ", m.name);
                let using = {
                    let m = m.clone();
                    move || draft.with(|d| *d == m)
                };
                let use_it = move |_| {
                    origin.set(format!("preset \"{}\"", m.name));
                    draft.set(m.clone());
                };
                view! {
                    <p class="hint" data-testid="preset-fits">{text}
                        <button type="button" data-testid="preset-use" disabled=using on:click=use_it>"Use it"</button>
                    </p>
                }
            })
            .collect_view()
    }
}
