//! `/exec` — Executive: the North Star tiles (CSAT, NPS, CES) with period delta and sparkline,
//! weekly and monthly trends with the previous period and last year overlaid, the strategic KPIs
//! (FCR, ART, cost per resolution, retention, churn), the channel mix over time and a "what
//! moved" panel. Prints as a one-to-two-page report.

mod mix;
mod moved;
mod trends;

use crate::components::{Ctx, DataGate, DrillList, FilterBar, KpiTile};
use crate::filters::Period;
use leptos::prelude::*;

/// North Star KPIs.
pub const NORTH_STAR: [&str; 4] = ["csat", "nps", "ces", "csat_satisfied"];
/// Strategic KPIs.
pub const STRATEGIC: [&str; 5] = ["fcr", "art_s", "cost_per_resolution", "retention", "churn"];

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
    let tiles = |ids: &[&'static str]| {
        ctx.tiles(ids)
            .into_iter()
            .map(|t| view! { <KpiTile t=t scope="period" /> })
            .collect_view()
    };
    let north = tiles(&NORTH_STAR);
    let strategic = tiles(&STRATEGIC);
    view! {
        <FilterBar ctx=ctx.clone() />
        <DrillList ctx=ctx.clone() />
        <p class="print-only range-print">{print_line(&ctx)}</p>
        <h2>"North Star"</h2>
        <div class="tiles" data-testid="north-star">{north}</div>
        <h2>"Strategic"</h2>
        <div class="tiles" data-testid="strategic">{strategic}</div>
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
    if let Some((c, d)) = ctx.resolved.cmp_range {
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
