//! "What moved": for each headline rate or mean, the change against the comparison period split
//! by the engine's driver analysis into each channel's own rate and the shift of the mix, said
//! in plain sentences.

use crate::components::Ctx;
use crate::format::{delta_is_flat, format_delta, unit_of, Unit};
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

/// A driver's share of the change, signed ("+1.2" points for rates; "±0.0" when it rounds away).
fn signed(d: f64, unit: Unit) -> String {
    match unit {
        Unit::Rate => format_delta(d, unit).trim_end_matches(" pts").to_string(),
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
    let against = match cmp_label {
        "last year" => cmp_label.to_string(),
        l => format!("the {l}"),
    };
    if delta_is_flat(d.change, unit) {
        return Some(format!(
            "{} did not change against {against} (to the precision shown).",
            def.name
        ));
    }
    let verb = if d.change > 0.0 { "rose" } else { "fell" };
    let mut s = format!(
        "{} {verb} {} against {against}",
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

#[cfg(test)]
mod tests {
    use super::sentence;
    use omnikpi_engine::analysis::{Driver, Drivers};

    fn drivers(kpi: &str, change: f64, rate: f64, mix: f64) -> Drivers {
        Drivers {
            kpi: kpi.into(),
            dim: "channel".into(),
            total: (Some(0.5), Some(0.5 + change)),
            change,
            rate_effect: rate,
            mix_effect: mix,
            segments: vec![Driver {
                segment: "chat".into(),
                weight: (0.2, 0.3),
                rate: (Some(0.5), Some(0.5 + rate)),
                rate_effect: rate,
                mix_effect: mix,
            }],
        }
    }

    /// A change or a part of it that rounds away at the shown precision is said as none, never
    /// as "−0.0" or "fell 0.0 points".
    #[test]
    fn changes_that_round_to_zero_are_not_directions() {
        let s = sentence(
            &drivers("sla", -0.0003, -0.0001, -0.0002),
            "previous period",
        )
        .unwrap();
        assert_eq!(
            s,
            "SLA compliance did not change against the previous period (to the precision shown)."
        );
        let s = sentence(&drivers("sla", 0.0312, 0.0321, -0.0003), "last year").unwrap();
        assert!(s.starts_with("SLA compliance rose 3.1 points against last year; chat explains +3.2 by its own rate"), "{s}");
        assert!(s.ends_with("the shift toward chat ±0.0."), "{s}");
        assert!(!s.contains("−0.0"), "{s}");
    }
}
