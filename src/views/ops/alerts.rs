//! Alerts: KPIs of the period in their "watch" or "act now" band, and the latest hour far from
//! the same weekday and hour of the previous four weeks.

use crate::components::Ctx;
use crate::format::{format_value, unit_of, Unit};
use leptos::prelude::*;
use omnikpi_engine::analysis::{band_alerts, AlertKind};
use omnikpi_engine::kpi::kpi;

/// KPIs checked for deviations.
const DEVIATION_KPIS: [&str; 4] = [
    "contacts",
    "sla",
    "abandonment_rate",
    "first_response_mean_s",
];

/// The alerts list.
pub fn alerts(ctx: &Ctx) -> impl IntoView {
    let e = &ctx.engine;
    let q = &ctx.resolved.query;
    let mut list = Vec::new();
    if let Some(g) = e.report(q).ok().and_then(|g| g.into_iter().next()) {
        list.extend(band_alerts(&g.kpis, e.config()));
    }
    list.extend(
        e.deviation_alerts(q, &DEVIATION_KPIS, 4, 2.0)
            .unwrap_or_default(),
    );
    let items = list
        .iter()
        .map(|a| {
            let def = kpi(a.kpi);
            let unit = def.map_or(Unit::Count, |d| unit_of(d.unit));
            let name = def.map_or(a.kpi, |d| d.name);
            let (word, class, text) = match a.kind {
                AlertKind::Band => (
                    a.band.word(),
                    format!("alert band-{:?}", a.band).to_ascii_lowercase(),
                    format!("{name} is {}", format_value(Some(a.value), unit)),
                ),
                AlertKind::Deviation => (
                    "unusual",
                    "alert band-watch".to_string(),
                    format!(
                        "{name} at {} is {} against a usual {} (z = {:.1})",
                        a.bucket.clone().unwrap_or_default(),
                        format_value(Some(a.value), unit),
                        format_value(a.baseline, unit),
                        a.z.unwrap_or(0.0)
                    ),
                ),
            };
            view! { <li class=class data-kpi-alert=a.kpi><strong>{word}</strong>" — "{text}</li> }
        })
        .collect_view();
    let empty = list.is_empty().then(
        || view! { <p class="empty">"No alerts: every KPI with bands is in its good band."</p> },
    );
    view! {
        <section class="panel" data-testid="alerts" aria-labelledby="alerts-title">
            <h2 id="alerts-title">"Alerts"</h2>
            {empty}
            <ul class="alerts">{items}</ul>
        </section>
    }
}
