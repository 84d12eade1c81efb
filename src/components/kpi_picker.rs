//! A KPI picker bound to a URL key: the chosen KPI lives in the query, so the choice is a link.

use crate::components::Nav;
use leptos::prelude::*;
use omnikpi_engine::kpi::kpi;

/// A labelled `<select>` of `ids` (shown by catalog name) with `selected` chosen; picking one
/// writes it to the URL key `key` (a new history entry).
#[component]
pub fn KpiPicker(
    /// Text before the select, e.g. "Heatmap of ".
    label: &'static str,
    /// The select's `data-testid`.
    testid: &'static str,
    /// The URL key.
    key: &'static str,
    /// KPI ids offered.
    ids: &'static [&'static str],
    /// The current KPI id.
    selected: &'static str,
) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let options = ids
        .iter()
        .map(|k| view! { <option value=*k selected={*k == selected}>{kpi(k).map_or(*k, |d| d.name)}</option> })
        .collect_view();
    let on_pick = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        if let Some(s) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            nav.change(&[(key, Some(s.value()))]);
        }
    };
    view! {
        <label class="picker no-print">{label}<select data-testid=testid on:change=on_pick>{options}</select></label>
    }
}
