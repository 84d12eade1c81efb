//! `/agents` — Teams and agents: occupancy (with its 70–85 % band shaded on its chart),
//! adherence, the weighted QA score and turnover; per agent AHT beside FCR, contacts and QA
//! (a sortable table whose rows narrow the agent filter, and a scatter); the Erlang C staffing
//! gap per weekday × hour.
//!
//! The agent filter is this view's own URL key `agent_id` (comma-separated), applied on top of
//! the filter bar's; the filter bar keeps it when it rewrites the URL.

mod occupancy;
mod per_agent;
mod staffing;

use crate::components::{Ctx, DataGate, DrillList, FilterBar, KpiTile, Nav};
use crate::filters::Period;
use leptos::prelude::*;

/// Agent KPIs of the period.
pub const AGENT_KPIS: [&str; 4] = ["occupancy", "adherence", "qa_score", "turnover"];

/// The teams-and-agents page.
#[component]
pub fn Agents() -> impl IntoView {
    view! {
        <section class="view view-agents" aria-labelledby="agents-title">
            <h1 id="agents-title">"Teams and agents"</h1>
            <DataGate route="/agents" default_period=Period::Days30 render=body />
        </section>
    }
}

/// `ctx` with the `agent_id` URL key added to its filter.
fn with_agent(mut ctx: Ctx) -> Ctx {
    let ids: Vec<String> = ctx
        .param("agent_id")
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if !ids.is_empty() {
        ctx.filters.dims.push(("agent_id".into(), ids));
        ctx.resolve_again();
    }
    ctx
}

fn body(ctx: Ctx) -> AnyView {
    let ctx = with_agent(ctx);
    // The gate checked the filter bar's query; the agent key is added here (a cube has no agents).
    let note = ctx
        .param("agent_id")
        .and_then(|_| crate::components::query_note(&ctx));
    let tiles = ctx
        .tiles(&AGENT_KPIS)
        .into_iter()
        .map(|t| view! { <KpiTile t=t scope="period" /> })
        .collect_view();
    let chip = ctx.param("agent_id").map(|a| {
        let nav = expect_context::<Nav>();
        view! {
            <p class="range" data-testid="agent-filter">{format!("Agent: {a} ")}
                <button type="button" data-testid="agent-filter-clear"
                    on:click=move |_| nav.change(&[("agent_id", None)])>"All agents"</button>
            </p>
        }
    });
    view! {
        {note}
        <FilterBar ctx=ctx.clone() />
        {chip}
        <DrillList ctx=ctx.clone() />
        <h2>"This period"</h2>
        <div class="tiles" data-testid="agent-tiles">{tiles}</div>
        {occupancy::occupancy(&ctx)}
        {per_agent::per_agent(&ctx)}
        {staffing::staffing(&ctx)}
    }
    .into_any()
}
