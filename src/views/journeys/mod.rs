//! `/journeys` — Omnichannel: the journey and automation tiles (migration, switching, completion,
//! resolution across channels, bot containment, handoff), the channel transition matrix, and
//! usage and resolutions per channel.

mod matrix;
mod usage;

use crate::components::{needs_rows, Ctx, DataGate, DrillList, FilterBar, KpiTile};
use crate::filters::Period;
use leptos::prelude::*;

/// Journey and automation KPIs of the period.
pub const JOURNEY_KPIS: [&str; 7] = [
    "migration_rate",
    "switches_per_case",
    "journey_completion",
    "cross_channel_resolution",
    "bot_containment",
    "handoff_mean_s",
    "handoff_p90_s",
];

/// The omnichannel page.
#[component]
pub fn Journeys() -> impl IntoView {
    view! {
        <section class="view view-journeys" aria-labelledby="journeys-title">
            <h1 id="journeys-title">"Omnichannel journeys"</h1>
            <DataGate route="/journeys" default_period=Period::Days30 render=body />
        </section>
    }
}

fn body(ctx: Ctx) -> AnyView {
    let tiles = ctx
        .tiles(&JOURNEY_KPIS)
        .into_iter()
        .map(|t| view! { <KpiTile t=t scope="period" /> })
        .collect_view();
    if ctx.engine.is_cube() {
        return view! {
            <FilterBar ctx=ctx.clone() />
            <DrillList ctx=ctx.clone() />
            <h2>"Journeys and automation"</h2>
            <div class="tiles" data-testid="journey-tiles">{tiles}</div>
            {needs_rows("Channel transitions and usage")}
        }
        .into_any();
    }
    let usage = ctx
        .engine
        .channel_usage(&ctx.resolved.query)
        .unwrap_or_default();
    view! {
        <FilterBar ctx=ctx.clone() />
        <DrillList ctx=ctx.clone() />
        <h2>"Journeys and automation"</h2>
        <div class="tiles" data-testid="journey-tiles">{tiles}</div>
        <h2>"Channel transitions and usage"</h2>
        <div class="grid-2">
            {matrix::matrix(&ctx)}
            {usage::table(&usage)}
        </div>
        <div class="grid-2">
            {usage::bars(&usage, "Contacts per channel", "contacts", |u| u.contacts)}
            {usage::bars(&usage, "Resolutions per channel", "resolutions", |u| u.resolutions)}
        </div>
    }
    .into_any()
}
