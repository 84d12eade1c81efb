//! `/exec` — Executive: the North Star tiles (CSAT, NPS, CES) with period delta and sparkline,
//! weekly and monthly trends with the previous period and last year overlaid, the strategic KPIs
//! (FCR, ART, cost per resolution, retention, churn), the insightful and social ones, the channel
//! mix over time and a "what moved" panel. Prints as a one-to-two-page report.
//!
//! The tile rows follow the KPI tiers: the catalog's, or the user's re-tiering from Settings.

mod mix;
mod moved;
mod trends;

use crate::components::{Ctx, DataGate, DrillList, FilterBar, KpiTile};
use crate::filters::Period;
use crate::settings::SettingsStore;
use leptos::prelude::*;
use omnikpi_engine::kpi::{Tier, CATALOG};

/// The tiers the executive page shows, each as a row of tiles: (tier, heading, test id).
const ROWS: [(Tier, &str, &str); 4] = [
    (Tier::NorthStar, "North Star", "north-star"),
    (Tier::Strategic, "Strategic", "strategic"),
    (Tier::Insightful, "Insightful", "insightful"),
    (Tier::Social, "Social", "social"),
];

/// The KPIs of `tier` under the current settings, in catalog order.
pub fn tier_kpis(tier: Tier) -> Vec<&'static str> {
    let ss = use_context::<SettingsStore>();
    CATALOG
        .iter()
        .filter(|k| match ss {
            Some(ss) => ss.tier(k.id) == Some(tier),
            None => k.tier == tier,
        })
        .map(|k| k.id)
        .collect()
}

/// The executive page.
#[component]
pub fn Exec() -> impl IntoView {
    view! {
        <section class="view view-exec" aria-labelledby="exec-title">
            <h1 id="exec-title">"Executive"</h1>
            <DataGate route="/exec" default_period=Period::Days30 render=body />
        </section>
    }
}

fn body(ctx: Ctx) -> AnyView {
    let rows = ROWS
        .iter()
        .filter_map(|&(tier, heading, testid)| {
            let ids = tier_kpis(tier);
            // A tier the user emptied leaves no heading behind; North Star always shows.
            (!ids.is_empty() || tier == Tier::NorthStar).then(|| {
                let tiles = ctx
                    .tiles(&ids)
                    .into_iter()
                    .map(|t| view! { <KpiTile t=t scope="period" /> })
                    .collect_view();
                view! {
                    <h2>{heading}</h2>
                    <div class="tiles" data-testid=testid>{tiles}</div>
                }
            })
        })
        .collect_view();
    view! {
        <FilterBar ctx=ctx.clone() />
        <DrillList ctx=ctx.clone() />
        <p class="print-only range-print">{print_line(&ctx)}</p>
        {rows}
        {moved::what_moved(&ctx)}
        {trends::trends(&ctx)}
        {mix::channel_mix(&ctx)}
    }
    .into_any()
}

/// The report's scope in one line, for the printed page.
fn print_line(ctx: &Ctx) -> String {
    use crate::filters::day_str;
    let (a, b) = ctx.resolved.range;
    let mut s = format!("Period {} – {}", day_str(a), day_str(b));
    if let Some((c, d)) = ctx.cmp_range() {
        s.push_str(&format!(", compared with {} – {}", day_str(c), day_str(d)));
    }
    for (dim, v) in &ctx.filters.dims {
        s.push_str(&format!("; {dim}: {}", v.join(", ")));
    }
    match ctx.filters.business_hours {
        Some(true) => s.push_str("; business hours only"),
        Some(false) => s.push_str("; off hours only"),
        None => {}
    }
    s
}
