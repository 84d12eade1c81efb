//! The weekday × hour heatmap with a KPI picker (`?hm=`); a cell opens the contacts behind it.

use crate::chart::{heatmap_svg, HeatmapChart};
use crate::components::{Ctx, Nav, SvgChart, Table};
use crate::format::{axis_fmt, unit_of};
use leptos::prelude::*;
use omnikpi_engine::kpi::kpi;

/// KPIs the picker offers.
pub const HEATMAP_KPIS: [&str; 6] = [
    "contacts",
    "sla",
    "first_response_mean_s",
    "abandonment_rate",
    "aht_s",
    "csat",
];

/// The heatmap section.
pub fn heatmap(ctx: &Ctx) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let id = ctx
        .param("hm")
        .filter(|k| HEATMAP_KPIS.contains(k))
        .unwrap_or("contacts");
    let def = kpi(id);
    let name = def.map_or(id, |d| d.name);
    let fmt = axis_fmt(def.map_or(crate::format::Unit::Count, |d| unit_of(d.unit)));
    let h = ctx.engine.heatmap(&ctx.resolved.query, id).ok();
    let options = HEATMAP_KPIS
        .iter()
        .map(|k| view! { <option value=*k selected={*k == id}>{kpi(k).map_or(*k, |d| d.name)}</option> })
        .collect_view();
    let on_pick = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        if let Some(s) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            nav.change(&[("hm", Some(s.value()))]);
        }
    };
    let chart = h.map(|h| {
        let has_data = h.cells.iter().flatten().any(|c| c.is_some_and(|v| v != 0.0));
        let table = Table {
            head: std::iter::once("weekday".to_string()).chain(h.cols.iter().cloned()).collect(),
            rows: if has_data {
                h.rows
                    .iter()
                    .zip(&h.cells)
                    .map(|(r, cells)| {
                        std::iter::once(r.clone())
                            .chain(cells.iter().map(|c| c.map(|v| v.to_string()).unwrap_or_default()))
                            .collect()
                    })
                    .collect()
            } else {
                Vec::new()
            },
            drills: vec![None; 7],
        };
        let c = HeatmapChart {
            title: format!("{name} by weekday and hour"),
            rows: h.rows,
            cols: h.cols,
            cells: h.cells,
            fmt,
            label: |r, c| format!("{r} {c}:00"),
            drill: Some(|r, c| format!("cell={r}-{c}")),
        };
        let svg = heatmap_svg(&c, 900, 300);
        view! { <SvgChart title=c.title.clone() svg=svg table=table testid="heatmap" class="heatmap" /> }
    });
    view! {
        <section class="panel" aria-label="Weekday by hour">
            <label class="picker no-print">"Heatmap of "<select data-testid="heatmap-kpi" on:change=on_pick>{options}</select></label>
            {chart}
        </section>
    }
}
