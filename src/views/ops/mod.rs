//! `/ops` — Operations: the "now" strip, the period's headline tiles, today's intraday volume
//! against the same weekday of the last four weeks, service per channel with band status, the
//! weekday × hour heatmap with a KPI picker, alerts and top topics.

mod alerts;
mod channels;
mod heatmap;
mod intraday;
mod now;
mod topics;

use crate::components::{Ctx, DataGate, DrillList, FilterBar, KpiTile};
use crate::filters::Period;
use leptos::prelude::*;

/// Headline KPIs of the period.
pub const PERIOD_KPIS: [&str; 6] = [
    "contacts",
    "sla",
    "first_response_mean_s",
    "abandonment_rate",
    "aht_s",
    "csat",
];

/// The operations page.
#[component]
pub fn Ops() -> impl IntoView {
    view! {
        <section class="view view-ops" aria-labelledby="ops-title">
            <h1 id="ops-title">"Operations"</h1>
            <DataGate route="/ops" default_period=Period::Today render=body />
        </section>
    }
}

fn body(ctx: Ctx) -> AnyView {
    let tiles = ctx
        .tiles(&PERIOD_KPIS)
        .into_iter()
        .map(|t| view! { <KpiTile t=t scope="period" /> })
        .collect_view();
    view! {
        <FilterBar ctx=ctx.clone() />
        <DrillList ctx=ctx.clone() />
        {now::now_strip(&ctx)}
        <h2>"This period"</h2>
        <div class="tiles" data-testid="period-tiles">{tiles}</div>
        <div class="grid-2">
            {intraday::intraday(&ctx)}
            {alerts::alerts(&ctx)}
        </div>
        {channels::channels(&ctx)}
        <div class="grid-2">
            {heatmap::heatmap(&ctx)}
            {topics::topics(&ctx)}
        </div>
    }
    .into_any()
}

/// `/` shows the operations view: a redirect that keeps the query (`/?tv=1` → `/ops?tv=1`).
#[component]
pub fn ToOps() -> impl IntoView {
    let loc = leptos_router::hooks::use_location();
    let search = loc.search.get_untracked();
    let path = if search.is_empty() {
        "/ops".to_string()
    } else {
        format!("/ops?{}", search.trim_start_matches('?'))
    };
    view! { <leptos_router::components::Redirect path=path /> }
}
