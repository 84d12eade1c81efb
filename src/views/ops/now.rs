//! The "now" strip: queue per channel at the instant `now`, SLA of the last 60 minutes against
//! each channel's target, the longest wait of the last 60 minutes, and today's occupancy. The
//! last-60-minutes numbers come from the engine's accumulator over the rows of that hour.

use crate::components::{Ctx, KpiTile, TileData};
use crate::filters::query_for;
use crate::format::{format_duration, format_value, Unit};
use leptos::prelude::*;
use omnikpi_engine::kpi::{Band, Better};
use omnikpi_engine::{Channel, Dim, KpiAcc};

/// Accumulators per channel of the rows the filter selects that arrived in `(now − 3600, now]`.
fn last_hour(ctx: &Ctx) -> [KpiAcc; Channel::COUNT] {
    let e = &ctx.engine;
    let mut out: [KpiAcc; Channel::COUNT] = Default::default();
    let q = query_for(&ctx.filters, (ctx.today - 1, ctx.today));
    let Ok(f) = e.filter(&q) else { return out };
    let c = &e.dataset().contacts;
    let rows = e.rows(Some(ctx.now));
    let lo = c.arrived.partition_point(|&t| t <= ctx.now - 3600);
    let hi = c.arrived.partition_point(|&t| t <= ctx.now);
    f.for_each(c, e.prepared(), |i| {
        if i >= lo && i < hi {
            out[c.channel[i] as usize].add(&rows, i);
        }
    });
    out
}

fn tile(
    id: &'static str,
    label: String,
    value: Option<f64>,
    band: Band,
    formula: &'static str,
    n: Option<f64>,
) -> TileData {
    TileData {
        id,
        label,
        value,
        cmp: None,
        cmp_label: "",
        band,
        better: Better::Higher,
        unit: omnikpi_engine::kpi::Unit::Rate,
        spark: Vec::new(),
        formula,
        n,
        drill: None,
        currency: String::new(),
        note: None,
        source: omnikpi_engine::kpi::kpi(id)
            .map_or(omnikpi_engine::kpi::Source::Contacts, |d| d.source),
    }
}

/// The "now" strip.
pub fn now_strip(ctx: &Ctx) -> AnyView {
    if ctx.engine.is_cube() {
        return crate::components::needs_rows("Now: live queue and the last 60 minutes");
    }
    let e = &ctx.engine;
    let cfg = e.config();
    let mut q = query_for(&ctx.filters, (ctx.today, ctx.today));
    q.now = Some(ctx.now);
    let today_total = e.report(&q).ok().and_then(|g| g.into_iter().next());
    q.by = vec![Dim::Channel];
    let by_channel = e.report(&q).unwrap_or_default();
    // The queue is every contact in progress at now, whatever day it arrived: on a Monday
    // morning the weekend's email backlog is the queue (counting today's arrivals only showed
    // 11 where 72 were waiting; QA pass 3).
    let mut all_days = ctx.queue_query();
    all_days.by = vec![Dim::Channel];
    let queues = e
        .report_for(&all_days, &["queue_length"])
        .unwrap_or_default();
    let hour = last_hour(ctx);
    let mut tiles = Vec::new();
    // A row for every channel in the data, hidden when today's filtered rows have none of it,
    // so that a filter change updates rows in place instead of building them again.
    let mut shown = Vec::new();
    for ch in e.dimension_values("channel").unwrap_or_default() {
        let Some(channel) = Channel::parse(&ch) else {
            continue;
        };
        let g = by_channel
            .iter()
            .find(|g| g.key.first().is_some_and(|k| k.1 == ch));
        let queued = queues
            .iter()
            .find(|g| g.key.first().is_some_and(|k| k.1 == ch))
            .and_then(|g| g.get("queue_length"));
        shown.push(g.is_some() || queued.is_some_and(|n| n > 0.0));
        let mut t = tile(
            "queue_length",
            format!("Queue {ch}"),
            queued.or(g.map(|_| 0.0)),
            Band::None,
            "contacts arrived, not answered, not abandoned, not closed at now",
            None,
        );
        t.unit = omnikpi_engine::kpi::Unit::Count;
        t.better = Better::Lower;
        t.drill = Some(format!("channel={ch}"));
        tiles.push((format!("now:{ch}"), t));
        let acc = &hour[channel as usize];
        let sla = acc.value("sla");
        let target = cfg.sla.get(&channel).map(|s| s.target);
        let band = match target {
            Some(_) => ctx.engine.sla_band(channel, sla),
            None => Band::None,
        };
        let label = match target {
            Some(t) => format!(
                "SLA {ch}, last 60 min (target {})",
                format_value(Some(t), Unit::Rate)
            ),
            None => format!("SLA {ch}, last 60 min"),
        };
        let mut t = tile(
            "sla",
            label,
            sla,
            band,
            "answered within the channel's threshold / (answered + abandoned), last 60 minutes",
            omnikpi_engine::analysis::stat(acc, "sla").map(|s| s.parts().1),
        );
        t.drill = Some(format!("channel={ch}"));
        tiles.push((format!("last60:{ch}"), t));
    }
    let mut all = KpiAcc::default();
    for a in &hour {
        omnikpi_engine::measure::Merge::merge(&mut all, a);
    }
    let longest = all.first_response.quantile(1.0);
    let occupancy = today_total.as_ref().and_then(|g| g.get("occupancy"));
    let occ_band = crate::components::bands_of(cfg, "occupancy").classify(occupancy, Better::Range);
    let mut occ = tile(
        "occupancy",
        "Occupancy today".into(),
        occupancy,
        occ_band,
        "Σ handling_s / Σ staffed_s",
        None,
    );
    occ.better = Better::Range;
    let mut wait = tile(
        "longest_wait_s",
        "Longest wait, last 60 min".into(),
        longest,
        Band::None,
        "the longest first response of the contacts that arrived in the last 60 minutes",
        Some(all.first_response.n() as f64),
    );
    wait.unit = omnikpi_engine::kpi::Unit::Seconds;
    wait.better = Better::Lower;
    // On the configured zone's clock, like every other time on the page (local seconds read
    // as UTC are the local clock).
    let zone = ctx.engine.prepared().tz;
    let local = omnikpi_engine::time::TzCache::new(zone).local(ctx.now);
    let at = chrono::DateTime::from_timestamp(local, 0)
        .map(|d| {
            format!(
                "{} {}",
                omnikpi_engine::text::ymd_hm(d.naive_utc()),
                zone.name()
            )
        })
        .unwrap_or_default();
    let nav = expect_context::<crate::components::Nav>();
    let rows = tiles
        .chunks(2)
        .zip(shown)
        .map(|(pair, shown)| {
            let cell = |scope: &str, t: &TileData| {
                let unit = crate::format::unit_of(t.unit);
                let word = match t.band {
                    Band::None if t.value.is_none() => "no data",
                    Band::None => "",
                    b => b.word(),
                };
                let class = format!("band band-{}", word.replace(' ', "-"));
                view! {
                    <td data-kpi=t.id data-scope=scope.to_string() data-value=t.value.map(|v| v.to_string()).unwrap_or_default()
                        data-band=word title=format!("{}: {}", t.label, t.formula)>
                        <span class="num">{format_value(t.value, unit)}</span>" "
                        <span class=class>{word}</span>
                    </td>
                }
            };
            let (qs, q) = &pair[0];
            let ch = qs.trim_start_matches("now:").to_string();
            let sla = pair.get(1).map(|(s, t)| cell(s, t));
            let target = pair
                .get(1)
                .map(|(_, t)| t.label.split("target ").nth(1).unwrap_or("").trim_end_matches(')').to_string())
                .unwrap_or_default();
            let (nav, d) = (nav.clone(), format!("channel={ch}"));
            view! {
                <tr hidden=!shown>
                    <th scope="row"><button type="button" class="linkish" data-drill=d.clone() on:click=move |_| nav.drill(&d)>{ch.clone()}</button></th>
                    {cell(qs, q)}
                    {sla}
                    <td>{target}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = by_channel.is_empty().then(
        || view! { <p class="empty" data-testid="empty">"No contacts today for this filter."</p> },
    );
    let _ = format_duration;
    view! {
        <section class="now-strip panel" data-testid="now-strip" data-now=ctx.now aria-label="Now">
            <h2>{format!("Now ({at})")}</h2>
            {empty}
            <div class="now-grid">
                <table class="now-table">
                    <thead><tr><th scope="col">"channel"</th><th scope="col">"queue now"</th><th scope="col">"SLA, last 60 min"</th><th scope="col">"target"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <div class="tiles tiles-now">
                    <KpiTile t=wait scope="now" />
                    <KpiTile t=occ scope="now" />
                </div>
            </div>
        </section>
    }
    .into_any()
}
