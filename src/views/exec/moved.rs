//! "What moved": for each headline rate or mean, the change against the comparison period split
//! by the engine's driver analysis into each channel's own rate and the shift of the mix, said
//! in plain sentences.

use crate::components::Ctx;
use crate::format::{format_delta, unit_of, Unit};
use leptos::prelude::*;
use omnikpi_engine::analysis::Drivers;
use omnikpi_engine::kpi::kpi;
use omnikpi_engine::Dim;

/// KPIs explained.
pub const MOVED_KPIS: [&str; 7] = [
    "csat",
    "nps",
    "fcr",
    "sla",
    "abandonment_rate",
    "aht_s",
    "cost_per_resolution",
];

/// A change in the KPI's own terms: points for rates ("3.2 points"), else the formatted delta.
fn amount(d: f64, unit: Unit) -> String {
    match unit {
        Unit::Rate => format!("{:.1} points", (d * 100.0).abs()),
        _ => format_delta(d, unit)
            .trim_start_matches(['+', '−', '±'])
            .to_string(),
    }
}

fn signed(d: f64, unit: Unit) -> String {
    match unit {
        Unit::Rate => format!(
            "{}{:.1}",
            if d < 0.0 { "−" } else { "+" },
            (d * 100.0).abs()
        ),
        _ => format_delta(d, unit),
    }
}

/// The sentence of one driver analysis.
pub fn sentence(d: &Drivers, cmp_label: &str) -> Option<String> {
    let def = kpi(&d.kpi)?;
    let unit = unit_of(def.unit);
    let (Some(_), Some(_)) = d.total else {
        return None;
    };
    if d.change.abs() < 1e-9 {
        return Some(format!(
            "{} did not change against the {cmp_label}.",
            def.name
        ));
    }
    let verb = if d.change > 0.0 { "rose" } else { "fell" };
    let mut s = format!(
        "{} {verb} {} against {cmp_label}",
        def.name,
        amount(d.change, unit)
    );
    let by_rate = d
        .segments
        .iter()
        .max_by(|a, b| a.rate_effect.abs().total_cmp(&b.rate_effect.abs()));
    let by_mix = d
        .segments
        .iter()
        .max_by(|a, b| a.mix_effect.abs().total_cmp(&b.mix_effect.abs()));
    if let Some(r) = by_rate {
        s.push_str(&format!(
            "; {} explains {} by its own rate",
            r.segment,
            signed(r.rate_effect, unit)
        ));
    }
    if let Some(m) = by_mix {
        let dir = if m.weight.1 >= m.weight.0 {
            "toward"
        } else {
            "away from"
        };
        s.push_str(&format!(
            ", the shift {dir} {} {}",
            m.segment,
            signed(m.mix_effect, unit)
        ));
    }
    s.push('.');
    Some(s)
}

/// The panel.
pub fn what_moved(ctx: &Ctx) -> impl IntoView {
    let e = &ctx.engine;
    let items: Vec<(String, String)> = match ctx.cmp_range() {
        Some(a) => MOVED_KPIS
            .iter()
            .filter_map(|id| {
                let d = e
                    .drivers(&ctx.resolved.query, id, Dim::Channel, a, ctx.resolved.range)
                    .ok()??;
                Some((id.to_string(), sentence(&d, ctx.cmp_label())?))
            })
            .collect(),
        None => Vec::new(),
    };
    let body = if ctx.resolved.cmp_range.is_none() {
        view! { <p class="empty">"Choose a comparison (previous period or last year) to see what moved."</p> }.into_any()
    } else if ctx.cmp_range().is_none() {
        let msg = format!(
            "The data does not cover the comparison period ({}): nothing to compare with.",
            ctx.cmp_label()
        );
        view! { <p class="empty" data-testid="empty">{msg}</p> }.into_any()
    } else if items.is_empty() {
        view! { <p class="empty" data-testid="empty">"Not enough data in both periods to explain a change."</p> }.into_any()
    } else {
        let li = items
            .into_iter()
            .map(|(id, s)| view! { <li data-kpi-moved=id>{s}</li> })
            .collect_view();
        view! { <ul class="moved">{li}</ul> }.into_any()
    };
    view! {
        <section class="panel" data-testid="what-moved" aria-labelledby="moved-title">
            <h2 id="moved-title">"What moved (by channel)"</h2>
            {body}
        </section>
    }
}
