//! The KPI tile: value, unit, band word and colour, with the raw number in `data-value`.

use crate::format::{format_value, Unit};
use leptos::prelude::*;

/// One KPI tile. `value` is the engine's raw number (`None` = no data); `n` the observations behind it.
#[component]
pub fn KpiTile(
    /// Catalog id, written to `data-kpi`.
    id: &'static str,
    /// Label shown to people.
    label: &'static str,
    /// Raw value.
    value: Option<f64>,
    /// How to show it.
    unit: Unit,
    /// One-line formula for the tooltip.
    #[prop(optional)]
    formula: &'static str,
    /// Observations behind the value.
    #[prop(optional)]
    n: Option<u64>,
) -> impl IntoView {
    let raw = value.map(|v| v.to_string()).unwrap_or_default();
    let shown = format_value(value, unit);
    let title = match n {
        Some(n) => format!("{formula} (n = {n})"),
        None => formula.to_string(),
    };
    view! {
        <div class="tile" data-testid="kpi-tile" data-kpi=id data-value=raw title=title>
            <div class="tile-label">{label}</div>
            <div class="tile-value" class:no-data=value.is_none()>{shown}</div>
        </div>
    }
}
