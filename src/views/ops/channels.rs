//! SLA, speed of answer, abandonment and AHT per channel, each a tile with band status (SLA
//! against the channel's own target). A channel's name narrows the filter to it.

use crate::components::{bands_of, tile_data, Ctx, KpiTile};
use crate::format::{format_value, Unit};
use leptos::prelude::*;
use omnikpi_engine::kpi::Better;
use omnikpi_engine::{Channel, Dim, Group};

/// KPIs per channel.
pub const CHANNEL_KPIS: [&str; 4] = ["sla", "first_response_mean_s", "abandonment_rate", "aht_s"];

/// The per-channel grid.
pub fn channels(ctx: &Ctx) -> impl IntoView {
    let e = &ctx.engine;
    let cfg = e.config();
    // Asked for the grid's KPIs only, the engine merges just their counts and sums when they
    // are all light.
    let by_channel = |q: &omnikpi_engine::Query| {
        let mut q = q.clone();
        q.by = vec![Dim::Channel];
        q
    };
    let by = |q: &omnikpi_engine::Query| {
        e.report_for(&by_channel(q), &CHANNEL_KPIS)
            .unwrap_or_default()
    };
    let cur = by(&ctx.resolved.query);
    let cmp: Vec<Group> = ctx.cmp_query().map(by).unwrap_or_default();
    let accs = e
        .contact_groups_for(&by_channel(&ctx.resolved.query), &CHANNEL_KPIS)
        .unwrap_or_default();
    let nav = expect_context::<crate::components::Nav>();
    // A row for every channel in the data, hidden when the filter leaves it out: a filter
    // change then updates rows in place instead of building ~90 elements per channel again
    // (the slowest part of toggling a channel or team filter at 1M contacts).
    let all = e.dimension_values("channel").unwrap_or_default();
    let rows = all
        .iter()
        .map(|ch| {
            let g = cur
                .iter()
                .find(|g| g.key.first().is_some_and(|k| k.1 == *ch));
            let c = g.and_then(|g| cmp.iter().find(|x| x.key == g.key));
            let acc = g.and_then(|g| accs.iter().find(|(k, _)| *k == g.key).map(|(_, a)| a));
            let target = Channel::parse(ch)
                .and_then(|c| cfg.sla.get(&c))
                .map(|s| s.target);
            let tiles = CHANNEL_KPIS
                .iter()
                .map(|id| {
                    let mut t = tile_data(cfg, id, g, c, acc, &[], ctx.cmp_label());
                    t.label = format!("{} · {ch}", t.label);
                    if *id == "sla" {
                        if let Some(tg) = target {
                            if let Some(c) = Channel::parse(ch) {
                                t.band = e.sla_band(c, t.value);
                            }
                            t.label = format!(
                                "SLA · {ch} (target {})",
                                format_value(Some(tg), Unit::Rate)
                            );
                        } else {
                            t.band = bands_of(cfg, id).classify(t.value, Better::Higher);
                        }
                    }
                    t.drill = Some(format!("channel={ch}"));
                    view! { <KpiTile t=t scope=ch.clone() /> }
                })
                .collect_view();
            let nav = nav.clone();
            let d = format!("channel={ch}");
            view! {
                <div class="channel-row" data-channel=ch.clone() hidden=g.is_none()>
                    <button type="button" class="linkish channel-name" data-drill=d.clone()
                        on:click=move |_| nav.drill(&d)>{ch.clone()}</button>
                    <div class="tiles tiles-row">{tiles}</div>
                </div>
            }
        })
        .collect_view();
    let empty = cur
        .is_empty()
        .then(|| view! { <p class="empty" data-testid="empty">"No contacts for this filter."</p> });
    view! {
        <section class="panel" data-testid="channels" aria-labelledby="channels-title">
            <h2 id="channels-title">"Service per channel"</h2>
            {empty}
            {rows}
        </section>
    }
}
